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

#include "classify.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(abc_classify_numeric);
PG_FUNCTION_INFO_V1(abc_classify_float8);

static const char *const tier_labels[] = {"A", "B", "C"};

/*
 * The enum datum of a tier.  The label OIDs are looked up once per call site
 * from the function's own return type, so nothing depends on search_path.
 */
Datum
tier_datum(FunctionCallInfo fcinfo, Tier tier)
{
	Oid		   *labels = (Oid *) fcinfo->flinfo->fn_extra;

	if (labels == NULL)
	{
		Oid			tier_type = get_func_rettype(fcinfo->flinfo->fn_oid);

		labels = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid) * 3);
		for (int t = TIER_A; t <= TIER_C; t++)
			labels[t] = DatumGetObjectId(DirectFunctionCall2(enum_in,
															 CStringGetDatum(tier_labels[t]),
															 ObjectIdGetDatum(tier_type)));
		fcinfo->flinfo->fn_extra = labels;
	}
	return ObjectIdGetDatum(labels[tier]);
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
	if (numeric_is_nan(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cutoff %s must not be NaN", attno == 1 ? "a_min" : "b_min")));
	return num;
}

static int
numeric_compare_datums(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/* abc_classify(numeric, cutoffs): A if v > 0 and v >= a_min, B if v >= b_min. */
Datum
abc_classify_numeric(PG_FUNCTION_ARGS)
{
	Numeric		value = PG_GETARG_NUMERIC(0);
	HeapTupleHeader cutoffs = PG_GETARG_HEAPTUPLEHEADER(1);
	Numeric		a_min = cutoff_field(cutoffs, 1);
	Numeric		b_min = cutoff_field(cutoffs, 2);
	bool		positive;

	check_finite_numeric(value);
	positive = numeric_compare_datums(value, int64_to_numeric(0)) > 0;
	return tier_datum(fcinfo,
					  tier_rule(positive,
								a_min != NULL && numeric_compare_datums(value, a_min) >= 0,
								b_min != NULL && numeric_compare_datums(value, b_min) >= 0));
}

/* A limit as float8; infinite limits keep their meaning. */
static double
cutoff_float8(Numeric limit)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(limit)));
}

/* abc_classify(float8, cutoffs): limits of 17 digits round-trip exactly. */
Datum
abc_classify_float8(PG_FUNCTION_ARGS)
{
	double		value = PG_GETARG_FLOAT8(0);
	HeapTupleHeader cutoffs = PG_GETARG_HEAPTUPLEHEADER(1);
	Numeric		a_min = cutoff_field(cutoffs, 1);
	Numeric		b_min = cutoff_field(cutoffs, 2);

	check_finite_float8(value);
	return tier_datum(fcinfo,
					  tier_rule(value > 0,
								a_min != NULL && value >= cutoff_float8(a_min),
								b_min != NULL && value >= cutoff_float8(b_min)));
}
