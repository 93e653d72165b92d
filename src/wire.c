/*
 * wire.c — the value set's wire format, the value part of
 * account_tier.values_state's flat form: written as the set is held, read
 * back with every length and value checked.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "state.h"
#include "values_internal.h"

/* kind, radix, scale, display scale, count */
#define VS_WIRE_HEAD (1 + 1 + 2 + 2 + 8)

/* The bytes vs_serialize writes. */
Size
vs_serialized_size(const ValueSet *vs)
{
	Size		size = VS_WIRE_HEAD;

	if (vs->kind == VS_FIXED)
		return size + vs->n * sizeof(int128);
	for (int64 i = 0; i < vs->n; i++)
		size += state_numeric_size(numeric_items(vs)[i]);
	return size;
}

/* Writes the set: kind, radix, scales, count, then the items. */
void
vs_serialize(const ValueSet *vs, StateWriter *w)
{
	state_put_byte(w, vs->kind);
	state_put_byte(w, vs->radix);
	state_put_int16(w, vs->scale);
	state_put_int16(w, vs->dscale);
	state_put_int64(w, vs->n);
	if (vs->kind == VS_FIXED)
	{
		state_put_bytes(w, vs->items, vs->n * sizeof(int128));
		return;
	}
	for (int64 i = 0; i < vs->n; i++)
		state_put_numeric(w, numeric_items(vs)[i]);
}

/*
 * Whether a fixed-point item of a binary set is a double: at most 53
 * significant bits (its scale, at most 1074, makes it no finer than the
 * smallest denormal).
 */
static bool
binary_item_is_double(int128 item)
{
	uint128		magnitude = item < 0 ? -(uint128) item : (uint128) item;

	while (magnitude != 0 && (magnitude & 1) == 0)
		magnitude >>= 1;
	return magnitude < ((uint128) 1 << 53);
}

/*
 * Reads what a set written by vs_serialize says before its items, checking
 * it: a known kind, scales numeric or float8 can have, and a count of items
 * the bytes left can hold (so that nothing larger than the state itself is
 * ever allocated for them).
 */
void
vs_read_head(StateReader *r, VsWireHead *head)
{
	int64		left;

	head->kind = state_byte(r);
	head->radix = state_byte(r);
	head->scale = state_int16(r);
	head->dscale = state_int16(r);
	head->n = state_int64(r);
	left = r->buf.len - r->buf.cursor;
	if ((head->kind != VS_FIXED && head->kind != VS_NUMERIC) ||
		(head->radix != RADIX_DECIMAL && head->radix != RADIX_BINARY))
		invalid_state(r->sqlstate, "The value kind is unknown.");
	if (head->scale < 0 ||
		head->scale > (head->radix == RADIX_DECIMAL ? MAX_DECIMAL_SCALE : MAX_BINARY_SCALE) ||
		(head->kind == VS_NUMERIC && head->scale != 0) ||
		head->dscale < 0 || head->dscale > MAX_DECIMAL_SCALE ||
		(head->radix == RADIX_BINARY && head->dscale != 0))
		invalid_state(r->sqlstate, "The scale is out of range.");
	if (head->n < 0 ||
		(head->kind == VS_FIXED && (uint64) head->n > (uint64) left / sizeof(int128)) ||
		(head->kind == VS_NUMERIC && head->n > left / (int64) (4 + VARHDRSZ + sizeof(uint16))))
		invalid_state(r->sqlstate, "The number of values does not match the state's length.");
}

/*
 * Reads a set written by vs_serialize into `vs' (in `mcxt'), checking every
 * value before it is used: its head (vs_read_head), then items that fit:
 * doubles for a float8 set, positive ones whose sum fits, finite numerics in
 * numeric.c's format.
 */
void
vs_deserialize(ValueSet *vs, StateReader *r, MemoryContext mcxt)
{
	VsWireHead	head;

	vs_read_head(r, &head);
	vs_init(vs, head.radix, mcxt, head.n);
	vs->dscale = head.dscale;
	if (head.kind == VS_FIXED)
	{
		vs->scale = head.scale;
		memcpy(vs->items, state_bytes(r, head.n * sizeof(int128)), head.n * sizeof(int128));
		vs->n = head.n;
		for (int64 i = 0; i < head.n; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (head.radix == RADIX_BINARY && !binary_item_is_double(fixed_items(vs)[i]))
				invalid_state(r->sqlstate, "A value of a float8 set is not a double.");
			if (fixed_items(vs)[i] > 0 &&
				__builtin_add_overflow(vs->positive_total, fixed_items(vs)[i],
									   &vs->positive_total))
				invalid_state(r->sqlstate, "The sum of the values overflows.");
		}
	}
	else
	{
		vs_to_numeric(vs);
		for (int64 i = 0; i < head.n; i++)
		{
			MemoryContext old = scratch_begin(vs);

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			vs_append_numeric(vs, state_numeric_copy(r, CurrentMemoryContext, "A value"));
			scratch_end(vs, old);
		}
	}
	vs->sorted = head.n <= 1;
}
