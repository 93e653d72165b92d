/*
 * shares.h — the definitions that need the whole order of a value set
 * (shares.c): Pareto shares, the Pareto summary and the Lorenz curve.
 */
#ifndef ACCOUNT_TIER_SHARES_H
#define ACCOUNT_TIER_SHARES_H

#include "values.h"

typedef struct ParetoStats
{
	int64		accounts;
	Numeric		positive_total;
	bool		has_shares;		/* false when the positive total is 0 */
	double		gini;
	double		top20_share;
	double		accounts_for_80;
} ParetoStats;

#define LORENZ_POINTS_MAX 100000

extern bool lorenz_points_valid(int32 points);
extern void check_lorenz_points(int32 points);
extern bool pareto_shares_by_row(ValueSet *vs, double *by_row);
extern ParetoStats pareto_stats(ValueSet *vs);
extern bool lorenz_points(ValueSet *vs, int32 points, double *out);

#endif
