/*
 * wire.c — the value set's wire format, for the aggregates' partial states
 * in parallel plans: written as it is held, read back with every length
 * and value checked.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"

#include "state.h"
#include "values_internal.h"

/* Appends the set to `buf': kind, radix, scales, count, then the items. */
void
vs_serialize(const ValueSet *vs, StringInfo buf)
{
	pq_sendbyte(buf, (uint8) vs->kind);
	pq_sendbyte(buf, (uint8) vs->radix);
	pq_sendint16(buf, (uint16) vs->scale);
	pq_sendint16(buf, (uint16) vs->dscale);
	pq_sendint64(buf, vs->n);
	if (vs->kind == VS_FIXED)
	{
		pq_sendbytes(buf, (char *) vs->items, vs->n * sizeof(int128));
		return;
	}
	for (int64 i = 0; i < vs->n; i++)
		state_send_numeric(buf, numeric_items(vs)[i]);
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
 * Reads a set written by vs_serialize, checking every length and value: a
 * known kind, scales numeric or float8 can have, items that fit, finite
 * numerics in numeric.c's format, nothing after the last item.
 */
void
vs_deserialize(ValueSet *vs, StringInfo buf, MemoryContext mcxt)
{
	int			kind;
	int			radix;
	int			scale;
	int			dscale;
	int64		n;
	int64		left;

	state_need(buf, 1 + 1 + 2 + 2 + 8);
	kind = pq_getmsgbyte(buf);
	radix = pq_getmsgbyte(buf);
	scale = (int16) pq_getmsgint(buf, 2);
	dscale = (int16) pq_getmsgint(buf, 2);
	n = pq_getmsgint64(buf);
	left = buf->len - buf->cursor;
	if ((kind != VS_FIXED && kind != VS_NUMERIC) ||
		(radix != RADIX_DECIMAL && radix != RADIX_BINARY))
		invalid_state("The value kind is unknown.");
	if (scale < 0 || scale > (radix == RADIX_DECIMAL ? MAX_DECIMAL_SCALE : MAX_BINARY_SCALE) ||
		(kind == VS_NUMERIC && scale != 0) ||
		dscale < 0 || dscale > MAX_DECIMAL_SCALE || (radix == RADIX_BINARY && dscale != 0))
		invalid_state("The scale is out of range.");
	if (n < 0 || (kind == VS_FIXED && (uint64) n * sizeof(int128) != (uint64) left) ||
		(kind == VS_NUMERIC && n > left / (int64) (4 + VARHDRSZ + sizeof(uint16))))
		invalid_state("The number of values does not match the state's length.");

	vs_init(vs, radix, mcxt, n);
	vs->dscale = dscale;
	if (kind == VS_FIXED)
	{
		vs->scale = scale;
		memcpy(vs->items, pq_getmsgbytes(buf, n * sizeof(int128)), n * sizeof(int128));
		vs->n = n;
		for (int64 i = 0; i < n; i++)
		{
			if (radix == RADIX_BINARY && !binary_item_is_double(fixed_items(vs)[i]))
				invalid_state("A value of a float8 set is not a double.");
			if (fixed_items(vs)[i] > 0 &&
				__builtin_add_overflow(vs->positive_total, fixed_items(vs)[i],
									   &vs->positive_total))
				invalid_state("The sum of the values overflows.");
		}
	}
	else
	{
		vs_to_numeric(vs);
		for (int64 i = 0; i < n; i++)
		{
			MemoryContext old = scratch_begin(vs);

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			vs_append_numeric(vs, state_numeric_copy(buf, CurrentMemoryContext, "A value"));
			scratch_end(vs, old);
		}
	}
	state_end(buf);
	vs->sorted = n <= 1;
}
