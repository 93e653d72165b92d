/*
 * tiers.h — the tiers of README.md "Exact definitions" over a value set:
 * thresholds, where tiers end by value share, by count or computed, and the
 * one rule that gives a row or a value its tier.
 */
#ifndef ACCOUNT_TIER_TIERS_H
#define ACCOUNT_TIER_TIERS_H

#include "probe.h"
#include "splits.h"

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

extern bool thresholds_valid(Numeric a, Numeric b);
extern void check_thresholds(Numeric a, Numeric b);
extern TierSplit split_tiers(ValueSet *vs, SplitMethod method, Numeric a, Numeric b,
							 ComputedPoints *points);
extern Tier tier_of_probe(const ValueSet *vs, TierSplit split, const VsProbe *probe);
extern void tiers_by_row(const ValueSet *vs, TierSplit split, uint8 *by_row);

#endif
