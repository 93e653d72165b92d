/*
 * wire.c — the value set's wire format, the value part of
 * account_tier.values_state's flat form: written as the set is held, read
 * back with every length and value checked.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "state.h"
#include "values_internal.h"

/*
 * The format: kind, radix, scale, display scale (16 bits each), count (64
 * bits), the width of a fixed-point item in bytes (0 for a numeric set),
 * then the items.  A fixed-point item is written in the fewest bytes that
 * hold every item of the set, least significant byte first, two's
 * complement: amounts in cents up to 21 million take 4 bytes, not 16, which
 * makes the text form of a state (twice its bytes) short.  A numeric item
 * is a numeric as the server holds it (state_put_numeric).
 */
#define VS_WIRE_HEAD (1 + 1 + 2 + 2 + 8 + 1)

/* The bytes of a fixed-point item in the fewest that hold every item. */
static int
fixed_width(const ValueSet *vs)
{
	uint128		bits = 0;
	int			length;

	/* an item needs its magnitude's bits and a sign bit (~x for x < 0) */
	for (int64 i = 0; i < vs->n; i++)
	{
		int128		item = fixed_items(vs)[i];

		bits |= (uint128) (item ^ (item >> 127));
	}
	if ((uint64) (bits >> 64) != 0)
		length = 128 - __builtin_clzll((uint64) (bits >> 64));
	else
		length = (uint64) bits != 0 ? 64 - __builtin_clzll((uint64) bits) : 0;
	return (length + 1 + 7) / 8;
}

/*
 * Writes an item in `width' bytes at p, least significant first; `end' ends
 * the items, which are written in order.  (While 16 bytes are left, all 16
 * are written: the next items overwrite what lies past this one, and one
 * fixed-size copy is faster than one of `width' bytes.)
 */
static inline void
put_item(char *p, const char *end, int128 item, int width)
{
#ifdef WORDS_BIGENDIAN
	for (int i = 0; i < width; i++)
	{
		p[i] = (char) (item & 0xFF);
		item >>= 8;
	}
#else
	if (likely(end - p >= (ptrdiff_t) sizeof(item)))
		memcpy(p, &item, sizeof(item));
	else
		memcpy(p, &item, width);
#endif
}

/*
 * Reads an item of `width' bytes at p, least significant first, sign
 * extended; `end' ends the bytes readable.
 */
static inline int128
get_item(const char *p, const char *end, int width)
{
	uint128		bytes = 0;
	int			unused = 128 - 8 * width;

#ifdef WORDS_BIGENDIAN
	for (int i = width - 1; i >= 0; i--)
		bytes = bytes << 8 | (uint8) p[i];
#else
	if (likely(end - p >= (ptrdiff_t) sizeof(bytes)))
		memcpy(&bytes, p, sizeof(bytes));
	else
		memcpy(&bytes, p, width);
#endif
	return ((int128) (bytes << unused)) >> unused;
}

/* The bytes vs_serialize writes. */
Size
vs_serialized_size(const ValueSet *vs)
{
	Size		size = VS_WIRE_HEAD;

	if (vs->kind == VS_FIXED)
		return size + vs->n * fixed_width(vs);
	for (int64 i = 0; i < vs->n; i++)
		size += state_numeric_size(numeric_items(vs)[i]);
	return size;
}

/* Writes the set: its head, then the items. */
void
vs_serialize(const ValueSet *vs, StateWriter *w)
{
	int			width = vs->kind == VS_FIXED ? fixed_width(vs) : 0;

	state_put_byte(w, vs->kind);
	state_put_byte(w, vs->radix);
	state_put_int16(w, vs->scale);
	state_put_int16(w, vs->dscale);
	state_put_int64(w, vs->n);
	state_put_byte(w, width);
	if (vs->kind == VS_FIXED)
	{
		char	   *p = state_put_space(w, vs->n * width);
		const char *end = p + vs->n * width;

		for (int64 i = 0; i < vs->n; i++)
			put_item(p + i * width, end, fixed_items(vs)[i], width);
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
 * Whether the `len' bytes of a checked numeric (at any alignment) are a
 * double exactly, as every value of a float8 set held as numerics is: a
 * numeric outside the double range, or between two doubles, is not.
 */
static bool
numeric_item_is_double(const char *bytes, int len)
{
	Numeric		num = palloc(len);
	double		d;
	bool		is_double;

	memcpy(num, bytes, len);
	d = numeric_as_double(num);
	is_double = isfinite(d) &&
		numeric_compare(input_exact_numeric(RADIX_BINARY, Float8GetDatum(d)), num) == 0;
	pfree(num);
	return is_double;
}

/*
 * Reads what a set written by vs_serialize says before its items, checking
 * it: a known kind, scales numeric or float8 can have, a width an item can
 * have, and a count of items the bytes left can hold (so that nothing much
 * larger than the state itself is ever allocated for them).
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
	head->width = state_byte(r);
	left = r->buf.len - r->buf.cursor;
	if ((head->kind != VS_FIXED && head->kind != VS_NUMERIC) ||
		(head->radix != RADIX_DECIMAL && head->radix != RADIX_BINARY))
		invalid_state(r->sqlstate, "The value kind is unknown.");
	if (head->kind == VS_FIXED ? head->width < 1 || head->width > (int) sizeof(int128) : head->width != 0)
		invalid_state(r->sqlstate, psprintf("The width of a value, %d bytes, is out of range.",
											head->width));
	if (head->scale < 0 ||
		head->scale > (head->radix == RADIX_DECIMAL ? MAX_DECIMAL_SCALE : MAX_BINARY_SCALE) ||
		(head->kind == VS_NUMERIC && head->scale != 0) ||
		head->dscale < 0 || head->dscale > MAX_DECIMAL_SCALE ||
		(head->radix == RADIX_BINARY && head->dscale != 0))
		invalid_state(r->sqlstate, "The scale is out of range.");
	if (head->n < 0 ||
		(head->kind == VS_FIXED && (uint64) head->n > (uint64) left / head->width) ||
		(head->kind == VS_NUMERIC && head->n > left / (int64) (4 + VARHDRSZ + sizeof(uint16))))
		invalid_state(r->sqlstate, "The number of values does not match the state's length.");
}

/*
 * Reads the items of a set whose head is read, checking each before it is
 * used: a double for a float8 set, positive ones whose sum fits, finite
 * numerics in numeric.c's format.  Adds them to `into' (of the same radix),
 * or, when it is NULL, only checks them.
 */
static void
read_items(StateReader *r, const VsWireHead *head, ValueSet *into)
{
	int128		positive_total = 0;

	if (head->kind == VS_FIXED)
	{
		const char *p = state_bytes(r, head->n * head->width);
		const char *end = r->buf.data + r->buf.len;

		for (int64 i = 0; i < head->n; i++)
		{
			int128		item = get_item(p + i * head->width, end, head->width);

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (head->radix == RADIX_BINARY && !binary_item_is_double(item))
				invalid_state(r->sqlstate, "A value of a float8 set is not a double.");
			if (item > 0 && __builtin_add_overflow(positive_total, item, &positive_total))
				invalid_state(r->sqlstate, "The sum of the values overflows.");
			if (into != NULL)
				vs_merge_units(into, item, head->scale);
		}
		return;
	}
	for (int64 i = 0; i < head->n; i++)
	{
		int			len;
		const char *bytes;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		bytes = state_numeric(r, "A value", &len);
		if (head->radix == RADIX_BINARY && !numeric_item_is_double(bytes, len))
			invalid_state(r->sqlstate, "A value of a float8 set is not a double.");
		if (into != NULL)
			vs_merge_numeric(into, bytes, len);
	}
}

/* Refuses to add values of `radix' to a set of values of the other type. */
void
vs_check_radix(const ValueSet *into, int radix, int sqlstate)
{
	if (radix != into->radix)
		invalid_state(sqlstate, "The states combined hold values of different types, numeric and float8.");
}

/* Checks a set written by vs_serialize, without keeping anything of it. */
void
vs_check_serialized(StateReader *r)
{
	VsWireHead	head;

	vs_read_head(r, &head);
	read_items(r, &head, NULL);
}

/* Reads a set written by vs_serialize, checked, into `vs' (in `mcxt'). */
void
vs_deserialize(ValueSet *vs, StateReader *r, MemoryContext mcxt)
{
	VsWireHead	head;

	vs_read_head(r, &head);
	vs_init(vs, head.radix, mcxt, head.n);
	vs_merge_begin(vs, head.n, head.n <= 1, head.dscale);
	read_items(r, &head, vs);
}

/*
 * Adds the values of a set written by vs_serialize, checked, to `into',
 * which must hold values of the same type.
 */
void
vs_merge_serialized(ValueSet *into, StateReader *r)
{
	VsWireHead	head;

	vs_read_head(r, &head);
	vs_check_radix(into, head.radix, r->sqlstate);
	vs_merge_begin(into, head.n, head.n <= 1, head.dscale);
	read_items(r, &head, into);
}
