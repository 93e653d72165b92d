/*
 * splits.h — where tiers A and B end in a value set: by share of value and
 * by share of accounts (splits.c), or computed from the data (computed.c).
 * tiers.c's split_tiers is the one way in.
 */
#ifndef ACCOUNT_TIER_SPLITS_H
#define ACCOUNT_TIER_SPLITS_H

#include "values.h"

/*
 * Where the tiers end: items [0, a_rows) are the A rows, [a_rows, ab_rows)
 * the B rows, the rest C; items a_rows - 1 and ab_rows - 1 are the smallest
 * A and the smallest B value.
 */
typedef struct TierSplit
{
	int64		a_rows;
	int64		ab_rows;
} TierSplit;

/*
 * The points of a computed ABC analysis (README.md "abc_tier_computed,
 * abc_cutoffs_computed and abc_points"), as counts of top accounts: all 0
 * when the positive total is 0.
 */
typedef struct ComputedPoints
{
	int64		pareto_k;
	int64		break_even_k;
	int64		submarginal_k;
} ComputedPoints;

extern TierSplit split_by_value(ValueSet *vs, Numeric a, Numeric b);
extern TierSplit split_by_count(ValueSet *vs, Numeric a, Numeric b);
extern TierSplit split_computed(ValueSet *vs, ComputedPoints *points);

#endif
