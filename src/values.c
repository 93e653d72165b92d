/*
 * values.c — the value set: storage of decoded values, descending sort,
 * partitioning for selection, probing, exact sums, and the aggregate
 * state's wire format.
 *
 * Values are held as int128 units at the largest scale any value needs
 * (decimal for numeric input, binary for float8 input), so that sums and
 * comparisons are exact integer operations.  A set whose values or positive
 * total do not fit falls back to exact numeric datums and arithmetic.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "state.h"
#include "values.h"

#define INT128_MIN_VALUE (-(int128) (((uint128) 1 << 127) - 1) - 1)

/* --- storage ---------------------------------------------------------------- */

static inline Size
item_size(VsKind kind)
{
	return kind == VS_FIXED ? sizeof(int128) : sizeof(Numeric);
}

static inline const int128 *
fixed_items(const ValueSet *vs)
{
	return (const int128 *) vs->items;
}

static inline const Numeric *
numeric_items(const ValueSet *vs)
{
	return (const Numeric *) vs->items;
}

/* The radix for the values of argument `argno': binary for float8. */
int
value_radix_of_arg(FunctionCallInfo fcinfo, int argno)
{
	return get_fn_expr_argtype(fcinfo->flinfo, argno) == FLOAT8OID ?
		RADIX_BINARY : RADIX_DECIMAL;
}

/* Reports that the values of a partition or aggregate do not fit in memory. */
static void
too_many_values(int64 n, Size bytes)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many values in one partition or aggregate"),
			 errdetail("Allocating %zu bytes for %lld values failed.",
					   bytes, (long long) n)));
}

/* An array of n elements of `size' bytes, or a clean error when too large. */
void *
alloc_per_value(MemoryContext mcxt, int64 n, Size size)
{
	void	   *p;

	if ((Size) Max(n, 1) > MaxAllocHugeSize / size)
		too_many_values(n, MaxAllocHugeSize);
	p = MemoryContextAllocExtended(mcxt, Max(n, 1) * size,
								   MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
	if (p == NULL)
		too_many_values(n, Max(n, 1) * size);
	return p;
}

/*
 * Makes room for `more' items, failing cleanly past what can be allocated.
 * Large chunks are reallocated by the C library, which can move them
 * without copying.
 */
static void
vs_reserve(ValueSet *vs, int64 more)
{
	int64		need = vs->n + more;
	int64		newcap;
	Size		bytes;

	if (likely(need <= vs->capacity))
		return;
	newcap = Max(need, vs->capacity * 2);
	if ((Size) newcap > MaxAllocHugeSize / item_size(vs->kind))
		newcap = need;
	if (vs->items == NULL)
	{
		vs->items = alloc_per_value(vs->mcxt, newcap, item_size(vs->kind));
		vs->capacity = newcap;
		return;
	}
	if ((Size) newcap > MaxAllocHugeSize / item_size(vs->kind))
		too_many_values(newcap, MaxAllocHugeSize);
	bytes = (Size) newcap * item_size(vs->kind);
	vs->items = repalloc_extended(vs->items, bytes, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
	if (vs->items == NULL)
		too_many_values(newcap, bytes);
	if (vs->rows != NULL)
	{
		vs->rows = repalloc_extended(vs->rows, (Size) newcap * sizeof(int64),
									 MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
		if (vs->rows == NULL)
			too_many_values(newcap, (Size) newcap * sizeof(int64));
	}
	vs->capacity = newcap;
}

/* Prepares an empty set; `expected' sizes the first allocation. */
void
vs_init(ValueSet *vs, int radix, MemoryContext mcxt, int64 expected)
{
	memset(vs, 0, sizeof(*vs));
	vs->kind = VS_FIXED;
	vs->radix = radix;
	vs->mcxt = mcxt;
	vs->sorted = true;
	vs_reserve(vs, Max(expected, 16));
}

/* units * radix^-scale of a value or a sum of the set, as exact numeric. */
static Numeric
units_exact_numeric(const ValueSet *vs, int128 units, int scale)
{
	if (vs->radix == RADIX_DECIMAL)
		return decimal_units_numeric(units, scale, scale);
	return binary_units_numeric(units, scale);
}

/*
 * The numerics of a VS_NUMERIC set are packed one after another in blocks
 * (no allocation header, no rounding to a power of two): each value costs
 * its pointer and its own bytes, 4-byte aligned.
 */
typedef struct ArenaBlock
{
	struct ArenaBlock *older;
} ArenaBlock;

#define ARENA_HEADER MAXALIGN(sizeof(ArenaBlock))
#define ARENA_FIRST_BLOCK ((Size) 64 * 1024)
#define ARENA_LARGEST_BLOCK ((Size) 16 * 1024 * 1024)

/* A copy of the numeric `value' in the set's arena. */
static Numeric
arena_copy(ValueSet *vs, Numeric value)
{
	Size		len = VARSIZE(value);
	Size		need = INTALIGN(len);
	Numeric		copy;

	if (need > vs->arena_left)
	{
		Size		size = vs->arena == NULL ? ARENA_FIRST_BLOCK :
			Min(2 * (vs->arena_left + (vs->arena_next - (char *) vs->arena)), ARENA_LARGEST_BLOCK);
		ArenaBlock *block;

		size = Max(size, ARENA_HEADER + need);
		block = MemoryContextAllocExtended(vs->mcxt, size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
		if (block == NULL)
			too_many_values(vs->n + 1, size);
		block->older = vs->arena;
		vs->arena = block;
		vs->arena_next = (char *) block + ARENA_HEADER;
		vs->arena_left = size - ARENA_HEADER;
	}
	copy = (Numeric) vs->arena_next;
	memcpy(copy, value, len);
	vs->arena_next += need;
	vs->arena_left -= need;
	return copy;
}

/*
 * Appends a numeric to a numeric set, without trailing zeros: then a value
 * has one representation whichever path stored it.
 */
static void
vs_append_numeric(ValueSet *vs, Numeric value)
{
	Numeric		trimmed = DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale,
															  NumericGetDatum(value)));

	Assert(vs->kind == VS_NUMERIC);
	((Numeric *) vs->items)[vs->n++] = arena_copy(vs, trimmed);
}

/*
 * The conversions of the numeric fallback allocate as they go: they run in
 * the set's scratch context, emptied after each value, so that reading n
 * values never holds more than one value's temporaries.
 */
static MemoryContext
scratch_begin(ValueSet *vs)
{
	return MemoryContextSwitchTo(vs->scratch);
}

static void
scratch_end(ValueSet *vs, MemoryContext old)
{
	MemoryContextSwitchTo(old);
	MemoryContextReset(vs->scratch);
}

/* Switches a fixed-point set to exact numerics, for values too wide for it. */
static void
vs_to_numeric(ValueSet *vs)
{
	int128	   *fixed = (int128 *) vs->items;
	int64		n = vs->n;

	vs->items = alloc_per_value(vs->mcxt, vs->capacity, sizeof(Numeric));
	vs->kind = VS_NUMERIC;
	vs->scratch = AllocSetContextCreate(vs->mcxt, "account_tier numeric values",
										ALLOCSET_DEFAULT_SIZES);
	vs->n = 0;
	for (int64 i = 0; i < n; i++)
	{
		MemoryContext old = scratch_begin(vs);

		CHECK_FOR_INTERRUPTS();
		vs_append_numeric(vs, units_exact_numeric(vs, fixed[i], vs->scale));
		scratch_end(vs, old);
	}
	pfree(fixed);
	vs->positive_total = 0;
	vs->scale = 0;
}

/* Raises every item to a larger scale; false when that overflows. */
static bool
vs_rescale(ValueSet *vs, int scale)
{
	int128	   *items = (int128 *) vs->items;
	int128		factor;
	int128		total;

	if (vs->n == 0)
	{
		vs->scale = scale;
		return true;
	}
	if (!scale_factor(vs->radix, scale - vs->scale, &factor) ||
		__builtin_mul_overflow(vs->positive_total, factor, &total))
		return false;
	for (int64 i = 0; i < vs->n; i++)
	{
		if (items[i] < 0 && items[i] < INT128_MIN_VALUE / factor)
			return false;
	}
	for (int64 i = 0; i < vs->n; i++)
		items[i] *= factor;
	vs->positive_total = total;
	vs->scale = scale;
	return true;
}

/* units * radix^-scale at the set's scale; false when it cannot fit. */
static inline bool
units_at_set_scale(ValueSet *vs, int128 units, int scale, int128 *scaled)
{
	int128		factor;

	if (likely(scale == vs->scale))
	{
		*scaled = units;
		return true;
	}
	if (scale > vs->scale)
	{
		*scaled = units;
		return vs_rescale(vs, scale);
	}
	return scale_factor(vs->radix, vs->scale - scale, &factor) &&
		mul_units(units, factor, scaled);
}

/* Appends units * radix^-scale, falling back to numeric when it cannot fit. */
static inline void
vs_append_fixed(ValueSet *vs, int128 units, int scale)
{
	int128		scaled;
	MemoryContext old;

	if (units_at_set_scale(vs, units, scale, &scaled))
	{
		/* read only now: a rescale has scaled the total too */
		int128		total = vs->positive_total;

		if (scaled <= 0 || !__builtin_add_overflow(total, scaled, &total))
		{
			((int128 *) vs->items)[vs->n++] = scaled;
			vs->positive_total = total;
			return;
		}
	}
	vs_to_numeric(vs);
	old = scratch_begin(vs);
	vs_append_numeric(vs, units_exact_numeric(vs, units, scale));
	scratch_end(vs, old);
}

/* Appends one non-NULL input value; refuses NaN and infinities. */
void
vs_add_datum(ValueSet *vs, Datum value)
{
	int128		units;
	int			scale;
	MemoryContext old;

	vs_reserve(vs, 1);
	vs->sorted = vs->n == 0;

	if (vs->radix == RADIX_BINARY)
	{
		double		d = DatumGetFloat8(value);

		check_finite_float8(d);
		if (vs->kind == VS_FIXED && double_units(d, &units, &scale))
			vs_append_fixed(vs, units, scale);
		else
		{
			if (vs->kind == VS_FIXED)
				vs_to_numeric(vs);
			old = scratch_begin(vs);
			vs_append_numeric(vs, exact_numeric_of_double(d));
			scratch_end(vs, old);
		}
	}
	else
	{
		struct varlena *packed = packed_varlena(value);

		check_finite_packed(value, packed);
		if (vs->kind == VS_FIXED && numeric_units(packed, &units, &scale))
		{
			vs_append_fixed(vs, units, scale);
			vs->dscale = Max(vs->dscale, numeric_dscale(packed));
		}
		else
		{
			if (vs->kind == VS_FIXED)
				vs_to_numeric(vs);
			old = scratch_begin(vs);
			vs_append_numeric(vs, DatumGetNumeric(value));
			scratch_end(vs, old);
		}
	}
}

/* Frees the items (and rows) of a set that is no longer needed. */
void
vs_release(ValueSet *vs)
{
	while (vs->arena != NULL)
	{
		ArenaBlock *older = vs->arena->older;

		pfree(vs->arena);
		vs->arena = older;
	}
	if (vs->scratch != NULL)
		MemoryContextDelete(vs->scratch);
	pfree(vs->items);
	if (vs->rows != NULL)
		pfree(vs->rows);
	vs->items = NULL;
	vs->rows = NULL;
	vs->scratch = NULL;
	vs->arena_next = NULL;
	vs->arena_left = 0;
	vs->n = vs->capacity = 0;
}

/* Makes the set keep each item's row position, for vs_add_row. */
void
vs_track_rows(ValueSet *vs)
{
	Assert(vs->n == 0 && vs->rows == NULL);
	vs->rows = alloc_per_value(vs->mcxt, vs->capacity, sizeof(int64));
}

/* Appends the value of row `row' to a set that tracks rows. */
void
vs_add_row(ValueSet *vs, Datum value, int64 row)
{
	vs_add_datum(vs, value);
	vs->rows[vs->n - 1] = row;
}

/* Adds every value of `from' to `into' (sets of the same radix). */
void
vs_merge(ValueSet *into, const ValueSet *from)
{
	Assert(into->radix == from->radix);
	if (from->n == 0)
		return;
	vs_reserve(into, from->n);
	into->sorted = into->n == 0 && from->sorted;
	into->dscale = Max(into->dscale, from->dscale);
	for (int64 i = 0; i < from->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (from->kind == VS_FIXED && into->kind == VS_FIXED)
			vs_append_fixed(into, fixed_items(from)[i], from->scale);
		else
		{
			MemoryContext old;

			if (into->kind == VS_FIXED)
				vs_to_numeric(into);
			old = scratch_begin(into);
			vs_append_numeric(into, from->kind == VS_FIXED ?
							  units_exact_numeric(from, fixed_items(from)[i], from->scale) :
							  numeric_items(from)[i]);
			scratch_end(into, old);
		}
	}
}

/* --- sorting ---------------------------------------------------------------- */

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

/* --- partitioning: the hot loops of selection --------------------------------- */

/*
 * *sum += x for a numeric sum that no copy shares: the replaced numeric is
 * freed, so that a loop over n items leaves no garbage behind.
 */
static inline void
numeric_accumulate(Numeric *sum, Numeric x)
{
	Numeric		result = numeric_add_opt_error(*sum, x, NULL);

	pfree(*sum);
	*sum = result;
}

/*
 * Dijkstra's three-way partition of items [lo, hi) around `pv': greater
 * items first, then equal ones, then smaller; rows, when tracked, move with
 * their items.  Written once for both item types.
 */
#define SWAP_ROWS(i, j) \
	do { \
		if (rows_ != NULL) \
		{ \
			int64		r_ = rows_[i]; \
			rows_[i] = rows_[j]; \
			rows_[j] = r_; \
		} \
	} while (0)

#define THREE_WAY_PARTITION(TYPE, ITEMS, GREATER, LESS, ADD_GREATER) \
	do { \
		TYPE	   *items_ = (ITEMS); \
		int64	   *rows_ = vs->rows; \
		int64		lt_ = lo, i_ = lo, gt_ = hi; \
		while (i_ < gt_) \
		{ \
			TYPE		x_ = items_[i_]; \
			if (GREATER(x_, pv)) \
			{ \
				items_[i_] = items_[lt_]; \
				items_[lt_] = x_; \
				SWAP_ROWS(i_, lt_); \
				i_++; \
				lt_++; \
				ADD_GREATER(x_); \
			} \
			else if (LESS(x_, pv)) \
			{ \
				gt_--; \
				items_[i_] = items_[gt_]; \
				items_[gt_] = x_; \
				SWAP_ROWS(i_, gt_); \
			} \
			else \
				i_++; \
		} \
		part->gt_end = lt_; \
		part->eq_end = gt_; \
	} while (0)

#define FIXED_GREATER(x, y) ((x) > (y))
#define FIXED_LESS(x, y) ((x) < (y))
#define NUMERIC_GREATER(x, y) (numeric_compare((x), (y)) > 0)
#define NUMERIC_LESS(x, y) (numeric_compare((x), (y)) < 0)
#define ADD_FIXED(x) (part->greater.fixed += (x))
#define ADD_NUMERIC(x) numeric_accumulate(&part->greater.num, (x))

/*
 * Partitions items [lo, hi) around the value of item `pivot' and sums the
 * greater and the equal items.  Sums are meant for positive items.
 */
void
vs_partition(ValueSet *vs, int64 lo, int64 hi, int64 pivot, VsPartition *part)
{
	vs_sum_init(vs, &part->greater);
	vs_sum_init(vs, &part->equal);
	vs->sorted = false;
	if (vs->kind == VS_FIXED)
	{
		int128		pv = fixed_items(vs)[pivot];

		THREE_WAY_PARTITION(int128, (int128 *) vs->items,
							FIXED_GREATER, FIXED_LESS, ADD_FIXED);
		part->equal.fixed = pv * (part->eq_end - part->gt_end);
	}
	else
	{
		Numeric		pv = numeric_items(vs)[pivot];

		THREE_WAY_PARTITION(Numeric, (Numeric *) vs->items,
							NUMERIC_GREATER, NUMERIC_LESS, ADD_NUMERIC);
		part->equal.num = numeric_mul_opt_error(pv,
												int64_to_numeric(part->eq_end - part->gt_end),
												NULL);
	}
}

/*
 * A pivot for items [lo, hi): the median of three items picked by a
 * xorshift64 generator, so that no input order makes a selection slow.
 */
int64
vs_choose_pivot(const ValueSet *vs, int64 lo, int64 hi, uint64 *seed)
{
	int64		pick[3];

	for (int k = 0; k < 3; k++)
	{
		*seed ^= *seed << 13;
		*seed ^= *seed >> 7;
		*seed ^= *seed << 17;
		pick[k] = lo + (int64) (*seed % (uint64) (hi - lo));
	}
	if (vs_item_cmp(vs, pick[0], pick[1]) > 0)
	{
		int64		t = pick[0];

		pick[0] = pick[1];
		pick[1] = t;
	}
	if (vs_item_cmp(vs, pick[1], pick[2]) <= 0)
		return pick[1];
	return vs_item_cmp(vs, pick[0], pick[2]) > 0 ? pick[0] : pick[2];
}

/* Swaps items i and j (and their rows). */
static inline void
vs_swap_items(ValueSet *vs, int64 i, int64 j)
{
	if (vs->rows != NULL)
	{
		int64		r = vs->rows[i];

		vs->rows[i] = vs->rows[j];
		vs->rows[j] = r;
	}
	if (vs->kind == VS_FIXED)
	{
		int128	   *items = (int128 *) vs->items;
		int128		x = items[i];

		items[i] = items[j];
		items[j] = x;
	}
	else
	{
		Numeric    *items = (Numeric *) vs->items;
		Numeric		x = items[i];

		items[i] = items[j];
		items[j] = x;
	}
}

/* Moves the positive items to the front; returns how many there are. */
int64
vs_move_positive_first(ValueSet *vs)
{
	int64		next = 0;

	for (int64 i = 0; i < vs->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!vs_item_positive(vs, i))
			continue;
		if (i != next)
		{
			vs_swap_items(vs, i, next);
			vs->sorted = false;
		}
		next++;
	}
	return next;
}

/* --- reading items ------------------------------------------------------------- */

/* Compares items i and j: <0, 0, >0. */
int
vs_item_cmp(const ValueSet *vs, int64 i, int64 j)
{
	if (vs->kind == VS_FIXED)
		return (fixed_items(vs)[i] > fixed_items(vs)[j]) -
			(fixed_items(vs)[i] < fixed_items(vs)[j]);
	return numeric_compare(numeric_items(vs)[i], numeric_items(vs)[j]);
}

/* Whether item i is greater than zero. */
bool
vs_item_positive(const ValueSet *vs, int64 i)
{
	if (vs->kind == VS_FIXED)
		return fixed_items(vs)[i] > 0;
	return numeric_sign_of(numeric_items(vs)[i]) > 0;
}

/* Number of positive items of a sorted set (they come first). */
int64
vs_positive_count(const ValueSet *vs)
{
	int64		lo = 0;
	int64		hi = vs->n;

	Assert(vs->sorted);
#ifdef USE_ASSERT_CHECKING
	for (int64 i = 1; i < vs->n; i++)
		Assert(vs_item_cmp(vs, i - 1, i) >= 0);
#endif
	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (vs_item_positive(vs, mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First index after the tie group that starts at `start' (sorted set). */
int64
vs_group_end(const ValueSet *vs, int64 start)
{
	int64		end = start + 1;

	while (end < vs->n && vs_item_cmp(vs, start, end) == 0)
		end++;
	return end;
}

/*
 * Item i as the limit a user sees: numeric input with the input's display
 * scale; float8 input as the shortest decimal not above the double that
 * converts back to it, so that abc_classify, comparing exactly, admits the
 * double itself and nothing below it.
 */
Numeric
vs_item_numeric(const ValueSet *vs, int64 i)
{
	if (vs->kind == VS_FIXED)
	{
		if (vs->radix == RADIX_DECIMAL)
			return decimal_units_numeric(fixed_items(vs)[i], vs->scale, vs->dscale);
		return double_numeric_not_above(binary_units_double(fixed_items(vs)[i], vs->scale));
	}
	if (vs->radix == RADIX_DECIMAL)
		return numeric_items(vs)[i];
	return double_numeric_not_above(numeric_as_double(numeric_items(vs)[i]));
}

/* --- probing: one value against the items --------------------------------------- */

/* floor(units / radix^digits), and whether a remainder was dropped. */
static int128
floor_div_scale(int radix, int128 units, int digits, bool *frac)
{
	int128		factor;
	int128		q;

	if (!scale_factor(radix, digits, &factor))
	{
		*frac = units != 0;
		return units < 0 ? -1 : 0;
	}
	q = units / factor;
	*frac = q * factor != units;
	if (*frac && units < 0)
		q--;
	return q;
}

/*
 * Decodes an input value for vs_cmp_probe.  Any finite value can be probed,
 * including one with more digits than the set holds (abc_classify probes a
 * set made of two cutoffs).
 */
void
vs_probe(const ValueSet *vs, Datum value, VsProbe *probe)
{
	int128		units;
	int			scale;
	int128		factor;
	bool		decoded;

	memset(probe, 0, sizeof(*probe));
	if (vs->radix == RADIX_BINARY)
	{
		double		d = DatumGetFloat8(value);

		check_finite_float8(d);
		decoded = vs->kind == VS_FIXED && double_units(d, &units, &scale);
		if (!decoded)
			probe->num = exact_numeric_of_double(d);
	}
	else
	{
		struct varlena *packed = packed_varlena(value);

		check_finite_packed(value, packed);
		decoded = vs->kind == VS_FIXED && numeric_units(packed, &units, &scale);
		if (!decoded)
			probe->num = DatumGetNumeric(value);
	}
	if (!decoded)
		return;
	if (likely(scale == vs->scale))
		probe->fixed = units;
	else if (scale > vs->scale)
		probe->fixed = floor_div_scale(vs->radix, units, scale - vs->scale, &probe->frac);
	else if (units != 0 &&
			 (!scale_factor(vs->radix, vs->scale - scale, &factor) ||
			  !mul_units(units, factor, &probe->fixed)))
		probe->beyond = units > 0 ? 1 : -1;
}

/* vs_cmp_probe for the cases that need numeric arithmetic. */
int
vs_cmp_probe_slow(const ValueSet *vs, int64 i, const VsProbe *probe)
{
	if (vs->kind == VS_NUMERIC)
		return numeric_compare(((const Numeric *) vs->items)[i], probe->num);
	if (probe->beyond != 0)
		return -probe->beyond;
	return numeric_compare(units_exact_numeric(vs, fixed_items(vs)[i], vs->scale),
						   probe->num);
}

/* vs_probe_positive for the cases that need numeric arithmetic. */
bool
vs_probe_positive_slow(const VsProbe *probe)
{
	if (probe->num != NULL)
		return numeric_sign_of(probe->num) > 0;
	return probe->beyond > 0;
}

/* --- exact sums ------------------------------------------------------------------ */

void
vs_sum_init(const ValueSet *vs, VsSum *sum)
{
	sum->fixed = 0;
	sum->num = vs->kind == VS_NUMERIC ? int64_to_numeric(0) : NULL;
}

/*
 * Adds item i (positive items only: their sums fit, see positive_total).  A
 * numeric sum must not be shared with a copy: the numeric it replaces is
 * freed.
 */
void
vs_sum_add(const ValueSet *vs, VsSum *sum, int64 i)
{
	if (vs->kind == VS_FIXED)
		sum->fixed += fixed_items(vs)[i];
	else
		numeric_accumulate(&sum->num, numeric_items(vs)[i]);
}

/* Adds another sum of the same set. */
void
vs_sum_add_sum(const ValueSet *vs, VsSum *sum, const VsSum *other)
{
	if (vs->kind == VS_FIXED)
		sum->fixed += other->fixed;
	else
		sum->num = numeric_add_opt_error(sum->num, other->num, NULL);
}

/* Sum of the first `count' items (positive items only). */
void
vs_sum_of_top(const ValueSet *vs, int64 count, VsSum *sum)
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
vs_positive_total(const ValueSet *vs, int64 npos, VsSum *total)
{
	if (vs->kind == VS_FIXED)
	{
		/* kept up to date as values arrive: no pass over the items */
		vs_sum_init(vs, total);
		total->fixed = vs->positive_total;
#ifdef USE_ASSERT_CHECKING
		{
			VsSum		check;

			vs_sum_of_top(vs, npos, &check);
			Assert(check.fixed == total->fixed);
		}
#endif
	}
	else
		vs_sum_of_top(vs, npos, total);
}

/* Compares two sums: <0, 0, >0. */
int
vs_sum_cmp(const ValueSet *vs, const VsSum *x, const VsSum *y)
{
	if (vs->kind == VS_FIXED)
		return (x->fixed > y->fixed) - (x->fixed < y->fixed);
	return numeric_compare(x->num, y->num);
}

/* 10^exponent; a negative exponent gives it its decimals as display scale. */
static Numeric
power_of_ten(int exponent)
{
	return decimal_units_numeric(1, -exponent, Max(-exponent, 0));
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
vs_sum_fraction(const ValueSet *vs, const VsSum *total, Numeric fraction, VsSum *result)
{
	vs_sum_init(vs, result);
	if (vs->kind == VS_FIXED)
	{
		Numeric		ceiling = ceil_fraction_at_scale(fraction,
													 decimal_units_numeric(total->fixed, 0, 0), 0);
		int			scale;

		if (!numeric_units((struct varlena *) ceiling, &result->fixed, &scale) || scale != 0)
			elog(ERROR, "threshold of a fixed-point total out of range");
	}
	else
		result->num = ceil_fraction_at_scale(fraction, total->num,
											 numeric_dscale((struct varlena *) total->num));
}

/*
 * part / total (0 <= part, 0 < total), rounded once to the nearest double;
 * a numeric quotient's temporaries go to the scratch context.
 */
double
vs_sum_ratio(const ValueSet *vs, const VsSum *part, const VsSum *total)
{
	MemoryContext old;
	double		ratio;

	if (vs->kind == VS_FIXED)
		return units_ratio(part->fixed, total->fixed);
	old = MemoryContextSwitchTo(vs->scratch);
	ratio = numeric_ratio(part->num, total->num);
	MemoryContextSwitchTo(old);
	MemoryContextReset(vs->scratch);
	return ratio;
}

/* item i / total as float8 (total > 0). */
double
vs_item_ratio(const ValueSet *vs, int64 i, const VsSum *total)
{
	VsSum		item;

	vs_sum_init(vs, &item);
	vs_sum_add(vs, &item, i);
	return vs_sum_ratio(vs, &item, total);
}

/* Whether a sum is zero. */
bool
vs_sum_is_zero(const ValueSet *vs, const VsSum *sum)
{
	if (vs->kind == VS_FIXED)
		return sum->fixed == 0;
	return numeric_sign_of(sum->num) == 0;
}

/*
 * A sum (or an item, as the sum of itself) as an exact numeric, in the
 * set's own unit: only for arithmetic among exact sums of one set, where
 * the unit cancels out.
 */
Numeric
vs_sum_exact(const ValueSet *vs, const VsSum *sum)
{
	if (vs->kind == VS_FIXED)
		return decimal_units_numeric(sum->fixed, 0, 0);
	return sum->num;
}

/*
 * How many of the positive items [0, npos) are at least the mean of all n
 * items' positive parts, total / n: exactly, as item * n >= total.
 */
int64
vs_count_at_least_mean(const ValueSet *vs, int64 npos, const VsSum *total)
{
	int64		count = 0;
	Numeric		n;

	if (vs->kind == VS_FIXED)
	{
		/* item * n >= total exactly when item >= ceil(total / n): whole units */
		int128		least = total->fixed / vs->n + (total->fixed % vs->n != 0);

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
		count += numeric_compare(scaled, total->num) >= 0;
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
vs_rank_sum(const ValueSet *vs, int64 npos, const VsSum *total, Numeric factor)
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
			if (__builtin_add_overflow(acc, total->fixed - cum, &next))
			{
				numeric_accumulate(&sum, decimal_units_numeric(acc, 0, 0));
				next = total->fixed - cum;
			}
			acc = next;
		}
		numeric_accumulate(&sum, decimal_units_numeric(acc, 0, 0));
	}
	else
	{
		Numeric		cum = int64_to_numeric(0);
		Numeric		t = factor ? numeric_mul_opt_error(total->num, factor, NULL) : total->num;

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

/*
 * A sum as the numeric a user sees: exact, with the input's display scale
 * for numeric input, without trailing zeros for float8 input (a sum of
 * doubles is rarely a double itself).
 */
Numeric
vs_sum_numeric(const ValueSet *vs, const VsSum *sum)
{
	Numeric		exact;

	if (vs->kind == VS_FIXED && vs->radix == RADIX_DECIMAL)
		return decimal_units_numeric(sum->fixed, vs->scale, vs->dscale);
	if (vs->radix == RADIX_DECIMAL)
		return sum->num;
	exact = vs->kind == VS_FIXED ? binary_units_numeric(sum->fixed, vs->scale) : sum->num;
	return DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale, NumericGetDatum(exact)));
}

/* --- wire format for parallel aggregation ------------------------------------------ */

/* Appends the set to `buf': kind, radix, scales, count, then the items. */
void
vs_serialize(const ValueSet *vs, StringInfo buf)
{
	pq_sendbyte(buf, (uint8) vs->kind);
	pq_sendbyte(buf, (uint8) vs->radix);
	pq_sendint16(buf, (uint16) vs->scale);
	pq_sendint16(buf, (uint16) vs->dscale);
	pq_sendint64(buf, vs->n);
	if (vs->kind == VS_FIXED)
	{
		pq_sendbytes(buf, (char *) vs->items, vs->n * sizeof(int128));
		return;
	}
	for (int64 i = 0; i < vs->n; i++)
	{
		Numeric		v = numeric_items(vs)[i];

		pq_sendint32(buf, VARSIZE(v));
		pq_sendbytes(buf, (char *) v, VARSIZE(v));
	}
}

/*
 * Whether a fixed-point item of a binary set is a double: at most 53
 * significant bits (its scale, at most 1074, makes it no finer than the
 * smallest denormal).
 */
static bool
binary_item_is_double(int128 item)
{
	uint128		magnitude = item < 0 ? -(uint128) item : (uint128) item;

	while (magnitude != 0 && (magnitude & 1) == 0)
		magnitude >>= 1;
	return magnitude < ((uint128) 1 << 53);
}

/*
 * Reads a set written by vs_serialize, checking every length and value: a
 * known kind, scales numeric or float8 can have, items that fit, finite
 * numerics in numeric.c's format, nothing after the last item.
 */
void
vs_deserialize(ValueSet *vs, StringInfo buf, MemoryContext mcxt)
{
	int			kind;
	int			radix;
	int			scale;
	int			dscale;
	int64		n;
	int64		left;

	state_need(buf, 1 + 1 + 2 + 2 + 8);
	kind = pq_getmsgbyte(buf);
	radix = pq_getmsgbyte(buf);
	scale = (int16) pq_getmsgint(buf, 2);
	dscale = (int16) pq_getmsgint(buf, 2);
	n = pq_getmsgint64(buf);
	left = buf->len - buf->cursor;
	if ((kind != VS_FIXED && kind != VS_NUMERIC) ||
		(radix != RADIX_DECIMAL && radix != RADIX_BINARY))
		invalid_state("The value kind is unknown.");
	if (scale < 0 || scale > (radix == RADIX_DECIMAL ? MAX_DECIMAL_SCALE : MAX_BINARY_SCALE) ||
		(kind == VS_NUMERIC && scale != 0) ||
		dscale < 0 || dscale > MAX_DECIMAL_SCALE || (radix == RADIX_BINARY && dscale != 0))
		invalid_state("The scale is out of range.");
	if (n < 0 || (kind == VS_FIXED && (uint64) n * sizeof(int128) != (uint64) left) ||
		(kind == VS_NUMERIC && n > left / (int64) (4 + VARHDRSZ + sizeof(uint16))))
		invalid_state("The number of values does not match the state's length.");

	vs_init(vs, radix, mcxt, n);
	vs->dscale = dscale;
	if (kind == VS_FIXED)
	{
		vs->scale = scale;
		memcpy(vs->items, pq_getmsgbytes(buf, n * sizeof(int128)), n * sizeof(int128));
		vs->n = n;
		for (int64 i = 0; i < n; i++)
		{
			if (radix == RADIX_BINARY && !binary_item_is_double(fixed_items(vs)[i]))
				invalid_state("A value of a float8 set is not a double.");
			if (fixed_items(vs)[i] > 0 &&
				__builtin_add_overflow(vs->positive_total, fixed_items(vs)[i],
									   &vs->positive_total))
				invalid_state("The sum of the values overflows.");
		}
	}
	else
	{
		vs_to_numeric(vs);
		for (int64 i = 0; i < n; i++)
		{
			MemoryContext old = scratch_begin(vs);
			int			len;
			const char *bytes = state_numeric(buf, "A value", &len);
			Numeric		value = palloc(len);

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			memcpy(value, bytes, len);
			vs_append_numeric(vs, value);
			scratch_end(vs, old);
		}
	}
	state_end(buf);
	vs->sorted = n <= 1;
}
