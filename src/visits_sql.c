/*
 * visits_sql.c — the SQL functions of visit planning: the window functions
 * recommended_visits and recommended_visits_weighted, which read a
 * partition's tiers (and weights) on its first row and plan it with
 * visits.c, and the scalar visit_cadence.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "module.h"
#include "visits.h"

AT_FUNCTION(recommended_visits_window);
AT_FUNCTION(recommended_visits_weighted_window);
AT_FUNCTION(visit_cadence);

/* What one partition computes on its first row (zeroed at partition start). */
typedef struct VisitPlan
{
	bool		ready;			/* the plan is computed */
	TierPlan	tier[TIERS];
} VisitPlan;

/* A float8 parameter, read from the partition's first row. */
static double
param_arg(WindowObject winobj, int argno, const char *name)
{
	return DatumGetFloat8(window_param(winobj, argno, name));
}

/*
 * Reads and checks the parameters, which start at argument first: capacity,
 * the three shares, the cap and, where the function is declared with them
 * (the weighted form since 1.3), the three floors.
 */
static void
read_params(FunctionCallInfo fcinfo, WindowObject winobj, int first, VisitParams *params)
{
	params->capacity = param_arg(winobj, first, "capacity");
	for (int t = TIER_A; t <= TIER_C; t++)
		params->share[t] = param_arg(winobj, first + 1 + t, visit_share_names[t]);
	params->max_per_account = param_arg(winobj, first + 4, "max_per_account");
	for (int t = TIER_A; t <= TIER_C; t++)
		params->floor[t] = PG_NARGS() > first + 5 + t ?
			param_arg(winobj, first + 5 + t, visit_floor_names[t]) : 0;
	check_visit_params(params);
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
	check_finite_float8("weight", w);
	return Max(w, 0);
}

/* recommended_visits: counts each tier's accounts. */
static void
plan_partition_equal(FunctionCallInfo fcinfo, WindowObject winobj, VisitPlan *plan)
{
	int64		rows = WinGetPartitionRowCount(winobj);
	int64		accounts[TIERS] = {0, 0, 0};
	VisitParams params;

	read_params(fcinfo, winobj, 1, &params);
	for (int64 pos = 0; pos < rows; pos++)
	{
		uint8		tier;

		if ((pos & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		tier = tier_at(fcinfo, winobj, pos);
		if (tier != TIER_NULL)
			accounts[tier]++;
	}
	plan_equal(&params, accounts, plan->tier);
}

/*
 * recommended_visits_weighted: counts each tier's accounts and gathers the
 * tier and positive weight of every account.  One forward pass reads both
 * arguments of each row: the second read of a row steps back within the
 * block just read, where a second pass would have to step back over the
 * whole partition first, row by row, which is slow once the tuplestore has
 * spilled to disk.  The gathered accounts live only for this call.
 */
static void
plan_partition_weighted(FunctionCallInfo fcinfo, WindowObject winobj,
						VisitPlan *plan, MemoryContext mcxt)
{
	int64		rows = WinGetPartitionRowCount(winobj);
	int64		accounts[TIERS] = {0, 0, 0};
	int64		n = 0;
	double	   *weights = alloc_per_value(mcxt, rows, sizeof(double));
	uint8	   *tiers = alloc_per_value(mcxt, rows, sizeof(uint8));
	VisitParams params;

	read_params(fcinfo, winobj, 2, &params);
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
		accounts[tier]++;
		value = WinGetFuncArgInPartition(winobj, 1, pos, WINDOW_SEEK_HEAD,
										 false, &isnull, &isout);
		w = weight_value(value, isnull);
		if (w > 0)
		{
			weights[n] = w;
			tiers[n++] = tier;
		}
	}
	plan_weighted(&params, accounts, weights, tiers, n, plan->tier);
	pfree(weights);
	pfree(tiers);
}

/*
 * The plan of the current row's partition, made on its first row; NULL for
 * a row whose tier is NULL, else that tier's plan.
 */
static const TierPlan *
row_plan(FunctionCallInfo fcinfo, bool weighted)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	VisitPlan  *plan = WinGetPartitionLocalMemory(winobj, sizeof(VisitPlan));
	bool		isnull;
	Datum		tier;

	if (!plan->ready)
	{
		if (weighted)
			plan_partition_weighted(fcinfo, winobj, plan, GetMemoryChunkContext(plan));
		else
			plan_partition_equal(fcinfo, winobj, plan);
		plan->ready = true;
	}
	tier = WinGetFuncArgCurrent(winobj, 0, &isnull);
	if (isnull)
		return NULL;
	return &plan->tier[datum_tier(fcinfo, 0, tier)];
}

/*
 * recommended_visits(t, capacity, a_share, b_share, c_share, max_per_account):
 * the row's field visits a year; NULL for a NULL tier.
 */
Datum
recommended_visits_window(PG_FUNCTION_ARGS)
{
	const TierPlan *plan = row_plan(fcinfo, false);

	if (plan == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(tier_visits(plan, EQUAL_WEIGHT));
}

/*
 * recommended_visits_weighted(t, weight, capacity, a_share, b_share, c_share,
 * max_per_account, min_a, min_b, min_c): the same, split within a tier in
 * proportion to weight, between the tier's floor and the cap.
 */
Datum
recommended_visits_weighted_window(PG_FUNCTION_ARGS)
{
	const TierPlan *plan = row_plan(fcinfo, true);
	bool		isnull;
	Datum		weight;

	if (plan == NULL)
		PG_RETURN_NULL();
	weight = WinGetFuncArgCurrent(PG_WINDOW_OBJECT(), 1, &isnull);
	PG_RETURN_FLOAT8(tier_visits(plan, weight_value(weight, isnull)));
}

/* visit_cadence(visits_per_year): the most frequent cadence the number sustains. */
Datum
visit_cadence(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(visit_cadence_of(PG_GETARG_FLOAT8(0))));
}
