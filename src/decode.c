/*
 * decode.c — exact conversions between numeric or float8 values and int128
 * units: numeric values as units of 10^-scale, float8 values as units of
 * 2^-scale, each at the smallest scale that holds the value exactly.
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"

#include "decode.h"

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

/* A numeric from its text. */
static Numeric
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
 * built directly in the on-disk format (see decode.h) as numeric.c's
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

	if (dscale > NUMERIC_DSCALE_MAX || weight > PG_INT16_MAX || weight < PG_INT16_MIN)
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
 * The exact decimal value of a double: mantissa * 2^exp2, taken as mantissa
 * * 2^exp2 or mantissa * 0.5^-exp2 in exact numeric arithmetic.  (Printing
 * the digits would not do: PostgreSQL's snprintf gives at most 350 of them,
 * and a double below about 2^-502 has more.)
 */
Numeric
exact_numeric_of_double(double d)
{
	int			exp2;
	int64		mantissa;

	if (d == 0)
		return int64_to_numeric(0);
	mantissa = (int64) ldexp(frexp(d, &exp2), 53);
	exp2 -= 53;
	if (exp2 >= 0)
		return numeric_mul_opt_error(int64_to_numeric(mantissa),
									 numeric_power_exact(int64_to_numeric(2), exp2), NULL);
	return numeric_mul_opt_error(int64_to_numeric(mantissa),
								 numeric_power_exact(numeric_from_text("0.5"), -exp2), NULL);
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
