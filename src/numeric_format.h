/*
 * numeric_format.h — numeric's on-disk format, private to PostgreSQL's
 * numeric.c, and the hot decoders that read it.  Only the files that decode
 * numeric values include it: decode.c, state.c, values.c, probe.c, sums.c
 * and exact_sum.c.
 */
#ifndef ACCOUNT_TIER_NUMERIC_FORMAT_H
#define ACCOUNT_TIER_NUMERIC_FORMAT_H

#include "decode.h"

/*
 * The format: a 16-bit header, in the long form a 16-bit weight, then
 * base-10000 digits without leading or trailing zero digits, the first of
 * weight `weight'.  The header's two high bits tell the form: short (10),
 * long positive (00) or negative (01), or special (11: NaN and the
 * infinities, whose header is all that is stored).  A short header holds
 * the sign, a display scale of at most 63 and a weight from -64 to 63; a
 * long one the display scale, at most 16383.  Reading it directly avoids a
 * detoasting copy and a text round trip per value on the hot path;
 * decimal_units_numeric (decode.c) writes it as numeric.c's make_result
 * does.
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
#define NBASE 10000

#define MAX_NBASE_DIGITS 10		/* base-10000 digits of an int128 */

StaticAssertDecl(MAX_DECIMAL_SCALE == NUMERIC_DSCALE_MASK,
				 "MAX_DECIMAL_SCALE is numeric's largest display scale");

/* Reads a 16-bit field of a possibly unaligned packed numeric. */
static inline uint16
read_u16(const char *p)
{
	uint16		v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A 16-bit field of a numeric's data as a signed digit or weight. */
static inline int16
read_i16(const char *p)
{
	return (int16) read_u16(p);
}

/* Whether a numeric's header is that of NaN or an infinity. */
static inline bool
numeric_header_special(uint16 header)
{
	return (header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL;
}

/*
 * What the header of a finite numeric says: its sign, weight and display
 * scale, and where its digits are in the data (after the varlena header).
 */
typedef struct NumericHead
{
	bool		negative;
	int			weight;
	int			dscale;
	int			first;			/* offset of the first digit */
	int			ndigits;
} NumericHead;

/* Reads the header of the finite numeric whose `len' data bytes are at p. */
static inline void
numeric_head(const char *p, Size len, NumericHead *head)
{
	uint16		header = read_u16(p);

	if ((header & NUMERIC_SHORT) != 0)
	{
		head->negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		head->weight = (header & NUMERIC_SHORT_WEIGHT_SIGN_MASK) ?
			(int) (~NUMERIC_SHORT_WEIGHT_MASK | (header & NUMERIC_SHORT_WEIGHT_MASK)) :
			(int) (header & NUMERIC_SHORT_WEIGHT_MASK);
		head->dscale = (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
		head->first = sizeof(uint16);
	}
	else
	{
		head->negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		head->weight = read_i16(p + sizeof(uint16));
		head->dscale = header & NUMERIC_DSCALE_MASK;
		head->first = 2 * sizeof(uint16);
	}
	head->ndigits = (len - head->first) / sizeof(int16);
}

/* The display scale of a finite numeric. */
static inline int
numeric_display_scale(Numeric num)
{
	NumericHead head;

	numeric_head(VARDATA_ANY(num), VARSIZE_ANY_EXHDR(num), &head);
	return head.dscale;
}

/* A numeric datum as a plain or short varlena; only toasted ones are copied. */
static inline struct varlena *
packed_varlena(Datum value)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(value);

	if (unlikely(VARATT_IS_COMPRESSED(ptr) || VARATT_IS_EXTERNAL(ptr)))
		return pg_detoast_datum_packed(ptr);
	return ptr;
}

/* Trailing decimal zeros of a nonzero base-10000 digit (0 to 3). */
static inline int
trailing_zeros(int digit)
{
	return digit % 1000 == 0 ? 3 : digit % 100 == 0 ? 2 : digit % 10 == 0 ? 1 : 0;
}

/*
 * How many trailing decimal zeros of the last base-10000 digit can go when
 * that digit's weight is 10^exp10 (exp10 < 0): no more than -exp10, so that
 * the scale stays at least 0.
 */
static inline int
strippable_zeros(int digit, int exp10)
{
	int			zeros = trailing_zeros(digit);

	return exp10 > -zeros ? -exp10 : zeros;
}

/*
 * Decodes a finite numeric into units of 10^-scale at the smallest scale
 * that holds it exactly, and its display scale; false when the units do not
 * fit an int128.  Every input value goes through here (or double_units)
 * once when it is read and once when its row is answered.
 */
static inline bool
numeric_units(const struct varlena *packed, int128 *units, int *scale, int *dscale)
{
	const char *p = VARDATA_ANY(packed);
	NumericHead head;
	const char *digits;
	int128		acc = 0;
	int			exp10;

	numeric_head(p, VARSIZE_ANY_EXHDR(packed), &head);
	digits = p + head.first;
	*dscale = head.dscale;
	if (head.ndigits == 0)
	{
		*units = 0;
		*scale = 0;
		return true;
	}

	/* acc = the digits as one integer; its last digit has weight 10^exp10 */
	exp10 = (head.weight - head.ndigits + 1) * 4;
	if (head.ndigits <= 4)
	{
		/* the common case: at most 16 decimal digits, int64 arithmetic */
		int64		small = 0;

		for (int i = 0; i < head.ndigits; i++)
			small = small * NBASE + read_i16(digits + i * sizeof(int16));
		if (exp10 < 0)
		{
			/* drop trailing decimal zeros: the smallest exact scale */
			int			strip = strippable_zeros(small % NBASE, exp10);

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
		if (head.ndigits > MAX_NBASE_DIGITS)
			return false;
		for (int i = 0; i < head.ndigits; i++)
		{
			if (!mul_units(acc, NBASE, &acc) ||
				__builtin_add_overflow(acc, (int128) read_i16(digits + i * sizeof(int16)), &acc))
				return false;
		}
		if (exp10 < 0)
		{
			int			strip = strippable_zeros((int) (acc % NBASE), exp10);

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
	*units = head.negative ? -acc : acc;
	*scale = -exp10;
	return true;
}

/*
 * Refuses an input value that is NaN or infinite (read from its header for
 * numeric) and, when `decode', decodes it: into units of radix^-scale at
 * the smallest exact scale, and for numeric its display scale (0 for
 * float8).  False when it is not decoded: the caller then holds it as
 * input_exact_numeric.
 */
static inline bool
input_units(int radix, Datum value, bool decode, int128 *units, int *scale, int *dscale)
{
	struct varlena *packed;

	if (radix == RADIX_BINARY)
	{
		double		d = DatumGetFloat8(value);

		check_finite_float8("value", d);
		*dscale = 0;
		return decode && double_units(d, units, scale);
	}
	packed = packed_varlena(value);
	if (unlikely(numeric_header_special(read_u16(VARDATA_ANY(packed)))))
		check_finite_numeric("value", DatumGetNumeric(value));
	return decode && numeric_units(packed, units, scale, dscale);
}

#endif
