/*
 * state.c — the aggregates' serialized states (parallel workers' partial
 * results): numerics written one way, and every read checked, lengths,
 * flags and numerics before they are used, so that no byte string can crash
 * the leader or reach the detoaster.
 */
#include "postgres.h"

#include "libpq/pqformat.h"

#include "numeric_format.h"
#include "state.h"

/* Refuses a malformed serialized state. */
void
invalid_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("invalid account_tier aggregate state"),
			 errdetail("%s", detail)));
}

/* Points `buf' at the bytes of a serialized state, for the reads below. */
void
state_reader(bytea *bytes, StringInfo buf)
{
	buf->data = VARDATA_ANY(bytes);
	buf->len = VARSIZE_ANY_EXHDR(bytes);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

/* Refuses a state with fewer than `bytes' bytes left to read. */
void
state_need(StringInfo buf, int bytes)
{
	if (buf->len - buf->cursor < bytes)
		invalid_state("The state is truncated.");
}

/* Reads a flag byte, which must be 0 or 1. */
bool
state_flag(StringInfo buf, const char *what)
{
	int			flag;

	state_need(buf, 1);
	flag = pq_getmsgbyte(buf);
	if (flag != 0 && flag != 1)
		invalid_state(psprintf("%s has a flag of %d, neither 0 nor 1.", what, flag));
	return flag == 1;
}

/*
 * Why the `len' bytes at `p' are not a finite numeric as numeric.c writes
 * it (a plain 4-byte varlena header; base-10000 digits without leading or
 * trailing zero digits; a zero without sign or weight), or NULL.
 */
static const char *
numeric_problem(const char *p, int len)
{
	union
	{
		uint32		word;
		char		bytes[4];
	}			header;
	uint16		head;
	int			first;
	int			ndigits;
	bool		zero_has_sign_or_weight;

	memcpy(header.bytes, p, sizeof(header.bytes));
	if (VARATT_IS_1B(header.bytes))
		return "has no 4-byte varlena header (a short or external datum)";
	if (VARATT_IS_COMPRESSED(header.bytes))
		return "is compressed";
	if (VARSIZE(header.bytes) != (uint32) len)
		return "has a varlena header that does not match its length";

	head = read_u16(p + VARHDRSZ);
	if (numeric_header_special(head))
		return "is NaN or infinite, not a finite number";
	if ((head & NUMERIC_SHORT) != 0)
	{
		first = VARHDRSZ + sizeof(uint16);
		zero_has_sign_or_weight = (head & (NUMERIC_SHORT_SIGN_MASK |
										   NUMERIC_SHORT_WEIGHT_SIGN_MASK |
										   NUMERIC_SHORT_WEIGHT_MASK)) != 0;
	}
	else
	{
		first = VARHDRSZ + 2 * sizeof(uint16);
		if (len < first)
			return "is too short for its header";
		zero_has_sign_or_weight = (head & NUMERIC_SIGN_MASK) != 0 ||
			read_i16(p + VARHDRSZ + sizeof(uint16)) != 0;
	}
	if ((len - first) % sizeof(int16) != 0)
		return "has a digit cut in half";
	ndigits = (len - first) / sizeof(int16);
	if (ndigits == 0)
		return zero_has_sign_or_weight ? "is a zero with a sign or a weight" : NULL;
	for (int i = 0; i < ndigits; i++)
	{
		int16		digit = read_i16(p + first + i * sizeof(int16));

		if (digit < 0 || digit >= NBASE)
			return "has a digit out of range";
	}
	if (read_i16(p + first) == 0 ||
		read_i16(p + first + (ndigits - 1) * sizeof(int16)) == 0)
		return "has a leading or trailing zero digit";
	return NULL;
}

/* Writes a numeric (with a 4-byte header) as its length, then its bytes. */
void
state_send_numeric(StringInfo buf, Numeric num)
{
	pq_sendint32(buf, VARSIZE(num));
	pq_sendbytes(buf, (char *) num, VARSIZE(num));
}

/*
 * Reads a numeric written by state_send_numeric, and checks it; returns a
 * pointer to the bytes in `buf', *len their number.
 */
static const char *
state_numeric(StringInfo buf, const char *what, int *len)
{
	const char *bytes;
	const char *problem;

	state_need(buf, 4);
	*len = pq_getmsgint(buf, 4);
	if (*len < (int) (VARHDRSZ + sizeof(uint16)) || *len > buf->len - buf->cursor)
		invalid_state(psprintf("%s's length is out of range.", what));
	bytes = pq_getmsgbytes(buf, *len);
	problem = numeric_problem(bytes, *len);
	if (problem != NULL)
		invalid_state(psprintf("%s %s.", what, problem));
	return bytes;
}

/*
 * Reads and checks a numeric, as a copy in `mcxt'.  The bytes are copied as
 * bytes: in the message they may lie at any alignment, no datum yet.
 */
Numeric
state_numeric_copy(StringInfo buf, MemoryContext mcxt, const char *what)
{
	int			len;
	const char *bytes = state_numeric(buf, what, &len);
	Numeric		copy = MemoryContextAlloc(mcxt, len);

	memcpy(copy, bytes, len);
	return copy;
}

/* Writes an optional numeric: a flag, then, when there is one, the numeric. */
void
state_send_optional_numeric(StringInfo buf, Numeric num)
{
	pq_sendbyte(buf, num != NULL);
	if (num != NULL)
		state_send_numeric(buf, num);
}

/*
 * Reads an optional numeric written by state_send_optional_numeric, checked,
 * as a copy in `mcxt'; NULL when there is none.
 */
Numeric
state_optional_numeric(StringInfo buf, MemoryContext mcxt, const char *what)
{
	if (!state_flag(buf, what))
		return NULL;
	return state_numeric_copy(buf, mcxt, what);
}

/* Refuses bytes after the end of a state. */
void
state_end(StringInfo buf)
{
	if (buf->cursor != buf->len)
		invalid_state("The state has bytes after its last value.");
}
