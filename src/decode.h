/*
 * decode.h — exact conversions between the input types (numeric, float8)
 * and int128 units of 10^-scale or 2^-scale, and the numeric helpers the
 * layers above need.  numeric's on-disk format is read by numeric_format.h
 * alone.
 */
#ifndef ACCOUNT_TIER_DECODE_H
#define ACCOUNT_TIER_DECODE_H

#include "postgres.h"

#include <math.h>

#include "utils/numeric.h"
#if PG_VERSION_NUM >= 160000
/* PostgreSQL 16 moved the varlena macros out of postgres.h */
#include "varatt.h"
#endif

#ifndef HAVE_INT128
#error "account_tier needs a compiler with a 128-bit integer type"
#endif

/* Units count tenths (numeric input) or halves (float8 input). */
#define RADIX_DECIMAL 10
#define RADIX_BINARY 2

#define MAX_DECIMAL_DIGITS 38	/* 10^38 < 2^127 */
#define MAX_BINARY_DIGITS 126

/*
 * The largest scales of exact values: numeric's largest display scale
 * (checked against its format in numeric_format.h), and 2^-1074, the
 * smallest denormal double.
 */
#define MAX_DECIMAL_SCALE 16383
#define MAX_BINARY_SCALE 1074

extern const int128 pow10_table[MAX_DECIMAL_DIGITS + 1];

extern void check_finite_numeric(const char *name, Numeric num);
extern void check_finite_float8(const char *name, double value);

extern Numeric numeric_from_text(const char *text);
extern Numeric decimal_units_numeric(int128 units, int scale, int dscale);
extern Numeric power_of_ten(int exponent);
extern int	numeric_scale_of(Numeric num);
extern double binary_units_double(int128 units, int scale);
extern Numeric binary_units_numeric(int128 units, int scale);
extern Numeric units_exact_numeric(int radix, int128 units, int scale);
extern Numeric input_exact_numeric(int radix, Datum value);
extern Numeric double_numeric_not_above(double d);
extern double numeric_ceil_double(Numeric num);
extern double numeric_as_double(Numeric num);
extern double units_ratio(int128 num, int128 den);
extern double numeric_ratio(Numeric num, Numeric den);
extern int	numeric_compare(Numeric a, Numeric b);
extern int	numeric_sign_of(Numeric num);
extern Numeric numeric_trimmed(Numeric num);
extern void numeric_accumulate(Numeric *sum, Numeric x);

/*
 * units * factor, false on overflow.  Operands that fit 63 bits cannot
 * overflow 127, and skip the slow generic 128-bit overflow check.
 */
static inline bool
mul_units(int128 units, int128 factor, int128 *product)
{
	if (likely(units == (int64) units && factor == (int64) factor))
	{
		*product = units * factor;
		return true;
	}
	return !__builtin_mul_overflow(units, factor, product);
}

/* radix^digits, or false when it exceeds an int128. */
static inline bool
scale_factor(int radix, int digits, int128 *factor)
{
	if (radix == RADIX_DECIMAL)
	{
		if (digits > MAX_DECIMAL_DIGITS)
			return false;
		*factor = pow10_table[digits];
		return true;
	}
	if (digits > MAX_BINARY_DIGITS)
		return false;
	*factor = (int128) 1 << digits;
	return true;
}

/*
 * units * radix^digits (digits >= 0): the same value at a scale `digits'
 * larger; false when it does not fit.  Every alignment of two scales goes
 * through here.
 */
static inline bool
rescale_units(int radix, int128 units, int digits, int128 *rescaled)
{
	int128		factor;

	return scale_factor(radix, digits, &factor) && mul_units(units, factor, rescaled);
}

/*
 * Decodes a finite double into units of 2^-scale at the smallest scale that
 * holds it exactly (every double is an integer times a power of two); false
 * when the units do not fit an int128.
 */
static inline bool
double_units(double d, int128 *units, int *scale)
{
	int			exp2;
	int64		mantissa;
	int			zeros;

	if (d == 0)
	{
		*units = 0;
		*scale = 0;
		return true;
	}
	/* d = mantissa * 2^exp2 exactly, with |mantissa| < 2^53 */
	mantissa = (int64) ldexp(frexp(d, &exp2), 53);
	exp2 -= 53;
	zeros = __builtin_ctzll((uint64) mantissa);
	mantissa >>= zeros;
	exp2 += zeros;
	if (exp2 >= 0)
	{
		if (exp2 > MAX_BINARY_DIGITS - 53)
			return false;
		*units = (int128) mantissa << exp2;
		*scale = 0;
		return true;
	}
	*units = mantissa;
	*scale = -exp2;
	return true;
}

#endif
