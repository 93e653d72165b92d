/*
 * tiers.c — the definitions of SPEC.md, written once over a value set sorted
 * descending and shared by the window functions, aggregates and scalars.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"

#include "tiers.h"

/* Reports a threshold outside (0, 1]. */
static void
check_unit_interval(const char *name, Numeric value)
{
	Numeric		zero = int64_to_numeric(0);
	Numeric		one = int64_to_numeric(1);

	if (numeric_is_nan(value) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(value),
										  NumericGetDatum(zero))) <= 0 ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(value),
										  NumericGetDatum(one))) > 0)
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
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
										  NumericGetDatum(b))) > 0)
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
	if (points < 2 || points > LORENZ_POINTS_MAX)
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

/* Sum of the first `count' items (callers pass positive items only). */
static void
sum_of_top(const ValueSet *vs, int64 count, VsSum *sum)
{
	vs_sum_init(vs, sum);
	for (int64 i = 0; i < count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		vs_sum_add(vs, sum, i);
	}
}

/*
 * Value share: a tie group G is A if before(G) < a*T, else B if before(G) <
 * b*T.  Both products are taken exactly, so no rounding decides a tier.
 */
static TierSplit
split_by_value(const ValueSet *vs, int64 npos, Numeric a, Numeric b)
{
	TierSplit	split = {0, 0};
	VsSum		total;
	VsSum		below_a;
	VsSum		below_b;
	VsSum		before;

	sum_of_top(vs, npos, &total);
	if (vs_sum_is_zero(vs, &total))
		return split;
	vs_sum_fraction(vs, &total, a, &below_a);
	vs_sum_fraction(vs, &total, b, &below_b);

	vs_sum_init(vs, &before);
	for (int64 start = 0; start < npos;)
	{
		int64		end = vs_group_end(vs, start);

		CHECK_FOR_INTERRUPTS();
		if (vs_sum_cmp(vs, &before, &below_a) < 0)
			split.a_rows = end;
		else if (vs_sum_cmp(vs, &before, &below_b) >= 0)
			break;
		split.ab_rows = end;
		for (; start < end; start++)
			vs_sum_add(vs, &before, start);
	}
	return split;
}

/*
 * Count share: a positive row is A if the rows above it number fewer than
 * a*n, else B if fewer than b*n; above < a*n is above < ceil(a*n) exactly.
 */
static TierSplit
split_by_count(const ValueSet *vs, int64 npos, Numeric a, Numeric b)
{
	TierSplit	split = {0, 0};
	int64		a_limit = ceil_share_of_count(a, vs->n);
	int64		b_limit = ceil_share_of_count(b, vs->n);

	for (int64 start = 0; start < npos;)
	{
		int64		end = vs_group_end(vs, start);

		CHECK_FOR_INTERRUPTS();
		if (start < a_limit)
			split.a_rows = end;
		else if (start >= b_limit)
			break;
		split.ab_rows = end;
		start = end;
	}
	return split;
}

/* Where tiers A and B end in a sorted set, by value share or by count. */
TierSplit
split_tiers(const ValueSet *vs, SplitMethod method, Numeric a, Numeric b)
{
	int64		npos;

	Assert(vs->sorted);
	npos = vs_positive_count(vs);
	if (method == SPLIT_BY_VALUE)
		return split_by_value(vs, npos, a, b);
	return split_by_count(vs, npos, a, b);
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

/* The tier of a value of the set: its cutoffs are the last A and B items. */
Tier
tier_of_probe(const ValueSet *vs, TierSplit split, const VsProbe *probe)
{
	bool		reaches_a = split.a_rows > 0 &&
		vs_cmp_probe(vs, split.a_rows - 1, probe) <= 0;
	bool		reaches_b = split.ab_rows > split.a_rows &&
		vs_cmp_probe(vs, split.ab_rows - 1, probe) <= 0;

	return tier_rule(vs_probe_positive(vs, probe), reaches_a, reaches_b);
}

/*
 * cum(G)/T for every positive tie group G, stored at the group's first index;
 * false (and nothing stored) when T = 0.
 */
bool
pareto_group_shares(const ValueSet *vs, double *share)
{
	int64		npos = vs_positive_count(vs);
	VsSum		total;
	VsSum		cum;

	sum_of_top(vs, npos, &total);
	if (vs_sum_is_zero(vs, &total))
		return false;
	vs_sum_init(vs, &cum);
	for (int64 start = 0; start < npos;)
	{
		int64		end = vs_group_end(vs, start);
		int64		first = start;

		CHECK_FOR_INTERRUPTS();
		for (; start < end; start++)
			vs_sum_add(vs, &cum, start);
		share[first] = vs_sum_ratio(vs, &cum, &total);
	}
	return true;
}

/* The Pareto share of a value of the set: its group's share, 1 if <= 0. */
double
pareto_share_of_probe(const ValueSet *vs, const double *share, const VsProbe *probe)
{
	int64		lo = 0;
	int64		hi = vs->n;

	if (!vs_probe_positive(vs, probe))
		return 1.0;
	/* first item not greater than the probe: the start of its tie group */
	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (vs_cmp_probe(vs, mid, probe) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	Assert(lo < vs->n && vs_cmp_probe(vs, lo, probe) == 0);
	return share[lo];
}

/*
 * Gini coefficient of max(v, 0) over all n rows, from the ranks of the sorted
 * values: G = sum over ascending ranks r of (2r - n - 1) x_r / (n T).
 */
static double
gini_of(const ValueSet *vs, int64 npos, const VsSum *total)
{
	long double acc = 0;

	for (int64 i = 0; i < npos; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		acc += (long double) (vs->n - 2 * i - 1) * vs_item_ratio(vs, i, total);
	}
	return (double) (acc / vs->n);
}

/* The fields of pareto_summary for a sorted, non-empty set. */
ParetoStats
pareto_stats(const ValueSet *vs)
{
	ParetoStats stats;
	int64		npos = vs_positive_count(vs);
	int64		top20 = (vs->n + 4) / 5;
	VsSum		total;
	VsSum		top;

	memset(&stats, 0, sizeof(stats));
	stats.accounts = vs->n;
	sum_of_top(vs, npos, &total);
	stats.positive_total = vs_sum_numeric(vs, &total);
	stats.has_shares = !vs_sum_is_zero(vs, &total);
	if (!stats.has_shares)
		return stats;

	stats.gini = gini_of(vs, npos, &total);
	sum_of_top(vs, Min(top20, npos), &top);
	stats.top20_share = vs_sum_ratio(vs, &top, &total);
	stats.accounts_for_80 = (double) split_by_value(vs, npos,
													threshold_numeric("0.8"),
													int64_to_numeric(1)).a_rows / vs->n;
	return stats;
}

/*
 * The Lorenz curve at `points' evenly spaced account shares: element k holds
 * the share of T of the top k/(points-1) of the n accounts, interpolating
 * linearly inside an account.  False when T = 0.
 */
bool
lorenz_points(const ValueSet *vs, int32 points, double *out)
{
	int64		npos = vs_positive_count(vs);
	int64		taken = 0;
	VsSum		total;
	VsSum		cum;

	sum_of_top(vs, npos, &total);
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
		out[k] = vs_sum_ratio(vs, &cum, &total);
		if (part > 0 && whole < npos)
			out[k] += vs_item_ratio(vs, whole, &total) * part / (points - 1);
	}
	return true;
}
