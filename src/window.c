/*
 * window.c — the window functions: read the whole partition once, apply a
 * definition of tiers.c, then answer each row from that result.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "classify.h"
#include "tiers.h"
#include "values.h"

PG_FUNCTION_INFO_V1(pareto_share_window);
PG_FUNCTION_INFO_V1(abc_tier_window);
PG_FUNCTION_INFO_V1(abc_tier_by_count_window);

/* What one partition computes on its first row; zeroed at partition start. */
typedef struct PartitionState
{
	bool		ready;			/* values read and the result computed */
	ValueSet	vs;				/* the partition's non-NULL values */
	TierSplit	split;			/* tier functions: where A and B end */
	bool		has_shares;		/* pareto_share: T > 0 */
	double	   *share_by_row;	/* pareto_share: each row's result, NaN for
								 * NULL */
} PartitionState;

/*
 * Reads every value of the partition into a value set owned by the
 * partition's memory; with null_rows, marks the rows of NULL values there
 * (and the set tracks rows).  Later rows are answered without reading back:
 * the mark is never moved, because moving it for each row would make a
 * tuplestore spilled to disk seek between its read pointers twice a row.
 */
static void
read_partition(FunctionCallInfo fcinfo, WindowObject winobj, PartitionState *ps,
			   double *null_rows)
{
	int64		rows = WinGetPartitionRowCount(winobj);

	vs_init(&ps->vs, value_radix_of_arg(fcinfo, 0), GetMemoryChunkContext(ps), rows);
	if (null_rows != NULL)
		vs_track_rows(&ps->vs);
	for (int64 pos = 0; pos < rows; pos++)
	{
		bool		isnull;
		bool		isout;
		Datum		value = WinGetFuncArgInPartition(winobj, 0, pos, WINDOW_SEEK_HEAD,
													 false, &isnull, &isout);

		if ((pos & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (isnull)
		{
			if (null_rows != NULL)
				null_rows[pos] = NAN;
		}
		else if (null_rows != NULL)
			vs_add_row(&ps->vs, value, pos);
		else
			vs_add_datum(&ps->vs, value);
	}
}

/* A threshold argument, read from the partition's first row. */
static Numeric
threshold_arg(WindowObject winobj, int argno, const char *name)
{
	bool		isnull;
	Datum		value = WinGetFuncArgCurrent(winobj, argno, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("threshold %s must not be null", name)));
	return DatumGetNumeric(value);
}

/* The current row's value probed against the partition's set; false for NULL. */
static bool
current_value(WindowObject winobj, const PartitionState *ps, VsProbe *probe)
{
	bool		isnull;
	Datum		value = WinGetFuncArgCurrent(winobj, 0, &isnull);

	if (isnull)
		return false;
	vs_probe(&ps->vs, value, probe);
	return true;
}

/* abc_tier and abc_tier_by_count: the row's tier within its partition. */
static Datum
tier_window(FunctionCallInfo fcinfo, SplitMethod method)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PartitionState *ps = WinGetPartitionLocalMemory(winobj, sizeof(PartitionState));
	VsProbe		probe;

	if (!ps->ready)
	{
		Numeric		a = threshold_arg(winobj, 1, "a");
		Numeric		b = threshold_arg(winobj, 2, "b");

		check_thresholds(a, b);
		read_partition(fcinfo, winobj, ps, NULL);
		ps->split = split_tiers(&ps->vs, method, a, b);
		ps->ready = true;
	}
	if (!current_value(winobj, ps, &probe))
		PG_RETURN_NULL();
	return tier_datum(fcinfo, tier_of_probe(&ps->vs, ps->split, &probe));
}

/* abc_tier(value, a, b): tiers by share of value. */
Datum
abc_tier_window(PG_FUNCTION_ARGS)
{
	return tier_window(fcinfo, SPLIT_BY_VALUE);
}

/* abc_tier_by_count(value, a, b): tiers by share of accounts. */
Datum
abc_tier_by_count_window(PG_FUNCTION_ARGS)
{
	return tier_window(fcinfo, SPLIT_BY_COUNT);
}

/*
 * pareto_share(value): cum(G)/T of the row's tie group.  Every row's share
 * is computed on the first row, so later rows are answered by their
 * position alone.
 */
Datum
pareto_share_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PartitionState *ps = WinGetPartitionLocalMemory(winobj, sizeof(PartitionState));
	double		share;

	if (!ps->ready)
	{
		ps->share_by_row = alloc_per_value(GetMemoryChunkContext(ps),
										   WinGetPartitionRowCount(winobj),
										   sizeof(double));
		read_partition(fcinfo, winobj, ps, ps->share_by_row);
		ps->has_shares = pareto_shares_by_row(&ps->vs, ps->share_by_row);
		vs_release(&ps->vs);
		ps->ready = true;
	}
	share = ps->share_by_row[WinGetCurrentPosition(winobj)];
	if (!ps->has_shares || isnan(share))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(share);
}
