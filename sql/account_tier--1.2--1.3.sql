-- account_tier 1.2 -> 1.3: the account book's plan as a sales manager reads it
-- (visit planning with per-tier floors, surplus only to tiers with time).

\echo Use "ALTER EXTENSION account_tier UPDATE TO '1.3'" to load this file. \quit

-- Security: a trusted install runs this script as a superuser, with
-- search_path set to this schema, which the installing user may have made
-- beforehand.  So every script starts by searching pg_catalog only (undone
-- when the script ends): a function or operator planted in the schema can
-- then never capture a name used below.  The extension's own objects are
-- named with their schema, and called with arguments of exactly their
-- declared types, so that no look-alike overload is a better match.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Visit planning ----------------------------------------------------------------
-- recommended_visits_weighted gains per-tier floors (default 0, so the 1.2
-- calls keep their answers).  A function's arguments cannot be altered, and
-- a 7-argument function beside the 10-argument one with defaults would make
-- every call ambiguous: the old one is replaced.

DROP FUNCTION account_tier.recommended_visits_weighted(
  account_tier.tier, float8, float8, float8, float8, float8, float8);

CREATE FUNCTION account_tier.recommended_visits_weighted(
  t account_tier.tier, weight float8, capacity float8,
  a_share float8 DEFAULT 0.80, b_share float8 DEFAULT 0.20, c_share float8 DEFAULT 0.0,
  max_per_account float8 DEFAULT 52,
  min_a float8 DEFAULT 0, min_b float8 DEFAULT 0, min_c float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'recommended_visits_weighted_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.recommended_visits_weighted(account_tier.tier, float8, float8, float8, float8, float8, float8, float8, float8, float8) IS
  'Window function: recommended_visits with each tier''s visits split in proportion to weight (NULL or negative = 0) between the tier''s floor (min_a, min_b, min_c) and max_per_account, what a tier cannot use flowing to the next tier down whose share is > 0';
