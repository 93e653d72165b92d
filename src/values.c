/*
 * values.c — the value set's storage: adding decoded values, merging sets,
 * and reading items.  Sorting, selection, probes, sums and the wire format
 * are in sort.c, select.c, probe.c, sums.c and wire.c.
 *
 * Values are held as int128 units at the largest scale any value needs
 * (decimal for numeric input, binary for float8 input), so that sums and
 * comparisons are exact integer operations.  A set whose values or positive
 * total do not fit falls back to exact numeric datums and arithmetic.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "numeric_format.h"
#include "values_internal.h"

#define INT128_MIN_VALUE (-(int128) (((uint128) 1 << 127) - 1) - 1)

/* The bytes of one item of a set of this kind. */
static inline Size
item_size(VsKind kind)
{
	return kind == VS_FIXED ? sizeof(int128) : sizeof(Numeric);
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
void
vs_append_numeric(ValueSet *vs, Numeric value)
{
	Assert(vs->kind == VS_NUMERIC);
	((Numeric *) vs->items)[vs->n++] = arena_copy(vs, numeric_trimmed(value));
}

/* Switches a fixed-point set to exact numerics, for values too wide for it. */
void
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
		vs_append_numeric(vs, units_exact_numeric(vs->radix, fixed[i], vs->scale));
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
	return rescale_units(vs->radix, units, vs->scale - scale, scaled);
}

/*
 * Starts appending a value that only a numeric holds: the set becomes a
 * numeric one, and the value's conversion runs in its scratch context
 * (scratch_end ends it).
 */
static MemoryContext
wide_begin(ValueSet *vs)
{
	if (vs->kind == VS_FIXED)
		vs_to_numeric(vs);
	return scratch_begin(vs);
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
	old = wide_begin(vs);
	vs_append_numeric(vs, units_exact_numeric(vs->radix, units, scale));
	scratch_end(vs, old);
}

/* Appends one non-NULL input value; refuses NaN and infinities. */
void
vs_add_datum(ValueSet *vs, Datum value)
{
	int128		units;
	int			scale;
	int			dscale;
	MemoryContext old;

	vs_reserve(vs, 1);
	vs->sorted = vs->n == 0;
	if (input_units(vs->radix, value, vs->kind == VS_FIXED, &units, &scale, &dscale))
	{
		vs_append_fixed(vs, units, scale);
		vs->dscale = Max(vs->dscale, dscale);
		return;
	}
	old = wide_begin(vs);
	vs_append_numeric(vs, input_exact_numeric(vs->radix, value));
	scratch_end(vs, old);
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

/*
 * Prepares `into' for `n' values of another set of the same radix (its
 * values in order when `sorted', shown with `dscale' decimals): room, order
 * and display scale, before vs_merge_units or vs_merge_numeric adds them.
 */
void
vs_merge_begin(ValueSet *into, int64 n, bool sorted, int dscale)
{
	if (n == 0)
		return;
	vs_reserve(into, n);
	into->sorted = into->n == 0 && sorted;
	into->dscale = Max(into->dscale, dscale);
}

/*
 * Adds a value of another set, units * radix^-scale: in fixed point while
 * `into' is, else as an exact numeric.
 */
void
vs_merge_units(ValueSet *into, int128 units, int scale)
{
	MemoryContext old;

	if (into->kind == VS_FIXED)
	{
		vs_append_fixed(into, units, scale);
		return;
	}
	old = scratch_begin(into);
	vs_append_numeric(into, units_exact_numeric(into->radix, units, scale));
	scratch_end(into, old);
}

/*
 * Adds a value of another set held as an exact numeric, given as the `len'
 * bytes of a checked numeric at any alignment (copied before use); `into'
 * becomes a numeric set.
 */
void
vs_merge_numeric(ValueSet *into, const void *bytes, Size len)
{
	MemoryContext old = wide_begin(into);
	Numeric		num = palloc(len);

	memcpy(num, bytes, len);
	vs_append_numeric(into, num);
	scratch_end(into, old);
}

/* Adds every value of `from' to `into' (sets of the same radix). */
void
vs_merge(ValueSet *into, const ValueSet *from)
{
	Assert(into->radix == from->radix);
	vs_merge_begin(into, from->n, from->sorted, from->dscale);
	for (int64 i = 0; i < from->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (from->kind == VS_FIXED)
			vs_merge_units(into, fixed_items(from)[i], from->scale);
		else
			vs_merge_numeric(into, numeric_items(from)[i], VARSIZE(numeric_items(from)[i]));
	}
}

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

