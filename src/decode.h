/*
 * decode.h — exact conversions between the input types (numeric, float8)
 * and int128 units of 10^-scale or 2^-scale, and the numeric helpers the
 * value set needs.
 */
#ifndef ACCOUNT_TIER_DECODE_H
#define ACCOUNT_TIER_DECODE_H

#include "postgres.h"

#include "utils/numeric.h"

#ifndef HAVE_INT128
#error "account_tier needs a compiler with a 128-bit integer type"
#endif

/* Units count tenths (numeric input) or halves (float8 input). */
#define RADIX_DECIMAL 10
#define RADIX_BINARY 2

/* A numeric datum as a plain or short varlena; only toasted ones are copied. */
static inline struct varlena *
packed_varlena(Datum value)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(value);

	if (unlikely(VARATT_IS_COMPRESSED(ptr) || VARATT_IS_EXTERNAL(ptr)))
		return pg_detoast_datum_packed(ptr);
	return ptr;
}

extern bool numeric_units(const struct varlena *packed, int128 *units, int *scale);
extern int	numeric_dscale(const struct varlena *packed);
extern void check_finite_packed(Datum value, const struct varlena *packed);
extern bool double_units(double d, int128 *units, int *scale);
extern bool scale_factor(int radix, int digits, int128 *factor);

extern Numeric decimal_units_numeric(int128 units, int scale, int dscale);
extern double binary_units_double(int128 units, int scale);
extern Numeric exact_numeric_of_double(double d);
extern Numeric double_numeric_17(double d);
extern double numeric_as_double(Numeric num);
extern int	numeric_compare(Numeric a, Numeric b);
extern int	numeric_sign_of(Numeric num);

extern void check_finite_numeric(Numeric num);
extern void check_finite_float8(double value);

#endif
