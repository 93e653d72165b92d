/*
 * visits.c — visit planning (README.md "Visit planning"), pure: the
 * parameters' checks, the equal and the weighted split of each tier's
 * budget (water-filling between a floor and a cap), the flow of what a tier
 * cannot use, and visit_cadence's table.  visits_sql.c reads the rows.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/float.h"

#include "visits.h"

/*
 * Shares whose float8 sum exceeds 1 by no more than this are taken to sum to
 * exactly 1: 0.56 + 0.34 + 0.1 is 1.0000000000000002 in float8.
 */
#define SHARE_SUM_SLACK 1e-12

const char *const visit_share_names[TIERS] = {"a_share", "b_share", "c_share"};
const char *const visit_floor_names[TIERS] = {"min_a", "min_b", "min_c"};

/*
 * The accounts of one tier, as its split needs them.  In the equal form
 * every account has weight EQUAL_WEIGHT and there is no array of weights.
 */
typedef struct TierBook
{
	int64		accounts;		/* the tier's rows */
	int64		positive;		/* of which with a positive weight */
	double		largest;		/* the largest positive weight */
	double		smallest;		/* the smallest positive weight */
	double		total;			/* the positive weights' sum / largest */
	double	   *weights;		/* the positive weights (reordered), or NULL
								 * in the equal form */
} TierBook;

/*
 * A tier's total of scaled weights (each in (0, 1], the largest exactly 1)
 * is kept in fixed point, in units of 2^-64: an integer sum is exact, so a
 * partition's plan is the same to the last bit whatever the order of its
 * rows (the window's ORDER BY, a parallel plan), and its error, at most
 * 2^-65 a weight, is negligible against the total's 1 or more.  Fewer than
 * 2^63 terms of at most 2^64 units fit in an int128.
 */
#define WEIGHT_UNIT_BITS 64

/* A scaled weight in fixed-point units, rounded to the nearest unit. */
static inline int128
weight_units(double u)
{
	return (int128) rint(ldexp(u, WEIGHT_UNIT_BITS));
}

/* A fixed-point sum as a float8. */
static inline double
units_value(int128 units)
{
	return ldexp((double) units, -WEIGHT_UNIT_BITS);
}

#define ST_SORT sort_weights_desc
#define ST_ELEMENT_TYPE double
#define ST_COMPARE(a, b) ((*(a) < *(b)) - (*(a) > *(b)))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* Refuses a capacity, a share, a cap or a floor outside its range (README.md "Errors"). */
void
check_visit_params(VisitParams *params)
{
	double		sum = 0;

	if (!isfinite(params->capacity) || params->capacity < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("capacity must be a finite number of at least 0, got %s",
						float8out_internal(params->capacity)),
				 errdetail("capacity is the rep's field visits a year.")));
	for (int t = TIER_A; t <= TIER_C; t++)
	{
		if (!(params->share[t] >= 0 && params->share[t] <= 1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be between 0 and 1, got %s",
							visit_share_names[t], float8out_internal(params->share[t])),
					 errdetail("Shares are fractions of capacity: %s = 0.8 means 80%%.",
							   visit_share_names[t])));
		sum += params->share[t];
	}
	if (sum > 1 + SHARE_SUM_SLACK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a_share, b_share and c_share must sum to at most 1, got %s",
						float8out_internal(sum)),
				 errdetail("What the shares leave of capacity is time for prospecting.")));
	/* within the slack: make the budgets add up to capacity, not above it */
	if (sum > 1)
		for (int t = TIER_A; t <= TIER_C; t++)
			params->share[t] /= sum;
	if (isnan(params->max_per_account) || params->max_per_account <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_per_account must be greater than 0, got %s",
						float8out_internal(params->max_per_account)),
				 errdetail("max_per_account caps one account's visits a year; Infinity means no cap.")));
	for (int t = TIER_A; t <= TIER_C; t++)
		if (!(isfinite(params->floor[t]) && params->floor[t] >= 0 &&
			  params->floor[t] <= params->max_per_account))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be between 0 and max_per_account, got %s",
							visit_floor_names[t], float8out_internal(params->floor[t])),
					 errdetail("A floor is the fewest visits a year each account of the tier gets when its budget allows: a finite number, at most max_per_account (%s here).",
							   float8out_internal(params->max_per_account))));
}

/* A tier's plan, field by field (see TierPlan). */
static TierPlan
make_plan(double lo, double hi, double floor_to, double cap_from, double level, double scale)
{
	TierPlan	plan;

	plan.lo = lo;
	plan.hi = hi;
	plan.floor_to = floor_to;
	plan.cap_from = cap_from;
	plan.level = level;
	plan.scale = scale;
	return plan;
}

/* A plan that gives every account of the tier the same visits. */
static TierPlan
even_plan(double visits)
{
	return make_plan(visits, visits, INFINITY, INFINITY, 0, 1);
}

/*
 * The weights of the accounts between floor and cap while fill_sorted
 * walks: their sum in units of 2^exponent, 2^exponent being at most the
 * largest of them and more than half of it, with Neumaier's compensation.
 */
typedef struct FreeSum
{
	double		sum;
	double		comp;
	int			exponent;
} FreeSum;

/* Adds x to a compensated sum. */
static inline void
comp_add(FreeSum *s, double x)
{
	double		t = s->sum + x;

	if (fabs(s->sum) >= fabs(x))
		s->comp += (s->sum - t) + x;
	else
		s->comp += (x - t) + s->sum;
	s->sum = t;
}

/*
 * limit * (sum * 2^exponent) / at: what a run of weights summing to sum *
 * 2^exponent plans at lambda = limit / at, for limit, sum and at > 0.  The
 * significands are divided and the exponents added apart, so that no step
 * underflows or overflows before the result itself does.
 */
static double
run_planned(double limit, double sum, int exponent, double at)
{
	int			limit_exp = ilogb(limit);
	int			at_exp = ilogb(at);

	return ldexp(scalbn(limit, -limit_exp) * sum / scalbn(at, -at_exp),
				 limit_exp + exponent - at_exp);
}

/*
 * Water-filling with a floor and a cap over a tier whose positive weights
 * are sorted in descending order, when the floor fits and the budget does
 * not cap every positive weight.  lambda walks down from +Infinity, where
 * every positive weight is at the cap: an account leaves the cap at
 * lambda = cap / w and reaches the floor at lambda = floor / w, the smallest
 * weight first in both cases, so the accounts between floor and cap are a
 * run weights[j..l) that gains larger weights at its top and loses smaller
 * ones at its bottom, and a sum kept up by addition and subtraction never
 * loses its large terms before its small ones.  The visits the tier plans
 * fall continuously with lambda; the walk stops at the first event where
 * they are within the budget, and lambda solves "the tier uses its budget"
 * on the run as it stands.  Equal weights move together (they get equal
 * visits), and the run is summed in units of a power of 2 near its top, so
 * no ratio of weights overflows or vanishes.
 */
static void
fill_sorted(double budget, double floor, double cap, const TierBook *book, TierPlan *plan)
{
	const double *w = book->weights;
	int64		p = book->positive;
	int64		zeros = book->accounts - p;
	int64		j = p;
	int64		l = p;
	int64		steps = 0;
	FreeSum		run = {0, 0, 0};

	for (;;)
	{
		bool		leave_cap;
		double		at;
		double		limit;

		if ((++steps & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (j > 0 && l > j)
			leave_cap = cap / w[j - 1] >= floor / w[l - 1];
		else if (j > 0)
			leave_cap = true;
		else if (l > j)
			leave_cap = false;
		else
			break;
		at = leave_cap ? w[j - 1] : w[l - 1];
		limit = leave_cap ? cap : floor;

		/* the visits planned at lambda = limit / at; none above an infinite cap */
		if (isfinite(limit))
		{
			double		fixed = (j > 0 ? cap * (double) j : 0) +
				floor * (double) (p - l + zeros);
			double		run_sum = run.sum + run.comp;
			double		planned = fixed;

			if (l > j && limit > 0)
				planned += run_planned(limit, run_sum, run.exponent, at);
			if (planned <= budget)
			{
				*plan = make_plan(floor, cap,
								  l < p ? w[l] : 0,
								  j > 0 ? w[j - 1] : INFINITY,
								  l > j ? Max(budget - fixed, 0) / run_sum : 0,
								  ldexp(1.0, run.exponent));
				return;
			}
		}

		if (leave_cap)
		{
			int			exponent = ilogb(at);

			if (l == j)
			{
				/* an empty run starts afresh at this weight's scale */
				run.sum = run.comp = 0;
				run.exponent = exponent;
			}
			else if (exponent > run.exponent)
			{
				run.sum = ldexp(run.sum, run.exponent - exponent);
				run.comp = ldexp(run.comp, run.exponent - exponent);
				run.exponent = exponent;
			}
			while (j > 0 && w[j - 1] == at)
			{
				j--;
				comp_add(&run, ldexp(at, -run.exponent));
			}
		}
		else
		{
			while (l > j && w[l - 1] == at)
			{
				l--;
				comp_add(&run, -ldexp(at, -run.exponent));
			}
			if (l == j)
				run.sum = run.comp = 0;
		}
	}
	/* only rounding gets here, with the floor using the whole budget */
	*plan = even_plan(floor);
}

/*
 * The split of one tier's budget: each account gets clamp(lambda * w,
 * floor, cap), lambda chosen so that the tier uses its whole budget; an
 * even split when the floor does not fit.  Returns what the tier cannot
 * use: all of it without accounts; what is left when every account is at
 * the cap, or at the floor for lack of a positive weight.
 */
static double
fill_tier(double budget, double floor, double cap, TierBook *book, TierPlan *plan)
{
	double		accounts = (double) book->accounts;
	double		zeros = (double) (book->accounts - book->positive);
	double		all_capped;
	double		level;

	if (book->accounts == 0)
	{
		*plan = even_plan(0);
		return budget;
	}
	if (floor * accounts > budget)
	{
		*plan = even_plan(budget / accounts);
		return 0;
	}
	if (book->positive == 0)
	{
		*plan = even_plan(floor);
		return budget - floor * accounts;
	}

	/*
	 * The weights of 0 at the floor and the others in proportion, when that
	 * keeps the largest within the cap and the smallest above the floor: no
	 * sort
	 */
	level = (budget - floor * zeros) / book->total;
	if (level <= cap && level * (book->smallest / book->largest) >= floor)
	{
		*plan = make_plan(floor, cap, 0, INFINITY, level, book->largest);
		return 0;
	}
	all_capped = cap * (double) book->positive + floor * zeros;
	if (budget >= all_capped)
	{
		*plan = make_plan(floor, cap, 0, book->smallest, 0, 1);
		return budget - all_capped;
	}
	Assert(book->weights != NULL);
	sort_weights_desc(book->weights, book->positive);
	fill_sorted(budget, floor, cap, book, plan);
	return 0;
}

/*
 * The flow, tier by tier from A down: a tier with a share gets its share
 * of capacity plus what the tiers above could not use; a tier with share 0
 * gets no visits, and what comes down passes it by.  What the lowest tier
 * with a share cannot use stays unallocated.
 */
static void
plan_tiers(const VisitParams *params, TierBook *books, TierPlan *plans)
{
	double		carry = 0;

	for (int t = TIER_A; t <= TIER_C; t++)
	{
		if (params->share[t] == 0)
		{
			plans[t] = even_plan(0);
			continue;
		}
		carry = fill_tier(params->capacity * params->share[t] + carry,
						  params->floor[t], params->max_per_account,
						  &books[t], &plans[t]);
	}
}

/* Swaps two gathered accounts. */
static inline void
swap_accounts(double *weights, uint8 *tiers, int64 i, int64 j)
{
	double		w = weights[i];
	uint8		t = tiers[i];

	weights[i] = weights[j];
	tiers[i] = tiers[j];
	weights[j] = w;
	tiers[j] = t;
}

/*
 * Groups the n gathered weights by tier in place (a three-way partition), so
 * that each tier's weights are one run starting at start[tier] (and ending
 * at start[tier + 1], or n).
 */
static void
group_by_tier(double *weights, uint8 *tiers, int64 n, int64 *start)
{
	int64		a_end = 0;
	int64		next = 0;
	int64		c_start = n;

	while (next < c_start)
	{
		if ((next & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (tiers[next] == TIER_A)
			swap_accounts(weights, tiers, a_end++, next++);
		else if (tiers[next] == TIER_B)
			next++;
		else
			swap_accounts(weights, tiers, next, --c_start);
	}
	start[TIER_A] = 0;
	start[TIER_B] = a_end;
	start[TIER_C] = c_start;
}

/*
 * A tier's largest and smallest positive weight, and their sum in units of
 * the largest, in fixed point: the same to the last bit whatever the order
 * of the rows.
 */
static void
sum_weights(TierBook *book)
{
	int128		units = 0;
	double		largest = 0;
	double		smallest = INFINITY;

	for (int64 i = 0; i < book->positive; i++)
	{
		largest = Max(largest, book->weights[i]);
		smallest = Min(smallest, book->weights[i]);
	}
	for (int64 i = 0; i < book->positive; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		units += weight_units(book->weights[i] / largest);
	}
	book->largest = largest;
	book->smallest = smallest;
	book->total = units_value(units);
}

/* recommended_visits: each tier's accounts, all of weight EQUAL_WEIGHT. */
void
plan_equal(const VisitParams *params, const int64 *accounts, TierPlan *plans)
{
	TierBook	books[TIERS];

	for (int t = TIER_A; t <= TIER_C; t++)
	{
		books[t].accounts = books[t].positive = accounts[t];
		books[t].largest = books[t].smallest = EQUAL_WEIGHT;
		books[t].total = (double) accounts[t];
		books[t].weights = NULL;
	}
	plan_tiers(params, books, plans);
}

/*
 * recommended_visits_weighted: each tier's accounts, and the n positive
 * weights gathered with their tiers (both reordered: grouped by tier), the
 * tiers filled from A down.
 */
void
plan_weighted(const VisitParams *params, const int64 *accounts,
			  double *weights, uint8 *tiers, int64 n, TierPlan *plans)
{
	int64		start[TIERS + 1];
	TierBook	books[TIERS];

	group_by_tier(weights, tiers, n, start);
	start[TIERS] = n;
	for (int t = TIER_A; t <= TIER_C; t++)
	{
		books[t].accounts = accounts[t];
		books[t].positive = start[t + 1] - start[t];
		books[t].weights = weights + start[t];
		sum_weights(&books[t]);
	}
	plan_tiers(params, books, plans);
}

/* visit_cadence: the most frequent cadence a number of visits a year sustains. */
const char *
visit_cadence_of(double visits)
{
	static const struct
	{
		double		at_least;
		const char *cadence;
	}			cadences[] = {
		{52, "weekly"},
		{26, "every two weeks"},
		{12, "monthly"},
		{6, "every two months"},
		{4, "quarterly"},
		{2, "twice a year"},
		{1, "yearly"},
	};

	if (isnan(visits) || visits < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("visits_per_year must be at least 0, got %s", float8out_internal(visits)),
				 errdetail("A cadence is defined for a number of visits a year, 0 or more.")));
	for (int i = 0; i < (int) lengthof(cadences); i++)
		if (visits >= cadences[i].at_least)
			return cadences[i].cadence;
	return visits > 0 ? "less than yearly" : "service only";
}
