/*
 * book.c — sales_totals, the aggregate the account book's views read sales
 * through: one pass over an account's sales lines gives its revenue in the
 * revenue window, its revenue in the window before, its margin and its
 * incremental revenue, each an exact sum.
 *
 * A sum is kept in int128 units of 10^-scale while it fits, like the value
 * set's items, and as a numeric from the first line that does not fit.  Like
 * sum(numeric), a sum of no lines is NULL and shows the largest display
 * scale it was given.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "decode.h"

PG_FUNCTION_INFO_V1(sales_totals_sfunc);
PG_FUNCTION_INFO_V1(sales_totals_combine);
PG_FUNCTION_INFO_V1(sales_totals_serialize);
PG_FUNCTION_INFO_V1(sales_totals_deserialize);
PG_FUNCTION_INFO_V1(sales_totals_final);

typedef struct ExactSum
{
	bool		any;			/* a value was added */
	int			dscale;			/* largest display scale added */
	int			scale;			/* units count 10^-scale */
	int128		units;
	Numeric		wide;			/* the sum, once the units overflowed; else
								 * NULL */
} ExactSum;

/* The sums, in the order of the result type's fields. */
enum
{
	REVENUE,
	PRIOR_REVENUE,
	MARGIN,
	INCREMENTAL_REVENUE,
	NSUMS
};

typedef struct SalesTotals
{
	DateADT		window_start;	/* lines after it are in the revenue window */
	ExactSum	sums[NSUMS];
} SalesTotals;

/* The aggregate's memory context; refuses calls outside an aggregate. */
static MemoryContext
totals_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sales_totals called in non-aggregate context");
	return aggcontext;
}

/* The sum as a numeric (in the current memory context when built). */
static Numeric
sum_numeric(const ExactSum *sum)
{
	if (sum->wide != NULL)
		return sum->wide;
	return decimal_units_numeric(sum->units, sum->scale, sum->dscale);
}

/* Adds units of 10^-scale in int128; false, leaving the sum, on overflow. */
static bool
add_fixed(ExactSum *sum, int128 units, int scale)
{
	int128		factor;
	int128		aligned = sum->units;

	if (scale > sum->scale)
	{
		if (!scale_factor(RADIX_DECIMAL, scale - sum->scale, &factor) ||
			!mul_units(aligned, factor, &aligned))
			return false;
	}
	else if (scale < sum->scale)
	{
		if (!scale_factor(RADIX_DECIMAL, sum->scale - scale, &factor) ||
			!mul_units(units, factor, &units))
			return false;
	}
	if (__builtin_add_overflow(aligned, units, &aligned))
		return false;
	sum->units = aligned;
	sum->scale = Max(scale, sum->scale);
	return true;
}

/* Adds a numeric to a sum kept as a numeric in `mcxt'. */
static void
add_wide(ExactSum *sum, Numeric value, MemoryContext mcxt)
{
	Numeric		total = numeric_add_opt_error(sum_numeric(sum), value, NULL);
	Numeric		kept = MemoryContextAlloc(mcxt, VARSIZE(total));

	memcpy(kept, total, VARSIZE(total));
	if (sum->wide != NULL)
		pfree(sum->wide);
	sum->wide = kept;
}

/* Adds a finite numeric datum to a sum. */
static void
sum_add(ExactSum *sum, Datum value, MemoryContext mcxt)
{
	struct varlena *packed = packed_varlena(value);
	int128		units;
	int			scale;

	check_finite_packed(value, packed);
	sum->any = true;
	sum->dscale = Max(sum->dscale, numeric_dscale(packed));
	if (sum->wide == NULL && numeric_units(packed, &units, &scale) &&
		add_fixed(sum, units, scale))
		return;
	add_wide(sum, DatumGetNumeric(value), mcxt);
}

/* Adds one sum to another (combining partial states). */
static void
sum_add_sum(ExactSum *into, const ExactSum *from, MemoryContext mcxt)
{
	if (!from->any)
		return;
	into->dscale = Max(into->dscale, from->dscale);
	into->any = true;
	if (into->wide == NULL && from->wide == NULL &&
		add_fixed(into, from->units, from->scale))
		return;
	add_wide(into, sum_numeric(from), mcxt);
}

/*
 * Transition: (state, booked_on, amount, margin, incremental, window_start).
 * A line without a date, or NULL amounts and margins, add nothing; the
 * window start is read from the first line and must not change.
 */
Datum
sales_totals_sfunc(PG_FUNCTION_ARGS)
{
	SalesTotals *state = PG_ARGISNULL(0) ? NULL : (SalesTotals *) PG_GETARG_POINTER(0);
	MemoryContext aggcontext = totals_context(fcinfo);
	DateADT		window_start;
	bool		in_window;

	if (PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_start must not be null")));
	window_start = PG_GETARG_DATEADT(5);
	if (state == NULL)
	{
		state = MemoryContextAllocZero(aggcontext, sizeof(SalesTotals));
		state->window_start = window_start;
	}
	else if (window_start != state->window_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_start must be the same for every line of a group")));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(state);

	in_window = PG_GETARG_DATEADT(1) > window_start;
	if (!PG_ARGISNULL(2))
	{
		Datum		amount = PG_GETARG_DATUM(2);

		sum_add(&state->sums[in_window ? REVENUE : PRIOR_REVENUE], amount, aggcontext);
		if (in_window && !PG_ARGISNULL(4) && PG_GETARG_BOOL(4))
			sum_add(&state->sums[INCREMENTAL_REVENUE], amount, aggcontext);
	}
	if (in_window && !PG_ARGISNULL(3))
		sum_add(&state->sums[MARGIN], PG_GETARG_DATUM(3), aggcontext);
	PG_RETURN_POINTER(state);
}

/* Combines two partial states of one group. */
Datum
sales_totals_combine(PG_FUNCTION_ARGS)
{
	SalesTotals *into = PG_ARGISNULL(0) ? NULL : (SalesTotals *) PG_GETARG_POINTER(0);
	SalesTotals *from = PG_ARGISNULL(1) ? NULL : (SalesTotals *) PG_GETARG_POINTER(1);
	MemoryContext aggcontext = totals_context(fcinfo);

	if (from == NULL)
	{
		if (into == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(into);
	}
	if (into == NULL)
	{
		into = MemoryContextAllocZero(aggcontext, sizeof(SalesTotals));
		into->window_start = from->window_start;
	}
	else if (into->window_start != from->window_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_start must be the same for every line of a group")));
	for (int i = 0; i < NSUMS; i++)
		sum_add_sum(&into->sums[i], &from->sums[i], aggcontext);
	PG_RETURN_POINTER(into);
}

/* Serializes a state: the window start, then each sum as an optional numeric. */
Datum
sales_totals_serialize(PG_FUNCTION_ARGS)
{
	SalesTotals *state = (SalesTotals *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	(void) totals_context(fcinfo);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, state->window_start);
	for (int i = 0; i < NSUMS; i++)
	{
		pq_sendbyte(&buf, state->sums[i].any);
		if (state->sums[i].any)
		{
			Numeric		num = sum_numeric(&state->sums[i]);

			pq_sendint32(&buf, VARSIZE(num));
			pq_sendbytes(&buf, (char *) num, VARSIZE(num));
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Reports a malformed serialized state. */
static void
bad_state(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("invalid sales_totals aggregate state")));
}

/* Reads a state written by sales_totals_serialize, checking every length. */
Datum
sales_totals_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcontext = totals_context(fcinfo);
	SalesTotals *state = MemoryContextAllocZero(aggcontext, sizeof(SalesTotals));
	StringInfoData buf;

	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;

	if (buf.len < 4)
		bad_state();
	state->window_start = pq_getmsgint(&buf, 4);
	for (int i = 0; i < NSUMS; i++)
	{
		int32		size;
		Numeric		num;

		if (buf.len - buf.cursor < 1)
			bad_state();
		if (!pq_getmsgbyte(&buf))
			continue;
		if (buf.len - buf.cursor < 4)
			bad_state();
		size = pq_getmsgint(&buf, 4);
		if (size < (int32) (VARHDRSZ + sizeof(uint16)) || size > buf.len - buf.cursor)
			bad_state();
		num = palloc(size);
		memcpy(num, pq_getmsgbytes(&buf, size), size);
		if (VARSIZE(num) != (uint32) size || !numeric_well_formed((struct varlena *) num))
			bad_state();
		sum_add(&state->sums[i], NumericGetDatum(num), aggcontext);
	}
	if (buf.cursor != buf.len)
		bad_state();
	PG_RETURN_POINTER(state);
}

/*
 * The result: (revenue, prior_revenue, margin, incremental_revenue), each
 * NULL when no line added to it.  The result's tuple descriptor is built
 * once per call site.
 */
Datum
sales_totals_final(PG_FUNCTION_ARGS)
{
	SalesTotals *state = PG_ARGISNULL(0) ? NULL : (SalesTotals *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	Datum		values[NSUMS];
	bool		nulls[NSUMS];

	if (state == NULL)
		PG_RETURN_NULL();
	if (tupdesc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "sales_totals must return a composite type");
		tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = tupdesc;
	}
	for (int i = 0; i < NSUMS; i++)
	{
		nulls[i] = !state->sums[i].any;
		values[i] = nulls[i] ? (Datum) 0 : NumericGetDatum(sum_numeric(&state->sums[i]));
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
