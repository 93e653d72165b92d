/*
 * values_state.h — account_tier.values_state, the transition state of every
 * aggregate but sales_totals (values_state.c): a value set and the
 * parameters of the call, held while the aggregate runs as an expanded
 * object that the transition and combine functions change in place.  Only
 * aggregates.c uses it.
 */
#ifndef ACCOUNT_TIER_VALUES_STATE_H
#define ACCOUNT_TIER_VALUES_STATE_H

#include "postgres.h"

#include "utils/expandeddatum.h"

#include "values.h"

/*
 * The parameters of a call: read from its first row, like a window
 * function's, they must agree when states are combined.
 */
typedef struct ValuesParams
{
	Numeric		a;				/* thresholds, or NULL when the aggregate has none */
	Numeric		b;
	int32		points;			/* lorenz_curve: points, else 0 */
} ValuesParams;

/* The state; everything it holds lives in its own context, hdr.eoh_context. */
typedef struct ValuesState
{
	ExpandedObjectHeader hdr;
	ValueSet	vs;
	ValuesParams params;
} ValuesState;

extern ValuesState *values_state_new(MemoryContext parent, int radix);
extern ValuesState *values_state_expand(Datum flat, MemoryContext parent, int sqlstate);
extern ValuesState *values_state_of(Datum state, MemoryContext parent);
extern void values_state_merge(ValuesState *into, Datum from);
extern void values_state_free(ValuesState *state);

extern const ExpandedObjectMethods values_state_methods;

/*
 * The state a transition function may change in place, or NULL: a
 * read-write pointer to a values_state is the aggregate's own state
 * (PostgreSQL passes the transition value so).  Inline: it runs once a row.
 */
static inline ValuesState *
values_state_own(Datum datum)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(datum)))
		return NULL;
	eoh = DatumGetEOHP(datum);
	return eoh->eoh_methods == &values_state_methods ? (ValuesState *) eoh : NULL;
}

/* The read-write datum of a state, which a transition function returns. */
static inline Datum
values_state_datum(ValuesState *state)
{
	return EOHPGetRWDatum(&state->hdr);
}

#endif
