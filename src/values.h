/*
 * values.h — the value set: the non-NULL inputs of one partition or aggregate
 * state, decoded once into an exact, sortable form, and exact sums over it.
 */
#ifndef ACCOUNT_TIER_VALUES_H
#define ACCOUNT_TIER_VALUES_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/numeric.h"

#include "decode.h"

typedef enum VsKind
{
	VS_FIXED,					/* int128 units of radix^-scale */
	VS_NUMERIC					/* exact numerics, for values too wide for
								 * VS_FIXED */
} VsKind;

/*
 * Numeric input is held in decimal units, float8 input in binary units: both
 * exact, so sums and comparisons never round and no order of the rows can
 * change a result.
 */
typedef struct ValueSet
{
	VsKind		kind;
	int			radix;			/* RADIX_DECIMAL (numeric input) or
								 * RADIX_BINARY (float8 input) */
	int			scale;			/* VS_FIXED: digits after the point */
	int			dscale;			/* decimal VS_FIXED: largest display scale
								 * seen, so that limits print like the input */
	bool		sorted;			/* items are in descending order */
	int64		n;				/* values held */
	int64		capacity;		/* values allocated */
	int128		positive_total; /* VS_FIXED: sum of the positive items */
	MemoryContext mcxt;			/* owns items, rows and the arena */
	void	   *items;			/* int128[] or Numeric[] */
	int64	   *rows;			/* optional: each item's row position; moves
								 * with its item when sorted */
	/* VS_NUMERIC: the numerics, packed in blocks of mcxt */
	struct ArenaBlock *arena;	/* the newest block, which links to the
								 * older ones */
	char	   *arena_next;		/* free space of the newest block */
	Size		arena_left;
	MemoryContext scratch;		/* VS_NUMERIC: temporaries of one value's
								 * conversion, reset after each value */
} ValueSet;

/* An exact sum of items of one value set (the member its kind uses). */
typedef struct VsSum
{
	int128		fixed;
	Numeric		num;
} VsSum;

/*
 * One input value decoded for exact comparison against the items of a set.
 * For a VS_FIXED set: fixed = floor(value * radix^scale), frac when that
 * dropped a remainder, beyond = +1/-1 when the value lies above/below every
 * possible item; num when only numeric arithmetic can compare it.
 */
typedef struct VsProbe
{
	int128		fixed;
	bool		frac;
	int			beyond;
	Numeric		num;
} VsProbe;

/* The result of vs_partition: items [lo, gt_end) > pivot, [gt_end, eq_end) equal. */
typedef struct VsPartition
{
	int64		gt_end;
	int64		eq_end;
	VsSum		greater;		/* sum of the greater items */
	VsSum		equal;			/* sum of the equal items */
} VsPartition;

extern int	value_radix_of_arg(FunctionCallInfo fcinfo, int argno);
extern void *alloc_per_value(MemoryContext mcxt, int64 n, Size size);

extern void vs_init(ValueSet *vs, int radix, MemoryContext mcxt, int64 expected);
extern void vs_add_datum(ValueSet *vs, Datum value);
extern void vs_track_rows(ValueSet *vs);
extern void vs_release(ValueSet *vs);
extern void vs_add_row(ValueSet *vs, Datum value, int64 row);
extern void vs_merge(ValueSet *into, const ValueSet *from);
extern void vs_sort(ValueSet *vs);

extern int64 vs_move_positive_first(ValueSet *vs);
extern void vs_partition(ValueSet *vs, int64 lo, int64 hi, int64 pivot, VsPartition *part);
extern int64 vs_choose_pivot(const ValueSet *vs, int64 lo, int64 hi, uint64 *seed);
extern int	vs_item_cmp(const ValueSet *vs, int64 i, int64 j);

extern int64 vs_positive_count(const ValueSet *vs);
extern int64 vs_group_end(const ValueSet *vs, int64 start);
extern bool vs_item_positive(const ValueSet *vs, int64 i);
extern Numeric vs_item_numeric(const ValueSet *vs, int64 i);

extern void vs_probe(const ValueSet *vs, Datum value, VsProbe *probe);
extern int	vs_cmp_probe_slow(const ValueSet *vs, int64 i, const VsProbe *probe);
extern bool vs_probe_positive_slow(const VsProbe *probe);

/* Compares item i with a probe: <0, 0, >0 as the item is less, equal, greater. */
static inline int
vs_cmp_probe(const ValueSet *vs, int64 i, const VsProbe *probe)
{
	int128		item;

	if (unlikely(vs->kind != VS_FIXED || probe->beyond != 0 || probe->num != NULL))
		return vs_cmp_probe_slow(vs, i, probe);
	item = ((const int128 *) vs->items)[i];
	if (item != probe->fixed)
		return (item > probe->fixed) - (item < probe->fixed);
	return probe->frac ? -1 : 0;
}

/* Whether a probed value is greater than zero. */
static inline bool
vs_probe_positive(const VsProbe *probe)
{
	if (unlikely(probe->num != NULL || probe->beyond != 0))
		return vs_probe_positive_slow(probe);
	return probe->fixed > 0 || (probe->fixed == 0 && probe->frac);
}

extern void vs_sum_init(const ValueSet *vs, VsSum *sum);
/* vs_sum_add frees the numeric it replaces: the sum must share it with no copy */
extern void vs_sum_add(const ValueSet *vs, VsSum *sum, int64 i);
extern void vs_sum_add_sum(const ValueSet *vs, VsSum *sum, const VsSum *other);
extern void vs_sum_of_top(const ValueSet *vs, int64 count, VsSum *sum);
extern void vs_positive_total(const ValueSet *vs, int64 npos, VsSum *total);
extern int	vs_sum_cmp(const ValueSet *vs, const VsSum *x, const VsSum *y);
extern void vs_sum_fraction(const ValueSet *vs, const VsSum *total,
							Numeric fraction, VsSum *result);
extern double vs_sum_ratio(const ValueSet *vs, const VsSum *part, const VsSum *total);
extern double vs_item_ratio(const ValueSet *vs, int64 i, const VsSum *total);
extern bool vs_sum_is_zero(const ValueSet *vs, const VsSum *sum);
extern Numeric vs_sum_numeric(const ValueSet *vs, const VsSum *sum);
extern Numeric vs_sum_exact(const ValueSet *vs, const VsSum *sum);
extern int64 vs_count_at_least_mean(const ValueSet *vs, int64 npos, const VsSum *total);
extern Numeric vs_rank_sum(const ValueSet *vs, int64 npos, const VsSum *total, Numeric factor);

extern void vs_serialize(const ValueSet *vs, StringInfo buf);
extern void vs_deserialize(ValueSet *vs, StringInfo buf, MemoryContext mcxt);

#endif
