/*
 * sales_totals.c — sales_totals, the aggregate the account book's views read
 * sales through: one pass over an account's sales lines gives its revenue in
 * the revenue window, its revenue in the window before, its margin and its
 * incremental revenue, each an exact sum (exact_sum.c: int128 units of
 * 10^-scale while they fit, like the value set's sums, a numeric from the
 * first line that does not fit).  Like sum(numeric), a sum of no lines is
 * NULL and shows the largest display scale it was given.
 */
#include "postgres.h"

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/date.h"

#include "exact_sum.h"
#include "module.h"
#include "state.h"

AT_FUNCTION(sales_totals_sfunc);
AT_FUNCTION(sales_totals_combine);
AT_FUNCTION(sales_totals_serialize);
AT_FUNCTION(sales_totals_deserialize);
AT_FUNCTION(sales_totals_final);

/* One of the sums: exact, and what a user sees of it. */
typedef struct SalesSum
{
	bool		any;			/* a value was added */
	int			dscale;			/* largest display scale added */
	ExactSum	sum;
} SalesSum;

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
	SalesSum	sums[NSUMS];
} SalesTotals;

/* The sum as a numeric (in the current memory context when built). */
static Numeric
sum_numeric(const SalesSum *sum)
{
	return exact_sum_numeric(&sum->sum, RADIX_DECIMAL, sum->dscale);
}

/* Adds a finite numeric datum to a sum. */
static void
sum_add(SalesSum *sum, Datum value, MemoryContext mcxt)
{
	sum->any = true;
	exact_sum_add_numeric_datum(&sum->sum, value, &sum->dscale, mcxt);
}

/* Adds one sum to another (combining partial states). */
static void
sum_add_sum(SalesSum *into, const SalesSum *from, MemoryContext mcxt)
{
	if (!from->any)
		return;
	into->dscale = Max(into->dscale, from->dscale);
	into->any = true;
	exact_sum_add_sum(&into->sum, &from->sum, RADIX_DECIMAL, into->dscale, mcxt);
}

/* Refuses a window start other than the state's: a group has one. */
static void
same_window_start(const SalesTotals *state, DateADT window_start)
{
	if (window_start != state->window_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_start must be the same for every line of a group")));
}

/* A new, empty state in the aggregate context. */
static SalesTotals *
new_totals(MemoryContext aggcontext, DateADT window_start)
{
	SalesTotals *state = MemoryContextAllocZero(aggcontext, sizeof(SalesTotals));

	state->window_start = window_start;
	return state;
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
	MemoryContext aggcontext = aggregate_memory(fcinfo, "sales_totals");
	DateADT		window_start;
	bool		in_window;

	if (PG_ARGISNULL(5))
		null_param_error("window_start");
	window_start = PG_GETARG_DATEADT(5);
	if (state == NULL)
		state = new_totals(aggcontext, window_start);
	else
		same_window_start(state, window_start);
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
	SalesTotals *from;
	MemoryContext aggcontext = aggregate_memory(fcinfo, "sales_totals");

	if (PG_ARGISNULL(1))
		return combine_first(fcinfo);
	from = (SalesTotals *) PG_GETARG_POINTER(1);
	if (into == NULL)
		into = new_totals(aggcontext, from->window_start);
	else
		same_window_start(into, from->window_start);
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

	serialize_begin(fcinfo, "sales_totals", &buf);
	pq_sendint32(&buf, state->window_start);
	for (int i = 0; i < NSUMS; i++)
		state_send_optional_numeric(&buf, state->sums[i].any ?
									sum_numeric(&state->sums[i]) : NULL);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Reads a state written by sales_totals_serialize, checking every length
 * and value: a date (or infinity) for the window start, a flag of 0 or 1 for
 * each sum, finite numerics in numeric.c's format, nothing after the last.
 */
Datum
sales_totals_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcontext = aggregate_memory(fcinfo, "sales_totals");
	SalesTotals *state;
	StringInfoData buf;

	state_reader(bytes, &buf);
	state_need(&buf, 4);
	state = new_totals(aggcontext, pq_getmsgint(&buf, 4));
	if (!DATE_NOT_FINITE(state->window_start) && !IS_VALID_DATE(state->window_start))
		invalid_state("The window start is not a date.");
	for (int i = 0; i < NSUMS; i++)
	{
		Numeric		sum = state_optional_numeric(&buf, CurrentMemoryContext, "A sum");

		if (sum != NULL)
			sum_add(&state->sums[i], NumericGetDatum(sum), aggcontext);
	}
	state_end(&buf);
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
