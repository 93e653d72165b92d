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

/* The numeric units * 10^-scale, shown with at least dscale decimals. */
Numeric
decimal_units_numeric(int128 units, int scale, int dscale)
{
	/* an int128 has at most 39 digits; a scale may ask for more */
	char	   *digits = palloc(Max(scale, 40) + 1);
	char	   *text = palloc(Max(scale, 40) + 4);
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
