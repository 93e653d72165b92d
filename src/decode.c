/*
 * decode.c — exact conversions between numeric or float8 values and int128
 * units: numeric values as units of 10^-scale, float8 values as units of
 * 2^-scale, each at the smallest scale that holds the value exactly.
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"

#include "decode.h"

#define MAX_DECIMAL_DIGITS 38	/* 10^38 < 2^127 */
#define MAX_BINARY_DIGITS 126

/*
 * The on-disk numeric format (src/backend/utils/adt/numeric.c): a 16-bit
 * header, for the long form a 16-bit weight, then base-10000 digits, the
 * first of weight `weight'.  Reading it directly avoids a detoasting copy and
 * a text round trip per value on the hot path; the format is stable on disk.
 */
#define NUMERIC_SIGN_MASK 0xC000
#define NUMERIC_NEG 0x4000
#define NUMERIC_SPECIAL 0xC000
#define NUMERIC_SHORT_SIGN_MASK 0x2000
#define NUMERIC_SHORT_DSCALE_MASK 0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT 7
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUMERIC_SHORT_WEIGHT_MASK 0x003F
#define NUMERIC_DSCALE_MASK 0x3FFF
#define NBASE 10000

static const int128 pow10_table[MAX_DECIMAL_DIGITS + 1] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, (int128) 10000000000LL, (int128) 100000000000LL,
	(int128) 1000000000000LL, (int128) 10000000000000LL,
	(int128) 100000000000000LL, (int128) 1000000000000000LL,
	(int128) 10000000000000000LL, (int128) 100000000000000000LL,
	(int128) 1000000000000000000LL,
	(int128) 1000000000000000000LL * 10,
	(int128) 1000000000000000000LL * 100,
	(int128) 1000000000000000000LL * 1000,
	(int128) 1000000000000000000LL * 10000,
	(int128) 1000000000000000000LL * 100000,
	(int128) 1000000000000000000LL * 1000000,
	(int128) 1000000000000000000LL * 10000000,
	(int128) 1000000000000000000LL * 100000000,
	(int128) 1000000000000000000LL * 1000000000,
	(int128) 1000000000000000000LL * 10000000000LL,
	(int128) 1000000000000000000LL * 100000000000LL,
	(int128) 1000000000000000000LL * 1000000000000LL,
	(int128) 1000000000000000000LL * 10000000000000LL,
	(int128) 1000000000000000000LL * 100000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000LL,
	(int128) 1000000000000000000LL * 10000000000000000LL,
	(int128) 1000000000000000000LL * 100000000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000000LL * 10,
	(int128) 1000000000000000000LL * 1000000000000000000LL * 100,
};

/* radix^digits, or false when it exceeds an int128. */
bool
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
bool
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

	if ((header & 0x8000) != 0)
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

			small /= (int64) pow10_table[strip];
			exp10 += strip;
		}
		acc = small;
	}
	else
	{
		for (int i = 0; i < ndigits; i++)
		{
			int16		d = (int16) read_u16(digits + i * sizeof(int16));

			if (__builtin_mul_overflow(acc, (int128) NBASE, &acc) ||
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
		if (exp10 > MAX_DECIMAL_DIGITS ||
			__builtin_mul_overflow(acc, pow10_table[exp10], &acc))
			return false;
		exp10 = 0;
	}
	*units = negative ? -acc : acc;
	*scale = -exp10;
	return true;
}

/* The display scale of a finite numeric. */
int
numeric_dscale(const struct varlena *packed)
{
	uint16		header = read_u16(VARDATA_ANY(packed));

	if ((header & 0x8000) != 0)
		return (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
	return header & NUMERIC_DSCALE_MASK;
}

/* Refuses a numeric NaN or infinity, read from its header. */
void
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
bool
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

/* Refuses NaN and infinities: they have no place in a cumulative share. */
void
check_finite_numeric(Numeric num)
{
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value must be a finite number, got %s",
						numeric_is_nan(num) ? "NaN" :
						numeric_sign_of(num) < 0 ? "-Infinity" : "Infinity"),
				 errdetail("Pareto shares and tiers are defined for finite values only.")));
}

/* Refuses NaN and infinities for float8 input. */
void
check_finite_float8(double value)
{
	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value must be a finite number, got %s",
						isnan(value) ? "NaN" : value < 0 ? "-Infinity" : "Infinity"),
				 errdetail("Pareto shares and tiers are defined for finite values only.")));
}

/* A numeric from its text. */
static Numeric
numeric_from_text(const char *text)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* The numeric units * 10^-scale, shown with at least dscale decimals. */
Numeric
decimal_units_numeric(int128 units, int scale, int dscale)
{
	char		digits[64];
	char		text[128];
	int			nd = 0;
	int			pos = 0;
	bool		negative = units < 0;
	uint128		mag = negative ? -(uint128) units : (uint128) units;

	do
	{
		digits[nd++] = '0' + (int) (mag % 10);
		mag /= 10;
	} while (mag != 0);
	while (nd <= scale)
		digits[nd++] = '0';

	if (negative)
		text[pos++] = '-';
	for (int i = nd - 1; i >= 0; i--)
	{
		text[pos++] = digits[i];
		if (i == scale && scale > 0)
			text[pos++] = '.';
	}
	text[pos] = '\0';
	if (dscale <= scale)
		return numeric_from_text(text);
	return DatumGetNumeric(DirectFunctionCall2(numeric_round,
											   NumericGetDatum(numeric_from_text(text)),
											   Int32GetDatum(dscale)));
}

/* units * 2^-scale as the nearest double. */
double
binary_units_double(int128 units, int scale)
{
	return ldexp((double) units, -scale);
}

/* The exact decimal value of a double (glibc prints every digit asked for). */
Numeric
exact_numeric_of_double(double d)
{
	char		text[1100];

	snprintf(text, sizeof(text), "%.767e", d);
	return numeric_from_text(text);
}

/* A double as numeric with 17 significant digits: it converts back exactly. */
Numeric
double_numeric_17(double d)
{
	char		text[64];

	snprintf(text, sizeof(text), "%.17g", d);
	return numeric_from_text(text);
}

/* A numeric as the nearest double (0 or infinity past the double range). */
double
numeric_as_double(Numeric num)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out,
														   NumericGetDatum(num)));

	return strtod(text, NULL);
}

/* Compares two numerics: <0, 0, >0. */
int
numeric_compare(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/* -1, 0 or 1 as the numeric is negative, zero or positive. */
int
numeric_sign_of(Numeric num)
{
	return numeric_compare(num, int64_to_numeric(0));
}
