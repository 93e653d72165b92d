/*
 * tiers.c — the tiers of README.md "Exact definitions", written once over a
 * value set and shared by the window functions, aggregates and scalars:
 * thresholds, where tiers end (split_tiers, over splits.c and computed.c),
 * and the tier of a row or of a value, by the one rule from cutoffs to a
 * tier.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "tiers.h"

/* Whether a threshold lies in (0, 1]. */
static bool
in_unit_interval(Numeric value)
{
	return !numeric_is_nan(value) &&
		numeric_compare(value, int64_to_numeric(0)) > 0 &&
		numeric_compare(value, int64_to_numeric(1)) <= 0;
}

/* Whether a pair of thresholds is valid: both in (0, 1] and a <= b. */
bool
thresholds_valid(Numeric a, Numeric b)
{
	return in_unit_interval(a) && in_unit_interval(b) && numeric_compare(a, b) <= 0;
}

/* Reports a threshold outside (0, 1]. */
static void
check_unit_interval(const char *name, Numeric value)
{
	if (!in_unit_interval(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("threshold %s must be greater than 0 and at most 1, got %s",
						name, DatumGetCString(DirectFunctionCall1(numeric_out,
																  NumericGetDatum(value)))),
				 errdetail("Thresholds are shares: %s = 0.8 means 80%%.", name)));
}

/* Checks a pair of thresholds: both in (0, 1] and a <= b. */
void
check_thresholds(Numeric a, Numeric b)
{
	check_unit_interval("a", a);
	check_unit_interval("b", b);
	if (numeric_compare(a, b) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("threshold a must not exceed threshold b, got a = %s and b = %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(a))),
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(b)))),
				 errdetail("Tier A is the top share a, tiers A and B together the top share b.")));
}

/* The one rule from cutoffs to a tier (README.md "Exact definitions", abc_classify). */
static Tier
tier_rule(bool positive, bool reaches_a, bool reaches_b)
{
	if (positive && reaches_a)
		return TIER_A;
	if (positive && reaches_b)
		return TIER_B;
	return TIER_C;
}

/*
 * Where tiers A and B end, by value share, by count (thresholds a and b) or
 * computed from the data (a and b unused; the points go to *points unless
 * it is NULL); reorders the items.  Every split ends on tie-group
 * boundaries, which is what lets a row's position (tiers_by_row) and its
 * value against the split's limits (tier_of_probe) give the same tier.
 */
TierSplit
split_tiers(ValueSet *vs, SplitMethod method, Numeric a, Numeric b, ComputedPoints *points)
{
	ComputedPoints unused;
	TierSplit	split = {0, 0};

	switch (method)
	{
		case SPLIT_BY_VALUE:
			split = split_by_value(vs, a, b);
			break;
		case SPLIT_BY_COUNT:
			split = split_by_count(vs, a, b);
			break;
		case SPLIT_COMPUTED:
			split = split_computed(vs, points != NULL ? points : &unused);
			break;
	}
	Assert(split.a_rows <= split.ab_rows);
	Assert(vs_ends_tie_group(vs, split.a_rows));
	Assert(vs_ends_tie_group(vs, split.ab_rows));
	return split;
}

#ifdef USE_ASSERT_CHECKING
/*
 * The tier of item i by its value against the split's limits, as
 * tier_of_probe decides it for abc_classify: for the assertion that a row's
 * position says the same.
 */
static Tier
tier_of_item(const ValueSet *vs, TierSplit split, int64 i)
{
	bool		reaches_a = split.a_rows > 0 &&
		vs_item_cmp(vs, i, split.a_rows - 1) >= 0;
	bool		reaches_b = split.ab_rows > split.a_rows &&
		vs_item_cmp(vs, i, split.ab_rows - 1) >= 0;

	return tier_rule(vs_item_positive(vs, i), reaches_a, reaches_b);
}
#endif

/*
 * The tier of every item of a set that tracks rows, stored at the item's
 * row, after split_tiers: the first a_rows items are A, the next B.
 */
void
tiers_by_row(const ValueSet *vs, TierSplit split, uint8 *by_row)
{
	Assert(vs->rows != NULL);
	for (int64 i = 0; i < vs->n; i++)
	{
		Tier		tier = i < split.a_rows ? TIER_A : i < split.ab_rows ? TIER_B : TIER_C;

		Assert(tier == tier_of_item(vs, split, i));
		by_row[vs->rows[i]] = tier;
	}
}

/* The tier of a value: the split's cutoffs are items a_rows-1 and ab_rows-1. */
Tier
tier_of_probe(const ValueSet *vs, TierSplit split, const VsProbe *probe)
{
	bool		reaches_a = split.a_rows > 0 &&
		vs_cmp_probe(vs, split.a_rows - 1, probe) <= 0;
	bool		reaches_b = split.ab_rows > split.a_rows &&
		vs_cmp_probe(vs, split.ab_rows - 1, probe) <= 0;

	return tier_rule(vs_probe_positive(probe), reaches_a, reaches_b);
}
