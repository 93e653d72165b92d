/*
 * select.c — selection over a value set: three-way partitions around random
 * pivots (quickselect), and the one search every tier split uses, for the
 * last tie group that a test accepts.  Tier splits need limits, not an
 * order: O(n) expected, exact, and no input order is slow.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "values_internal.h"

/* Seeds the pivots of one selection, from the end of its range. */
#define SELECT_SEED UINT64CONST(0x9E3779B97F4A7C15)

/* Items [lo, gt_end) > pivot and [gt_end, eq_end) equal, after partition. */
typedef struct Partition
{
	int64		gt_end;
	int64		eq_end;
	ExactSum	greater;		/* sum of the greater items */
	ExactSum	equal;			/* sum of the equal items */
} Partition;

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
#define ADD_FIXED(x) (part->greater.units += (x))
#define ADD_NUMERIC(x) exact_sum_add_numeric(&part->greater, (x))

/*
 * Partitions items [lo, hi) around the value of item `pivot' and sums the
 * greater and the equal items.  Sums are meant for positive items.
 */
static void
partition(ValueSet *vs, int64 lo, int64 hi, int64 pivot, Partition *part)
{
	vs_sum_init(vs, &part->greater);
	vs_sum_init(vs, &part->equal);
	vs->sorted = false;
	if (vs->kind == VS_FIXED)
	{
		int128		pv = fixed_items(vs)[pivot];

		THREE_WAY_PARTITION(int128, (int128 *) vs->items,
							FIXED_GREATER, FIXED_LESS, ADD_FIXED);
		part->equal.units = pv * (part->eq_end - part->gt_end);
	}
	else
	{
		Numeric		pv = numeric_items(vs)[pivot];

		THREE_WAY_PARTITION(Numeric, (Numeric *) vs->items,
							NUMERIC_GREATER, NUMERIC_LESS, ADD_NUMERIC);
		part->equal.wide = numeric_mul_opt_error(pv,
												int64_to_numeric(part->eq_end - part->gt_end),
												NULL);
	}
}

/*
 * A pivot for items [lo, hi): the median of three items picked by a
 * xorshift64 generator, so that no input order makes a selection slow.
 */
static int64
choose_pivot(const ValueSet *vs, int64 lo, int64 hi, uint64 *seed)
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

/*
 * Moves the positive items to the front and sums them into *total; returns
 * how many there are.
 */
int64
vs_positive_first(ValueSet *vs, ExactSum *total)
{
	int64		npos = vs_move_positive_first(vs);

	vs_positive_total(vs, npos, total);
	return npos;
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


/*
 * The last tie group that `test' does not put past the one it looks for,
 * by quickselect.  Items [lo, hi) are all smaller than items [0, lo), and
 * *found is the group that ends at lo (all zero for lo = 0).  Each pivot's
 * tie group is tested: past, the search goes on among the greater items;
 * else it becomes *found, and unless it is the one looked for, the search
 * goes on among the smaller items.  *found is left as it was when every
 * group of [lo, hi) is past.  Only items [lo, hi) are reordered, and *found
 * always ends a tie group of the whole set.
 */
void
vs_select_group(ValueSet *vs, int64 lo, int64 hi, TieGroup *found,
				TieTest test, const void *arg)
{
	uint64		seed = SELECT_SEED ^ (uint64) hi;

	Assert(found->end == lo);
	while (lo < hi)
	{
		Partition	part;
		TieGroup	group;
		TieVerdict	verdict;

		CHECK_FOR_INTERRUPTS();
		partition(vs, lo, hi, choose_pivot(vs, lo, hi, &seed), &part);
		group.start = part.gt_end;
		group.end = part.eq_end;
		group.before = found->through;
		vs_sum_add_sum(vs, &group.before, &part.greater);
		group.through = group.before;
		vs_sum_add_sum(vs, &group.through, &part.equal);
		verdict = test(vs, &group, arg);
		if (verdict == TIE_PAST)
		{
			hi = group.start;
			continue;
		}
		*found = group;
		if (verdict == TIE_FOUND)
			break;
		lo = group.end;
	}
}

/* The empty group before the first item, where a selection from 0 starts. */
void
vs_group_init(const ValueSet *vs, TieGroup *group)
{
	group->start = group->end = 0;
	vs_sum_init(vs, &group->before);
	group->through = group->before;
}

/* Where a tie group stands against the group of the item of rank *arg. */
static TieVerdict
holds_rank(const ValueSet *vs pg_attribute_unused(), const TieGroup *group, const void *arg)
{
	int64		rank = *(const int64 *) arg;

	if (rank < group->start)
		return TIE_PAST;
	return rank < group->end ? TIE_FOUND : TIE_SHORT;
}

/*
 * The tie group of the item that ranks `rank' (0-based, descending), which
 * lies in [lo, hi): vs_select_group with that test.
 */
void
vs_select_rank(ValueSet *vs, int64 lo, int64 hi, int64 rank, TieGroup *found)
{
	Assert(lo <= rank && rank < hi);
	vs_select_group(vs, lo, hi, found, holds_rank, &rank);
}

#ifdef USE_ASSERT_CHECKING
/*
 * Whether `end' ends a tie group: every item before it is greater than
 * every item from it on, so that a limit drawn from items [0, end) admits
 * them all and no other.  O(n), for assertions.
 */
bool
vs_ends_tie_group(const ValueSet *vs, int64 end)
{
	int64		least = -1;
	int64		most = -1;

	for (int64 i = 0; i < vs->n; i++)
	{
		if (i < end && (least < 0 || vs_item_cmp(vs, i, least) < 0))
			least = i;
		if (i >= end && (most < 0 || vs_item_cmp(vs, i, most) > 0))
			most = i;
	}
	return least < 0 || most < 0 || vs_item_cmp(vs, least, most) > 0;
}
#endif
