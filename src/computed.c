/*
 * computed.c — computed ABC (README.md "abc_tier_computed,
 * abc_cutoffs_computed and abc_points: computed ABC", and "Exact
 * definitions"): the A/B and B/C limits drawn from the shape of the data, on
 * the exact ABC curve.
 *
 * Steps 3 and 6 take the smallest k minimising a distance from the curve
 * point (p_k, y_k) to (p_k0, 1), with k0 = 0 (Pareto point) or kX
 * (submarginal point).  With r_k = 1 - y_k, the step from k - 1 to k changes
 * the squared distance by
 *
 *     d_k = (2 (k - k0) - 1) / n^2  -  (x_(k) / T) (r_(k-1) + r_k),
 *
 * whose subtracted term never grows with k (x_(k) and r_k both fall): the
 * distance is convex in k, and its smallest minimiser is the last rank whose
 * step still descends (d_k < 0).  That rank is found like a quantile, by
 * the selection of every tier split (vs_select_group) over the unsorted
 * positive values, testing the step only in the tie group of each pivot:
 * O(n) expected, and no sort.
 *
 * Every test is exact.  Multiplied by n^2 T^2, d_k < 0 reads
 *
 *     (2 (k - k0) - 1) T^2  <  n^2 x_(k) (R_(k-1) + R_k),
 *
 * with R_k = T - (x_(1) + ... + x_(k)), all in whole units of the value set,
 * compared as numerics: so no rounding ever moves a limit (exact costs
 * nothing here, as only a few dozen steps are tested).  A set held as
 * numerics has no unit of its own: its terms are multiplied by 10^S, S the
 * decimals of T (no positive item has more), which makes them whole, so
 * that a product never needs more decimals than numeric can hold (16383).
 */
#include "postgres.h"

#include "utils/numeric.h"

#include "splits.h"

/* The fixed numbers of one curve, exact, in the value set's units. */
typedef struct Curve
{
	ValueSet   *vs;
	Numeric		unit;			/* 10^S for a numeric set, else NULL */
	Numeric		total;			/* T */
	Numeric		total_sq;		/* T^2 */
	Numeric		n_sq;			/* n^2 */
} Curve;

/*
 * The ranks a search accepts: every rank up to `forced', then the ranks
 * whose step towards the point p_from descends.  Accepted ranks always come
 * first: a search finds the last of them.
 */
typedef struct RankTest
{
	const Curve *curve;
	int64		forced;
	int64		from;
} RankTest;

/* A tie group's value x and before(G), exact, in the value set's units. */
typedef struct GroupTerms
{
	Numeric		x;
	Numeric		before;
} GroupTerms;

/* An exact term of the set, in whole units of the curve. */
static Numeric
whole(const Curve *curve, Numeric term)
{
	if (curve->unit == NULL)
		return term;
	return numeric_mul_opt_error(term, curve->unit, NULL);
}

/* The terms of a tie group of positive items. */
static void
group_terms(const Curve *curve, const TieGroup *group, GroupTerms *terms)
{
	terms->x = whole(curve, vs_item_exact(curve->vs, group->start));
	terms->before = whole(curve, vs_sum_exact(curve->vs, &group->before));
}

/* Whether the search accepts rank k (1-based) of a tie group. */
static bool
rank_accepted(const RankTest *test, const TieGroup *group, const GroupTerms *terms, int64 k)
{
	const Curve *curve = test->curve;
	Numeric		before_k;
	Numeric		remaining;
	Numeric		lhs;
	Numeric		rhs;

	if (k <= test->forced)
		return true;

	/* R_(k-1) + R_k = 2 (T - (x_(1) + ... + x_(k-1))) - x_(k) */
	before_k = numeric_add_opt_error(terms->before,
									 numeric_mul_opt_error(int64_to_numeric(k - 1 - group->start),
														   terms->x, NULL),
									 NULL);
	remaining = numeric_sub_opt_error(numeric_mul_opt_error(int64_to_numeric(2),
															numeric_sub_opt_error(curve->total, before_k, NULL),
															NULL),
									  terms->x, NULL);
	lhs = numeric_mul_opt_error(int64_to_numeric(2 * (k - test->from) - 1), curve->total_sq, NULL);
	rhs = numeric_mul_opt_error(curve->n_sq, numeric_mul_opt_error(terms->x, remaining, NULL), NULL);
	return numeric_compare(lhs, rhs) < 0;
}

/*
 * The last accepted rank of a tie group whose first rank is accepted: its
 * end, or found by bisection inside it.
 */
static int64
last_accepted_in_group(const RankTest *test, const TieGroup *group)
{
	GroupTerms	terms;
	int64		yes = group->start + 1;
	int64		no = group->end;

	group_terms(test->curve, group, &terms);
	Assert(rank_accepted(test, group, &terms, yes));
	if (rank_accepted(test, group, &terms, no))
		return no;
	while (no - yes > 1)
	{
		int64		mid = yes + (no - yes) / 2;

		if (rank_accepted(test, group, &terms, mid))
			yes = mid;
		else
			no = mid;
	}
	return yes;
}

/*
 * Where a tie group stands against the group of the last accepted rank:
 * past it when its first rank is not accepted, the one when its last rank
 * is not.
 */
static TieVerdict
group_accepted(const ValueSet *vs PG_USED_FOR_ASSERTS_ONLY, const TieGroup *group, const void *arg)
{
	const RankTest *test = arg;
	GroupTerms	terms;

	Assert(vs == test->curve->vs);
	group_terms(test->curve, group, &terms);
	if (!rank_accepted(test, group, &terms, group->start + 1))
		return TIE_PAST;
	return rank_accepted(test, group, &terms, group->end) ? TIE_SHORT : TIE_FOUND;
}

/* The unit of the curve, then T, T^2 and n^2 as exact numerics in it. */
static void
curve_init(Curve *curve, ValueSet *vs, const ExactSum *total)
{
	Numeric		n = int64_to_numeric(vs->n);

	curve->vs = vs;
	curve->total = vs_sum_exact(vs, total);
	curve->unit = NULL;
	if (vs->kind == VS_NUMERIC)
	{
		curve->unit = power_of_ten(numeric_scale_of(curve->total));
		curve->total = whole(curve, curve->total);
	}
	curve->total_sq = numeric_mul_opt_error(curve->total, curve->total, NULL);
	curve->n_sq = numeric_mul_opt_error(n, n, NULL);
}

/*
 * Computed ABC over a value set: fills *points with kP, kB and kC and
 * returns where A and B end (A = the items at least x_(kA), A and B the
 * items at least x_(kC)); reorders the items.  With T = 0 every row is C.
 */
TierSplit
split_computed(ValueSet *vs, ComputedPoints *points)
{
	ExactSum	total;
	int64		npos = vs_positive_first(vs, &total);
	Curve		curve;
	RankTest	test;
	TieGroup	pareto;
	TieGroup	submarginal;
	int64		k_a;
	int64		k_x;
	TierSplit	split = {0, 0};

	memset(points, 0, sizeof(*points));
	if (vs_sum_is_zero(vs, &total))
		return split;
	curve_init(&curve, vs, &total);

	/* step 4: the break-even point, x >= T/n (at least the largest item) */
	points->break_even_k = vs_count_at_least_mean(vs, npos, &total);

	/* step 3: the Pareto point, the last descending rank from (0, 1) */
	test = (RankTest) {&curve, 1, 0};
	vs_group_init(vs, &pareto);
	vs_select_group(vs, 0, npos, &pareto, group_accepted, &test);
	points->pareto_k = last_accepted_in_group(&test, &pareto);

	/* step 5 */
	k_a = Min(points->pareto_k, points->break_even_k);
	k_x = Max(points->pareto_k, points->break_even_k);

	/*
	 * Step 6: the submarginal point, the last descending rank from (p_kX,
	 * 1), at least kX.  Its search goes on from the Pareto point's group:
	 * every rank up to the group's start is at most kX, so accepted.
	 */
	test = (RankTest) {&curve, k_x, k_x};
	submarginal = pareto;
	if (last_accepted_in_group(&test, &pareto) == pareto.end)
		vs_select_group(vs, pareto.end, npos, &submarginal, group_accepted, &test);
	points->submarginal_k = last_accepted_in_group(&test, &submarginal);

	/* step 7: A ends with the group of kA, B with the group of kC */
	split.ab_rows = submarginal.end;
	if (k_a == points->pareto_k)
		split.a_rows = pareto.end;
	else
	{
		/*
		 * kA = kB < kP: kB counts the items at least T/n, so it ends a tie
		 * group, which lies among the items greater than the Pareto group.
		 */
		TieGroup	break_even;

		vs_group_init(vs, &break_even);
		vs_select_rank(vs, 0, pareto.start, k_a - 1, &break_even);
		Assert(break_even.end == k_a);
		split.a_rows = break_even.end;
	}
	return split;
}
