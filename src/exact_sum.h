/*
 * exact_sum.h — one exact sum: int128 units of radix^-scale while they fit,
 * an exact numeric from then on.  A value set's sums and sales_totals' sums
 * are both of this type.
 */
#ifndef ACCOUNT_TIER_EXACT_SUM_H
#define ACCOUNT_TIER_EXACT_SUM_H

#include "decode.h"

typedef struct ExactSum
{
	int128		units;			/* while wide is NULL, the sum in units of
								 * radix^-scale */
	int			scale;
	Numeric		wide;			/* the sum, once units no longer hold it */
} ExactSum;

extern void exact_sum_add_numeric(ExactSum *sum, Numeric x);
extern void exact_sum_add_numeric_datum(ExactSum *sum, Datum value, int *dscale,
										MemoryContext mcxt);
extern void exact_sum_add_sum(ExactSum *into, const ExactSum *from, int radix,
							  int dscale, MemoryContext mcxt);
extern Numeric exact_sum_numeric(const ExactSum *sum, int radix, int dscale);

#endif
