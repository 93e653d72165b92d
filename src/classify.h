/*
 * classify.h — the SQL faces of the tier and cutoffs types.
 */
#ifndef ACCOUNT_TIER_CLASSIFY_H
#define ACCOUNT_TIER_CLASSIFY_H

#include "fmgr.h"

#include "tiers.h"

extern Datum tier_datum(FunctionCallInfo fcinfo, Tier tier);
extern Tier datum_tier(FunctionCallInfo fcinfo, int argno, Datum value);
extern Datum cutoffs_datum(FunctionCallInfo fcinfo, Numeric a_min, Numeric b_min);

#endif
