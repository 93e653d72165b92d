/*
 * shares.c — the definitions that need the whole order, by a descending
 * sort: Pareto shares, the Pareto summary (with the Gini coefficient) and
 * the Lorenz curve (README.md "Exact definitions", "pareto_summary",
 * "lorenz_curve").
 */
#include "postgres.h"

#include "miscadmin.h"

#include "shares.h"
#include "tiers.h"

/* Whether a number of Lorenz curve points is allowed. */
bool
lorenz_points_valid(int32 points)
{
	return points >= 2 && points <= LORENZ_POINTS_MAX;
}

/* Checks the number of points of a Lorenz curve. */
void
check_lorenz_points(int32 points)
{
	if (!lorenz_points_valid(points))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points must be between 2 and %d, got %d",
						LORENZ_POINTS_MAX, points),
				 errdetail("The curve has one point per step of 1/(points - 1) of the accounts.")));
}

/*
 * Sorts the set descending for the definitions that need the whole order;
 * returns the number of positive items, and their total in *total.
 */
static int64
sort_positive(ValueSet *vs, ExactSum *total)
{
	int64		npos;

	vs_sort(vs);
	npos = vs_positive_count(vs);
	vs_positive_total(vs, npos, total);
	return npos;
}

/*
 * pareto_share of every item of a set that tracks rows, stored at the
 * item's row: cum(G)/T for an item of positive tie group G, 1 for items
 * <= 0.  False (and nothing stored) when T = 0.
 */
bool
pareto_shares_by_row(ValueSet *vs, double *by_row)
{
	ExactSum		total;
	int64		npos = sort_positive(vs, &total);
	ExactSum		cum;

	Assert(vs->rows != NULL);
	if (vs_sum_is_zero(vs, &total))
		return false;
	vs_sum_init(vs, &cum);
	for (int64 start = 0; start < npos;)
	{
		int64		end = vs_group_end(vs, start);
		double		share;

		CHECK_FOR_INTERRUPTS();
		for (int64 i = start; i < end; i++)
			vs_sum_add(vs, &cum, i);
		share = vs_sum_ratio(vs, &cum, &total);
		for (; start < end; start++)
			by_row[vs->rows[start]] = share;
	}
	for (int64 i = npos; i < vs->n; i++)
		by_row[vs->rows[i]] = 1.0;
	return true;
}

/*
 * Gini coefficient of max(v, 0) over all n rows, from the ranks of the sorted
 * values: G = sum over ascending ranks r of (2r - n - 1) x_r / (n T), that
 * is ((n - 1) T - 2 R) / (n T) with R = sum of i x_i over the descending
 * 0-based ranks i.  Numerator and denominator are exact, and the quotient is
 * rounded once: 0 for equal values, never negative, the same everywhere.
 */
static double
gini_of(const ValueSet *vs, int64 npos, const ExactSum *total)
{
	Numeric		t = vs_sum_exact(vs, total);
	Numeric		n = int64_to_numeric(vs->n);
	Numeric		factor = NULL;
	Numeric		numerator;

	/*
	 * 2 n T must stay within numeric's range (below 10^131072): past 10^131000
	 * the values are scaled by 10^-d first, exactly (d more decimals), with
	 * 10^(d - 4) > 2 n.  The quotient does not change.
	 */
	if (vs->kind == VS_NUMERIC && numeric_compare(t, power_of_ten(131000)) > 0)
	{
		char		digits[24];

		snprintf(digits, sizeof(digits), INT64_FORMAT, 2 * vs->n);
		factor = power_of_ten(-((int) strlen(digits) + 4));
		t = numeric_mul_opt_error(t, factor, NULL);
	}
	numerator =
		numeric_sub_opt_error(numeric_mul_opt_error(int64_to_numeric(vs->n - 1), t, NULL),
							  numeric_mul_opt_error(int64_to_numeric(2),
													vs_rank_sum(vs, npos, total, factor), NULL),
							  NULL);
	return numeric_ratio(numerator, numeric_mul_opt_error(n, t, NULL));
}

/* The fields of pareto_summary for a non-empty set (sorts it). */
ParetoStats
pareto_stats(ValueSet *vs)
{
	ParetoStats stats;
	ExactSum		total;
	int64		npos = sort_positive(vs, &total);
	int64		top20 = (vs->n + 4) / 5;
	ExactSum		top;

	memset(&stats, 0, sizeof(stats));
	stats.accounts = vs->n;
	stats.positive_total = vs_sum_numeric(vs, &total);
	stats.has_shares = !vs_sum_is_zero(vs, &total);
	if (!stats.has_shares)
		return stats;

	stats.gini = gini_of(vs, npos, &total);
	vs_sum_of_top(vs, Min(top20, npos), &top);
	stats.top20_share = vs_sum_ratio(vs, &top, &total);
	/* last: the split reorders the items */
	stats.accounts_for_80 = (double) split_tiers(vs, SPLIT_BY_VALUE, numeric_from_text("0.8"),
												 int64_to_numeric(1), NULL).a_rows / vs->n;
	return stats;
}

/*
 * The Lorenz curve at `points' evenly spaced account shares: element k holds
 * the share of T of the top k/(points-1) of the n accounts, interpolating
 * linearly inside an account.  False when T = 0.
 */
bool
lorenz_points(ValueSet *vs, int32 points, double *out)
{
	ExactSum		total;
	int64		npos = sort_positive(vs, &total);
	int64		taken = 0;
	ExactSum		cum;
	/* each share is computed once, however many points fall on it */
	int64		cum_share_of = -1;
	double		cum_share = 0;
	int64		item_share_of = -1;
	double		item_share = 0;

	if (vs_sum_is_zero(vs, &total))
		return false;
	vs_sum_init(vs, &cum);
	for (int32 k = 0; k < points; k++)
	{
		int128		scaled = (int128) k * vs->n;
		int64		whole = (int64) (scaled / (points - 1));
		int64		part = (int64) (scaled % (points - 1));

		CHECK_FOR_INTERRUPTS();
		for (; taken < Min(whole, npos); taken++)
			vs_sum_add(vs, &cum, taken);
		if (cum_share_of != taken)
		{
			cum_share = vs_sum_ratio(vs, &cum, &total);
			cum_share_of = taken;
		}
		out[k] = cum_share;
		if (part > 0 && whole < npos)
		{
			if (item_share_of != whole)
			{
				item_share = vs_item_ratio(vs, whole, &total);
				item_share_of = whole;
			}
			out[k] += item_share * part / (points - 1);
		}
	}
	return true;
}
