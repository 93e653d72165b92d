/*
 * values.c — the value set: decoding numeric and float8 inputs, storage,
 * descending sort, exact sums, and the aggregate state's wire format.
 *
 * Numeric values are held as int128 units of 10^-scale, scale being the
 * largest scale any value needs, so that sums and comparisons are exact and
 * cheap.  A set whose values or positive total do not fit falls back to
 * holding Numeric datums and PostgreSQL's numeric arithmetic.
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "values.h"

#define MAX_FIXED_SCALE 38
#define INT128_MIN_VALUE (-(int128) (((uint128) 1 << 127) - 1) - 1)

static const int128 *fixed_items(const ValueSet *vs);
static void vs_reserve(ValueSet *vs, int64 more);
static void vs_to_numeric(ValueSet *vs);
static bool vs_rescale(ValueSet *vs, int scale);
static void vs_append_fixed(ValueSet *vs, int128 units, int scale);
static void vs_append_numeric(ValueSet *vs, Numeric value);
static int	numeric_sign_of(Numeric num);
static Numeric fixed_to_numeric(int128 units, int scale);
static inline void dd_add(VsSum *sum, double x);

/* --- decoding -------------------------------------------------------------- */

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
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUMERIC_SHORT_WEIGHT_MASK 0x003F
#define NBASE 10000

static const int128 pow10_table[MAX_FIXED_SCALE + 1] = {
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

/* A numeric datum as a plain or short varlena; only toasted ones are copied. */
static inline struct varlena *
packed_varlena(Datum value)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(value);

	if (unlikely(VARATT_IS_COMPRESSED(ptr) || VARATT_IS_EXTERNAL(ptr)))
		return pg_detoast_datum_packed(ptr);
	return ptr;
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
static bool
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
		if (exp10 > MAX_FIXED_SCALE ||
			__builtin_mul_overflow(acc, pow10_table[exp10], &acc))
			return false;
		exp10 = 0;
	}
	*units = negative ? -acc : acc;
	*scale = -exp10;
	return true;
}

/* The display scale of a finite numeric. */
static int
numeric_dscale(const struct varlena *packed)
{
	uint16		header = read_u16(VARDATA_ANY(packed));

	if ((header & 0x8000) != 0)
		return (header & 0x1F80) >> 7;
	return header & 0x3FFF;
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

/* --- conversion between int128 units and numeric ---------------------------- */

/* Makes the numeric equal to units * 10^-scale, shown with dscale digits. */
static Numeric
fixed_to_display_numeric(int128 units, int scale, int dscale)
{
	Numeric		num = fixed_to_numeric(units, scale);

	if (dscale <= scale)
		return num;
	return DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(num),
											   Int32GetDatum(dscale)));
}

/* Makes the numeric equal to units * 10^-scale. */
static Numeric
fixed_to_numeric(int128 units, int scale)
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
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* --- storage ---------------------------------------------------------------- */

static inline Size
item_size(VsKind kind)
{
	return kind == VS_FIXED ? sizeof(int128) : sizeof(double);
}

static inline const int128 *
fixed_items(const ValueSet *vs)
{
	return (const int128 *) vs->items;
}

static inline const double *
float_items(const ValueSet *vs)
{
	return (const double *) vs->items;
}

static inline const Numeric *
numeric_items(const ValueSet *vs)
{
	return (const Numeric *) vs->items;
}

/* The kind of set that holds the values of argument `argno'. */
VsKind
value_kind_of_arg(FunctionCallInfo fcinfo, int argno)
{
	return get_fn_expr_argtype(fcinfo->flinfo, argno) == FLOAT8OID ? VS_FLOAT8 : VS_FIXED;
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

/* Prepares an empty set; `expected' sizes the first allocation. */
void
vs_init(ValueSet *vs, VsKind kind, MemoryContext mcxt, int64 expected)
{
	memset(vs, 0, sizeof(*vs));
	vs->kind = kind;
	vs->mcxt = mcxt;
	vs->sorted = true;
	vs_reserve(vs, Max(expected, 16));
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
	vs->capacity = newcap;
}

/* Switches a fixed-point set to numeric datums, for values too wide for it. */
static void
vs_to_numeric(ValueSet *vs)
{
	MemoryContext old = MemoryContextSwitchTo(vs->mcxt);
	int128	   *fixed = (int128 *) vs->items;
	Numeric    *nums = alloc_per_value(vs->mcxt, vs->capacity, sizeof(Numeric));

	for (int64 i = 0; i < vs->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		nums[i] = fixed_to_numeric(fixed[i], vs->scale);
	}
	pfree(fixed);
	vs->items = nums;
	vs->kind = VS_NUMERIC;
	vs->positive_total = 0;
	vs->scale = 0;
	MemoryContextSwitchTo(old);
}

/* Raises every item to a larger scale; false when that overflows. */
static bool
vs_rescale(ValueSet *vs, int scale)
{
	int128	   *items = (int128 *) vs->items;
	int128		factor;
	int128		total;

	if (scale > MAX_FIXED_SCALE)
		return false;
	factor = pow10_table[scale - vs->scale];
	if (__builtin_mul_overflow(vs->positive_total, factor, &total))
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

/* Appends units * 10^-scale, falling back to numeric when it cannot fit. */
static inline void
vs_append_fixed(ValueSet *vs, int128 units, int scale)
{
	int128		scaled = units;
	int128		total = vs->positive_total;

	if ((scale == vs->scale ||
		 ((scale < vs->scale || vs_rescale(vs, scale)) &&
		  !__builtin_mul_overflow(units, pow10_table[vs->scale - scale], &scaled))) &&
		(scaled <= 0 || !__builtin_add_overflow(total, scaled, &total)))
	{
		((int128 *) vs->items)[vs->n++] = scaled;
		vs->positive_total = total;
		return;
	}
	vs_to_numeric(vs);
	vs_append_numeric(vs, fixed_to_numeric(units, scale));
}

/* Appends a copy of a numeric (with a 4-byte header) to a numeric set. */
static void
vs_append_numeric(ValueSet *vs, Numeric value)
{
	Numeric		copy = (Numeric) MemoryContextAllocHuge(vs->mcxt, VARSIZE(value));

	Assert(vs->kind == VS_NUMERIC);
	memcpy(copy, value, VARSIZE(value));
	((Numeric *) vs->items)[vs->n++] = copy;
}

/* Appends one non-NULL input value; refuses NaN and infinities. */
void
vs_add_datum(ValueSet *vs, Datum value)
{
	vs_reserve(vs, 1);
	vs->sorted = vs->n == 0;

	if (vs->kind == VS_FLOAT8)
	{
		double		f = DatumGetFloat8(value);

		check_finite_float8(f);
		((double *) vs->items)[vs->n++] = f + 0.0;	/* -0 becomes 0 */
	}
	else
	{
		struct varlena *packed = packed_varlena(value);
		uint16		header = read_u16(VARDATA_ANY(packed));
		int128		units;
		int			scale;

		if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
			check_finite_numeric(DatumGetNumeric(value));

		if (vs->kind == VS_FIXED && numeric_units(packed, &units, &scale))
		{
			vs_append_fixed(vs, units, scale);
			vs->dscale = Max(vs->dscale, numeric_dscale(packed));
		}
		else
		{
			if (vs->kind == VS_FIXED)
				vs_to_numeric(vs);
			vs_append_numeric(vs, DatumGetNumeric(value));
		}
	}
}

/* Adds every value of `from' to `into' (both of numeric or both of float8). */
void
vs_merge(ValueSet *into, const ValueSet *from)
{
	if (from->n == 0)
		return;
	vs_reserve(into, from->n);
	into->sorted = into->n == 0 && from->sorted;
	into->dscale = Max(into->dscale, from->dscale);

	if (into->kind == VS_FLOAT8)
	{
		memcpy((double *) into->items + into->n, from->items, from->n * sizeof(double));
		into->n += from->n;
		return;
	}
	for (int64 i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (from->kind == VS_FIXED && into->kind == VS_FIXED)
			vs_append_fixed(into, fixed_items(from)[i], from->scale);
		else
		{
			if (into->kind == VS_FIXED)
				vs_to_numeric(into);
			vs_append_numeric(into, vs_item_numeric(from, i));
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
insertion_sort_desc(int128 *items, int64 n)
{
	for (int64 i = 1; i < n; i++)
	{
		int128		v = items[i];
		int64		j = i;

		for (; j > 0 && items[j - 1] < v; j--)
			items[j] = items[j - 1];
		items[j] = v;
	}
}

/* Sorts items descending by their bytes at `shift' and below. */
static void
radix_sort_desc(int128 *items, int64 n, int shift)
{
	int64		count[256] = {0};
	int64		next[256];
	int64		end[256];
	int64		at = 0;

	if (n <= RADIX_SMALL)
	{
		insertion_sort_desc(items, n);
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
			int			d = radix_digit(v, shift);

			while (d != b)
			{
				int128		displaced = items[next[d]];

				items[next[d]++] = v;
				v = displaced;
				d = radix_digit(v, shift);
			}
			items[next[b]++] = v;
		}
	}
	if (shift == 0)
		return;
	for (int b = 0, start = 0; b < 256; start += count[b], b++)
	{
		if (count[b] > 1)
			radix_sort_desc(items + start, count[b], shift - 8);
	}
}

/* Sorts fixed-point items descending. */
static void
sort_fixed_desc(int128 *items, int64 n)
{
	uint128		differ = 0;
	int			shift = 0;

	for (int64 i = 1; i < n; i++)
		differ |= (uint128) items[i] ^ (uint128) items[0];
	while (shift < 120 && (differ >> (shift + 8)) != 0)
		shift += 8;
	if (differ != 0)
		radix_sort_desc(items, n, shift);
}

#define ST_SORT sort_float8_desc
#define ST_ELEMENT_TYPE double
#define ST_COMPARE(a, b) ((*(a) < *(b)) - (*(a) > *(b)))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static inline int
numeric_compare(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/* -1, 0 or 1 as the numeric is negative, zero or positive. */
static int
numeric_sign_of(Numeric num)
{
	return numeric_compare(num, int64_to_numeric(0));
}

#define ST_SORT sort_numeric_desc
#define ST_ELEMENT_TYPE Numeric
#define ST_COMPARE(a, b) numeric_compare(*(b), *(a))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* Orders the items from largest to smallest (once; later calls are free). */
void
vs_sort(ValueSet *vs)
{
	if (vs->sorted)
		return;
	switch (vs->kind)
	{
		case VS_FIXED:
			sort_fixed_desc((int128 *) vs->items, vs->n);
			break;
		case VS_FLOAT8:
			sort_float8_desc((double *) vs->items, vs->n);
			break;
		case VS_NUMERIC:
			sort_numeric_desc((Numeric *) vs->items, vs->n);
			break;
	}
	vs->sorted = true;
}

/* --- partitioning: the hot loops of selection ----------------------------------- */

/*
 * Dijkstra's three-way partition of items [lo, hi) around `pv': greater
 * items first, then equal ones, then smaller; written once per item type.
 */
#define THREE_WAY_PARTITION(TYPE, ITEMS, GREATER, LESS, ADD_GREATER) \
	do { \
		TYPE	   *items_ = (ITEMS); \
		int64		lt_ = lo, i_ = lo, gt_ = hi; \
		while (i_ < gt_) \
		{ \
			TYPE		x_ = items_[i_]; \
			if (GREATER(x_, pv)) \
			{ \
				items_[i_++] = items_[lt_]; \
				items_[lt_++] = x_; \
				ADD_GREATER(x_); \
			} \
			else if (LESS(x_, pv)) \
			{ \
				items_[i_] = items_[--gt_]; \
				items_[gt_] = x_; \
			} \
			else \
				i_++; \
		} \
		part->gt_end = lt_; \
		part->eq_end = gt_; \
	} while (0)

#define SCALAR_GREATER(x, y) ((x) > (y))
#define SCALAR_LESS(x, y) ((x) < (y))
#define NUMERIC_GREATER(x, y) (numeric_compare((x), (y)) > 0)
#define NUMERIC_LESS(x, y) (numeric_compare((x), (y)) < 0)
#define ADD_FIXED(x) (part->greater.fixed += (x))
#define ADD_FLOAT8(x) dd_add(&part->greater, (x))
#define ADD_NUMERIC(x) (part->greater.num = numeric_add_opt_error(part->greater.num, (x), NULL))

/*
 * Partitions items [lo, hi) around the value of item `pivot' and sums the
 * greater and the equal items.  Sums are meant for positive items.
 */
void
vs_partition(ValueSet *vs, int64 lo, int64 hi, int64 pivot, VsPartition *part)
{
	int64		equal;

	vs_sum_init(vs, &part->greater);
	vs_sum_init(vs, &part->equal);
	vs->sorted = false;
	switch (vs->kind)
	{
		case VS_FIXED:
			{
				int128		pv = fixed_items(vs)[pivot];

				THREE_WAY_PARTITION(int128, (int128 *) vs->items,
									SCALAR_GREATER, SCALAR_LESS, ADD_FIXED);
				part->equal.fixed = pv * (part->eq_end - part->gt_end);
				break;
			}
		case VS_FLOAT8:
			{
				double		pv = float_items(vs)[pivot];

				THREE_WAY_PARTITION(double, (double *) vs->items,
									SCALAR_GREATER, SCALAR_LESS, ADD_FLOAT8);
				break;
			}
		case VS_NUMERIC:
			{
				Numeric		pv = numeric_items(vs)[pivot];

				THREE_WAY_PARTITION(Numeric, (Numeric *) vs->items,
									NUMERIC_GREATER, NUMERIC_LESS, ADD_NUMERIC);
				break;
			}
	}
	/* equal items: exact products for float8 (TwoProd) and numeric */
	equal = part->eq_end - part->gt_end;
	if (vs->kind == VS_FLOAT8)
	{
		double		x = float_items(vs)[part->gt_end];

		part->equal.hi = x * equal;
		part->equal.lo = fma(x, (double) equal, -part->equal.hi);
	}
	else if (vs->kind == VS_NUMERIC)
		part->equal.num = numeric_mul_opt_error(numeric_items(vs)[part->gt_end],
												int64_to_numeric(equal), NULL);
}

/* Swaps items i and j. */
static inline void
vs_swap_items(ValueSet *vs, int64 i, int64 j)
{
	if (vs->kind == VS_FIXED)
	{
		int128	   *items = (int128 *) vs->items;
		int128		x = items[i];

		items[i] = items[j];
		items[j] = x;
	}
	else
	{
		/* double and Numeric are both 8 bytes */
		uint64	   *items = (uint64 *) vs->items;
		uint64		x = items[i];

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

/* Compares items i and j: <0, 0, >0. */
int
vs_item_cmp(const ValueSet *vs, int64 i, int64 j)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			return (fixed_items(vs)[i] > fixed_items(vs)[j]) -
				(fixed_items(vs)[i] < fixed_items(vs)[j]);
		case VS_FLOAT8:
			return (float_items(vs)[i] > float_items(vs)[j]) -
				(float_items(vs)[i] < float_items(vs)[j]);
		case VS_NUMERIC:
			break;
	}
	return numeric_compare(numeric_items(vs)[i], numeric_items(vs)[j]);
}

/* --- reading a sorted set ---------------------------------------------------- */

/* Whether item i is greater than zero. */
bool
vs_item_positive(const ValueSet *vs, int64 i)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			return fixed_items(vs)[i] > 0;
		case VS_FLOAT8:
			return float_items(vs)[i] > 0;
		case VS_NUMERIC:
			break;
	}
	return numeric_sign_of(numeric_items(vs)[i]) > 0;
}

/* Whether items i and j are equal. */
static bool
vs_items_equal(const ValueSet *vs, int64 i, int64 j)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			return fixed_items(vs)[i] == fixed_items(vs)[j];
		case VS_FLOAT8:
			return float_items(vs)[i] == float_items(vs)[j];
		case VS_NUMERIC:
			break;
	}
	return numeric_compare(numeric_items(vs)[i], numeric_items(vs)[j]) == 0;
}

/* Number of positive items of a sorted set (they come first). */
int64
vs_positive_count(const ValueSet *vs)
{
	int64		lo = 0;
	int64		hi = vs->n;

	Assert(vs->sorted);
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

/* First index after the tie group that starts at `start'. */
int64
vs_group_end(const ValueSet *vs, int64 start)
{
	int64		end = start + 1;

	while (end < vs->n && vs_items_equal(vs, start, end))
		end++;
	return end;
}

/* Item i as a numeric; for float8, 17 significant digits round-trip it. */
Numeric
vs_item_numeric(const ValueSet *vs, int64 i)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			return fixed_to_display_numeric(fixed_items(vs)[i], vs->scale, vs->dscale);
		case VS_FLOAT8:
			{
				char		text[64];

				snprintf(text, sizeof(text), "%.17g", float_items(vs)[i]);
				return DatumGetNumeric(DirectFunctionCall3(numeric_in,
														   CStringGetDatum(text),
														   ObjectIdGetDatum(InvalidOid),
														   Int32GetDatum(-1)));
			}
		case VS_NUMERIC:
			break;
	}
	return numeric_items(vs)[i];
}

/* --- probing: one value against the items ------------------------------------ */

/* floor(units / 10^digits), and whether a remainder was dropped. */
static int128
floor_div_pow10(int128 units, int digits, bool *frac)
{
	int128		q;

	if (digits > MAX_FIXED_SCALE)
	{
		*frac = units != 0;
		return units < 0 ? -1 : 0;
	}
	q = units / pow10_table[digits];
	*frac = q * pow10_table[digits] != units;
	if (*frac && units < 0)
		q--;
	return q;
}

/*
 * Decodes an input value for vs_cmp_probe.  Any finite value can be probed,
 * including one with more decimals than the set holds (abc_classify probes
 * a set made of two cutoffs).
 */
void
vs_probe(const ValueSet *vs, Datum value, VsProbe *probe)
{
	struct varlena *packed;
	int128		units;
	int			scale;

	memset(probe, 0, sizeof(*probe));
	if (vs->kind == VS_FLOAT8)
	{
		probe->f = DatumGetFloat8(value);
		check_finite_float8(probe->f);
		return;
	}
	packed = packed_varlena(value);
	if ((read_u16(VARDATA_ANY(packed)) & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		check_finite_numeric(DatumGetNumeric(value));
	if (vs->kind == VS_NUMERIC || !numeric_units(packed, &units, &scale))
		probe->num = DatumGetNumeric(value);
	else if (scale > vs->scale)
		probe->fixed = floor_div_pow10(units, scale - vs->scale, &probe->frac);
	else if (__builtin_mul_overflow(units, pow10_table[vs->scale - scale], &probe->fixed))
		probe->beyond = units > 0 ? 1 : -1;
}

/* Compares item i with a probe: <0, 0, >0 as the item is less, equal, greater. */
int
vs_cmp_probe(const ValueSet *vs, int64 i, const VsProbe *probe)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			{
				int128		item = fixed_items(vs)[i];

				if (probe->beyond != 0)
					return -probe->beyond;
				if (probe->num != NULL)
					return numeric_compare(fixed_to_numeric(item, vs->scale), probe->num);
				if (item != probe->fixed)
					return (item > probe->fixed) - (item < probe->fixed);
				return probe->frac ? -1 : 0;
			}
		case VS_FLOAT8:
			return (float_items(vs)[i] > probe->f) - (float_items(vs)[i] < probe->f);
		case VS_NUMERIC:
			break;
	}
	return numeric_compare(numeric_items(vs)[i], probe->num);
}

/* Whether a probed value is greater than zero. */
bool
vs_probe_positive(const ValueSet *vs, const VsProbe *probe)
{
	if (vs->kind == VS_FLOAT8)
		return probe->f > 0;
	if (probe->num != NULL)
		return numeric_sign_of(probe->num) > 0;
	if (probe->beyond != 0)
		return probe->beyond > 0;
	return probe->fixed > 0 || (probe->fixed == 0 && probe->frac);
}

/* The exact decimal value of a double (glibc prints every digit asked for). */
static Numeric
exact_numeric_of_double(double d)
{
	char		text[1100];

	snprintf(text, sizeof(text), "%.767e", d);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* The exact value of hi + lo. */
static Numeric
double_double_numeric(double hi, double lo)
{
	return numeric_add_opt_error(exact_numeric_of_double(hi),
								 exact_numeric_of_double(lo), NULL);
}

/* A numeric rounded to the nearest double. */
static double
numeric_to_double(Numeric num)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(num)));
}

/* --- exact sums -------------------------------------------------------------- */

/* Adds x to a double-double sum (TwoSum, then renormalised). */
static inline void
dd_add(VsSum *sum, double x)
{
	double		s = sum->hi + x;
	double		bp = s - sum->hi;
	double		err = (sum->hi - (s - bp)) + (x - bp);
	double		lo = sum->lo + err;

	sum->hi = s + lo;
	sum->lo = lo - (sum->hi - s);
}

void
vs_sum_init(const ValueSet *vs, VsSum *sum)
{
	memset(sum, 0, sizeof(*sum));
	if (vs->kind == VS_NUMERIC)
		sum->num = int64_to_numeric(0);
}

/* Adds item i; double-double addition keeps float8 sums compensated. */
void
vs_sum_add(const ValueSet *vs, VsSum *sum, int64 i)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			/* cannot overflow: every prefix of positives is <= positive_total */
			sum->fixed += fixed_items(vs)[i];
			break;
		case VS_FLOAT8:
			dd_add(sum, float_items(vs)[i]);
			break;
		case VS_NUMERIC:
			sum->num = numeric_add_opt_error(sum->num, numeric_items(vs)[i], NULL);
			break;
	}
}

/* Adds another sum of the same set. */
void
vs_sum_add_sum(const ValueSet *vs, VsSum *sum, const VsSum *other)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			sum->fixed += other->fixed;
			break;
		case VS_FLOAT8:
			dd_add(sum, other->hi);
			dd_add(sum, other->lo);
			break;
		case VS_NUMERIC:
			sum->num = numeric_add_opt_error(sum->num, other->num, NULL);
			break;
	}
}

/* Compares two sums: <0, 0, >0. */
int
vs_sum_cmp(const ValueSet *vs, const VsSum *x, const VsSum *y)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			return (x->fixed > y->fixed) - (x->fixed < y->fixed);
		case VS_FLOAT8:
			if (x->hi != y->hi)
				return (x->hi > y->hi) - (x->hi < y->hi);
			if (x->lo != y->lo)
				return (x->lo > y->lo) - (x->lo < y->lo);
			return (x->tail > y->tail) - (x->tail < y->tail);
		case VS_NUMERIC:
			break;
	}
	return numeric_compare(x->num, y->num);
}

/*
 * A threshold s such that, for every sum c of items, c < s exactly when
 * c < fraction * total; numeric multiplication is exact, so no rounding
 * decides a tier.  Fixed-point sums are whole units: s = ceil(fraction *
 * total).  Float8 sums: the exact product rounded to a double-double, with
 * the sign of the remainder breaking equality (so 8 < 0.8 * 10 is false).
 */
void
vs_sum_fraction(const ValueSet *vs, const VsSum *total, Numeric fraction, VsSum *result)
{
	vs_sum_init(vs, result);
	switch (vs->kind)
	{
		case VS_FIXED:
			{
				Numeric		exact = numeric_mul_opt_error(fixed_to_numeric(total->fixed, 0),
														  fraction, NULL);
				Numeric		ceiling = DatumGetNumeric(DirectFunctionCall1(numeric_ceil,
																		  NumericGetDatum(exact)));
				int			scale;

				if (!numeric_units((struct varlena *) ceiling, &result->fixed, &scale) ||
					scale != 0)
					elog(ERROR, "threshold of a fixed-point total out of range");
				break;
			}
		case VS_FLOAT8:
			{
				Numeric		exact = numeric_mul_opt_error(double_double_numeric(total->hi, total->lo),
														  fraction, NULL);
				Numeric		rest;

				result->hi = numeric_to_double(exact);
				rest = numeric_sub_opt_error(exact, exact_numeric_of_double(result->hi), NULL);
				result->lo = numeric_to_double(rest);
				rest = numeric_sub_opt_error(rest, exact_numeric_of_double(result->lo), NULL);
				result->tail = numeric_sign_of(rest);
				break;
			}
		case VS_NUMERIC:
			result->num = numeric_mul_opt_error(total->num, fraction, NULL);
			break;
	}
}

/* part / total as float8 (total > 0). */
double
vs_sum_ratio(const ValueSet *vs, const VsSum *part, const VsSum *total)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			return (double) ((long double) part->fixed / (long double) total->fixed);
		case VS_FLOAT8:
			return (double) (((long double) part->hi + part->lo) /
							 ((long double) total->hi + total->lo));
		case VS_NUMERIC:
			break;
	}
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8,
											  NumericGetDatum(numeric_div_opt_error(part->num, total->num, NULL))));
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
	switch (vs->kind)
	{
		case VS_FIXED:
			return sum->fixed == 0;
		case VS_FLOAT8:
			return sum->hi == 0 && sum->lo == 0;
		case VS_NUMERIC:
			break;
	}
	return numeric_sign_of(sum->num) == 0;
}

/* A sum as numeric (for float8, to 17 significant digits). */
Numeric
vs_sum_numeric(const ValueSet *vs, const VsSum *sum)
{
	switch (vs->kind)
	{
		case VS_FIXED:
			return fixed_to_display_numeric(sum->fixed, vs->scale, vs->dscale);
		case VS_FLOAT8:
			{
				char		text[64];

				snprintf(text, sizeof(text), "%.17g", sum->hi + sum->lo);
				return DatumGetNumeric(DirectFunctionCall3(numeric_in,
														   CStringGetDatum(text),
														   ObjectIdGetDatum(InvalidOid),
														   Int32GetDatum(-1)));
			}
		case VS_NUMERIC:
			break;
	}
	return sum->num;
}

/* --- wire format for parallel aggregation ------------------------------------- */

/* Appends the set to `buf': kind, scale, count, then the items. */
void
vs_serialize(const ValueSet *vs, StringInfo buf)
{
	pq_sendbyte(buf, (uint8) vs->kind);
	pq_sendint16(buf, (uint16) vs->scale);
	pq_sendint16(buf, (uint16) vs->dscale);
	pq_sendint64(buf, vs->n);
	if (vs->kind == VS_NUMERIC)
	{
		for (int64 i = 0; i < vs->n; i++)
		{
			Numeric		v = numeric_items(vs)[i];

			pq_sendint32(buf, VARSIZE(v));
			pq_sendbytes(buf, (char *) v, VARSIZE(v));
		}
	}
	else
		pq_sendbytes(buf, (char *) vs->items, vs->n * item_size(vs->kind));
}

/* Reports a malformed serialized state. */
static void
bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("invalid account_tier aggregate state"),
			 errdetail("%s", detail)));
}

/* Reads a set written by vs_serialize, checking every length. */
void
vs_deserialize(ValueSet *vs, StringInfo buf, MemoryContext mcxt)
{
	int			kind;
	int			scale;
	int			dscale;
	int64		n;

	if (buf->len - buf->cursor < 1 + 2 + 2 + 8)
		bad_state("The state is shorter than its header.");
	kind = pq_getmsgbyte(buf);
	scale = (int16) pq_getmsgint(buf, 2);
	dscale = (int16) pq_getmsgint(buf, 2);
	n = pq_getmsgint64(buf);
	if (kind != VS_FIXED && kind != VS_FLOAT8 && kind != VS_NUMERIC)
		bad_state("The value kind is unknown.");
	if (scale < 0 || scale > MAX_FIXED_SCALE || (kind != VS_FIXED && scale != 0) ||
		dscale < 0 || dscale > NUMERIC_MAX_DISPLAY_SCALE)
		bad_state("The scale is out of range.");
	if (n < 0 || (kind == VS_NUMERIC && n > (buf->len - buf->cursor) / 6) ||
		(kind != VS_NUMERIC &&
				  (uint64) n * item_size(kind) != (uint64) (buf->len - buf->cursor)))
		bad_state("The number of values does not match the state's length.");

	vs_init(vs, kind, mcxt, n);
	vs->scale = scale;
	vs->dscale = dscale;
	vs->sorted = false;
	if (kind != VS_NUMERIC)
	{
		memcpy(vs->items, pq_getmsgbytes(buf, n * item_size(kind)), n * item_size(kind));
		vs->n = n;
		for (int64 i = 0; i < n; i++)
		{
			if (kind == VS_FIXED && fixed_items(vs)[i] > 0 &&
				__builtin_add_overflow(vs->positive_total, fixed_items(vs)[i],
									   &vs->positive_total))
				bad_state("The sum of the values overflows.");
			if (kind == VS_FLOAT8 && !isfinite(float_items(vs)[i]))
				bad_state("A value is not finite.");
		}
		return;
	}
	for (int64 i = 0; i < n; i++)
	{
		int			len;
		Numeric		v;

		if (buf->len - buf->cursor < 4)
			bad_state("A value's length is missing.");
		len = pq_getmsgint(buf, 4);
		if (len < (int) VARHDRSZ + 2 || len > buf->len - buf->cursor)
			bad_state("A value's length is out of range.");
		v = (Numeric) MemoryContextAlloc(mcxt, len);
		memcpy(v, pq_getmsgbytes(buf, len), len);
		if ((int) VARSIZE(v) != len)
			bad_state("A value's header does not match its length.");
		((Numeric *) vs->items)[vs->n++] = v;
	}
}
