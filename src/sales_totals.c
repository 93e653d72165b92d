/*
 * sales_totals.c — sales_totals, the aggregate the account book's views read
 * sales through: one pass over an account's sales lines gives its revenue in
 * the revenue window, its revenue in the window before, its margin and its
 * incremental revenue, each an exact sum (exact_sum.c: int128 units of
 * 10^-scale while they fit, like the value set's sums, a numeric from the
 * first line that does not fit).  Like sum(numeric), a sum of no lines is
 * NULL and shows the largest display scale it was given.  Its state,
 * account_tier.sales_totals_state, is one flat datum, changed in place.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "exact_sum.h"
#include "module.h"
#include "state.h"

AT_FUNCTION(sales_totals_sfunc);
AT_FUNCTION(sales_totals_combine);
AT_FUNCTION(sales_totals_final);
AT_FUNCTION(sales_totals_state_in);
AT_FUNCTION(sales_totals_state_out);
AT_FUNCTION(sales_totals_state_recv);
AT_FUNCTION(sales_totals_state_send);

/* The sums, in the order of the result type's fields. */
enum
{
	REVENUE,
	PRIOR_REVENUE,
	MARGIN,
	INCREMENTAL_REVENUE,
	NSUMS
};

static const char *const sum_names[NSUMS] = {
	"revenue", "prior_revenue", "margin", "incremental_revenue"
};

/* One of the sums: exact, and what a user sees of it. */
typedef struct SalesSum
{
	bool		any;			/* a value was added */
	int			dscale;			/* largest display scale added */
	ExactSum	sum;
} SalesSum;

/*
 * The state.  A sum of 1,000,000 accounts' groups is one small datum each,
 * no memory context of its own: a flat varlena of fixed size while every
 * sum fits its int128 units, which the transition and combine functions
 * change in place (the aggregate's own transition value is theirs to
 * change).  A sum that no longer fits is "wide": a numeric after the fixed
 * part (each wide sum's length, then its bytes, in the order of the sums),
 * and each change of it makes a new state.  The flat form is written as the
 * server holds it, so it starts with the format's version and the byte
 * order (state.h), and has no padding the compiler chooses.
 */
typedef struct FlatSum
{
	int128		units;			/* the sum in units of 10^-scale, 0 when wide */
	int16		scale;			/* 0 when wide */
	int16		dscale;
	uint8		any;
	uint8		wide;
	uint8		unused[2];
} FlatSum;

typedef struct TotalsState
{
	int32		vl_len_;
	uint8		version;
	uint8		byte_order;
	uint8		unused[2];
	DateADT		window_start;	/* lines after it are in the revenue window */
	uint8		unused2[4];
	FlatSum		sums[NSUMS];
	/* the wide sums' numerics follow */
} TotalsState;

StaticAssertDecl(sizeof(FlatSum) == 24 && offsetof(TotalsState, sums) == 16 &&
				 sizeof(TotalsState) == 16 + NSUMS * 24,
				 "the flat sales_totals state has no padding");

/* The state with every sum unpacked: wide sums as numerics. */
typedef struct SalesTotals
{
	DateADT		window_start;
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
sum_add(SalesSum *sum, Datum value)
{
	sum->any = true;
	exact_sum_add_numeric_datum(&sum->sum, value, &sum->dscale, CurrentMemoryContext);
}

/* Adds one sum to another (combining states). */
static void
sum_add_sum(SalesSum *into, const SalesSum *from)
{
	if (!from->any)
		return;
	into->dscale = Max(into->dscale, from->dscale);
	into->any = true;
	exact_sum_add_sum(&into->sum, &from->sum, RADIX_DECIMAL, into->dscale,
					  CurrentMemoryContext);
}

/* Where a state's wide sums begin. */
static inline const char *
wide_sums(const TotalsState *state)
{
	return (const char *) state + sizeof(TotalsState);
}

/* Points a reader at the wide sums of a state. */
static void
wide_reader(StateReader *r, const TotalsState *state, int sqlstate)
{
	state_reader(r, wide_sums(state), VARSIZE(state) - sizeof(TotalsState), sqlstate);
}

/*
 * Sum i of a state.  A wide sum's numeric is a copy in the current memory
 * context: exact_sum_add_numeric frees the numeric it replaces.
 */
static void
totals_get(const TotalsState *state, int i, SalesSum *sum)
{
	const FlatSum *flat = &state->sums[i];

	sum->any = flat->any;
	sum->dscale = flat->dscale;
	sum->sum.units = flat->units;
	sum->sum.scale = flat->scale;
	sum->sum.wide = NULL;
	if (flat->wide)
	{
		StateReader r;

		wide_reader(&r, state, ERRCODE_DATA_EXCEPTION);
		for (int j = 0; j < i; j++)
			if (state->sums[j].wide)
				(void) state_numeric_copy(&r, CurrentMemoryContext, "A sum");
		sum->sum.wide = state_numeric_copy(&r, CurrentMemoryContext, "A sum");
	}
}

/*
 * Where a new state is made.  The state has a type of its own since 1.3: in
 * the current memory context, from which PostgreSQL copies it into the
 * aggregate context.  A database still at 1.2 (until ALTER EXTENSION ...
 * UPDATE) runs its sales_totals, whose state was internal and is never
 * copied, with this library: in the aggregate context itself then.
 */
static MemoryContext
new_state_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext = aggregate_memory(fcinfo, "sales_totals");

	return arg_type(fcinfo, 0) == INTERNALOID ? aggcontext : CurrentMemoryContext;
}

/* A new state of `totals', in `mcxt'. */
static TotalsState *
totals_pack(const SalesTotals *totals, MemoryContext mcxt)
{
	Size		size = sizeof(TotalsState);
	TotalsState *state;
	StateWriter w;

	for (int i = 0; i < NSUMS; i++)
		if (totals->sums[i].sum.wide != NULL)
			size += state_numeric_size(totals->sums[i].sum.wide);
	state = MemoryContextAllocZero(mcxt, size);
	SET_VARSIZE(state, size);
	state->version = STATE_VERSION;
	state->byte_order = STATE_BYTE_ORDER;
	state->window_start = totals->window_start;
	state_writer(&w, state + 1, size - sizeof(TotalsState));
	for (int i = 0; i < NSUMS; i++)
	{
		const SalesSum *sum = &totals->sums[i];
		FlatSum    *flat = &state->sums[i];

		flat->any = sum->any;
		flat->dscale = sum->dscale;
		flat->wide = sum->sum.wide != NULL;
		if (flat->wide)
			state_put_numeric(&w, sum->sum.wide);
		else
		{
			flat->units = sum->sum.units;
			flat->scale = sum->sum.scale;
		}
	}
	state_put_end(&w);
	return state;
}

/* A new state without sums. */
static TotalsState *
totals_new(FunctionCallInfo fcinfo, DateADT window_start)
{
	SalesTotals totals;

	memset(&totals, 0, sizeof(totals));
	totals.window_start = window_start;
	return totals_pack(&totals, new_state_context(fcinfo));
}

/*
 * A new state of `totals' replacing `state': PostgreSQL frees a state it
 * copied; one made in the aggregate context (see new_state_context) is
 * freed here.
 */
static TotalsState *
totals_replace(FunctionCallInfo fcinfo, TotalsState *state, const SalesTotals *totals)
{
	MemoryContext mcxt = new_state_context(fcinfo);
	TotalsState *replaced = totals_pack(totals, mcxt);

	if (mcxt != CurrentMemoryContext)
		pfree(state);
	return replaced;
}

/*
 * Sets sum i of a state: in place while it fits its units and was not wide,
 * else in a new state, which replaces it.  Returns the state.
 */
static TotalsState *
totals_set(FunctionCallInfo fcinfo, TotalsState *state, int i, const SalesSum *sum)
{
	FlatSum    *flat = &state->sums[i];
	SalesTotals totals;

	if (sum->sum.wide == NULL && !flat->wide)
	{
		flat->any = sum->any;
		flat->dscale = sum->dscale;
		flat->units = sum->sum.units;
		flat->scale = sum->sum.scale;
		return state;
	}
	totals.window_start = state->window_start;
	for (int j = 0; j < NSUMS; j++)
	{
		if (j == i)
			totals.sums[j] = *sum;
		else
			totals_get(state, j, &totals.sums[j]);
	}
	return totals_replace(fcinfo, state, &totals);
}

/* Adds a finite numeric datum to sum i of a state; returns the state. */
static TotalsState *
totals_add(FunctionCallInfo fcinfo, TotalsState *state, int i, Datum value)
{
	SalesSum	sum;

	totals_get(state, i, &sum);
	sum_add(&sum, value);
	return totals_set(fcinfo, state, i, &sum);
}

/* Refuses a window start other than the state's: a group has one. */
static void
same_window_start(const TotalsState *state, DateADT window_start)
{
	if (window_start != state->window_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_start must be the same for every line of a group")));
}

/*
 * A state as a plain, aligned varlena, whose fields can be read and written
 * in place: the datum itself when it is one (the aggregate's own state
 * always is: the functions below make it so), else a copy.
 */
static TotalsState *
aligned_totals(Datum datum)
{
	struct varlena *flat = (struct varlena *) DatumGetPointer(datum);
	struct varlena *copy;

	if (VARATT_IS_4B_U(flat) && (uintptr_t) flat % MAXIMUM_ALIGNOF == 0)
		return (TotalsState *) flat;
	flat = pg_detoast_datum_packed(flat);
	copy = palloc(VARSIZE_ANY_EXHDR(flat) + VARHDRSZ);
	SET_VARSIZE(copy, VARSIZE_ANY_EXHDR(flat) + VARHDRSZ);
	memcpy(VARDATA(copy), VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat));
	return (TotalsState *) copy;
}

/* Refuses bytes of a state that must be zero and are not. */
static void
check_zero(StateReader *r, const uint8 *bytes, int n)
{
	for (int i = 0; i < n; i++)
		if (bytes[i] != 0)
			invalid_state(r->sqlstate, "The state has a byte that must be 0 and is not.");
}

/*
 * A state to read, checked, refused with `sqlstate' when malformed: a
 * version and byte order this code reads, a window start that is a date
 * (or infinity), each sum's flags 0 or 1, scales numeric can have, nothing
 * in a sum without values nor in the units of a wide one, unused bytes 0;
 * then a finite numeric for each wide sum, and nothing after them.
 */
static TotalsState *
checked_totals(Datum datum, int sqlstate)
{
	TotalsState *state = aligned_totals(datum);
	StateReader r;

	state_reader(&r, VARDATA(state), VARSIZE(state) - VARHDRSZ, sqlstate);
	state_begin(&r);
	state_need(&r, sizeof(TotalsState) - VARHDRSZ - 2);
	check_zero(&r, state->unused, sizeof(state->unused));
	check_zero(&r, state->unused2, sizeof(state->unused2));
	if (!DATE_NOT_FINITE(state->window_start) && !IS_VALID_DATE(state->window_start))
		invalid_state(sqlstate, "The window start is not a date.");
	for (int i = 0; i < NSUMS; i++)
	{
		const FlatSum *sum = &state->sums[i];

		check_zero(&r, sum->unused, sizeof(sum->unused));
		if (sum->any > 1 || sum->wide > 1)
			invalid_state(sqlstate, "A sum has a flag neither 0 nor 1.");
		if (sum->scale < 0 || sum->scale > MAX_DECIMAL_SCALE ||
			sum->dscale < 0 || sum->dscale > MAX_DECIMAL_SCALE)
			invalid_state(sqlstate, "A sum's scale is out of range.");
		if ((!sum->any && (sum->wide || sum->units != 0 || sum->scale != 0 || sum->dscale != 0)) ||
			(sum->wide && (sum->units != 0 || sum->scale != 0)))
			invalid_state(sqlstate, "A sum without values, or a wide sum, has units.");
	}
	wide_reader(&r, state, sqlstate);
	for (int i = 0; i < NSUMS; i++)
		if (state->sums[i].wide)
			(void) state_numeric_copy(&r, CurrentMemoryContext, "A sum");
	state_end(&r);
	return state;
}

/*
 * Transition: (state, booked_on, amount, margin, incremental, window_start).
 * A line without a date, or NULL amounts and margins, add nothing; the
 * window start is read from the first line and must not change.  A new
 * state is made in the current memory context: PostgreSQL copies it into
 * the aggregate context.
 */
Datum
sales_totals_sfunc(PG_FUNCTION_ARGS)
{
	TotalsState *state;
	DateADT		window_start;
	bool		in_window;

	(void) aggregate_memory(fcinfo, "sales_totals");
	if (PG_ARGISNULL(5))
		null_param_error("window_start");
	window_start = PG_GETARG_DATEADT(5);
	if (PG_ARGISNULL(0))
		state = totals_new(fcinfo, window_start);
	else
	{
		state = aligned_totals(PG_GETARG_DATUM(0));
		same_window_start(state, window_start);
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(state);

	in_window = PG_GETARG_DATEADT(1) > window_start;
	if (!PG_ARGISNULL(2))
	{
		Datum		amount = PG_GETARG_DATUM(2);

		state = totals_add(fcinfo, state, in_window ? REVENUE : PRIOR_REVENUE, amount);
		if (in_window && !PG_ARGISNULL(4) && PG_GETARG_BOOL(4))
			state = totals_add(fcinfo, state, INCREMENTAL_REVENUE, amount);
	}
	if (in_window && !PG_ARGISNULL(3))
		state = totals_add(fcinfo, state, MARGIN, PG_GETARG_DATUM(3));
	PG_RETURN_POINTER(state);
}

/*
 * Combines two states of one group: the first, the aggregate's own, changed
 * in place; the second (a parallel worker's, or one read from text) only
 * read, and checked.
 */
Datum
sales_totals_combine(PG_FUNCTION_ARGS)
{
	TotalsState *into;
	TotalsState *from;

	(void) aggregate_memory(fcinfo, "sales_totals");
	if (PG_ARGISNULL(1))
		return combine_first(fcinfo);
	from = checked_totals(PG_GETARG_DATUM(1), ERRCODE_DATA_EXCEPTION);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(from);
	into = aligned_totals(PG_GETARG_DATUM(0));
	same_window_start(into, from->window_start);
	for (int i = 0; i < NSUMS; i++)
	{
		SalesSum	sum;
		SalesSum	other;

		if (!from->sums[i].any)
			continue;
		totals_get(into, i, &sum);
		totals_get(from, i, &other);
		sum_add_sum(&sum, &other);
		into = totals_set(fcinfo, into, i, &sum);
	}
	PG_RETURN_POINTER(into);
}

/*
 * The result: (revenue, prior_revenue, margin, incremental_revenue), each
 * NULL when no line added to it.  The result's tuple descriptor is built
 * once per call site.
 */
Datum
sales_totals_final(PG_FUNCTION_ARGS)
{
	TotalsState *state;
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	Datum		values[NSUMS];
	bool		nulls[NSUMS];

	(void) aggregate_memory(fcinfo, "sales_totals");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = aligned_totals(PG_GETARG_DATUM(0));
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
		SalesSum	sum;

		totals_get(state, i, &sum);
		nulls[i] = !sum.any;
		values[i] = nulls[i] ? (Datum) 0 : NumericGetDatum(sum_numeric(&sum));
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* Text and binary forms ------------------------------------------------------------ */

/*
 * The header of a state's text form: the window start (as an ISO date,
 * written here so that no setting changes it), then the sums that have
 * values.
 */
static char *
totals_header(const TotalsState *state)
{
	StringInfoData header;
	int			year;
	int			month;
	int			day;
	bool		any = false;

	initStringInfo(&header);
	if (DATE_IS_NOBEGIN(state->window_start))
		appendStringInfoString(&header, "window_start=-infinity");
	else if (DATE_IS_NOEND(state->window_start))
		appendStringInfoString(&header, "window_start=infinity");
	else
	{
		j2date(state->window_start + POSTGRES_EPOCH_JDATE, &year, &month, &day);
		appendStringInfo(&header, "window_start=%04d-%02d-%02d%s", year > 0 ? year : 1 - year,
						 month, day, year > 0 ? "" : " BC");
	}
	appendStringInfoString(&header, " sums=");
	for (int i = 0; i < NSUMS; i++)
	{
		if (!state->sums[i].any)
			continue;
		appendStringInfo(&header, "%s%s", any ? "," : "", sum_names[i]);
		any = true;
	}
	if (!any)
		appendStringInfoString(&header, "none");
	return header.data;
}

/*
 * Input: "HEADER \xHEX", the header saying what the state holds, then its
 * flat form in hexadecimal; the bytes are checked, then the header against
 * the one they give.
 */
Datum
sales_totals_state_in(PG_FUNCTION_ARGS)
{
	char	   *header;
	struct varlena *flat = state_text_bytes(PG_GETARG_CSTRING(0), &header);
	TotalsState *state = checked_totals(PointerGetDatum(flat),
										ERRCODE_INVALID_TEXT_REPRESENTATION);

	state_check_header(header, totals_header(state));
	PG_RETURN_POINTER(state);
}

/* Output: "window_start=2025-12-01 sums=revenue,margin \x...". */
Datum
sales_totals_state_out(PG_FUNCTION_ARGS)
{
	TotalsState *state = checked_totals(PG_GETARG_DATUM(0), ERRCODE_DATA_EXCEPTION);

	PG_RETURN_CSTRING(state_text(totals_header(state), VARDATA(state),
								 VARSIZE(state) - VARHDRSZ));
}

/* Binary input: the flat form's bytes, checked. */
Datum
sales_totals_state_recv(PG_FUNCTION_ARGS)
{
	struct varlena *flat = state_received((StringInfo) PG_GETARG_POINTER(0));

	PG_RETURN_POINTER(checked_totals(PointerGetDatum(flat),
									 ERRCODE_INVALID_BINARY_REPRESENTATION));
}

/* Binary output: the flat form's bytes. */
Datum
sales_totals_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
}
