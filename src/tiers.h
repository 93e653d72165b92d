/*
 * tiers.h — the definitions of SPEC.md over a value set: tier splits by value
 * share and by count, Pareto shares, the Pareto summary, the Lorenz curve,
 * and the rule that turns cutoffs into a tier.
 */
#ifndef ACCOUNT_TIER_TIERS_H
#define ACCOUNT_TIER_TIERS_H

#include "values.h"

typedef enum Tier
{
	TIER_A,
	TIER_B,
	TIER_C
} Tier;

/* Which method draws the tier limits: from two thresholds, or from the data. */
typedef enum SplitMethod
{
	SPLIT_BY_VALUE,
	SPLIT_BY_COUNT,
	SPLIT_COMPUTED
} SplitMethod;

/*
 * Where the tiers end after split_tiers: items [0, a_rows) are the A rows,
 * [a_rows, ab_rows) the B rows, the rest C; items a_rows - 1 and
 * ab_rows - 1 are the smallest A and the smallest B value.
 */
typedef struct TierSplit
{
	int64		a_rows;
	int64		ab_rows;
} TierSplit;

/*
 * The points of a computed ABC analysis (SPEC "Computed ABC"), as counts of
 * top accounts: all 0 when the positive total is 0.
 */
typedef struct ComputedPoints
{
	int64		pareto_k;
	int64		break_even_k;
	int64		submarginal_k;
} ComputedPoints;

typedef struct ParetoStats
{
	int64		accounts;
	Numeric		positive_total;
	bool		has_shares;		/* false when the positive total is 0 */
	double		gini;
	double		top20_share;
	double		accounts_for_80;
} ParetoStats;

/* Default thresholds, as the SQL window functions declare them. */
#define VALUE_A_DEFAULT "0.80"
#define VALUE_B_DEFAULT "0.95"
#define COUNT_A_DEFAULT "0.20"
#define COUNT_B_DEFAULT "0.80"
#define LORENZ_POINTS_DEFAULT 101
#define LORENZ_POINTS_MAX 100000

extern bool thresholds_valid(Numeric a, Numeric b);
extern bool lorenz_points_valid(int32 points);
extern void check_thresholds(Numeric a, Numeric b);
extern void check_lorenz_points(int32 points);
extern Numeric threshold_numeric(const char *text);

extern TierSplit split_tiers(ValueSet *vs, SplitMethod method, Numeric a, Numeric b);
extern TierSplit split_computed(ValueSet *vs, ComputedPoints *points);
extern Tier tier_rule(bool positive, bool reaches_a, bool reaches_b);
extern Tier tier_of_probe(const ValueSet *vs, TierSplit split, const VsProbe *probe);
extern void tiers_by_row(const ValueSet *vs, TierSplit split, uint8 *by_row);

extern bool pareto_shares_by_row(ValueSet *vs, double *by_row);
extern ParetoStats pareto_stats(ValueSet *vs);
extern bool lorenz_points(ValueSet *vs, int32 points, double *out);

#endif
