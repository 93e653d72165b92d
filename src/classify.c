/*
 * classify.c — the tier type's values, and the scalar abc_classify that
 * applies cutoffs (from an aggregate, or written by hand) to one value.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "classify.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(abc_classify_numeric);
PG_FUNCTION_INFO_V1(abc_classify_float8);

static const char *const tier_labels[] = {"A", "B", "C"};

/*
 * What a call site keeps between calls: the tier labels' OIDs and, for
 * abc_classify, its cutoffs as a two-item value set, rebuilt only when the
 * cutoffs change (they usually come once from an aggregate or a constant).
 */
typedef struct CallCache
{
	Oid			labels[3];
	MemoryContext limits_cxt;	/* owns key and limits */
	struct varlena *key;		/* the cutoffs row the limits come from */
	ValueSet	limits;			/* a_min then b_min, those that are set */
	TierSplit	split;
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
	{
		Oid		   *argtypes;
		int			nargs;

		get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
		if (argno >= nargs)
			elog(ERROR, "function %u has no argument %d", fcinfo->flinfo->fn_oid, argno);
		cache = new_call_cache(fcinfo, argtypes[argno]);
		pfree(argtypes);
	}
	for (int t = TIER_A; t <= TIER_C; t++)
		if (cache->labels[t] == label)
			return (Tier) t;
	elog(ERROR, "enum value %u is not a tier", label);
	return TIER_C;				/* keep compiler quiet */
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

/* Reads one limit of a cutoffs row; NULL when the tier is empty. */
static Numeric
cutoff_field(HeapTupleHeader cutoffs, int attno)
{
	bool		isnull;
	Datum		limit = GetAttributeByNum(cutoffs, attno, &isnull);
	Numeric		num;

	if (isnull)
		return NULL;
	num = DatumGetNumeric(limit);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cutoff %s must be a finite number", attno == 1 ? "a_min" : "b_min")));
	return num;
}

/*
 * Adds a limit to the limits set; false when no value of the set's type can
 * reach it.  A float8 value v is >= the limit exactly when v >= the
 * smallest double at least the limit: that double is the float8 limit, and
 * a limit above every double admits no float8 value.
 */
static bool
add_limit(ValueSet *limits, Numeric limit)
{
	double		d;

	if (limits->radix == RADIX_DECIMAL)
	{
		vs_add_datum(limits, NumericGetDatum(limit));
		return true;
	}
	d = numeric_ceil_double(limit);
	if (isinf(d))
		return false;
	vs_add_datum(limits, Float8GetDatum(d));
	return true;
}

/*
 * The cutoffs as a sorted set of limits and the split that makes
 * tier_of_probe apply SPEC's rule: A if v > 0 and v >= a_min, else B if
 * v > 0 and v >= b_min.  A b_min above a_min admits nothing to B, and a
 * limit no value reaches admits nothing.
 */
static void
load_limits(CallCache *cache, HeapTupleHeader cutoffs, int radix,
			MemoryContext fn_mcxt)
{
	Numeric		a_min = cutoff_field(cutoffs, 1);
	Numeric		b_min = cutoff_field(cutoffs, 2);
	MemoryContext old;

	if (a_min != NULL && b_min != NULL &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a_min),
										  NumericGetDatum(b_min))) < 0)
		b_min = NULL;

	if (cache->limits_cxt == NULL)
		cache->limits_cxt = AllocSetContextCreate(fn_mcxt, "abc_classify cutoffs",
												  ALLOCSET_SMALL_SIZES);
	MemoryContextReset(cache->limits_cxt);
	old = MemoryContextSwitchTo(cache->limits_cxt);
	cache->key = palloc(VARSIZE(cutoffs));
	memcpy(cache->key, cutoffs, VARSIZE(cutoffs));
	vs_init(&cache->limits, radix, cache->limits_cxt, 2);
	cache->split.a_rows = a_min != NULL && add_limit(&cache->limits, a_min) ? 1 : 0;
	if (b_min != NULL)
		(void) add_limit(&cache->limits, b_min);
	vs_sort(&cache->limits);
	cache->split.ab_rows = cache->limits.n;
	MemoryContextSwitchTo(old);
}

/* abc_classify(value, cutoffs), for numeric and float8 values. */
static Datum
classify(FunctionCallInfo fcinfo, int radix)
{
	CallCache  *cache = call_cache(fcinfo);
	struct varlena *row = (struct varlena *) PG_GETARG_POINTER(1);
	HeapTupleHeader cutoffs;
	VsProbe		probe;

	/* a cutoffs row is rarely toasted: skip the detoasting call then */
	if (unlikely(VARATT_IS_EXTENDED(row)))
		row = PG_DETOAST_DATUM(PointerGetDatum(row));
	cutoffs = (HeapTupleHeader) row;

	if (cache->key == NULL || VARSIZE(cache->key) != VARSIZE(cutoffs) ||
		memcmp(cache->key, cutoffs, VARSIZE(cutoffs)) != 0)
		load_limits(cache, cutoffs, radix, fcinfo->flinfo->fn_mcxt);
	vs_probe(&cache->limits, PG_GETARG_DATUM(0), &probe);
	return ObjectIdGetDatum(cache->labels[tier_of_probe(&cache->limits, cache->split, &probe)]);
}

/* abc_classify(numeric, cutoffs): exact. */
Datum
abc_classify_numeric(PG_FUNCTION_ARGS)
{
	return classify(fcinfo, RADIX_DECIMAL);
}

/* abc_classify(float8, cutoffs): the double against the decimal limits, exactly. */
Datum
abc_classify_float8(PG_FUNCTION_ARGS)
{
	return classify(fcinfo, RADIX_BINARY);
}
