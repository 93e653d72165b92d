/*
 * state.h — what the aggregates' state types (account_tier.values_state,
 * account_tier.sales_totals_state) share: their flat form read with every
 * read checked (a malformed state is refused with a detail saying what is
 * wrong), written into space of a size known beforehand, and their text
 * form: a readable header, then the flat form in hexadecimal.
 */
#ifndef ACCOUNT_TIER_STATE_H
#define ACCOUNT_TIER_STATE_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/numeric.h"

/*
 * The first bytes of every flat state: the format's version, and the byte
 * order of the server that wrote it (items and numerics are written as the
 * server holds them).
 */
#define STATE_VERSION 1
#define STATE_LITTLE_ENDIAN 1
#define STATE_BIG_ENDIAN 2
#ifdef WORDS_BIGENDIAN
#define STATE_BYTE_ORDER STATE_BIG_ENDIAN
#else
#define STATE_BYTE_ORDER STATE_LITTLE_ENDIAN
#endif

/*
 * Reads a flat state.  A malformed one is refused with `sqlstate': 22P02
 * when it came as text, 22P03 as binary, 22000 otherwise (a state no input
 * function checked).
 */
typedef struct StateReader
{
	StringInfoData buf;
	int			sqlstate;
} StateReader;

/* Writes a flat state into space allocated for exactly its size. */
typedef struct StateWriter
{
	char	   *next;
	char	   *end;
} StateWriter;

/* (PostgreSQL 18 spells "does not return" as a prefix) */
#ifdef pg_attribute_noreturn
extern void invalid_state(int sqlstate, const char *detail) pg_attribute_noreturn();
#else
pg_noreturn extern void invalid_state(int sqlstate, const char *detail);
#endif

/* reading */
extern void state_reader(StateReader *r, const char *bytes, int len, int sqlstate);
extern void state_need(StateReader *r, int bytes);
extern void state_begin(StateReader *r);
extern int	state_byte(StateReader *r);
extern int	state_int16(StateReader *r);
extern int32 state_int32(StateReader *r);
extern int64 state_int64(StateReader *r);
extern const char *state_bytes(StateReader *r, int bytes);
extern bool state_flag(StateReader *r, const char *what);
extern const char *state_numeric(StateReader *r, const char *what, int *len);
extern Numeric state_numeric_copy(StateReader *r, MemoryContext mcxt, const char *what);
extern Numeric state_optional_numeric(StateReader *r, MemoryContext mcxt, const char *what);
extern void state_end(StateReader *r);
extern struct varlena *state_received(StringInfo buf);

/* writing */
extern void state_writer(StateWriter *w, void *space, Size size);
extern void state_put_begin(StateWriter *w);
extern void state_put_byte(StateWriter *w, int value);
extern void state_put_int16(StateWriter *w, int value);
extern void state_put_int32(StateWriter *w, int32 value);
extern void state_put_int64(StateWriter *w, int64 value);
extern char *state_put_space(StateWriter *w, Size len);
extern void state_put_bytes(StateWriter *w, const void *bytes, Size len);
extern Size state_numeric_size(Numeric num);
extern void state_put_numeric(StateWriter *w, Numeric num);
extern Size state_optional_numeric_size(Numeric num);
extern void state_put_optional_numeric(StateWriter *w, Numeric num);
extern void state_put_end(StateWriter *w);

/* the text form */
extern char *state_text(const char *header, const char *bytes, Size len);
extern struct varlena *state_text_bytes(const char *text, char **header);
extern void state_check_header(const char *given, const char *expected);

#endif
