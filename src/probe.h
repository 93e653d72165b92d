/*
 * probe.h — one input value against the items of a value set, exactly
 * (probe.c): abc_classify's value against its cutoffs.  The comparisons
 * are inline, for the fixed-point case every row takes.
 */
#ifndef ACCOUNT_TIER_PROBE_H
#define ACCOUNT_TIER_PROBE_H

#include "values.h"

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

#endif
