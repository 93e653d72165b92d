/*
 * state.h — the aggregates' serialized states: every read is checked, and a
 * malformed state is refused with 22000 and a detail saying what is wrong.
 */
#ifndef ACCOUNT_TIER_STATE_H
#define ACCOUNT_TIER_STATE_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/numeric.h"

/* (PostgreSQL 18 spells "does not return" as a prefix) */
#ifdef pg_attribute_noreturn
extern void invalid_state(const char *detail) pg_attribute_noreturn();
#else
pg_noreturn extern void invalid_state(const char *detail);
#endif
extern void state_reader(bytea *bytes, StringInfo buf);
extern void state_need(StringInfo buf, int bytes);
extern bool state_flag(StringInfo buf, const char *what);
extern void state_send_numeric(StringInfo buf, Numeric num);
extern Numeric state_numeric_copy(StringInfo buf, MemoryContext mcxt, const char *what);
extern void state_send_optional_numeric(StringInfo buf, Numeric num);
extern Numeric state_optional_numeric(StringInfo buf, MemoryContext mcxt, const char *what);
extern void state_end(StringInfo buf);

#endif
