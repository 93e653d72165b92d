/*
 * tiers.c — the definitions of SPEC.md, written once over a value set and
 * shared by the window functions, aggregates and scalars: tier splits by
 * selection, everything that needs the whole order by a descending sort.
 */
#include "postgres.h"

#include "miscadmin.h"
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

/* Whether a number of Lorenz curve points is allowed. */
bool
lorenz_points_valid(int32 points)
{
	return points >= 2 && points <= LORENZ_POINTS_MAX;
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

/* Checks the number of points of a Lorenz curve. */
void
check_lorenz_points(int32 points)
{
	if (!lorenz_points_valid(points))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points must be between 2 and %d, got %d",
						LORENZ_POINTS_MAX, points),
				 errdetail("The curve has one point per step of 1/(points - 1) of the accounts.")));
}

/* A threshold constant as numeric. */
Numeric
threshold_numeric(const char *text)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* ceil(fraction * n), exactly. */
static int64
ceil_share_of_count(Numeric fraction, int64 n)
{
	Numeric		product = numeric_mul_opt_error(int64_to_numeric(n), fraction, NULL);

	return DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 DirectFunctionCall1(numeric_ceil,
																 NumericGetDatum(product))));
}

/*
 * Tier splits need two limits, not an order: they are found by selection
 * (quickselect with three-way partitions), O(n) expected, exact, and with a
 * random pivot so that no input order is slow.  Afterwards, items
 * [0, a_rows) are the A rows and items[a_rows - 1] is the smallest of them.
 */

/*
 * Value share: on items [lo, hi), all smaller than the items before lo whose
 * sum is *acc, with the largest item's before() = *acc below `limit', finds
 * the last tie group G with before(G) < limit.  Returns the end of G, all of
 * whose items and those before it are then in front; *acc becomes their sum.
 */
static int64
select_by_sum(ValueSet *vs, int64 lo, int64 hi, VsSum *acc, const VsSum *limit)
{
	uint64		seed = 0x9E3779B97F4A7C15 ^ (uint64) hi;

	for (;;)
	{
		VsPartition part;
		VsSum		before_pivot = *acc;
		VsSum		through_pivot;

		CHECK_FOR_INTERRUPTS();
		vs_partition(vs, lo, hi, vs_choose_pivot(vs, lo, hi, &seed), &part);
		vs_sum_add_sum(vs, &before_pivot, &part.greater);
		if (vs_sum_cmp(vs, &before_pivot, limit) >= 0)
		{
			/* the pivot's group is past the limit: G is among the greater */
			hi = part.gt_end;
			continue;
		}
		through_pivot = before_pivot;
		vs_sum_add_sum(vs, &through_pivot, &part.equal);
		*acc = through_pivot;
		if (part.eq_end == hi || vs_sum_cmp(vs, &through_pivot, limit) >= 0)
			return part.eq_end;
		lo = part.eq_end;
	}
}

/*
 * Count share: on items [lo, hi), all smaller than the items before lo,
 * finds the tie group of the item that ranks `rank' (0-based, descending)
 * and returns its end.
 */
static int64
select_by_rank(ValueSet *vs, int64 lo, int64 hi, int64 rank)
{
	uint64		seed = 0x9E3779B97F4A7C15 ^ (uint64) rank;

	for (;;)
	{
		VsPartition part;

		CHECK_FOR_INTERRUPTS();
		vs_partition(vs, lo, hi, vs_choose_pivot(vs, lo, hi, &seed), &part);
		if (rank < part.gt_end)
			hi = part.gt_end;
		else if (rank < part.eq_end)
			return part.eq_end;
		else
			lo = part.eq_end;
	}
}

/*
 * Value share: a tie group G is A if before(G) < a*T, else B if before(G) <
 * b*T.  Both products are taken exactly, so no rounding decides a tier.
 */
static TierSplit
split_by_value(ValueSet *vs, Numeric a, Numeric b)
{
	TierSplit	split = {0, 0};
	int64		npos = vs_move_positive_first(vs);
	VsSum		total;
	VsSum		below_a;
	VsSum		below_b;
	VsSum		acc;

	vs_positive_total(vs, npos, &total);
	if (vs_sum_is_zero(vs, &total))
		return split;
	vs_sum_fraction(vs, &total, a, &below_a);
	vs_sum_fraction(vs, &total, b, &below_b);

	/* the largest group has before = 0 < a*T: A is never empty */
	vs_sum_init(vs, &acc);
	split.a_rows = select_by_sum(vs, 0, npos, &acc, &below_a);
	split.ab_rows = split.a_rows;
	if (split.a_rows < npos && vs_sum_cmp(vs, &acc, &below_b) < 0)
		split.ab_rows = select_by_sum(vs, split.a_rows, npos, &acc, &below_b);
	return split;
}

/*
 * Count share: a positive row is A if the rows above it number fewer than
 * a*n, else B if fewer than b*n; above < a*n is above < ceil(a*n) exactly,
 * that is, the row's value is at least the ceil(a*n)-th largest.
 */
static TierSplit
split_by_count(ValueSet *vs, Numeric a, Numeric b)
{
	TierSplit	split = {0, 0};
	int64		npos = vs_move_positive_first(vs);
	int64		a_limit = ceil_share_of_count(a, vs->n);
	int64		b_limit = ceil_share_of_count(b, vs->n);

	if (npos == 0)
		return split;
	split.a_rows = select_by_rank(vs, 0, npos, Min(a_limit, npos) - 1);
	split.ab_rows = split.a_rows;
	if (split.a_rows < npos && split.a_rows < b_limit)
		split.ab_rows = select_by_rank(vs, split.a_rows, npos, Min(b_limit, npos) - 1);
	return split;
}

/*
 * Where tiers A and B end, by value share, by count (thresholds a and b) or
 * computed from the data (a and b unused); reorders the items.
 */
TierSplit
split_tiers(ValueSet *vs, SplitMethod method, Numeric a, Numeric b)
{
	ComputedPoints points;

	switch (method)
	{
		case SPLIT_BY_VALUE:
			return split_by_value(vs, a, b);
		case SPLIT_BY_COUNT:
			return split_by_count(vs, a, b);
		case SPLIT_COMPUTED:
			break;
	}
	return split_computed(vs, &points);
}

/*
 * The tier of every item of a set that tracks rows, stored at the item's
 * row, after split_tiers: the first a_rows items are A, the next B.
 */
void
tiers_by_row(const ValueSet *vs, TierSplit split, uint8 *by_row)
{
	Assert(vs->rows != NULL);
	for (int64 i = 0; i < vs->n; i++)
		by_row[vs->rows[i]] = i < split.a_rows ? TIER_A :
			i < split.ab_rows ? TIER_B : TIER_C;
}

/* The one rule from cutoffs to a tier (SPEC "abc_classify"). */
Tier
tier_rule(bool positive, bool reaches_a, bool reaches_b)
{
	if (positive && reaches_a)
		return TIER_A;
	if (positive && reaches_b)
		return TIER_B;
	return TIER_C;
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

/*
 * Sorts the set descending for the definitions that need the whole order;
 * returns the number of positive items, and their total in *total.
 */
static int64
sort_positive(ValueSet *vs, VsSum *total)
{
	int64		npos;

	vs_sort(vs);
	npos = vs_positive_count(vs);
	vs_positive_total(vs, npos, total);
	return npos;
}

/*
 * pareto_share of every item of a set that tracks rows, stored at the
 * item's row: cum(G)/T for an item of positive tie group G, 1 for items
 * <= 0.  False (and nothing stored) when T = 0.
 */
bool
pareto_shares_by_row(ValueSet *vs, double *by_row)
{
	VsSum		total;
	int64		npos = sort_positive(vs, &total);
	VsSum		cum;

	Assert(vs->rows != NULL);
	if (vs_sum_is_zero(vs, &total))
		return false;
	vs_sum_init(vs, &cum);
	for (int64 start = 0; start < npos;)
	{
		int64		end = vs_group_end(vs, start);
		double		share;

		CHECK_FOR_INTERRUPTS();
		for (int64 i = start; i < end; i++)
			vs_sum_add(vs, &cum, i);
		share = vs_sum_ratio(vs, &cum, &total);
		for (; start < end; start++)
			by_row[vs->rows[start]] = share;
	}
	for (int64 i = npos; i < vs->n; i++)
		by_row[vs->rows[i]] = 1.0;
	return true;
}

/*
 * Gini coefficient of max(v, 0) over all n rows, from the ranks of the sorted
 * values: G = sum over ascending ranks r of (2r - n - 1) x_r / (n T), that
 * is ((n - 1) T - 2 R) / (n T) with R = sum of i x_i over the descending
 * 0-based ranks i.  Numerator and denominator are exact, and the quotient is
 * rounded once: 0 for equal values, never negative, the same everywhere.
 */
static double
gini_of(const ValueSet *vs, int64 npos, const VsSum *total)
{
	Numeric		t = vs_sum_exact(vs, total);
	Numeric		n = int64_to_numeric(vs->n);
	Numeric		factor = NULL;
	Numeric		numerator;

	/*
	 * 2 n T must stay within numeric's range (below 10^131072): past 10^131000
	 * the values are scaled by 10^-d first, exactly (d more decimals), with
	 * 10^(d - 4) > 2 n.  The quotient does not change.
	 */
	if (vs->kind == VS_NUMERIC && numeric_compare(t, threshold_numeric("1e131000")) > 0)
	{
		char		digits[24];

		snprintf(digits, sizeof(digits), INT64_FORMAT, 2 * vs->n);
		factor = threshold_numeric(psprintf("1e-%d", (int) strlen(digits) + 4));
		t = numeric_mul_opt_error(t, factor, NULL);
	}
	numerator =
		numeric_sub_opt_error(numeric_mul_opt_error(int64_to_numeric(vs->n - 1), t, NULL),
							  numeric_mul_opt_error(int64_to_numeric(2),
													vs_rank_sum(vs, npos, total, factor), NULL),
							  NULL);
	return numeric_ratio(numerator, numeric_mul_opt_error(n, t, NULL));
}

/* The fields of pareto_summary for a non-empty set (sorts it). */
ParetoStats
pareto_stats(ValueSet *vs)
{
	ParetoStats stats;
	VsSum		total;
	int64		npos = sort_positive(vs, &total);
	int64		top20 = (vs->n + 4) / 5;
	VsSum		top;

	memset(&stats, 0, sizeof(stats));
	stats.accounts = vs->n;
	stats.positive_total = vs_sum_numeric(vs, &total);
	stats.has_shares = !vs_sum_is_zero(vs, &total);
	if (!stats.has_shares)
		return stats;

	stats.gini = gini_of(vs, npos, &total);
	vs_sum_of_top(vs, Min(top20, npos), &top);
	stats.top20_share = vs_sum_ratio(vs, &top, &total);
	/* last: the split reorders the items */
	stats.accounts_for_80 = (double) split_by_value(vs, threshold_numeric("0.8"),
													int64_to_numeric(1)).a_rows / vs->n;
	return stats;
}

/*
 * The Lorenz curve at `points' evenly spaced account shares: element k holds
 * the share of T of the top k/(points-1) of the n accounts, interpolating
 * linearly inside an account.  False when T = 0.
 */
bool
lorenz_points(ValueSet *vs, int32 points, double *out)
{
	VsSum		total;
	int64		npos = sort_positive(vs, &total);
	int64		taken = 0;
	VsSum		cum;
	/* each share is computed once, however many points fall on it */
	int64		cum_share_of = -1;
	double		cum_share = 0;
	int64		item_share_of = -1;
	double		item_share = 0;

	if (vs_sum_is_zero(vs, &total))
		return false;
	vs_sum_init(vs, &cum);
	for (int32 k = 0; k < points; k++)
	{
		int128		scaled = (int128) k * vs->n;
		int64		whole = (int64) (scaled / (points - 1));
		int64		part = (int64) (scaled % (points - 1));

		CHECK_FOR_INTERRUPTS();
		for (; taken < Min(whole, npos); taken++)
			vs_sum_add(vs, &cum, taken);
		if (cum_share_of != taken)
		{
			cum_share = vs_sum_ratio(vs, &cum, &total);
			cum_share_of = taken;
		}
		out[k] = cum_share;
		if (part > 0 && whole < npos)
		{
			if (item_share_of != whole)
			{
				item_share = vs_item_ratio(vs, whole, &total);
				item_share_of = whole;
			}
			out[k] += item_share * part / (points - 1);
		}
	}
	return true;
}
