/*
 * values.h — the value set: the non-NULL inputs of one partition or aggregate
 * state, decoded once into an exact, sortable form; its sort, selection,
 * exact sums and wire format (probes: probe.h).
 */
#ifndef ACCOUNT_TIER_VALUES_H
#define ACCOUNT_TIER_VALUES_H

#include "postgres.h"

#include "utils/numeric.h"

#include "decode.h"
#include "exact_sum.h"

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

/*
 * A tie group in place: items [start, end) are equal, items [0, start) are
 * greater, and the sums are those of items [0, start) and [0, end) (sums of
 * positive items only).
 */
typedef struct TieGroup
{
	int64		start;
	int64		end;
	ExactSum	before;
	ExactSum	through;
} TieGroup;

/* Where a tie group stands against the one a selection looks for. */
typedef enum TieVerdict
{
	TIE_PAST,					/* past it: the group looked for is greater */
	TIE_FOUND,					/* the group looked for */
	TIE_SHORT					/* not yet: a smaller group may be the one */
} TieVerdict;

/*
 * Where a tie group stands, for one selection: groups that are not past
 * come first, and the group looked for is the last of them.
 */
typedef TieVerdict (*TieTest) (const ValueSet *vs, const TieGroup *group, const void *arg);

/* storage (values.c) */
extern void *alloc_per_value(MemoryContext mcxt, int64 n, Size size);
extern void vs_init(ValueSet *vs, int radix, MemoryContext mcxt, int64 expected);
extern void vs_add_datum(ValueSet *vs, Datum value);
extern void vs_track_rows(ValueSet *vs);
extern void vs_add_row(ValueSet *vs, Datum value, int64 row);
extern void vs_merge_begin(ValueSet *into, int64 n, bool sorted, int dscale);
extern void vs_merge_units(ValueSet *into, int128 units, int scale);
extern void vs_merge_numeric(ValueSet *into, const void *bytes, Size len);
extern void vs_merge(ValueSet *into, const ValueSet *from);
extern void vs_release(ValueSet *vs);
extern int	vs_item_cmp(const ValueSet *vs, int64 i, int64 j);
extern bool vs_item_positive(const ValueSet *vs, int64 i);
extern int64 vs_positive_count(const ValueSet *vs);
extern int64 vs_group_end(const ValueSet *vs, int64 start);
extern Numeric vs_item_numeric(const ValueSet *vs, int64 i);

/* sort (sort.c) */
extern void vs_sort(ValueSet *vs);

/* selection (select.c) */
extern int64 vs_move_positive_first(ValueSet *vs);
extern int64 vs_positive_first(ValueSet *vs, ExactSum *total);
extern void vs_group_init(const ValueSet *vs, TieGroup *group);
extern void vs_select_group(ValueSet *vs, int64 lo, int64 hi, TieGroup *found,
							TieTest test, const void *arg);
extern void vs_select_rank(ValueSet *vs, int64 lo, int64 hi, int64 rank, TieGroup *found);
#ifdef USE_ASSERT_CHECKING
extern bool vs_ends_tie_group(const ValueSet *vs, int64 end);
#endif

/* exact sums of positive items (sums.c) */
extern void vs_sum_init(const ValueSet *vs, ExactSum *sum);
/* vs_sum_add frees the numeric it replaces: the sum must share it with no copy */
extern void vs_sum_add(const ValueSet *vs, ExactSum *sum, int64 i);
extern void vs_sum_add_sum(const ValueSet *vs, ExactSum *sum, const ExactSum *other);
extern void vs_sum_of_top(const ValueSet *vs, int64 count, ExactSum *sum);
extern void vs_positive_total(const ValueSet *vs, int64 npos, ExactSum *total);
extern int	vs_sum_cmp(const ValueSet *vs, const ExactSum *x, const ExactSum *y);
extern void vs_sum_fraction(const ValueSet *vs, const ExactSum *total,
							Numeric fraction, ExactSum *result);
extern double vs_sum_ratio(const ValueSet *vs, const ExactSum *part, const ExactSum *total);
extern double vs_item_ratio(const ValueSet *vs, int64 i, const ExactSum *total);
extern bool vs_sum_is_zero(const ValueSet *vs, const ExactSum *sum);
extern Numeric vs_sum_numeric(const ValueSet *vs, const ExactSum *sum);
extern Numeric vs_sum_exact(const ValueSet *vs, const ExactSum *sum);
extern Numeric vs_item_exact(const ValueSet *vs, int64 i);
extern int64 vs_count_at_least_mean(const ValueSet *vs, int64 npos, const ExactSum *total);
extern Numeric vs_rank_sum(const ValueSet *vs, int64 npos, const ExactSum *total, Numeric factor);

/* wire format (wire.c), read and written through state.h */
struct StateReader;
struct StateWriter;

/* What the wire format says of a set before its items. */
typedef struct VsWireHead
{
	VsKind		kind;
	int			radix;
	int			scale;
	int			dscale;
	int64		n;
	int			width;			/* bytes of a fixed-point item */
} VsWireHead;

extern Size vs_serialized_size(const ValueSet *vs);
extern void vs_serialize(const ValueSet *vs, struct StateWriter *w);
extern void vs_read_head(struct StateReader *r, VsWireHead *head);
extern void vs_check_radix(const ValueSet *into, int radix, int sqlstate);
extern void vs_check_serialized(struct StateReader *r);
extern void vs_deserialize(ValueSet *vs, struct StateReader *r, MemoryContext mcxt);
extern void vs_merge_serialized(ValueSet *into, struct StateReader *r);

#endif
