/*
 * visits.c — visit planning: recommended_visits and its weighted form (one
 * rep's field capacity split by tier share, capped per account, with what a
 * tier cannot use flowing down), and the scalar visit_cadence.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "classify.h"
#include "tiers.h"
#include "values.h"

PG_FUNCTION_INFO_V1(recommended_visits_window);
PG_FUNCTION_INFO_V1(recommended_visits_weighted_window);
PG_FUNCTION_INFO_V1(visit_cadence);

#define TIERS (TIER_C + 1)

/*
 * Shares whose float8 sum exceeds 1 by no more than this are taken to sum to
 * exactly 1: 0.56 + 0.34 + 0.1 is 1.0000000000000002 in float8.
 */
#define SHARE_SUM_SLACK 1e-12

/* What tier_at returns for a row whose tier is NULL. */
#define TIER_NULL 0xFF

/* What a partition is planned with, read from its first row. */
typedef struct VisitParams
{
	double		capacity;		/* field visits a year */
	double		share[TIERS];	/* each tier's share of capacity */
	double		max_per_account;	/* the cap; +Infinity = no cap */
} VisitParams;

/*
 * What one partition computes on its first row (zeroed at partition start).
 * A row's visits depend only on its tier (equal form) or on its tier and
 * weight (weighted form), so a few numbers per tier answer every row.
 */
typedef struct VisitPlan
{
	bool		ready;			/* the plan is computed */
	double		max_per_account;
	double		per_account[TIERS]; /* equal form: each account's visits */
	double		level[TIERS];	/* weighted form: visits per unit of scaled
								 * weight, +Infinity when all are capped */
	double		scale[TIERS];	/* weighted form: the tier's largest weight */
} VisitPlan;

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

/* Refuses a capacity, a share or a cap outside its range (SPEC "Errors"). */
static void
check_params(VisitParams *params)
{
	static const char *const share_names[TIERS] = {"a_share", "b_share", "c_share"};
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
							share_names[t], float8out_internal(params->share[t])),
					 errdetail("Shares are fractions of capacity: %s = 0.8 means 80%%.",
							   share_names[t])));
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
}

/*
 * SPEC's equal split, tier by tier from A down: the tier's share of capacity,
 * plus what the tiers above could not use, split equally among its accounts
 * and capped; a tier without accounts passes its whole budget on.
 */
static void
plan_equal(const VisitParams *params, const int64 *accounts, double *per_account)
{
	double		cap = params->max_per_account;
	double		carry = 0;

	for (int t = TIER_A; t <= TIER_C; t++)
	{
		double		budget = params->capacity * params->share[t] + carry;
		double		per;

		if (accounts[t] == 0)
		{
			per_account[t] = 0;
			carry = budget;
			continue;
		}
		per = budget / (double) accounts[t];
		if (per > cap)
		{
			per_account[t] = cap;
			carry = Max(budget - cap * (double) accounts[t], 0);
		}
		else
		{
			per_account[t] = per;
			carry = 0;
		}
	}
}

/* A float8 sum with Neumaier's compensation. */
typedef struct CompSum
{
	double		sum;
	double		comp;
} CompSum;

/* Adds x to a compensated sum. */
static inline void
comp_add(CompSum *s, double x)
{
	double		t = s->sum + x;

	if (fabs(s->sum) >= fabs(x))
		s->comp += (s->sum - t) + x;
	else
		s->comp += (x - t) + s->sum;
	s->sum = t;
}

/*
 * The water level of a tier whose uncapped level would cap its largest
 * weight: with the weights sorted in descending order and the top j capped,
 * the rest share budget - j * cap in proportion, at level
 * (budget - j * cap) / (sum of the rest).  The answer is the smallest j whose
 * largest uncapped weight stays within the cap at that level.  The scan runs
 * from the smallest weight up, so that each sum of the rest is one addition
 * away from the next and small weights are never lost in a large sum; being
 * in sorted order, the sums do not depend on the order of the rows either.
 * (The tier's total is kept in fixed point instead, but in units of the
 * largest weight, which would round away sums of a tail far below it.)
 */
static double
sorted_level(double budget, double cap, double *weights, int64 k, double scale)
{
	CompSum		rest = {0, 0};
	int64		best_j;
	double		best_rest;

	sort_weights_desc(weights, k);

	/*
	 * budget < k * cap, so j = k - 1 qualifies; start from it should
	 * rounding say otherwise
	 */
	best_j = k - 1;
	best_rest = weights[k - 1] / scale;
	for (int64 j = k - 1; j >= 0; j--)
	{
		double		u = weights[j] / scale;
		double		sum;

		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		comp_add(&rest, u);
		sum = rest.sum + rest.comp;
		if ((budget - (double) j * cap) * u <= cap * sum)
		{
			best_j = j;
			best_rest = sum;
		}
	}
	return (budget - (double) best_j * cap) / best_rest;
}

/*
 * SPEC's weighted split of one tier: each account gets min(level * w / scale,
 * cap), where the level makes the tier use its whole budget, the uncapped
 * accounts sharing what the cap cuts off in proportion to their weights
 * (water-filling).  weights are the tier's k positive weights (reordered).
 * Returns what the tier cannot use: all of the budget when it has no
 * positive weight (a tier whose weights are all 0 has no way to split
 * visits, so its budget flows down like an empty tier's), the surplus when
 * every positive weight is at the cap.
 */
static double
fill_tier(double budget, double cap, double *weights, int64 k,
		  double *level, double *scale)
{
	int128		total_units = 0;
	double		largest = 0;
	double		total;

	*level = 0;
	*scale = 1;
	if (k == 0)
		return budget;

	/* weights scaled by the largest are in (0, 1]: their sum cannot overflow */
	for (int64 i = 0; i < k; i++)
		largest = Max(largest, weights[i]);
	for (int64 i = 0; i < k; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		total_units += weight_units(weights[i] / largest);
	}
	*scale = largest;
	total = units_value(total_units);

	if (budget <= cap * total)
	{
		/* the largest weight stays within the cap: nobody is capped */
		*level = budget / total;
		return 0;
	}
	if (budget >= cap * (double) k)
	{
		/* every positive weight is capped: +Infinity * w is the cap */
		*level = INFINITY;
		return budget - cap * (double) k;
	}
	*level = sorted_level(budget, cap, weights, k, largest);
	return 0;
}

/* A float8 parameter, read from the partition's first row. */
static double
param_arg(WindowObject winobj, int argno, const char *name)
{
	bool		isnull;
	Datum		value = WinGetFuncArgCurrent(winobj, argno, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
	return DatumGetFloat8(value);
}

/* Reads and checks the parameters, which start at argument first. */
static void
read_params(WindowObject winobj, int first, VisitParams *params)
{
	params->capacity = param_arg(winobj, first, "capacity");
	params->share[TIER_A] = param_arg(winobj, first + 1, "a_share");
	params->share[TIER_B] = param_arg(winobj, first + 2, "b_share");
	params->share[TIER_C] = param_arg(winobj, first + 3, "c_share");
	params->max_per_account = param_arg(winobj, first + 4, "max_per_account");
	check_params(params);
}

/*
 * The tier of the row at pos, or TIER_NULL.  The mark is never moved (see
 * read_partition in window.c): the whole partition stays readable.
 */
static uint8
tier_at(FunctionCallInfo fcinfo, WindowObject winobj, int64 pos)
{
	bool		isnull;
	bool		isout;
	Datum		value = WinGetFuncArgInPartition(winobj, 0, pos, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

	return isnull ? TIER_NULL : (uint8) datum_tier(fcinfo, 0, value);
}

/*
 * A row's weight: NULL and negative weights count as 0; NaN and infinities
 * are refused.
 */
static double
weight_value(Datum value, bool isnull)
{
	double		w;

	if (isnull)
		return 0;
	w = DatumGetFloat8(value);
	if (unlikely(!isfinite(w)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be a finite number, got %s", float8out_internal(w)),
				 errdetail("Visits are split in proportion to finite weights; NULL and negative weights count as 0.")));
	return Max(w, 0);
}

/* recommended_visits: counts each tier's accounts and splits equally. */
static void
plan_partition_equal(FunctionCallInfo fcinfo, WindowObject winobj, VisitPlan *plan)
{
	int64		rows = WinGetPartitionRowCount(winobj);
	int64		accounts[TIERS] = {0, 0, 0};
	VisitParams params;

	read_params(winobj, 1, &params);
	for (int64 pos = 0; pos < rows; pos++)
	{
		uint8		tier;

		if ((pos & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		tier = tier_at(fcinfo, winobj, pos);
		if (tier != TIER_NULL)
			accounts[tier]++;
	}
	plan_equal(&params, accounts, plan->per_account);
	plan->max_per_account = params.max_per_account;
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
 * that each tier's weights are one run starting at start[tier].
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
 * recommended_visits_weighted: gathers the tier and positive weight of every
 * account, groups them by tier and water-fills the tiers from A down.  One
 * forward pass reads both arguments of each row: the second read of a row
 * steps back within the block just read, where a second pass would have to
 * step back over the whole partition first, row by row, which is slow once
 * the tuplestore has spilled to disk.  The gathered accounts live only for
 * this call.
 */
static void
plan_partition_weighted(FunctionCallInfo fcinfo, WindowObject winobj,
						VisitPlan *plan, MemoryContext mcxt)
{
	int64		rows = WinGetPartitionRowCount(winobj);
	int64		positive[TIERS] = {0, 0, 0};
	int64		start[TIERS];
	int64		n = 0;
	double	   *weights = alloc_per_value(mcxt, rows, sizeof(double));
	uint8	   *tiers = alloc_per_value(mcxt, rows, sizeof(uint8));
	double		carry = 0;
	VisitParams params;

	read_params(winobj, 2, &params);
	for (int64 pos = 0; pos < rows; pos++)
	{
		uint8		tier;
		bool		isnull;
		bool		isout;
		Datum		value;
		double		w;

		if ((pos & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		tier = tier_at(fcinfo, winobj, pos);
		if (tier == TIER_NULL)
			continue;
		value = WinGetFuncArgInPartition(winobj, 1, pos, WINDOW_SEEK_HEAD,
										 false, &isnull, &isout);
		w = weight_value(value, isnull);
		if (w > 0)
		{
			weights[n] = w;
			tiers[n++] = tier;
			positive[tier]++;
		}
	}
	group_by_tier(weights, tiers, n, start);

	for (int t = TIER_A; t <= TIER_C; t++)
		carry = fill_tier(params.capacity * params.share[t] + carry,
						  params.max_per_account, weights + start[t], positive[t],
						  &plan->level[t], &plan->scale[t]);
	plan->max_per_account = params.max_per_account;
	pfree(weights);
	pfree(tiers);
}

/*
 * recommended_visits(t, capacity, a_share, b_share, c_share, max_per_account):
 * the row's field visits a year; NULL for a NULL tier.
 */
Datum
recommended_visits_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	VisitPlan  *plan = WinGetPartitionLocalMemory(winobj, sizeof(VisitPlan));
	bool		isnull;
	Datum		tier;

	if (!plan->ready)
	{
		plan_partition_equal(fcinfo, winobj, plan);
		plan->ready = true;
	}
	tier = WinGetFuncArgCurrent(winobj, 0, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(plan->per_account[datum_tier(fcinfo, 0, tier)]);
}

/*
 * recommended_visits_weighted(t, weight, capacity, a_share, b_share, c_share,
 * max_per_account): the same, split within a tier in proportion to weight.
 */
Datum
recommended_visits_weighted_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	VisitPlan  *plan = WinGetPartitionLocalMemory(winobj, sizeof(VisitPlan));
	bool		isnull;
	Datum		value;
	Tier		tier;
	double		w;

	if (!plan->ready)
	{
		plan_partition_weighted(fcinfo, winobj, plan, GetMemoryChunkContext(plan));
		plan->ready = true;
	}
	value = WinGetFuncArgCurrent(winobj, 0, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	tier = datum_tier(fcinfo, 0, value);
	value = WinGetFuncArgCurrent(winobj, 1, &isnull);
	w = weight_value(value, isnull);
	if (w == 0)
		PG_RETURN_FLOAT8(0);
	PG_RETURN_FLOAT8(Min(plan->level[tier] * (w / plan->scale[tier]),
						 plan->max_per_account));
}

/* visit_cadence(visits_per_year): the most frequent cadence the number sustains. */
Datum
visit_cadence(PG_FUNCTION_ARGS)
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
	double		visits = PG_GETARG_FLOAT8(0);

	if (isnan(visits) || visits < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("visits_per_year must be at least 0, got %s", float8out_internal(visits)),
				 errdetail("A cadence is defined for a number of visits a year, 0 or more.")));
	for (int i = 0; i < (int) lengthof(cadences); i++)
		if (visits >= cadences[i].at_least)
			PG_RETURN_TEXT_P(cstring_to_text(cadences[i].cadence));
	PG_RETURN_TEXT_P(cstring_to_text(visits > 0 ? "less than yearly" : "service only"));
}
