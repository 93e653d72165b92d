/*
 * module.h — what every SQL face (window.c, aggregates.c, classify.c,
 * visits_sql.c, sales_totals.c) shares: the exported entry points, the tier
 * and cutoffs types as Datums, and the reading of call parameters.  No face
 * includes another face's header.
 */
#ifndef ACCOUNT_TIER_MODULE_H
#define ACCOUNT_TIER_MODULE_H

#include "postgres.h"

#include "fmgr.h"
#include "windowapi.h"

#include "tiers.h"

/*
 * Declares an SQL-callable C function.  The library is built with
 * -fvisibility=hidden: only what PostgreSQL looks up (the functions, their
 * pg_finfo_ records and Pg_magic_func) is exported.  PostgreSQL 16 and later
 * mark them so themselves; PostgreSQL 15's PGDLLEXPORT is empty.
 */
#define AT_EXPORT __attribute__((visibility("default")))
#define AT_FUNCTION(funcname) \
extern AT_EXPORT Datum funcname(PG_FUNCTION_ARGS); \
extern AT_EXPORT const Pg_finfo_record *CppConcat(pg_finfo_, funcname)(void); \
PG_FUNCTION_INFO_V1(funcname)

/*
 * Defines the SQL-callable function `funcname' (declared by AT_FUNCTION) as
 * body(fcinfo, arg): the entry points that share one implementation.
 */
#define AT_DEFINE_AS(funcname, body, arg) \
Datum \
funcname(PG_FUNCTION_ARGS) \
{ \
	return body(fcinfo, arg); \
} \
extern int no_such_variable

/* A row whose value (or tier) is NULL, in an array of tiers by row. */
#define TIER_NULL 0xFF

extern Datum tier_datum(FunctionCallInfo fcinfo, Tier tier);
extern Tier datum_tier(FunctionCallInfo fcinfo, int argno, Datum value);
extern void **call_cache_extra(FunctionCallInfo fcinfo);
extern Datum cutoffs_datum(FunctionCallInfo fcinfo, Numeric a_min, Numeric b_min);

extern Oid	arg_type(FunctionCallInfo fcinfo, int argno);
extern int	value_radix_of_arg(FunctionCallInfo fcinfo, int argno);
extern MemoryContext aggregate_memory(FunctionCallInfo fcinfo, const char *caller);
extern Datum combine_first(FunctionCallInfo fcinfo);
/* (PostgreSQL 18 spells "does not return" as a prefix) */
#ifdef pg_attribute_noreturn
extern void null_param_error(const char *name) pg_attribute_noreturn();
#else
pg_noreturn extern void null_param_error(const char *name);
#endif
extern Datum window_param(WindowObject winobj, int argno, const char *name);

#endif
