/*
 * splits.c — where tiers A and B end by share of value and by share of
 * accounts (README.md "Exact definitions"): two limits, found by selection
 * (vs_select_group), exactly.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "splits.h"

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
 * Value share: where a tie group G stands against the last group with
 * before(G) < *limit.
 */
static TieVerdict
before_below(const ValueSet *vs, const TieGroup *group, const void *limit)
{
	if (vs_sum_cmp(vs, &group->before, limit) >= 0)
		return TIE_PAST;
	return vs_sum_cmp(vs, &group->through, limit) >= 0 ? TIE_FOUND : TIE_SHORT;
}

/*
 * Value share: a tie group G is A if before(G) < a*T, else B if before(G) <
 * b*T.  Both products are taken exactly, so no rounding decides a tier.
 */
TierSplit
split_by_value(ValueSet *vs, Numeric a, Numeric b)
{
	TierSplit	split = {0, 0};
	ExactSum	total;
	int64		npos = vs_positive_first(vs, &total);
	ExactSum	below_a;
	ExactSum	below_b;
	TieGroup	group;

	if (vs_sum_is_zero(vs, &total))
		return split;
	vs_sum_fraction(vs, &total, a, &below_a);
	vs_sum_fraction(vs, &total, b, &below_b);

	/* the largest group has before = 0 < a*T: A is never empty */
	vs_group_init(vs, &group);
	vs_select_group(vs, 0, npos, &group, before_below, &below_a);
	split.a_rows = group.end;
	if (group.end < npos && vs_sum_cmp(vs, &group.through, &below_b) < 0)
		vs_select_group(vs, group.end, npos, &group, before_below, &below_b);
	split.ab_rows = group.end;
	return split;
}

/*
 * Count share: a positive row is A if the rows above it number fewer than
 * a*n, else B if fewer than b*n; above < a*n is above < ceil(a*n) exactly,
 * that is, the row's value is at least the ceil(a*n)-th largest.
 */
TierSplit
split_by_count(ValueSet *vs, Numeric a, Numeric b)
{
	TierSplit	split = {0, 0};
	int64		npos = vs_move_positive_first(vs);
	int64		a_limit = ceil_share_of_count(a, vs->n);
	int64		b_limit = ceil_share_of_count(b, vs->n);
	TieGroup	group;

	if (npos == 0)
		return split;
	vs_group_init(vs, &group);
	vs_select_rank(vs, 0, npos, Min(a_limit, npos) - 1, &group);
	split.a_rows = group.end;
	if (group.end < npos && group.end < b_limit)
		vs_select_rank(vs, group.end, npos, Min(b_limit, npos) - 1, &group);
	split.ab_rows = group.end;
	return split;
}
