/*
 * aggregates.c — the aggregates: one transition state (a value set and the
 * call's parameters) with shared combine, serialize and deserialize
 * functions, and one final function per definition of tiers.c and
 * shares.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/datum.h"

#include "module.h"
#include "shares.h"
#include "state.h"

AT_FUNCTION(value_cutoffs_sfunc);
AT_FUNCTION(count_cutoffs_sfunc);
AT_FUNCTION(values_sfunc);
AT_FUNCTION(lorenz_sfunc);
AT_FUNCTION(account_tier_combine);
AT_FUNCTION(account_tier_serialize);
AT_FUNCTION(account_tier_deserialize);
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
 * - here: CREATE AGGREGATE takes no DEFAULT, and no INITCOND can start a
 *   state of type internal (the type has no input function), so an overload
 *   without thresholds reaches its transition function with the value
 *   alone, and C must supply them;
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

/*
 * The transition state.  The parameters are read from the first row, like a
 * window function's, and must agree when partial states are combined.
 */
typedef struct TierState
{
	ValueSet	vs;
	Numeric		a;				/* thresholds, or NULL when the aggregate has none */
	Numeric		b;
	int32		points;			/* lorenz_curve: points, else 0 */
} TierState;

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

/* A new, empty state in the aggregate context for the value argument's type. */
static TierState *
new_state(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	TierState  *state = MemoryContextAllocZero(aggcontext, sizeof(TierState));

	vs_init(&state->vs, value_radix_of_arg(fcinfo, 1), aggcontext, 0);
	return state;
}

/*
 * The transition shared by every aggregate: NULL values are skipped, and the
 * state is made on the first non-NULL one.  `make' reads the parameters.
 * Only the first call checks the aggregate context: an internal state can
 * come from nowhere else, and this runs once per row.
 */
static Datum
add_value(FunctionCallInfo fcinfo, void (*make) (FunctionCallInfo, TierState *))
{
	TierState  *state = PG_ARGISNULL(0) ? NULL : (TierState *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
	{
		state = new_state(fcinfo, aggregate_memory(fcinfo, "account_tier transition"));
		if (make != NULL)
			make(fcinfo, state);
	}
	vs_add_datum(&state->vs, PG_GETARG_DATUM(1));
	PG_RETURN_POINTER(state);
}

/* Reads and checks the thresholds a and b into a new state. */
static void
set_thresholds(FunctionCallInfo fcinfo, TierState *state,
			   const char *a_default, const char *b_default)
{
	Numeric		a = threshold_or_default(fcinfo, 2, "threshold a", a_default);
	Numeric		b = threshold_or_default(fcinfo, 3, "threshold b", b_default);

	check_thresholds(a, b);
	state->a = numeric_copy_in(state->vs.mcxt, a);
	state->b = numeric_copy_in(state->vs.mcxt, b);
}

/* Parameters of abc_cutoffs: value-share thresholds. */
static void
make_value_thresholds(FunctionCallInfo fcinfo, TierState *state)
{
	set_thresholds(fcinfo, state, VALUE_A_DEFAULT, VALUE_B_DEFAULT);
}

/* Parameters of abc_cutoffs_by_count: count-share thresholds. */
static void
make_count_thresholds(FunctionCallInfo fcinfo, TierState *state)
{
	set_thresholds(fcinfo, state, COUNT_A_DEFAULT, COUNT_B_DEFAULT);
}

/* Parameters of lorenz_curve: the number of points. */
static void
make_lorenz_points(FunctionCallInfo fcinfo, TierState *state)
{
	if (PG_NARGS() > 2 && PG_ARGISNULL(2))
		null_param_error("points");
	state->points = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : LORENZ_POINTS_DEFAULT;
	check_lorenz_points(state->points);
}

/* Transition of abc_cutoffs(value [, a [, b]]). */
AT_DEFINE_AS(value_cutoffs_sfunc, add_value, make_value_thresholds);

/* Transition of abc_cutoffs_by_count(value [, a [, b]]). */
AT_DEFINE_AS(count_cutoffs_sfunc, add_value, make_count_thresholds);

/* Transition of aggregates without parameters (pareto_summary). */
AT_DEFINE_AS(values_sfunc, add_value, NULL);

/* Transition of lorenz_curve(value [, points]). */
AT_DEFINE_AS(lorenz_sfunc, add_value, make_lorenz_points);

/* Whether two optional thresholds are equal. */
static bool
same_threshold(Numeric x, Numeric y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return numeric_compare(x, y) == 0;
}

/* A copy of `from' in `mcxt', for a combine whose first state is empty. */
static TierState *
copy_state(const TierState *from, MemoryContext mcxt)
{
	TierState  *state = MemoryContextAllocZero(mcxt, sizeof(TierState));

	vs_init(&state->vs, from->vs.radix, mcxt, from->vs.n);
	vs_merge(&state->vs, &from->vs);
	state->a = from->a ? numeric_copy_in(mcxt, from->a) : NULL;
	state->b = from->b ? numeric_copy_in(mcxt, from->b) : NULL;
	state->points = from->points;
	return state;
}

/* Combines two partial states (any of them may be NULL). */
Datum
account_tier_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_memory(fcinfo, "account_tier_combine");
	TierState  *into = PG_ARGISNULL(0) ? NULL : (TierState *) PG_GETARG_POINTER(0);
	TierState  *from;

	if (PG_ARGISNULL(1))
		return combine_first(fcinfo);
	from = (TierState *) PG_GETARG_POINTER(1);
	if (into == NULL)
		PG_RETURN_POINTER(copy_state(from, aggcontext));

	if (!same_threshold(into->a, from->a) || !same_threshold(into->b, from->b) ||
		into->points != from->points)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameters differ between rows of one aggregate"),
				 errdetail("Thresholds and points are read once and must be the same for every row.")));
	vs_merge(&into->vs, &from->vs);
	PG_RETURN_POINTER(into);
}

/* Serializes a state for a parallel worker's partial result. */
Datum
account_tier_serialize(PG_FUNCTION_ARGS)
{
	TierState  *state = (TierState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	serialize_begin(fcinfo, "account_tier_serialize", &buf);
	state_send_optional_numeric(&buf, state->a);
	state_send_optional_numeric(&buf, state->b);
	pq_sendint32(&buf, state->points);
	vs_serialize(&state->vs, &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Reads a serialized state, checking every length and value: the
 * parameters one aggregate could have set (thresholds a <= b in (0, 1],
 * both or none; or lorenz_curve's points; or nothing), then the values.
 * Which parameters the final function needs is checked there.
 */
Datum
account_tier_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcontext = aggregate_memory(fcinfo, "account_tier_deserialize");
	TierState  *state = MemoryContextAllocZero(aggcontext, sizeof(TierState));
	StringInfoData buf;

	state_reader(bytes, &buf);
	state->a = state_optional_numeric(&buf, aggcontext, "A threshold");
	state->b = state_optional_numeric(&buf, aggcontext, "A threshold");
	if ((state->a == NULL) != (state->b == NULL))
		invalid_state("The state has one threshold without the other.");
	if (state->a != NULL && !thresholds_valid(state->a, state->b))
		invalid_state("The state's thresholds are not in (0, 1] with a <= b.");
	state_need(&buf, 4);
	state->points = pq_getmsgint(&buf, 4);
	if (state->points != 0 && !lorenz_points_valid(state->points))
		invalid_state(psprintf("The state's number of lorenz_curve points, %d, is out of range.",
							   state->points));
	if (state->points != 0 && state->a != NULL)
		invalid_state("The state has both thresholds and lorenz_curve points.");
	vs_deserialize(&state->vs, &buf, aggcontext);
	PG_RETURN_POINTER(state);
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
 * are READ_ONLY.
 */
static TierState *
final_state(FunctionCallInfo fcinfo, Needs needs)
{
	TierState  *state;

	(void) aggregate_memory(fcinfo, "account_tier final");
	if (PG_ARGISNULL(0))
		return NULL;
	state = (TierState *) PG_GETARG_POINTER(0);
	if (needs == NEEDS_THRESHOLDS && state->a == NULL)
		invalid_state("The state has no thresholds.");
	if (needs == NEEDS_POINTS && state->points == 0)
		invalid_state("The state has no lorenz_curve points.");
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
	TierState  *state = final_state(fcinfo, method == SPLIT_COMPUTED ?
									NEEDS_NOTHING : NEEDS_THRESHOLDS);

	if (state == NULL)
		PG_RETURN_NULL();
	return split_cutoffs(fcinfo, &state->vs,
						 split_tiers(&state->vs, method, state->a, state->b, NULL));
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
	TierState  *state = final_state(fcinfo, NEEDS_NOTHING);
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
	TierState  *state = final_state(fcinfo, NEEDS_NOTHING);
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
	TierState  *state = final_state(fcinfo, NEEDS_POINTS);
	double	   *curve;
	Datum	   *elems;

	if (state == NULL)
		PG_RETURN_NULL();
	curve = palloc(sizeof(double) * state->points);
	if (!lorenz_points(&state->vs, state->points, curve))
		PG_RETURN_NULL();
	elems = palloc(sizeof(Datum) * state->points);
	for (int k = 0; k < state->points; k++)
		elems[k] = Float8GetDatum(curve[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, state->points, FLOAT8OID,
										  sizeof(float8), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}
