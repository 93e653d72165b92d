/*
 * decode.c — exact conversions between numeric or float8 values and int128
 * units: numeric values as units of 10^-scale, float8 values as units of
 * 2^-scale, each at the smallest scale that holds the value exactly; and the
 * numeric helpers of the layers above.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "numeric_format.h"

/*
 * Refuses NaN and infinities (README "Errors"): a value, a cutoff or a
 * weight is a finite number.  One message for all of them, naming which.
 */
void
check_finite_float8(const char *name, double value)
{
	if (unlikely(!isfinite(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number, got %s",
						name, float8out_internal(value)),
				 errdetail("Shares, tiers and visits are defined for finite numbers only.")));
}

/* Refuses a numeric NaN or infinity: as NaN or an infinite double, the same. */
void
check_finite_numeric(const char *name, Numeric num)
{
	if (numeric_is_nan(num) || numeric_is_inf(num))
		check_finite_float8(name, numeric_as_double(num));
}

/* 10^k for k = 0 .. MAX_DECIMAL_DIGITS. */
const int128 pow10_table[MAX_DECIMAL_DIGITS + 1] = {
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

/* A numeric from its text: a constant, or digits printed here. */
Numeric
numeric_from_text(const char *text)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/*
 * The decimal digits of a magnitude, most significant first, into `out'
 * (room for 40); returns how many.  Two 128-bit divisions at most, then
 * 64-bit arithmetic.
 */
static int
magnitude_digits(uint128 mag, char *out)
{
	const uint64 chunk = UINT64CONST(10000000000000000000);	/* 10^19 */
	uint64		parts[3];
	int			nparts = 0;
	int			n = 0;

	do
	{
		parts[nparts++] = (uint64) (mag % chunk);
		mag /= chunk;
	} while (mag != 0);

	for (int p = nparts - 1; p >= 0; p--)
	{
		char		buf[20];
		int			len = 0;
		uint64		v = parts[p];

		do
		{
			buf[len++] = '0' + (int) (v % 10);
			v /= 10;
		} while (v != 0);
		/* every part but the leading one has all 19 digits */
		if (p != nparts - 1)
			while (len < 19)
				buf[len++] = '0';
		while (len > 0)
			out[n++] = buf[--len];
	}
	return n;
}

/*
 * The numeric units * 10^-scale, shown with max(scale, dscale) decimals,
 * built directly in the on-disk format (see numeric_format.h) as numeric.c's
 * make_result does: base-10000 digits without leading or trailing zero
 * digits, the short header when the display scale and weight allow it.
 */
Numeric
decimal_units_numeric(int128 units, int scale, int dscale)
{
	bool		negative = units < 0;
	char		dec[40];
	int			ndec = units == 0 ? 0 : magnitude_digits(negative ? -(uint128) units : (uint128) units, dec);
	/* decimal zeros appended so that the point falls between base-10000 digits */
	int			pad = (4 - scale % 4) % 4;
	int			total = ndec + pad;
	int			ndigits = (total + 3) / 4;
	int			weight = ndigits - 1 - (scale + pad) / 4;
	int16		digits[(40 + 3 + 3) / 4];
	int			first_dec = ndigits * 4 - total;	/* leading zeros of the first digit */
	Numeric		result;
	Size		len;
	char	   *p;

	dscale = Max(dscale, scale);
	for (int i = 0; i < ndigits; i++)
	{
		int			d = 0;

		for (int k = 0; k < 4; k++)
		{
			int			pos = i * 4 + k - first_dec;	/* index into dec, then pad */

			d = d * 10 + (pos >= 0 && pos < ndec ? dec[pos] - '0' : 0);
		}
		digits[i] = (int16) d;
	}
	while (ndigits > 0 && digits[ndigits - 1] == 0)
		ndigits--;
	if (ndigits == 0)
	{
		weight = 0;
		negative = false;
	}

	if (dscale > MAX_DECIMAL_SCALE || weight > PG_INT16_MAX || weight < PG_INT16_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value overflows numeric format")));

	if (dscale <= (NUMERIC_SHORT_DSCALE_MASK >> NUMERIC_SHORT_DSCALE_SHIFT) &&
		weight <= NUMERIC_SHORT_WEIGHT_MASK && weight >= -(NUMERIC_SHORT_WEIGHT_MASK + 1))
	{
		uint16		header = NUMERIC_SHORT | (negative ? NUMERIC_SHORT_SIGN_MASK : 0) |
			(dscale << NUMERIC_SHORT_DSCALE_SHIFT) |
			(weight < 0 ? NUMERIC_SHORT_WEIGHT_SIGN_MASK : 0) |
			(weight & NUMERIC_SHORT_WEIGHT_MASK);

		len = VARHDRSZ + sizeof(uint16) + ndigits * sizeof(int16);
		result = palloc(len);
		p = VARDATA(result);
		memcpy(p, &header, sizeof(header));
		p += sizeof(header);
	}
	else
	{
		uint16		sign_dscale = (negative ? NUMERIC_NEG : 0) | dscale;
		int16		weight16 = (int16) weight;

		len = VARHDRSZ + 2 * sizeof(uint16) + ndigits * sizeof(int16);
		result = palloc(len);
		p = VARDATA(result);
		memcpy(p, &sign_dscale, sizeof(sign_dscale));
		memcpy(p + sizeof(uint16), &weight16, sizeof(weight16));
		p += 2 * sizeof(uint16);
	}
	SET_VARSIZE(result, len);
	memcpy(p, digits, ndigits * sizeof(int16));
	return result;
}

/* 10^exponent; a negative exponent gives it its decimals as display scale. */
Numeric
power_of_ten(int exponent)
{
	return decimal_units_numeric(1, -exponent, Max(-exponent, 0));
}

/* The display scale of a finite numeric: the digits it has after the point. */
int
numeric_scale_of(Numeric num)
{
	return numeric_display_scale(num);
}

/* units * 2^-scale as the nearest double. */
double
binary_units_double(int128 units, int scale)
{
	return ldexp((double) units, -scale);
}

/* base^power by repeated squaring; numeric multiplication is exact. */
static Numeric
numeric_power_exact(Numeric base, int power)
{
	Numeric		result = int64_to_numeric(1);

	for (; power > 0; power >>= 1)
	{
		if (power & 1)
			result = numeric_mul_opt_error(result, base, NULL);
		if (power > 1)
			base = numeric_mul_opt_error(base, base, NULL);
	}
	return result;
}

/*
 * units * 2^-scale (scale may be negative) as an exact numeric: shifted
 * when that fits 128 bits, else units * 0.5^scale or units * 2^-scale in
 * exact numeric arithmetic.
 */
Numeric
binary_units_numeric(int128 units, int scale)
{
	Numeric		exact;
	int128		shifted;

	if (scale <= 0 && rescale_units(RADIX_BINARY, units, -scale, &shifted))
		return decimal_units_numeric(shifted, 0, 0);
	exact = decimal_units_numeric(units, 0, 0);
	return numeric_mul_opt_error(exact,
								 scale > 0 ?
								 numeric_power_exact(numeric_from_text("0.5"), scale) :
								 numeric_power_exact(int64_to_numeric(2), -scale),
								 NULL);
}

/*
 * The exact decimal value of a double.  (Printing the digits would not do:
 * PostgreSQL's snprintf gives at most 350 of them, and a double below about
 * 2^-502 has more.)
 */
static Numeric
exact_numeric_of_double(double d)
{
	int			exp2;
	int64		mantissa;

	if (d == 0)
		return int64_to_numeric(0);
	/* d = mantissa * 2^(exp2 - 53) exactly */
	mantissa = (int64) ldexp(frexp(d, &exp2), 53);
	return binary_units_numeric(mantissa, 53 - exp2);
}

/* units * radix^-scale as an exact numeric. */
Numeric
units_exact_numeric(int radix, int128 units, int scale)
{
	if (radix == RADIX_DECIMAL)
		return decimal_units_numeric(units, scale, scale);
	return binary_units_numeric(units, scale);
}

/* A finite input value (numeric or float8, by radix) as an exact numeric. */
Numeric
input_exact_numeric(int radix, Datum value)
{
	if (radix == RADIX_BINARY)
		return exact_numeric_of_double(DatumGetFloat8(value));
	return DatumGetNumeric(value);
}

/*
 * The shortest decimal not above a double that converts back to it: d's
 * digits rounded down to 1, 2, ... significant digits until one converts
 * back (18 always do: the doubles are 2^-53 of d apart at least, 18 digits
 * 10^-17).  A limit of float8 values is such a decimal: compared exactly, it
 * admits exactly the doubles >= d; cast to float8, it gives d.
 */
Numeric
double_numeric_not_above(double d)
{
	Numeric		exact;

	if (!isfinite(d))
		elog(ERROR, "a limit of float8 values must be a finite double, got %g", d);
	exact = exact_numeric_of_double(d);
	if (d == 0)
		return exact;
	for (int digits = 1; digits <= 20; digits++)
	{
		char		text[64];
		Numeric		candidate;

		/* d to `digits' digits, nearest; one unit of the last digit less if above */
		snprintf(text, sizeof(text), "%.*e", digits - 1, d);
		candidate = numeric_from_text(text);
		if (numeric_compare(candidate, exact) > 0)
		{
			int			exponent = atoi(strchr(text, 'e') + 1);

			snprintf(text, sizeof(text), "1e%d", exponent - (digits - 1));
			candidate = numeric_sub_opt_error(candidate, numeric_from_text(text), NULL);
		}
		if (numeric_as_double(candidate) == d)
			return candidate;
	}
	elog(ERROR, "no decimal of at most 20 digits converts back to %.17g", d);
	return NULL;				/* keep compiler quiet */
}

/*
 * The smallest double >= num, or +infinity when num is above every double:
 * v >= num exactly when v >= this, for every double v.
 */
double
numeric_ceil_double(Numeric num)
{
	double		d = numeric_as_double(num);

	if (isinf(d))
		return d > 0 ? d : -DBL_MAX;
	if (numeric_compare(exact_numeric_of_double(d), num) < 0)
		d = nextafter(d, HUGE_VAL);
	return d;
}

/* Leading zero bits of a nonzero 128-bit number. */
static inline int
clz128(uint128 x)
{
	uint64		high = (uint64) (x >> 64);

	return high != 0 ? __builtin_clzll(high) : 64 + __builtin_clzll((uint64) x);
}

/*
 * num / den (0 <= num <= den, 0 < den) rounded once to the nearest double:
 * directly when both are exact doubles; else from the 64-bit quotient of the
 * normalized operands, found like one digit of Knuth's long division in
 * base 2^64 (an estimate from the high words, at most 2 too large), and a
 * sticky bit for the remainder.
 */
double
units_ratio(int128 num, int128 den)
{
	const uint128 exact_double = (uint128) 1 << 53;
	uint128		n = (uint128) num;
	uint128		d = (uint128) den;
	int			nshift;
	uint64		dh;
	uint64		nh;
	uint64		nl;
	uint64		q;
	uint128		estimate;
	uint128		p0;
	uint128		p1;
	uint128		carry;
	uint64		lo;
	uint64		mid;
	uint64		hi;

	Assert(num >= 0 && num <= den && den > 0);
	if (n < exact_double && d < exact_double)
		return (double) n / (double) d;
	if (n == 0 || n == d)
		return n == 0 ? 0 : 1;
	/* d with its top bit set, n < d moved up to bit 126 (or left at 127) */
	n <<= clz128(d);
	d <<= clz128(d);
	nshift = clz128(n) > 0 ? clz128(n) - 1 : 0;
	n <<= nshift;
	dh = (uint64) (d >> 64);
	nh = (uint64) (n >> 64);
	nl = (uint64) n;

	/* q = floor(n * 2^64 / d) < 2^64, and [hi, mid, lo] = q * d */
	estimate = n / dh;
	q = (estimate >> 64) != 0 ? PG_UINT64_MAX : (uint64) estimate;
	p0 = (uint128) q * (uint64) d;
	p1 = (uint128) q * dh;
	carry = (p0 >> 64) + (uint64) p1;
	lo = (uint64) p0;
	mid = (uint64) carry;
	hi = (uint64) (p1 >> 64) + (uint64) (carry >> 64);
	while (hi > nh || (hi == nh && (mid > nl || (mid == nl && lo > 0))))
	{
		uint128		low = ((uint128) mid << 64) | lo;

		hi -= low < d;
		low -= d;
		mid = (uint64) (low >> 64);
		lo = (uint64) low;
		q--;
	}
	/* q has 62 bits or more: bit 0 can carry the sticky bit */
	return ldexp((double) (q | (hi != nh || mid != nl || lo != 0)), -64 - nshift);
}

/*
 * log2 of a positive finite numeric, roughly (from its first two base-10000
 * digits and its weight): enough to place a quotient within a bit.
 */
static double
numeric_log2_estimate(Numeric num)
{
	const char *p = VARDATA_ANY(num);
	NumericHead head;
	double		lead;

	numeric_head(p, VARSIZE_ANY_EXHDR(num), &head);
	lead = read_i16(p + head.first);
	if (head.ndigits >= 2)
		lead += read_i16(p + head.first + sizeof(int16)) / (double) NBASE;
	return log2(lead) + head.weight * log2((double) NBASE);
}

/*
 * num / den (0 <= num, 0 < den, exact numerics) rounded once to the nearest
 * double: q = trunc(num * 2^shift / den), exactly, with `shift' chosen so
 * that q has 64 bits, then a sticky bit for the remainder.  (Below 2^-1022,
 * where doubles lose bits, the result is rounded twice.)
 */
double
numeric_ratio(Numeric num, Numeric den)
{
	double		log2_ratio;
	int			shift;

	if (numeric_sign_of(num) == 0)
		return 0;
	log2_ratio = numeric_log2_estimate(num) - numeric_log2_estimate(den);
	/*
	 * Past the double range either way the answer is known without the
	 * exact quotient, whose power of 2 would have hundreds of thousands of
	 * digits: below 2^-1076 the nearest double is 0, above 2^1025 it is
	 * Infinity (the estimate is within a bit or two).
	 */
	if (log2_ratio < -1080)
		return 0;
	if (log2_ratio > 1030)
		return INFINITY;
	shift = 63 - (int) floor(log2_ratio);
	for (;;)
	{
		Numeric		scaled_num;
		Numeric		scaled_den;
		Numeric		q;
		char	   *text;
		uint64		bits;
		bool		sticky;

		CHECK_FOR_INTERRUPTS();

		/*
		 * num * 2^shift / den, exactly.  2^-k is an exact decimal of k
		 * places: it is applied to the side it shrinks, so that neither
		 * grows past numeric's range near its top, unless that side would
		 * then need more than numeric's 16,383 decimals (and be rounded):
		 * then the other side grows by 2^k instead.
		 */
		if (shift > 0 && numeric_display_scale(den) + shift <= MAX_DECIMAL_SCALE)
		{
			scaled_num = num;
			scaled_den = numeric_mul_opt_error(den, binary_units_numeric(1, shift), NULL);
		}
		else if (shift < 0 && numeric_display_scale(num) - shift <= MAX_DECIMAL_SCALE)
		{
			scaled_num = numeric_mul_opt_error(num, binary_units_numeric(1, -shift), NULL);
			scaled_den = den;
		}
		else
		{
			scaled_num = shift > 0 ? numeric_mul_opt_error(num, binary_units_numeric(1, -shift), NULL) : num;
			scaled_den = shift < 0 ? numeric_mul_opt_error(den, binary_units_numeric(1, shift), NULL) : den;
		}
		q = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
												NumericGetDatum(scaled_num),
												NumericGetDatum(scaled_den)));
		text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(q)));

		/* the estimate is off by a bit at most: adjust until q has 64 bits */
		errno = 0;
		bits = strtoull(text, NULL, 10);
		if (errno == ERANGE)
			shift--;
		else if (bits < UINT64CONST(0x8000000000000000))
			shift++;
		else
		{
			sticky = numeric_compare(numeric_mul_opt_error(q, scaled_den, NULL),
									 scaled_num) != 0;
			return ldexp((double) (bits | sticky), -shift);
		}
	}
}

/* A numeric as the nearest double (0 or infinity past the double range). */
double
numeric_as_double(Numeric num)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
											  NumericGetDatum(num)));
}

/* Compares two numerics: <0, 0, >0. */
int
numeric_compare(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/*
 * -1, 0 or 1 as the numeric is negative (or -Infinity), zero (or NaN) or
 * positive (or Infinity), read from its header without arithmetic.
 */
int
numeric_sign_of(Numeric num)
{
	const char *p = VARDATA_ANY(num);
	uint16		header = read_u16(p);
	NumericHead head;

	if (numeric_header_special(header))
		return header == NUMERIC_PINF ? 1 : header == NUMERIC_NINF ? -1 : 0;
	numeric_head(p, VARSIZE_ANY_EXHDR(num), &head);
	if (head.ndigits == 0)
		return 0;
	return head.negative ? -1 : 1;
}

/* A numeric without trailing zeros: one representation of each value. */
Numeric
numeric_trimmed(Numeric num)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale, NumericGetDatum(num)));
}

/*
 * *sum += x for a numeric sum that no copy shares: the replaced numeric is
 * freed, so that a loop over n values leaves no garbage behind.
 */
void
numeric_accumulate(Numeric *sum, Numeric x)
{
	Numeric		result = numeric_add_opt_error(*sum, x, NULL);

	pfree(*sum);
	*sum = result;
}
