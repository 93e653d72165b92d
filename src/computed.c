/*
 * computed.c — computed ABC (SPEC "Computed ABC"): the A/B and B/C limits
 * drawn from the shape of the data, on the exact ABC curve.
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
 * quickselect over the unsorted positive values, testing the step only in
 * the tie group of each pivot: O(n) expected, and no sort.
 *
 * Every test is exact.  Multiplied by n^2 T^2, d_k < 0 reads
 *
 *     (2 (k - k0) - 1) T^2  <  n^2 x_(k) (R_(k-1) + R_k),
 *
 * with R_k = T - (x_(1) + ... + x_(k)), all in whole units of the value set,
 * compared as numerics: so no rounding ever moves a limit (SPEC allows
 * double precision for the distances; exact costs nothing here, as only a
 * few dozen steps are tested).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/numeric.h"

#include "tiers.h"

/* The fixed numbers of one curve, exact, in the value set's units. */
typedef struct Curve
{
	ValueSet   *vs;
	Numeric		total;			/* T */
	Numeric		total_sq;		/* T^2 */
	Numeric		n_sq;			/* n^2 */
} Curve;

/*
 * The ranks a search accepts: every rank up to `forced', then, when
 * `descend', the ranks whose step towards the point p_from descends.
 * Accepted ranks always come first: a search finds the last of them.
 */
typedef struct RankTest
{
	const Curve *curve;
	int64		forced;
	bool		descend;
	int64		from;
} RankTest;

/*
 * A tie group of positive items, in place: items [start, end) equal x,
 * items [0, start) are greater and sum to `before'; `through' is the sum of
 * items [0, end).
 */
typedef struct TieGroup
{
	int64		start;
	int64		end;
	Numeric		x;
	Numeric		before;
	VsSum		through;
} TieGroup;

/* The last accepted rank (1-based) and its tie group. */
typedef struct Found
{
	int64		k;
	TieGroup	group;
} Found;

/* The tie group a three-way partition of [lo, hi) put around its pivot. */
static void
group_of_partition(const ValueSet *vs, const VsSum *acc, const VsPartition *part,
				   TieGroup *group)
{
	VsSum		before = *acc;
	VsSum		x;

	vs_sum_add_sum(vs, &before, &part->greater);
	vs_sum_init(vs, &x);
	vs_sum_add(vs, &x, part->gt_end);

	group->start = part->gt_end;
	group->end = part->eq_end;
	group->x = vs_sum_exact(vs, &x);
	group->before = vs_sum_exact(vs, &before);
	group->through = before;
	vs_sum_add_sum(vs, &group->through, &part->equal);
}

/* Whether the search accepts rank k (1-based) of a tie group. */
static bool
rank_accepted(const RankTest *test, const TieGroup *group, int64 k)
{
	const Curve *curve = test->curve;
	Numeric		before_k;
	Numeric		remaining;
	Numeric		lhs;
	Numeric		rhs;

	if (k <= test->forced)
		return true;
	if (!test->descend)
		return false;

	/* R_(k-1) + R_k = 2 (T - (x_(1) + ... + x_(k-1))) - x_(k) */
	before_k = numeric_add_opt_error(group->before,
									 numeric_mul_opt_error(int64_to_numeric(k - 1 - group->start),
														   group->x, NULL),
									 NULL);
	remaining = numeric_sub_opt_error(numeric_mul_opt_error(int64_to_numeric(2),
															numeric_sub_opt_error(curve->total, before_k, NULL),
															NULL),
									  group->x, NULL);
	lhs = numeric_mul_opt_error(int64_to_numeric(2 * (k - test->from) - 1), curve->total_sq, NULL);
	rhs = numeric_mul_opt_error(curve->n_sq, numeric_mul_opt_error(group->x, remaining, NULL), NULL);
	return numeric_compare(lhs, rhs) < 0;
}

/*
 * The last accepted rank of a tie group whose first rank is accepted: its
 * end, or found by bisection inside it.
 */
static int64
last_accepted_in_group(const RankTest *test, const TieGroup *group)
{
	int64		yes = group->start + 1;
	int64		no = group->end;

	Assert(rank_accepted(test, group, yes));
	if (rank_accepted(test, group, no))
		return no;
	while (no - yes > 1)
	{
		int64		mid = yes + (no - yes) / 2;

		if (rank_accepted(test, group, mid))
			yes = mid;
		else
			no = mid;
	}
	return yes;
}

/*
 * On the positive items [lo, hi), all smaller than the items before lo
 * (which sum to acc, and whose ranks are all accepted), finds the last
 * accepted rank.  *found holds the group ending at rank lo, and is updated
 * when an accepted rank lies beyond it.  Only [lo, hi) is reordered.
 */
static void
search_last_accepted(const RankTest *test, int64 lo, int64 hi, VsSum acc, Found *found)
{
	ValueSet   *vs = test->curve->vs;
	uint64		seed = 0x9E3779B97F4A7C15 ^ (uint64) hi;

	while (lo < hi)
	{
		VsPartition part;
		TieGroup	group;

		CHECK_FOR_INTERRUPTS();
		vs_partition(vs, lo, hi, vs_choose_pivot(vs, lo, hi, &seed), &part);
		group_of_partition(vs, &acc, &part, &group);
		if (!rank_accepted(test, &group, group.start + 1))
		{
			/* the answer is among the greater items */
			hi = group.start;
			continue;
		}
		found->group = group;
		found->k = last_accepted_in_group(test, &group);
		if (found->k < group.end)
			return;
		acc = group.through;
		lo = group.end;
	}
}

/* T, T^2 and n^2 as exact numerics. */
static void
curve_init(Curve *curve, ValueSet *vs, const VsSum *total)
{
	Numeric		n = int64_to_numeric(vs->n);

	curve->vs = vs;
	curve->total = vs_sum_exact(vs, total);
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
	TierSplit	split = {0, 0};
	int64		npos = vs_move_positive_first(vs);
	VsSum		total;
	VsSum		zero;
	Curve		curve;
	RankTest	test;
	Found		pareto = {0};
	Found		submarginal;
	int64		k_a;
	int64		k_x;

	memset(points, 0, sizeof(*points));
	vs_positive_total(vs, npos, &total);
	if (vs_sum_is_zero(vs, &total))
		return split;
	curve_init(&curve, vs, &total);
	vs_sum_init(vs, &zero);

	/* step 4: the break-even point, x >= T/n (at least the largest item) */
	points->break_even_k = vs_count_at_least_mean(vs, npos, &total);

	/* step 3: the Pareto point, the last descending rank from (0, 1) */
	test = (RankTest) {&curve, 1, true, 0};
	search_last_accepted(&test, 0, npos, zero, &pareto);
	points->pareto_k = pareto.k;

	/* step 5 */
	k_a = Min(points->pareto_k, points->break_even_k);
	k_x = Max(points->pareto_k, points->break_even_k);

	/*
	 * Step 6: the submarginal point, the last descending rank from (p_kX,
	 * 1), at least kX.  Its search goes on from the Pareto point's group:
	 * every rank up to the group's start is at most kX, so accepted.
	 */
	test = (RankTest) {&curve, k_x, true, k_x};
	submarginal = pareto;
	submarginal.k = last_accepted_in_group(&test, &pareto.group);
	if (submarginal.k == pareto.group.end)
		search_last_accepted(&test, pareto.group.end, npos, pareto.group.through,
							 &submarginal);
	points->submarginal_k = submarginal.k;

	/* step 7: A ends with the group of kA, B with the group of kC */
	split.ab_rows = submarginal.group.end;
	if (k_a == points->pareto_k)
		split.a_rows = pareto.group.end;
	else
	{
		/*
		 * kA = kB < kP: kB counts the items at least T/n, so it ends a tie
		 * group, which lies among the items greater than the Pareto group.
		 */
		Found		break_even = {0};

		test = (RankTest) {&curve, k_a, false, 0};
		search_last_accepted(&test, 0, pareto.group.start, zero, &break_even);
		Assert(break_even.k == k_a && break_even.group.end == k_a);
		split.a_rows = break_even.group.end;
	}
	return split;
}
