/*
 * exact_sum.c — exact sums of decoded values: added in int128 units while
 * they fit, scales aligned, then as an exact numeric; shown as the numeric
 * a user sees.
 */
#include "postgres.h"

#include "numeric_format.h"
#include "exact_sum.h"

/*
 * Adds units of radix^-scale, aligning the two scales; false, leaving the
 * sum as it was, when the result does not fit.
 */
static bool
add_units(ExactSum *sum, int radix, int128 units, int scale)
{
	int128		aligned = sum->units;

	if (scale > sum->scale && !rescale_units(radix, aligned, scale - sum->scale, &aligned))
		return false;
	if (scale < sum->scale && !rescale_units(radix, units, sum->scale - scale, &units))
		return false;
	if (__builtin_add_overflow(aligned, units, &aligned))
		return false;
	sum->units = aligned;
	sum->scale = Max(scale, sum->scale);
	return true;
}

/*
 * Turns a sum in units of 10^-scale into a numeric in `mcxt', shown with
 * `dscale' decimals: for the rows that no longer fit.
 */
static void
widen(ExactSum *sum, int dscale, MemoryContext mcxt)
{
	MemoryContext old = MemoryContextSwitchTo(mcxt);

	sum->wide = exact_sum_numeric(sum, RADIX_DECIMAL, dscale);
	MemoryContextSwitchTo(old);
}

/* Adds x to a sum held as a numeric that no copy shares (see numeric_accumulate). */
void
exact_sum_add_numeric(ExactSum *sum, Numeric x)
{
	numeric_accumulate(&sum->wide, x);
}

/* Adds x to a sum of numerics, widening it into `mcxt' first when needed. */
static void
add_wide(ExactSum *sum, Numeric x, int dscale, MemoryContext mcxt)
{
	MemoryContext old;

	if (sum->wide == NULL)
		widen(sum, dscale, mcxt);
	old = MemoryContextSwitchTo(mcxt);
	exact_sum_add_numeric(sum, x);
	MemoryContextSwitchTo(old);
}

/*
 * Adds a numeric datum (refused when not finite) to a sum of numerics; its
 * display scale raises *dscale while the sum is in units.  A sum that
 * becomes a numeric lives in `mcxt'.
 */
void
exact_sum_add_numeric_datum(ExactSum *sum, Datum value, int *dscale, MemoryContext mcxt)
{
	int128		units;
	int			scale;
	int			value_dscale;

	if (input_units(RADIX_DECIMAL, value, sum->wide == NULL, &units, &scale, &value_dscale))
	{
		*dscale = Max(*dscale, value_dscale);
		if (add_units(sum, RADIX_DECIMAL, units, scale))
			return;
	}
	add_wide(sum, DatumGetNumeric(value), *dscale, mcxt);
}

/*
 * Adds one sum of numerics to another (combining partial states); `dscale'
 * is the display scale of both.  A sum that becomes a numeric lives in
 * `mcxt'.
 */
void
exact_sum_add_sum(ExactSum *into, const ExactSum *from, int radix, int dscale,
				  MemoryContext mcxt)
{
	if (into->wide == NULL && from->wide == NULL &&
		add_units(into, radix, from->units, from->scale))
		return;
	add_wide(into, exact_sum_numeric(from, radix, dscale), dscale, mcxt);
}

/*
 * A sum as the numeric a user sees: exact, with `dscale' decimals at least
 * for numeric input (radix 10), without trailing zeros for float8 input (a
 * sum of doubles is rarely a double itself).
 */
Numeric
exact_sum_numeric(const ExactSum *sum, int radix, int dscale)
{
	if (radix == RADIX_DECIMAL)
		return sum->wide != NULL ? sum->wide :
			decimal_units_numeric(sum->units, sum->scale, dscale);
	return numeric_trimmed(sum->wide != NULL ? sum->wide :
						   binary_units_numeric(sum->units, sum->scale));
}
