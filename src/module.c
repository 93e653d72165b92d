/*
 * module.c — the library's module record, and what every SQL face shares:
 * the tier enum and the cutoffs row as Datums, the radix of a value
 * argument, the aggregate context, and parameters read from a window's
 * first row.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "module.h"

extern AT_EXPORT const Pg_magic_struct *PG_MAGIC_FUNCTION_NAME(void);

PG_MODULE_MAGIC;

static const char *const tier_labels[] = {"A", "B", "C"};

/*
 * What a call site keeps between calls (fn_extra): the tier labels' OIDs,
 * and whatever the face itself keeps there (abc_classify: its cutoffs).
 */
typedef struct CallCache
{
	Oid			labels[3];
	void	   *extra;
} CallCache;

/* A new cache for the call site, with the labels of the given tier type. */
static CallCache *
new_call_cache(FunctionCallInfo fcinfo, Oid tier_type)
{
	CallCache  *cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallCache));

	for (int t = TIER_A; t <= TIER_C; t++)
		cache->labels[t] = DatumGetObjectId(DirectFunctionCall2(enum_in,
																CStringGetDatum(tier_labels[t]),
																ObjectIdGetDatum(tier_type)));
	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

/* The call site's cache; the tier OIDs come from its own return type. */
static CallCache *
call_cache(FunctionCallInfo fcinfo)
{
	CallCache  *cache = (CallCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
		cache = new_call_cache(fcinfo, get_func_rettype(fcinfo->flinfo->fn_oid));
	return cache;
}

/*
 * The declared type of argument `argno' of the function called: for an
 * argument of one type, and for a call without an expression to say more
 * (Citus calls an aggregate's transition function so on its workers, in
 * worker_partial_agg).
 */
static Oid
declared_arg_type(FunctionCallInfo fcinfo, int argno)
{
	Oid		   *argtypes;
	int			nargs;
	Oid			type;

	get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
	if (argno >= nargs)
		elog(ERROR, "function %u has no argument %d", fcinfo->flinfo->fn_oid, argno);
	type = argtypes[argno];
	pfree(argtypes);
	return type;
}

/* The enum datum of a tier, for a function declared to return one. */
Datum
tier_datum(FunctionCallInfo fcinfo, Tier tier)
{
	return ObjectIdGetDatum(call_cache(fcinfo)->labels[tier]);
}

/*
 * The tier of an enum datum, for a function whose argument argno is declared
 * as a tier (the function's declared type, so no expression is needed).
 */
Tier
datum_tier(FunctionCallInfo fcinfo, int argno, Datum value)
{
	CallCache  *cache = (CallCache *) fcinfo->flinfo->fn_extra;
	Oid			label = DatumGetObjectId(value);

	if (cache == NULL)
		cache = new_call_cache(fcinfo, declared_arg_type(fcinfo, argno));
	for (int t = TIER_A; t <= TIER_C; t++)
		if (cache->labels[t] == label)
			return (Tier) t;
	elog(ERROR, "enum value %u is not a tier", label);
	return TIER_C;				/* keep compiler quiet */
}

/*
 * The slot of the call site's cache (in fn_mcxt, NULL at first) where a
 * function that returns a tier keeps its own state between calls.
 */
void	  **
call_cache_extra(FunctionCallInfo fcinfo)
{
	return &call_cache(fcinfo)->extra;
}

/* Builds a cutoffs row for a function declared to return one. */
Datum
cutoffs_datum(FunctionCallInfo fcinfo, Numeric a_min, Numeric b_min)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2];

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cutoffs function must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = NumericGetDatum(a_min);
	nulls[0] = a_min == NULL;
	values[1] = NumericGetDatum(b_min);
	nulls[1] = b_min == NULL;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* The type of argument `argno': its expression's, else the declared one. */
Oid
arg_type(FunctionCallInfo fcinfo, int argno)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);

	return OidIsValid(type) ? type : declared_arg_type(fcinfo, argno);
}

/* The radix for the values of argument `argno': binary for float8. */
int
value_radix_of_arg(FunctionCallInfo fcinfo, int argno)
{
	return arg_type(fcinfo, argno) == FLOAT8OID ? RADIX_BINARY : RADIX_DECIMAL;
}

/* The aggregate's memory context; refuses calls outside an aggregate. */
MemoryContext
aggregate_memory(FunctionCallInfo fcinfo, const char *caller)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s called in non-aggregate context", caller);
	return aggcontext;
}

/*
 * A combine function's answer when its second state is NULL: the first
 * state as it is, or NULL.
 */
Datum
combine_first(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

/* Refuses a NULL threshold, points, capacity, share, cap or floor (22004). */
void
null_param_error(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("%s must not be null", name)));
}

/* A parameter of a window function, read from the partition's first row. */
Datum
window_param(WindowObject winobj, int argno, const char *name)
{
	bool		isnull;
	Datum		value = WinGetFuncArgCurrent(winobj, argno, &isnull);

	if (isnull)
		null_param_error(name);
	return value;
}

/*
 * The serialize and deserialize functions of the aggregates of versions 1.0
 * to 1.2, whose states were internal.  Their scripts create them, and the
 * newest version's install script runs those scripts (the Makefile chains
 * them), so the entry points stay; the update to 1.3 drops the functions.
 * A database not yet updated runs its aggregates with this library
 * serially; in parallel they are refused, with what to do.
 */
static Datum
retired_serialization(FunctionCallInfo fcinfo, const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s belongs to an earlier version of account_tier", name),
			 errdetail("Since version 1.3 the aggregates' states have types of their own, and no serialize functions."),
			 errhint("Run ALTER EXTENSION account_tier UPDATE.")));
	PG_RETURN_NULL();
}

AT_FUNCTION(account_tier_serialize);
AT_FUNCTION(account_tier_deserialize);
AT_FUNCTION(sales_totals_serialize);
AT_FUNCTION(sales_totals_deserialize);
AT_DEFINE_AS(account_tier_serialize, retired_serialization, "account_tier.state_serialize");
AT_DEFINE_AS(account_tier_deserialize, retired_serialization, "account_tier.state_deserialize");
AT_DEFINE_AS(sales_totals_serialize, retired_serialization, "account_tier.sales_totals_serialize");
AT_DEFINE_AS(sales_totals_deserialize, retired_serialization, "account_tier.sales_totals_deserialize");
