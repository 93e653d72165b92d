/*
 * aggregates.c — the aggregates: one transition state,
 * account_tier.values_state (values_state.c: a value set and the call's
 * parameters), with shared transition and combine functions, and one final
 * function per definition of tiers.c and shares.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/datum.h"

#include "module.h"
#include "shares.h"
#include "state.h"
#include "values_state.h"

AT_FUNCTION(value_cutoffs_sfunc);
AT_FUNCTION(count_cutoffs_sfunc);
AT_FUNCTION(values_sfunc);
AT_FUNCTION(lorenz_sfunc);
AT_FUNCTION(account_tier_combine);
AT_FUNCTION(abc_cutoffs_final);
AT_FUNCTION(abc_cutoffs_by_count_final);
AT_FUNCTION(abc_cutoffs_computed_final);
AT_FUNCTION(abc_points_final);
AT_FUNCTION(pareto_summary_final);
AT_FUNCTION(lorenz_curve_final);

/*
 * The thresholds and points of the aggregate overloads that leave them out.
 * The default thresholds are written in three places, each for a reason of
 * its own:
 * - the window functions' DEFAULT clauses (sql/account_tier--1.0.sql), which
 *   callers see in their signatures;
 * - here: CREATE AGGREGATE takes no DEFAULT, so an overload without
 *   thresholds reaches its transition function with the value alone.  An
 *   INITCOND could start the state with them, but it would be the state's
 *   text form, whose bytes depend on the server's byte order, and an
 *   aggregate over no values would then have a state: C supplies them when
 *   the first value makes the state;
 * - the policy table's column defaults (sql/account_tier--1.1--1.2.sql):
 *   the book's own settings, which its owner changes, and which the views
 *   pass to the functions explicitly.
 * test/pgtap/reference.sql checks that the window functions and the
 * aggregates default to the same thresholds.
 */
#define VALUE_A_DEFAULT "0.80"
#define VALUE_B_DEFAULT "0.95"
#define COUNT_A_DEFAULT "0.20"
#define COUNT_B_DEFAULT "0.80"
#define LORENZ_POINTS_DEFAULT 101

/* A copy of a numeric in `mcxt'. */
static Numeric
numeric_copy_in(MemoryContext mcxt, Numeric num)
{
	MemoryContext old = MemoryContextSwitchTo(mcxt);
	Numeric		copy = DatumGetNumeric(datumCopy(NumericGetDatum(num), false, -1));

	MemoryContextSwitchTo(old);
	return copy;
}

/* A threshold argument, or its default when the call leaves it out. */
static Numeric
threshold_or_default(FunctionCallInfo fcinfo, int argno, const char *name,
					 const char *fallback)
{
	if (PG_NARGS() <= argno)
		return numeric_from_text(fallback);
	if (PG_ARGISNULL(argno))
		null_param_error(name);
	return PG_GETARG_NUMERIC(argno);
}

/*
 * The transition state of argument 0, to change in place: the aggregate's
 * own (a read-write expanded object), or else a state handed to the
 * aggregate (an initial value, or a state read from text) expanded into the
 * aggregate context; a transition function (value argument `value_argno',
 * else 0) checks that it holds values of the argument's type.
 */
static ValuesState *
writable_state(FunctionCallInfo fcinfo, int value_argno)
{
	Datum		datum = PG_GETARG_DATUM(0);
	ValuesState *state = values_state_own(datum);
	int			radix;

	if (state != NULL)
		return state;
	state = values_state_expand(datum, aggregate_memory(fcinfo, "account_tier transition"),
								ERRCODE_DATA_EXCEPTION);
	radix = value_argno > 0 ? value_radix_of_arg(fcinfo, value_argno) : state->vs.radix;
	if (state->vs.radix != radix)
		invalid_state(ERRCODE_DATA_EXCEPTION,
					  psprintf("The state holds %s values; this aggregate takes %s values.",
							   state->vs.radix == RADIX_BINARY ? "float8" : "numeric",
							   radix == RADIX_BINARY ? "float8" : "numeric"));
	return state;
}

/*
 * The transition shared by every aggregate: NULL values are skipped, and the
 * state is made on the first non-NULL one (`make' reads the parameters)
 * and then changed in place.  The aggregate context is looked up only when
 * a state is made or expanded: the aggregate's own state can come from
 * nowhere else, and this runs once per row.
 */
static Datum
add_value(FunctionCallInfo fcinfo, void (*make) (FunctionCallInfo, ValuesState *))
{
	ValuesState *state;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
	{
		state = values_state_new(aggregate_memory(fcinfo, "account_tier transition"),
								 value_radix_of_arg(fcinfo, 1));
		if (make != NULL)
			make(fcinfo, state);
	}
	else
		state = writable_state(fcinfo, 1);
	vs_add_datum(&state->vs, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(values_state_datum(state));
}

/* Reads and checks the thresholds a and b into a new state. */
static void
set_thresholds(FunctionCallInfo fcinfo, ValuesState *state,
			   const char *a_default, const char *b_default)
{
	Numeric		a = threshold_or_default(fcinfo, 2, "threshold a", a_default);
	Numeric		b = threshold_or_default(fcinfo, 3, "threshold b", b_default);

	check_thresholds(a, b);
	state->params.a = numeric_copy_in(state->hdr.eoh_context, a);
	state->params.b = numeric_copy_in(state->hdr.eoh_context, b);
}

/* Parameters of abc_cutoffs: value-share thresholds. */
static void
make_value_thresholds(FunctionCallInfo fcinfo, ValuesState *state)
{
	set_thresholds(fcinfo, state, VALUE_A_DEFAULT, VALUE_B_DEFAULT);
}

/* Parameters of abc_cutoffs_by_count: count-share thresholds. */
static void
make_count_thresholds(FunctionCallInfo fcinfo, ValuesState *state)
{
	set_thresholds(fcinfo, state, COUNT_A_DEFAULT, COUNT_B_DEFAULT);
}

/* Parameters of lorenz_curve: the number of points. */
static void
make_lorenz_points(FunctionCallInfo fcinfo, ValuesState *state)
{
	if (PG_NARGS() > 2 && PG_ARGISNULL(2))
		null_param_error("points");
	state->params.points = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : LORENZ_POINTS_DEFAULT;
	check_lorenz_points(state->params.points);
}

/* Transition of abc_cutoffs(value [, a [, b]]). */
AT_DEFINE_AS(value_cutoffs_sfunc, add_value, make_value_thresholds);

/* Transition of abc_cutoffs_by_count(value [, a [, b]]). */
AT_DEFINE_AS(count_cutoffs_sfunc, add_value, make_count_thresholds);

/* Transition of aggregates without parameters (pareto_summary). */
AT_DEFINE_AS(values_sfunc, add_value, NULL);

/* Transition of lorenz_curve(value [, points]). */
AT_DEFINE_AS(lorenz_sfunc, add_value, make_lorenz_points);

/* A copy of the expanded state `from', under `parent'. */
static ValuesState *
copy_state(const ValuesState *from, MemoryContext parent)
{
	ValuesState *state = values_state_new(parent, from->vs.radix);
	MemoryContext mcxt = state->hdr.eoh_context;

	vs_merge(&state->vs, &from->vs);
	state->params.a = from->params.a ? numeric_copy_in(mcxt, from->params.a) : NULL;
	state->params.b = from->params.b ? numeric_copy_in(mcxt, from->params.b) : NULL;
	state->params.points = from->params.points;
	return state;
}

/*
 * Combines two states (any of them may be NULL).  The first is the
 * aggregate's own, changed in place; the second is only read: in a parallel
 * plan a worker's flat state from the tuple queue, under Citus one read
 * from a worker's text.
 */
Datum
account_tier_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_memory(fcinfo, "account_tier_combine");
	Datum		second;
	ValuesState *into;

	if (PG_ARGISNULL(1))
		return combine_first(fcinfo);
	second = PG_GETARG_DATUM(1);
	if (!PG_ARGISNULL(0))
	{
		into = writable_state(fcinfo, 0);
		values_state_merge(into, second);
	}
	else if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(second)))
		into = copy_state(values_state_of(second, CurrentMemoryContext), aggcontext);
	else
		into = values_state_expand(second, aggcontext, ERRCODE_DATA_EXCEPTION);
	PG_RETURN_DATUM(values_state_datum(into));
}

/* What a final function needs of the state's parameters. */
typedef enum Needs
{
	NEEDS_NOTHING,
	NEEDS_THRESHOLDS,
	NEEDS_POINTS
} Needs;

/*
 * The state for a final function; NULL over no values.  A state that lacks
 * the parameters the function needs (only a state made by hand can) is
 * refused.  The definitions reorder the values in place, which leaves the
 * multiset of values, all a state means, as it was: so the final functions
 * are READ_ONLY, and change even a read-only expanded state so.  A flat
 * state (one handed to a final function by an aggregate of the user's) is
 * expanded for the call.
 */
static ValuesState *
final_state(FunctionCallInfo fcinfo, Needs needs)
{
	ValuesState *state;

	(void) aggregate_memory(fcinfo, "account_tier final");
	if (PG_ARGISNULL(0))
		return NULL;
	state = values_state_of(PG_GETARG_DATUM(0), CurrentMemoryContext);
	if (needs == NEEDS_THRESHOLDS && state->params.a == NULL)
		invalid_state(ERRCODE_DATA_EXCEPTION, "The state has no thresholds.");
	if (needs == NEEDS_POINTS && state->params.points == 0)
		invalid_state(ERRCODE_DATA_EXCEPTION, "The state has no lorenz_curve points.");
	if (state->vs.n == 0)
		return NULL;
	return state;
}

/* The limits of a split: the smallest A and the smallest B value, or NULL. */
static void
split_limits(const ValueSet *vs, TierSplit split, Numeric *a_min, Numeric *b_min)
{
	*a_min = split.a_rows > 0 ? vs_item_numeric(vs, split.a_rows - 1) : NULL;
	*b_min = split.ab_rows > split.a_rows ? vs_item_numeric(vs, split.ab_rows - 1) : NULL;
}

/* The cutoffs of a split, as the composite abc_classify takes. */
static Datum
split_cutoffs(FunctionCallInfo fcinfo, const ValueSet *vs, TierSplit split)
{
	Numeric		a_min;
	Numeric		b_min;

	split_limits(vs, split, &a_min, &b_min);
	return cutoffs_datum(fcinfo, a_min, b_min);
}

/* The cutoffs of a state's values split by `method', or NULL over no values. */
static Datum
cutoffs_final(FunctionCallInfo fcinfo, SplitMethod method)
{
	ValuesState *state = final_state(fcinfo, method == SPLIT_COMPUTED ?
									NEEDS_NOTHING : NEEDS_THRESHOLDS);

	if (state == NULL)
		PG_RETURN_NULL();
	return split_cutoffs(fcinfo, &state->vs,
						 split_tiers(&state->vs, method, state->params.a, state->params.b, NULL));
}

/* abc_cutoffs: the limits abc_tier would use, for abc_classify. */
AT_DEFINE_AS(abc_cutoffs_final, cutoffs_final, SPLIT_BY_VALUE);

/* abc_cutoffs_by_count: the limits abc_tier_by_count would use. */
AT_DEFINE_AS(abc_cutoffs_by_count_final, cutoffs_final, SPLIT_BY_COUNT);

/* abc_cutoffs_computed: the limits abc_tier_computed would use. */
AT_DEFINE_AS(abc_cutoffs_computed_final, cutoffs_final, SPLIT_COMPUTED);

/* abc_points: the Pareto, break-even and submarginal points, and the limits. */
Datum
abc_points_final(PG_FUNCTION_ARGS)
{
	ValuesState *state = final_state(fcinfo, NEEDS_NOTHING);
	ComputedPoints points;
	Numeric		a_min;
	Numeric		b_min;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5];

	if (state == NULL)
		PG_RETURN_NULL();
	split_limits(&state->vs, split_tiers(&state->vs, SPLIT_COMPUTED, NULL, NULL, &points),
				 &a_min, &b_min);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "abc_points must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);

	/* T = 0: no point exists */
	nulls[0] = nulls[1] = nulls[2] = points.pareto_k == 0;
	values[0] = Int64GetDatum(points.pareto_k);
	values[1] = Int64GetDatum(points.break_even_k);
	values[2] = Int64GetDatum(points.submarginal_k);
	nulls[3] = a_min == NULL;
	nulls[4] = b_min == NULL;
	values[3] = NumericGetDatum(a_min);
	values[4] = NumericGetDatum(b_min);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* pareto_summary: accounts, positive total, Gini, top-20% share, A share. */
Datum
pareto_summary_final(PG_FUNCTION_ARGS)
{
	ValuesState *state = final_state(fcinfo, NEEDS_NOTHING);
	ParetoStats stats;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (state == NULL)
		PG_RETURN_NULL();
	stats = pareto_stats(&state->vs);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "pareto_summary must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = Int64GetDatum(stats.accounts);
	values[1] = NumericGetDatum(stats.positive_total);
	values[2] = Float8GetDatum(stats.gini);
	values[3] = Float8GetDatum(stats.top20_share);
	values[4] = Float8GetDatum(stats.accounts_for_80);
	nulls[2] = nulls[3] = nulls[4] = !stats.has_shares;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* lorenz_curve: the share of T held by the top k/(points-1) of accounts. */
Datum
lorenz_curve_final(PG_FUNCTION_ARGS)
{
	ValuesState *state = final_state(fcinfo, NEEDS_POINTS);
	double	   *curve;
	Datum	   *elems;

	if (state == NULL)
		PG_RETURN_NULL();
	curve = palloc(sizeof(double) * state->params.points);
	if (!lorenz_points(&state->vs, state->params.points, curve))
		PG_RETURN_NULL();
	elems = palloc(sizeof(Datum) * state->params.points);
	for (int k = 0; k < state->params.points; k++)
		elems[k] = Float8GetDatum(curve[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, state->params.points, FLOAT8OID,
										  sizeof(float8), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}
