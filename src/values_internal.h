/*
 * values_internal.h — what the value set's own files (values.c, sort.c,
 * select.c, probe.c, sums.c, wire.c) share beyond values.h: typed views of
 * the items, and the numeric fallback's storage.
 */
#ifndef ACCOUNT_TIER_VALUES_INTERNAL_H
#define ACCOUNT_TIER_VALUES_INTERNAL_H

#include "utils/memutils.h"

#include "values.h"

/* The items of a VS_FIXED set. */
static inline const int128 *
fixed_items(const ValueSet *vs)
{
	Assert(vs->kind == VS_FIXED);
	return (const int128 *) vs->items;
}

/* The items of a VS_NUMERIC set. */
static inline const Numeric *
numeric_items(const ValueSet *vs)
{
	Assert(vs->kind == VS_NUMERIC);
	return (const Numeric *) vs->items;
}

/*
 * The conversions of the numeric fallback allocate as they go: they run in
 * the set's scratch context, emptied after each value, so that reading n
 * values never holds more than one value's temporaries.
 */
static inline MemoryContext
scratch_begin(const ValueSet *vs)
{
	return MemoryContextSwitchTo(vs->scratch);
}

static inline void
scratch_end(const ValueSet *vs, MemoryContext old)
{
	MemoryContextSwitchTo(old);
	MemoryContextReset(vs->scratch);
}

extern void vs_to_numeric(ValueSet *vs);
extern void vs_append_numeric(ValueSet *vs, Numeric value);

#endif
