/*
 * sums.c — exact sums of a value set's positive items: totals, running
 * sums, the thresholds of a share of the total, ratios as float8, and the
 * rank sum of the Gini coefficient.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"

#include "numeric_format.h"
#include "values_internal.h"

/* An empty sum of the set's items: units of the set's scale, or a numeric 0. */
void
vs_sum_init(const ValueSet *vs, ExactSum *sum)
{
	sum->units = 0;
	sum->scale = vs->scale;
	sum->wide = vs->kind == VS_NUMERIC ? int64_to_numeric(0) : NULL;
}

/*
 * Adds item i (positive items only: their sums fit, see positive_total).  A
 * numeric sum must not be shared with a copy: the numeric it replaces is
 * freed.
 */
void
vs_sum_add(const ValueSet *vs, ExactSum *sum, int64 i)
{
	if (vs->kind == VS_FIXED)
		sum->units += fixed_items(vs)[i];
	else
		exact_sum_add_numeric(sum, numeric_items(vs)[i]);
}

/*
 * Adds another sum of the same set (sums of positive items: no overflow).
 * The numeric it replaces is kept: sums copied from one another share it.
 */
void
vs_sum_add_sum(const ValueSet *vs, ExactSum *sum, const ExactSum *other)
{
	if (vs->kind == VS_FIXED)
		sum->units += other->units;
	else
		sum->wide = numeric_add_opt_error(sum->wide, other->wide, NULL);
}

/* Sum of the first `count' items (positive items only). */
void
vs_sum_of_top(const ValueSet *vs, int64 count, ExactSum *sum)
{
	vs_sum_init(vs, sum);
	for (int64 i = 0; i < count; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		vs_sum_add(vs, sum, i);
	}
}

/* T, the sum of the positive items, which come first (npos of them). */
void
vs_positive_total(const ValueSet *vs, int64 npos, ExactSum *total)
{
	if (vs->kind == VS_FIXED)
	{
		/* kept up to date as values arrive: no pass over the items */
		vs_sum_init(vs, total);
		total->units = vs->positive_total;
#ifdef USE_ASSERT_CHECKING
		{
			ExactSum	check;

			vs_sum_of_top(vs, npos, &check);
			Assert(check.units == total->units);
		}
#endif
	}
	else
		vs_sum_of_top(vs, npos, total);
}

/* Compares two sums: <0, 0, >0. */
int
vs_sum_cmp(const ValueSet *vs, const ExactSum *x, const ExactSum *y)
{
	if (vs->kind == VS_FIXED)
		return (x->units > y->units) - (x->units < y->units);
	return numeric_compare(x->wide, y->wide);
}

/* x truncated to `scale' decimals, with that display scale. */
static Numeric
numeric_truncated(Numeric x, int scale)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_trunc, NumericGetDatum(x),
											   Int32GetDatum(scale)));
}

/*
 * ceil(fraction * total) to `scale' decimals (fraction, total >= 0, total
 * of at most `scale' decimals), exactly whatever the scales: fraction *
 * total itself may need more decimals than numeric holds.  With total =
 * whole + part (part < 1), U = part * 10^scale (an integer), P = fraction *
 * whole and P = Pm + Pr (Pm truncated to `scale' decimals):
 *
 *     fraction * total * 10^scale = Pm * 10^scale + (Pr * 10^scale + fraction * U),
 *
 * whose first term is an integer, and every product on the right is exact
 * (each has the decimals of one factor only).
 */
static Numeric
ceil_fraction_at_scale(Numeric fraction, Numeric total, int scale)
{
	Numeric		shift = power_of_ten(scale);
	Numeric		whole = numeric_truncated(total, 0);
	Numeric		part_units = numeric_truncated(numeric_mul_opt_error(numeric_sub_opt_error(total, whole, NULL),
																	 shift, NULL), 0);
	Numeric		p = numeric_mul_opt_error(fraction, whole, NULL);
	Numeric		pm = numeric_truncated(p, scale);
	Numeric		rest = numeric_add_opt_error(numeric_mul_opt_error(numeric_sub_opt_error(p, pm, NULL),
																   shift, NULL),
											 numeric_mul_opt_error(fraction, part_units, NULL),
											 NULL);
	Numeric		rest_ceil = DatumGetNumeric(DirectFunctionCall1(numeric_ceil,
																NumericGetDatum(rest)));

	return numeric_add_opt_error(pm, numeric_mul_opt_error(rest_ceil, power_of_ten(-scale), NULL),
								 NULL);
}

/*
 * A threshold s such that, for every sum c of positive items, c < s
 * exactly when c < fraction * total, so that no rounding decides a tier:
 * s = fraction * total rounded up to the sums' unit.  Fixed-point sums are
 * whole units; numeric sums of positive items have at most the total's
 * display scale.
 */
void
vs_sum_fraction(const ValueSet *vs, const ExactSum *total, Numeric fraction, ExactSum *result)
{
	vs_sum_init(vs, result);
	if (vs->kind == VS_FIXED)
	{
		Numeric		ceiling = ceil_fraction_at_scale(fraction,
													 decimal_units_numeric(total->units, 0, 0), 0);
		int			scale;
		int			dscale;

		if (!numeric_units((struct varlena *) ceiling, &result->units, &scale, &dscale) ||
			scale != 0)
			elog(ERROR, "threshold of a fixed-point total out of range");
	}
	else
		result->wide = ceil_fraction_at_scale(fraction, total->wide,
											  numeric_display_scale(total->wide));
}

/*
 * part / total (0 <= part, 0 < total), rounded once to the nearest double;
 * a numeric quotient's temporaries go to the scratch context.
 */
double
vs_sum_ratio(const ValueSet *vs, const ExactSum *part, const ExactSum *total)
{
	MemoryContext old;
	double		ratio;

	if (vs->kind == VS_FIXED)
		return units_ratio(part->units, total->units);
	old = scratch_begin(vs);
	ratio = numeric_ratio(part->wide, total->wide);
	scratch_end(vs, old);
	return ratio;
}

/* Item i as the sum of itself. */
static void
item_sum(const ValueSet *vs, int64 i, ExactSum *sum)
{
	vs_sum_init(vs, sum);
	vs_sum_add(vs, sum, i);
}

/* item i / total as float8 (total > 0). */
double
vs_item_ratio(const ValueSet *vs, int64 i, const ExactSum *total)
{
	ExactSum	item;

	item_sum(vs, i, &item);
	return vs_sum_ratio(vs, &item, total);
}

/* Whether a sum is zero. */
bool
vs_sum_is_zero(const ValueSet *vs, const ExactSum *sum)
{
	if (vs->kind == VS_FIXED)
		return sum->units == 0;
	return numeric_sign_of(sum->wide) == 0;
}

/*
 * A sum (or an item, as the sum of itself) as an exact numeric, in the
 * set's own unit: only for arithmetic among exact sums of one set, where
 * the unit cancels out.
 */
Numeric
vs_sum_exact(const ValueSet *vs, const ExactSum *sum)
{
	if (vs->kind == VS_FIXED)
		return decimal_units_numeric(sum->units, 0, 0);
	return sum->wide;
}

/* Item i as an exact numeric in the set's own unit (see vs_sum_exact). */
Numeric
vs_item_exact(const ValueSet *vs, int64 i)
{
	ExactSum	item;

	item_sum(vs, i, &item);
	return vs_sum_exact(vs, &item);
}

/*
 * How many of the positive items [0, npos) are at least the mean of all n
 * items' positive parts, total / n: exactly, as item * n >= total.
 */
int64
vs_count_at_least_mean(const ValueSet *vs, int64 npos, const ExactSum *total)
{
	int64		count = 0;
	Numeric		n;

	if (vs->kind == VS_FIXED)
	{
		/* item * n >= total exactly when item >= ceil(total / n): whole units */
		int128		least = total->units / vs->n + (total->units % vs->n != 0);

		for (int64 i = 0; i < npos; i++)
			count += fixed_items(vs)[i] >= least;
		return count;
	}
	n = int64_to_numeric(vs->n);
	for (int64 i = 0; i < npos; i++)
	{
		Numeric		scaled = numeric_mul_opt_error(numeric_items(vs)[i], n, NULL);

		if ((i & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		count += numeric_compare(scaled, total->wide) >= 0;
		pfree(scaled);
	}
	return count;
}

/*
 * R = the sum over the positive items [0, npos), sorted descending, of
 * i * x_i (0-based rank i), exactly, in the set's own unit (see
 * vs_sum_exact): R = sum over k of (T - cum_k), cum_k = x_0 + ... + x_k,
 * whose terms fit where the items do.  Fixed-point terms are added in 128
 * bits, and moved into a numeric only when the running sum would overflow.
 */
Numeric
vs_rank_sum(const ValueSet *vs, int64 npos, const ExactSum *total, Numeric factor)
{
	Numeric		sum = int64_to_numeric(0);

	if (vs->kind == VS_FIXED)
	{
		int128		cum = 0;
		int128		acc = 0;

		for (int64 k = 0; k < npos; k++)
		{
			int128		next;

			if ((k & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			cum += fixed_items(vs)[k];
			if (__builtin_add_overflow(acc, total->units - cum, &next))
			{
				numeric_accumulate(&sum, decimal_units_numeric(acc, 0, 0));
				next = total->units - cum;
			}
			acc = next;
		}
		numeric_accumulate(&sum, decimal_units_numeric(acc, 0, 0));
	}
	else
	{
		Numeric		cum = int64_to_numeric(0);
		Numeric		t = factor ? numeric_mul_opt_error(total->wide, factor, NULL) : total->wide;

		for (int64 k = 0; k < npos; k++)
		{
			Numeric		x = numeric_items(vs)[k];
			Numeric		term;

			if ((k & 0xFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (factor)
				x = numeric_mul_opt_error(x, factor, NULL);
			numeric_accumulate(&cum, x);
			if (factor)
				pfree(x);
			term = numeric_sub_opt_error(t, cum, NULL);
			numeric_accumulate(&sum, term);
			pfree(term);
		}
	}
	return sum;
}

/* A sum as the numeric a user sees (see exact_sum_numeric). */
Numeric
vs_sum_numeric(const ValueSet *vs, const ExactSum *sum)
{
	return exact_sum_numeric(sum, vs->radix, vs->dscale);
}
