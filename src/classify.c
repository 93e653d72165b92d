/*
 * classify.c — the scalar abc_classify, which applies cutoffs (from an
 * aggregate, or written by hand) to one value, exactly.
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "utils/datum.h"
#include "utils/memutils.h"

#include "module.h"

AT_FUNCTION(abc_classify_numeric);
AT_FUNCTION(abc_classify_float8);

/*
 * What a call site keeps between calls, in its cache's extra slot: its
 * cutoffs as a two-item value set, rebuilt only when the cutoffs change
 * (they usually come once from an aggregate or a constant).
 */
typedef struct Limits
{
	MemoryContext cxt;			/* owns key and set */
	struct varlena *key;		/* the cutoffs row the limits come from */
	ValueSet	set;			/* a_min then b_min, those that are set */
	TierSplit	split;
} Limits;

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
	check_finite_numeric(attno == 1 ? "cutoff a_min" : "cutoff b_min", num);
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
 * tier_of_probe apply the rule of README.md "Exact definitions": A if v > 0
 * and v >= a_min, else B if v > 0 and v >= b_min.  A b_min above a_min
 * admits nothing to B, and a limit no value reaches admits nothing.
 */
static void
load_limits(Limits *limits, HeapTupleHeader cutoffs, int radix)
{
	Numeric		a_min = cutoff_field(cutoffs, 1);
	Numeric		b_min = cutoff_field(cutoffs, 2);
	MemoryContext old;

	if (a_min != NULL && b_min != NULL && numeric_compare(a_min, b_min) < 0)
		b_min = NULL;

	MemoryContextReset(limits->cxt);
	old = MemoryContextSwitchTo(limits->cxt);
	limits->key = (struct varlena *) DatumGetPointer(datumCopy(PointerGetDatum(cutoffs),
															   false, -1));
	vs_init(&limits->set, radix, limits->cxt, 2);
	limits->split.a_rows = a_min != NULL && add_limit(&limits->set, a_min) ? 1 : 0;
	if (b_min != NULL)
		(void) add_limit(&limits->set, b_min);
	vs_sort(&limits->set);
	limits->split.ab_rows = limits->set.n;
	MemoryContextSwitchTo(old);
}

/* The call site's limits, made empty on its first call. */
static Limits *
call_limits(FunctionCallInfo fcinfo)
{
	void	  **extra = call_cache_extra(fcinfo);
	Limits	   *limits = *extra;

	if (limits == NULL)
	{
		limits = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(Limits));
		limits->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "abc_classify cutoffs",
											ALLOCSET_SMALL_SIZES);
		*extra = limits;
	}
	return limits;
}

/* abc_classify(value, cutoffs), for numeric and float8 values. */
static Datum
classify(FunctionCallInfo fcinfo, int radix)
{
	Limits	   *limits = call_limits(fcinfo);
	struct varlena *row = (struct varlena *) PG_GETARG_POINTER(1);
	HeapTupleHeader cutoffs;
	VsProbe		probe;

	/* a cutoffs row is rarely toasted: skip the detoasting call then */
	if (unlikely(VARATT_IS_EXTENDED(row)))
		row = PG_DETOAST_DATUM(PointerGetDatum(row));
	cutoffs = (HeapTupleHeader) row;

	if (limits->key == NULL || VARSIZE(limits->key) != VARSIZE(cutoffs) ||
		memcmp(limits->key, cutoffs, VARSIZE(cutoffs)) != 0)
		load_limits(limits, cutoffs, radix);
	vs_probe(&limits->set, PG_GETARG_DATUM(0), &probe);
	return tier_datum(fcinfo, tier_of_probe(&limits->set, limits->split, &probe));
}

/* abc_classify(numeric, cutoffs): exact. */
AT_DEFINE_AS(abc_classify_numeric, classify, RADIX_DECIMAL);

/* abc_classify(float8, cutoffs): the double against the decimal limits, exactly. */
AT_DEFINE_AS(abc_classify_float8, classify, RADIX_BINARY);
