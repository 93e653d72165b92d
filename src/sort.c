/*
 * sort.c — the value set's descending sort, for the definitions that need
 * the whole order (shares, summary, Lorenz curve).
 */
#include "postgres.h"

#include "miscadmin.h"

#include "values.h"

/*
 * Fixed-point items are sorted by an in-place MSD radix sort (American flag
 * sort) on their bytes, starting at the highest byte in which any two items
 * differ: for money-like values that is 4 or 5 passes, several times faster
 * than a comparison sort, and it needs no buffer beyond the items.
 */
#define RADIX_SMALL 32

/* Byte `shift'/8 of an item's key; keys ascend as items descend. */
static inline uint8
radix_digit(int128 item, int shift)
{
	uint128		key = ~((uint128) item ^ ((uint128) 1 << 127));

	return (uint8) (key >> shift);
}

/* Insertion sort, descending, for the small buckets radix sort leaves. */
static void
insertion_sort_desc(int128 *items, int64 *rows, int64 n)
{
	for (int64 i = 1; i < n; i++)
	{
		int128		v = items[i];
		int64		r = rows ? rows[i] : 0;
		int64		j = i;

		for (; j > 0 && items[j - 1] < v; j--)
		{
			items[j] = items[j - 1];
			if (rows)
				rows[j] = rows[j - 1];
		}
		items[j] = v;
		if (rows)
			rows[j] = r;
	}
}

/*
 * Sorts items descending by their bytes at `shift' and below; rows, when
 * given, move with their items.
 */
static void
radix_sort_desc(int128 *items, int64 *rows, int64 n, int shift)
{
	int64		count[256] = {0};
	int64		next[256];
	int64		end[256];
	int64		at = 0;

	if (n <= RADIX_SMALL)
	{
		insertion_sort_desc(items, rows, n);
		return;
	}
	CHECK_FOR_INTERRUPTS();
	for (int64 i = 0; i < n; i++)
		count[radix_digit(items[i], shift)]++;
	for (int b = 0; b < 256; b++)
	{
		next[b] = at;
		at += count[b];
		end[b] = at;
	}
	/* move each item straight to its bucket, cycle by cycle */
	for (int b = 0; b < 256; b++)
	{
		while (next[b] < end[b])
		{
			int128		v = items[next[b]];
			int64		r = rows ? rows[next[b]] : 0;
			int			d = radix_digit(v, shift);

			while (d != b)
			{
				int128		displaced = items[next[d]];

				items[next[d]] = v;
				v = displaced;
				if (rows)
				{
					int64		displaced_row = rows[next[d]];

					rows[next[d]] = r;
					r = displaced_row;
				}
				next[d]++;
				d = radix_digit(v, shift);
			}
			items[next[b]] = v;
			if (rows)
				rows[next[b]] = r;
			next[b]++;
		}
	}
	if (shift == 0)
		return;
	for (int b = 0, start = 0; b < 256; start += count[b], b++)
	{
		if (count[b] > 1)
			radix_sort_desc(items + start, rows ? rows + start : NULL, count[b], shift - 8);
	}
}

/* Sorts fixed-point items descending (with their rows, when given). */
static void
sort_fixed_desc(int128 *items, int64 *rows, int64 n)
{
	uint128		differ = 0;
	int			shift = 0;

	for (int64 i = 1; i < n; i++)
		differ |= (uint128) items[i] ^ (uint128) items[0];
	while (shift < 120 && (differ >> (shift + 8)) != 0)
		shift += 8;
	if (differ != 0)
		radix_sort_desc(items, rows, n, shift);
}

/* A numeric item with its row, for sorting a numeric set that tracks rows. */
typedef struct NumericRow
{
	Numeric		value;
	int64		row;
} NumericRow;

#define ST_SORT sort_numeric_desc
#define ST_ELEMENT_TYPE Numeric
#define ST_COMPARE(a, b) numeric_compare(*(b), *(a))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

#define ST_SORT sort_numeric_rows_desc
#define ST_ELEMENT_TYPE NumericRow
#define ST_COMPARE(a, b) numeric_compare((b)->value, (a)->value)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* Sorts numeric items descending, moving their rows along. */
static void
sort_numeric_with_rows(ValueSet *vs)
{
	Numeric    *items = (Numeric *) vs->items;
	NumericRow *pairs = alloc_per_value(CurrentMemoryContext, vs->n, sizeof(NumericRow));

	for (int64 i = 0; i < vs->n; i++)
	{
		pairs[i].value = items[i];
		pairs[i].row = vs->rows[i];
	}
	sort_numeric_rows_desc(pairs, vs->n);
	for (int64 i = 0; i < vs->n; i++)
	{
		items[i] = pairs[i].value;
		vs->rows[i] = pairs[i].row;
	}
	pfree(pairs);
}

/* Orders the items from largest to smallest (once; later calls are free). */
void
vs_sort(ValueSet *vs)
{
	if (vs->sorted)
		return;
	if (vs->kind == VS_FIXED)
		sort_fixed_desc((int128 *) vs->items, vs->rows, vs->n);
	else if (vs->rows != NULL)
		sort_numeric_with_rows(vs);
	else
		sort_numeric_desc((Numeric *) vs->items, vs->n);
	vs->sorted = true;
}

