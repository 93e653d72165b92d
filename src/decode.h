/*
 * decode.h — exact conversions between the input types (numeric, float8)
 * and int128 units of 10^-scale or 2^-scale, and the numeric helpers the
 * value set needs.
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

/* A numeric datum as a plain or short varlena; only toasted ones are copied. */
static inline struct varlena *
packed_varlena(Datum value)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(value);

	if (unlikely(VARATT_IS_COMPRESSED(ptr) || VARATT_IS_EXTERNAL(ptr)))
		return pg_detoast_datum_packed(ptr);
	return ptr;
}


extern Numeric decimal_units_numeric(int128 units, int scale, int dscale);
extern double binary_units_double(int128 units, int scale);
extern Numeric binary_units_numeric(int128 units, int scale);
extern Numeric exact_numeric_of_double(double d);
extern Numeric double_numeric_not_above(double d);
extern double numeric_ceil_double(Numeric num);
extern double numeric_as_double(Numeric num);
extern double units_ratio(int128 num, int128 den);
extern double numeric_ratio(Numeric num, Numeric den);
extern int	numeric_compare(Numeric a, Numeric b);
extern int	numeric_sign_of(Numeric num);

extern void check_finite_numeric(Numeric num);
extern void check_finite_float8(double value);

/*
 * The hot decoders, inline: every input value goes through one of them,
 * once when it is read and once when its row is answered.
 */
#define MAX_DECIMAL_DIGITS 38	/* 10^38 < 2^127 */
#define MAX_BINARY_DIGITS 126
#define MAX_NBASE_DIGITS 10		/* base-10000 digits of an int128 */

/*
 * The on-disk numeric format, private to numeric.c: a 16-bit header, in the
 * long form a 16-bit weight, then base-10000 digits without leading or
 * trailing zero digits, the first of weight `weight'.  The header's two high
 * bits tell the form: short (10), long positive (00) or negative (01), or
 * special (11: NaN and the infinities, whose header is all that is stored).
 * A short header holds the sign, a display scale of at most 63 and a weight
 * from -64 to 63; a long one the display scale, at most 16383.  Reading it
 * directly avoids a detoasting copy and a text round trip per value on the
 * hot path; decimal_units_numeric (decode.c) writes it as numeric.c's
 * make_result does.
 *
 * Checked against numeric.c of PostgreSQL 15.18, 17.6 and 18.6: these
 * definitions, NUMERIC_CAN_BE_SHORT and make_result are the same in all
 * three.  pg_upgrade keeps data files as they are, so a later version must
 * still read this format, but it could write another: then
 * test/pgtap/numeric_layout.sql fails.
 */
#define NUMERIC_SIGN_MASK 0xC000
#define NUMERIC_NEG 0x4000
#define NUMERIC_SHORT 0x8000	/* the high bit: a 2-byte header */
#define NUMERIC_SPECIAL 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000
#define NUMERIC_SHORT_SIGN_MASK 0x2000
#define NUMERIC_SHORT_DSCALE_MASK 0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT 7
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUMERIC_SHORT_WEIGHT_MASK 0x003F
#define NUMERIC_DSCALE_MASK 0x3FFF
#define NUMERIC_DSCALE_MAX NUMERIC_DSCALE_MASK
#define NBASE 10000

/* The largest scales of exact values: numeric's display scale, 2^-1074. */
#define MAX_DECIMAL_SCALE NUMERIC_DSCALE_MASK
#define MAX_BINARY_SCALE 1074

extern const int128 pow10_table[MAX_DECIMAL_DIGITS + 1];

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

/* Reads a 16-bit field of a possibly unaligned packed numeric. */
static inline uint16
read_u16(const char *p)
{
	uint16		v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Trailing decimal zeros of a nonzero base-10000 digit (0 to 3). */
static inline int
trailing_zeros(int digit)
{
	return digit % 1000 == 0 ? 3 : digit % 100 == 0 ? 2 : digit % 10 == 0 ? 1 : 0;
}

/*
 * Decodes a finite numeric into units of 10^-scale at the smallest scale that
 * holds it exactly; false when the units do not fit an int128.
 */
static inline bool
numeric_units(const struct varlena *packed, int128 *units, int *scale)
{
	const char *p = VARDATA_ANY(packed);
	Size		len = VARSIZE_ANY_EXHDR(packed);
	uint16		header = read_u16(p);
	bool		negative;
	int			weight;
	int			ndigits;
	const char *digits;
	int128		acc = 0;
	int			exp10;

	if ((header & NUMERIC_SHORT) != 0)
	{
		negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		weight = (header & NUMERIC_SHORT_WEIGHT_SIGN_MASK) ?
			(int) (~NUMERIC_SHORT_WEIGHT_MASK | (header & NUMERIC_SHORT_WEIGHT_MASK)) :
			(int) (header & NUMERIC_SHORT_WEIGHT_MASK);
		digits = p + sizeof(uint16);
		ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		weight = (int16) read_u16(p + sizeof(uint16));
		digits = p + 2 * sizeof(uint16);
		ndigits = (len - 2 * sizeof(uint16)) / sizeof(int16);
	}

	if (ndigits == 0)
	{
		*units = 0;
		*scale = 0;
		return true;
	}

	/* acc = the digits as one integer; its last digit has weight 10^exp10 */
	exp10 = (weight - ndigits + 1) * 4;
	if (ndigits <= 4)
	{
		/* the common case: at most 16 decimal digits, int64 arithmetic */
		int64		small = 0;

		for (int i = 0; i < ndigits; i++)
			small = small * NBASE + (int16) read_u16(digits + i * sizeof(int16));
		if (exp10 < 0)
		{
			/* drop trailing decimal zeros: the smallest exact scale */
			int			strip = Min(trailing_zeros(small % NBASE), -exp10);

			/* constant divisors: multiplications, not divisions */
			small = strip == 3 ? small / 1000 : strip == 2 ? small / 100 :
				strip == 1 ? small / 10 : small;
			exp10 += strip;
		}
		acc = small;
	}
	else
	{
		/* the digits of more than MAX_NBASE_DIGITS are at least 10^40 > 2^127 */
		if (ndigits > MAX_NBASE_DIGITS)
			return false;
		for (int i = 0; i < ndigits; i++)
		{
			int16		d = (int16) read_u16(digits + i * sizeof(int16));

			if (!mul_units(acc, NBASE, &acc) ||
				__builtin_add_overflow(acc, (int128) d, &acc))
				return false;
		}
		if (exp10 < 0)
		{
			int			strip = Min(trailing_zeros((int) (acc % NBASE)), -exp10);

			acc /= pow10_table[strip];
			exp10 += strip;
		}
	}
	if (exp10 > 0)
	{
		if (exp10 > MAX_DECIMAL_DIGITS || !mul_units(acc, pow10_table[exp10], &acc))
			return false;
		exp10 = 0;
	}
	*units = negative ? -acc : acc;
	*scale = -exp10;
	return true;
}

/* The display scale of a finite numeric. */
static inline int
numeric_dscale(const struct varlena *packed)
{
	uint16		header = read_u16(VARDATA_ANY(packed));

	if ((header & NUMERIC_SHORT) != 0)
		return (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
	return header & NUMERIC_DSCALE_MASK;
}

/*
 * Whether a varlena holds a finite numeric's header and whole digits: a
 * numeric read back from a serialized aggregate state is checked with it
 * before the decoder reads it.
 */
static inline bool
numeric_well_formed(const struct varlena *packed)
{
	Size		len = VARSIZE_ANY_EXHDR(packed);
	uint16		header;

	if (len < sizeof(uint16))
		return false;
	header = read_u16(VARDATA_ANY(packed));
	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		return false;
	return len % sizeof(int16) == 0 &&
		len >= ((header & NUMERIC_SHORT) != 0 ? 1 : 2) * sizeof(uint16);
}

/* Refuses a numeric NaN or infinity, read from its header. */
static inline void
check_finite_packed(Datum value, const struct varlena *packed)
{
	if ((read_u16(VARDATA_ANY(packed)) & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		check_finite_numeric(DatumGetNumeric(value));
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
