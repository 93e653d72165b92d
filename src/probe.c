/*
 * probe.c — one input value against the items of a value set, exactly:
 * abc_classify's value against its cutoffs.
 */
#include "postgres.h"

#include "numeric_format.h"
#include "probe.h"
#include "values_internal.h"

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
	int			dscale;

	memset(probe, 0, sizeof(*probe));
	if (!input_units(vs->radix, value, vs->kind == VS_FIXED, &units, &scale, &dscale))
	{
		probe->num = input_exact_numeric(vs->radix, value);
		return;
	}
	if (likely(scale == vs->scale))
		probe->fixed = units;
	else if (scale > vs->scale)
		probe->fixed = floor_div_scale(vs->radix, units, scale - vs->scale, &probe->frac);
	else if (units != 0 &&
			 !rescale_units(vs->radix, units, vs->scale - scale, &probe->fixed))
		probe->beyond = units > 0 ? 1 : -1;
}

/* vs_cmp_probe for the cases that need numeric arithmetic. */
int
vs_cmp_probe_slow(const ValueSet *vs, int64 i, const VsProbe *probe)
{
	if (vs->kind == VS_NUMERIC)
		return numeric_compare(numeric_items(vs)[i], probe->num);
	if (probe->beyond != 0)
		return -probe->beyond;
	return numeric_compare(units_exact_numeric(vs->radix, fixed_items(vs)[i], vs->scale),
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

