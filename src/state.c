/*
 * state.c — the aggregates' flat states: written into space of the size
 * computed beforehand, read with every length, flag and numeric checked
 * before it is used, so that no byte string can crash the server, allocate
 * more than its own size or reach the detoaster; and their text form.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "port/pg_bswap.h"
#include "utils/memutils.h"

#include "numeric_format.h"
#include "state.h"

/* Refuses a malformed state. */
void
invalid_state(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid account_tier aggregate state"),
			 errdetail("%s", detail)));
}

/* Reading ---------------------------------------------------------------------- */

/* Points a reader at the `len' bytes of a flat state (after its header). */
void
state_reader(StateReader *r, const char *bytes, int len, int sqlstate)
{
	r->buf.data = unconstify(char *, bytes);
	r->buf.len = len;
	r->buf.maxlen = len;
	r->buf.cursor = 0;
	r->sqlstate = sqlstate;
}

/* Refuses a state with fewer than `bytes' bytes left to read. */
void
state_need(StateReader *r, int bytes)
{
	if (bytes < 0 || r->buf.len - r->buf.cursor < bytes)
		invalid_state(r->sqlstate, "The state is truncated.");
}

/* Reads `bytes' bytes, returning where they are. */
const char *
state_bytes(StateReader *r, int bytes)
{
	const char *p;

	state_need(r, bytes);
	p = r->buf.data + r->buf.cursor;
	r->buf.cursor += bytes;
	return p;
}

/* Reads an unsigned byte. */
int
state_byte(StateReader *r)
{
	return (unsigned char) *state_bytes(r, 1);
}

/* Reads a signed 16-bit integer (network byte order). */
int
state_int16(StateReader *r)
{
	uint16		v;

	memcpy(&v, state_bytes(r, sizeof(v)), sizeof(v));
	return (int16) pg_ntoh16(v);
}

/* Reads a signed 32-bit integer (network byte order). */
int32
state_int32(StateReader *r)
{
	uint32		v;

	memcpy(&v, state_bytes(r, sizeof(v)), sizeof(v));
	return (int32) pg_ntoh32(v);
}

/* Reads a signed 64-bit integer (network byte order). */
int64
state_int64(StateReader *r)
{
	uint64		v;

	memcpy(&v, state_bytes(r, sizeof(v)), sizeof(v));
	return (int64) pg_ntoh64(v);
}

/*
 * Reads the first bytes of a flat state: refuses a format of another version
 * and a state written in the other byte order.
 */
void
state_begin(StateReader *r)
{
	int			version = state_byte(r);
	int			order = state_byte(r);

	if (version != STATE_VERSION)
		invalid_state(r->sqlstate,
					  psprintf("The state's format version is %d; this account_tier reads version %d.",
							   version, STATE_VERSION));
	if (order != STATE_LITTLE_ENDIAN && order != STATE_BIG_ENDIAN)
		invalid_state(r->sqlstate, psprintf("The state's byte order, %d, is unknown.", order));
	if (order != STATE_BYTE_ORDER)
		invalid_state(r->sqlstate, "The state was written by a server of the other byte order.");
}

/* Reads a flag byte, which must be 0 or 1. */
bool
state_flag(StateReader *r, const char *what)
{
	int			flag = state_byte(r);

	if (flag != 0 && flag != 1)
		invalid_state(r->sqlstate, psprintf("%s has a flag of %d, neither 0 nor 1.", what, flag));
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

/*
 * Reads a numeric written by state_put_numeric, and checks it; returns a
 * pointer to its bytes in the state (at any alignment), *len their number.
 */
const char *
state_numeric(StateReader *r, const char *what, int *len)
{
	const char *bytes;
	const char *problem;

	*len = state_int32(r);
	if (*len < (int) (VARHDRSZ + sizeof(uint16)) || *len > r->buf.len - r->buf.cursor)
		invalid_state(r->sqlstate, psprintf("%s's length is out of range.", what));
	bytes = state_bytes(r, *len);
	problem = numeric_problem(bytes, *len);
	if (problem != NULL)
		invalid_state(r->sqlstate, psprintf("%s %s.", what, problem));
	return bytes;
}

/*
 * Reads and checks a numeric, as a copy in `mcxt'.  The bytes are copied as
 * bytes: in the state they may lie at any alignment, no datum yet.
 */
Numeric
state_numeric_copy(StateReader *r, MemoryContext mcxt, const char *what)
{
	int			len;
	const char *bytes = state_numeric(r, what, &len);
	Numeric		copy = MemoryContextAlloc(mcxt, len);

	memcpy(copy, bytes, len);
	return copy;
}

/*
 * Reads an optional numeric written by state_put_optional_numeric, checked,
 * as a copy in `mcxt'; NULL when there is none.
 */
Numeric
state_optional_numeric(StateReader *r, MemoryContext mcxt, const char *what)
{
	if (!state_flag(r, what))
		return NULL;
	return state_numeric_copy(r, mcxt, what);
}

/* Refuses bytes after the end of a state. */
void
state_end(StateReader *r)
{
	if (r->buf.cursor != r->buf.len)
		invalid_state(r->sqlstate, "The state has bytes after its last value.");
}

/* Writing ---------------------------------------------------------------------- */

/* Points a writer at `size' bytes of space. */
void
state_writer(StateWriter *w, void *space, Size size)
{
	w->next = space;
	w->end = w->next + size;
}

/* Takes the next `len' bytes, for the caller to write. */
char *
state_put_space(StateWriter *w, Size len)
{
	char	   *space = w->next;

	if ((Size) (w->end - w->next) < len)
		elog(ERROR, "account_tier state written past its size");
	w->next += len;
	return space;
}

/* Writes `len' bytes. */
void
state_put_bytes(StateWriter *w, const void *bytes, Size len)
{
	memcpy(state_put_space(w, len), bytes, len);
}

/* Writes a byte. */
void
state_put_byte(StateWriter *w, int value)
{
	uint8		v = (uint8) value;

	state_put_bytes(w, &v, sizeof(v));
}

/* Writes a 16-bit integer (network byte order). */
void
state_put_int16(StateWriter *w, int value)
{
	uint16		v = pg_hton16((uint16) value);

	state_put_bytes(w, &v, sizeof(v));
}

/* Writes a 32-bit integer (network byte order). */
void
state_put_int32(StateWriter *w, int32 value)
{
	uint32		v = pg_hton32((uint32) value);

	state_put_bytes(w, &v, sizeof(v));
}

/* Writes a 64-bit integer (network byte order). */
void
state_put_int64(StateWriter *w, int64 value)
{
	uint64		v = pg_hton64((uint64) value);

	state_put_bytes(w, &v, sizeof(v));
}

/*
 * The bytes left in a receive function's buffer, as a flat state (to be
 * checked by the caller); the buffer is read to its end.
 */
struct varlena *
state_received(StringInfo buf)
{
	int			len = buf->len - buf->cursor;
	struct varlena *flat = palloc(VARHDRSZ + len);

	SET_VARSIZE(flat, VARHDRSZ + len);
	memcpy(VARDATA(flat), buf->data + buf->cursor, len);
	buf->cursor = buf->len;
	return flat;
}

/* Writes the first bytes of a flat state (read by state_begin). */
void
state_put_begin(StateWriter *w)
{
	state_put_byte(w, STATE_VERSION);
	state_put_byte(w, STATE_BYTE_ORDER);
}

/* The bytes state_put_numeric writes. */
Size
state_numeric_size(Numeric num)
{
	return sizeof(int32) + VARSIZE(num);
}

/* Writes a numeric (with a 4-byte header) as its length, then its bytes. */
void
state_put_numeric(StateWriter *w, Numeric num)
{
	state_put_int32(w, VARSIZE(num));
	state_put_bytes(w, num, VARSIZE(num));
}

/* The bytes state_put_optional_numeric writes. */
Size
state_optional_numeric_size(Numeric num)
{
	return 1 + (num != NULL ? state_numeric_size(num) : 0);
}

/* Writes an optional numeric: a flag, then, when there is one, the numeric. */
void
state_put_optional_numeric(StateWriter *w, Numeric num)
{
	state_put_byte(w, num != NULL);
	if (num != NULL)
		state_put_numeric(w, num);
}

/* Checks that a state filled exactly the space computed for it. */
void
state_put_end(StateWriter *w)
{
	if (w->next != w->end)
		elog(ERROR, "account_tier state shorter than its size");
}

/* The text form --------------------------------------------------------------------
 * A header of a few words saying what the state holds, then " \x" and the
 * flat state in hexadecimal.  The header is written from the bytes, and
 * read back only to be compared with the one the bytes give.
 */

static const char hex_digits[] = "0123456789abcdef";

/* The text form of a flat state of `len' bytes under `header'. */
char *
state_text(const char *header, const char *bytes, Size len)
{
	Size		header_len = strlen(header);
	char	   *text;
	char	   *p;

	if (len > (MaxAllocSize - header_len - 4) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("account_tier aggregate state too large for its text form"),
				 errdetail("The state has %zu bytes; its text form would exceed 1 GB.", len)));
	text = palloc(header_len + 3 + 2 * len + 1);
	memcpy(text, header, header_len);
	p = text + header_len;
	*p++ = ' ';
	*p++ = '\\';
	*p++ = 'x';
	for (Size i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) bytes[i];

		p[0] = hex_digits[c >> 4];
		p[1] = hex_digits[c & 0xF];
		p += 2;
	}
	*p = '\0';
	return text;
}

/* The value of each character as a hexadecimal digit, or -1. */
static const int8 hex_values[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
};

/* Refuses a character of the bytes that is not a hexadecimal digit. */
static void
not_hex_digit(const char *p)
{
	invalid_state(ERRCODE_INVALID_TEXT_REPRESENTATION,
				  psprintf("The state's bytes have \"%.*s\", which is not a hexadecimal digit.",
						   pg_mblen(p), p));
}

/*
 * Reads the text form of a state: its header (a copy, in *header) and its
 * bytes, returned as a varlena for the type's checks (nothing is checked
 * here but the hexadecimal digits).
 */
struct varlena *
state_text_bytes(const char *text, char **header)
{
	const char *hex = strstr(text, " \\x");
	Size		digits;
	struct varlena *flat;
	char	   *out;

	if (hex == NULL)
		invalid_state(ERRCODE_INVALID_TEXT_REPRESENTATION,
					  "The state has no \" \\x\" between its header and its bytes.");
	*header = pnstrdup(text, hex - text);
	hex += 3;
	digits = strlen(hex);
	if (digits % 2 != 0)
		invalid_state(ERRCODE_INVALID_TEXT_REPRESENTATION,
					  "The state's bytes have an odd number of hexadecimal digits.");
	flat = palloc(VARHDRSZ + digits / 2);
	SET_VARSIZE(flat, VARHDRSZ + digits / 2);
	out = VARDATA(flat);
	for (Size i = 0; i < digits; i += 2)
	{
		int			high = hex_values[(unsigned char) hex[i]];
		int			low = hex_values[(unsigned char) hex[i + 1]];

		if (unlikely((high | low) < 0))
			not_hex_digit(high < 0 ? hex + i : hex + i + 1);
		*out++ = (char) (high << 4 | low);
	}
	return flat;
}

/* A header as an error message shows it: at most 200 bytes of it. */
static const char *
header_shown(const char *header)
{
	int			len = strlen(header);

	if (len <= 200)
		return header;
	return psprintf("%.*s...", pg_mbcliplen(header, len, 200), header);
}

/* Refuses a header other than the one the state's bytes give. */
void
state_check_header(const char *given, const char *expected)
{
	if (strcmp(given, expected) != 0)
		invalid_state(ERRCODE_INVALID_TEXT_REPRESENTATION,
					  psprintf("The state's header is \"%s\", but its bytes say \"%s\".",
							   header_shown(given), header_shown(expected)));
}
