/*
 * window.c — the window functions of tiers and shares: on a partition's
 * first row, read it whole, apply a definition of tiers.c or shares.c and
 * store every row's answer; then answer each row by its position.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "module.h"
#include "shares.h"

AT_FUNCTION(pareto_share_window);
AT_FUNCTION(abc_tier_window);
AT_FUNCTION(abc_tier_by_count_window);
AT_FUNCTION(abc_tier_computed_window);

/*
 * What one partition computes on its first row (zeroed at partition start):
 * every row's answer, so that later rows are answered by position alone.
 */
typedef struct PartitionState
{
	bool		ready;			/* the answers are computed */
	bool		has_shares;		/* pareto_share: T > 0 */
	uint8	   *tier_by_row;	/* abc_tier*: each row's Tier, or TIER_NULL */
	double	   *share_by_row;	/* pareto_share: each row's share, NaN for
								 * NULL */
} PartitionState;

/*
 * Reads every non-NULL value of the partition, with its row position, into
 * a value set in the partition's memory.  The mark is never moved: moving
 * it for each row would make a tuplestore spilled to disk seek between its
 * read pointers twice a row.  Each row's argument is evaluated in a context
 * emptied after the row (an expression such as v * 1.1 allocates its
 * result), so that reading n rows holds only what the set keeps.
 */
static void
read_partition(FunctionCallInfo fcinfo, WindowObject winobj, ValueSet *vs,
			   MemoryContext mcxt)
{
	int64		rows = WinGetPartitionRowCount(winobj);
	MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext,
												  "account_tier row",
												  ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(row_cxt);

	vs_init(vs, value_radix_of_arg(fcinfo, 0), mcxt, rows);
	vs_track_rows(vs);
	for (int64 pos = 0; pos < rows; pos++)
	{
		bool		isnull;
		bool		isout;
		Datum		value = WinGetFuncArgInPartition(winobj, 0, pos, WINDOW_SEEK_HEAD,
													 false, &isnull, &isout);

		if ((pos & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!isnull)
			vs_add_row(vs, value, pos);
		MemoryContextReset(row_cxt);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(row_cxt);
}

/* abc_tier, abc_tier_by_count and abc_tier_computed: the row's tier within its partition. */
static Datum
tier_window(FunctionCallInfo fcinfo, SplitMethod method)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PartitionState *ps = WinGetPartitionLocalMemory(winobj, sizeof(PartitionState));
	uint8		tier;

	if (!ps->ready)
	{
		MemoryContext mcxt = GetMemoryChunkContext(ps);
		Numeric		a = NULL;
		Numeric		b = NULL;
		int64		rows = WinGetPartitionRowCount(winobj);
		ValueSet	vs;

		if (method != SPLIT_COMPUTED)
		{
			a = DatumGetNumeric(window_param(winobj, 1, "threshold a"));
			b = DatumGetNumeric(window_param(winobj, 2, "threshold b"));
			check_thresholds(a, b);
		}
		ps->tier_by_row = alloc_per_value(mcxt, rows, sizeof(uint8));
		memset(ps->tier_by_row, TIER_NULL, rows);
		read_partition(fcinfo, winobj, &vs, mcxt);
		tiers_by_row(&vs, split_tiers(&vs, method, a, b, NULL), ps->tier_by_row);
		vs_release(&vs);
		ps->ready = true;
	}
	tier = ps->tier_by_row[WinGetCurrentPosition(winobj)];
	if (tier == TIER_NULL)
		PG_RETURN_NULL();
	return tier_datum(fcinfo, (Tier) tier);
}

/* abc_tier(value, a, b): tiers by share of value. */
AT_DEFINE_AS(abc_tier_window, tier_window, SPLIT_BY_VALUE);

/* abc_tier_by_count(value, a, b): tiers by share of accounts. */
AT_DEFINE_AS(abc_tier_by_count_window, tier_window, SPLIT_BY_COUNT);

/* abc_tier_computed(value): tiers whose limits come from the data. */
AT_DEFINE_AS(abc_tier_computed_window, tier_window, SPLIT_COMPUTED);

/* pareto_share(value): cum(G)/T of the row's tie group. */
Datum
pareto_share_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PartitionState *ps = WinGetPartitionLocalMemory(winobj, sizeof(PartitionState));
	double		share;

	if (!ps->ready)
	{
		MemoryContext mcxt = GetMemoryChunkContext(ps);
		int64		rows = WinGetPartitionRowCount(winobj);
		ValueSet	vs;

		ps->share_by_row = alloc_per_value(mcxt, rows, sizeof(double));
		for (int64 pos = 0; pos < rows; pos++)
			ps->share_by_row[pos] = NAN;
		read_partition(fcinfo, winobj, &vs, mcxt);
		ps->has_shares = pareto_shares_by_row(&vs, ps->share_by_row);
		vs_release(&vs);
		ps->ready = true;
	}
	share = ps->share_by_row[WinGetCurrentPosition(winobj)];
	if (!ps->has_shares || isnan(share))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(share);
}
