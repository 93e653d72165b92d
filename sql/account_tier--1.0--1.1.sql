-- account_tier 1.0 -> 1.1: computed ABC (limits derived from the data).

\echo Use "ALTER EXTENSION account_tier UPDATE TO '1.1'" to load this file. \quit

-- Security: a trusted install runs this script as a superuser, with
-- search_path set to this schema, which the installing user may have made
-- beforehand.  So every script starts by searching pg_catalog only (undone
-- when the script ends): a function or operator planted in the schema can
-- then never capture a name used below.  The extension's own objects are
-- named with their schema, and called with arguments of exactly their
-- declared types, so that no look-alike overload is a better match.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Computed ABC ------------------------------------------------------------------

CREATE TYPE account_tier.computed_points AS (
  pareto_k bigint,
  break_even_k bigint,
  submarginal_k bigint,
  a_min numeric,
  b_min numeric
);
COMMENT ON TYPE account_tier.computed_points IS
  'Why the computed ABC limits fell where they did: the Pareto, break-even and submarginal points (counts of top accounts) and the resulting limits';

CREATE FUNCTION account_tier.abc_tier_computed(value numeric)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_tier_computed_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_tier_computed(numeric) IS
  'Window function: ABC tier with limits derived from the data (computed ABC analysis: Pareto, break-even and submarginal points of the exact ABC curve)';

CREATE FUNCTION account_tier.abc_tier_computed(value float8)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_tier_computed_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_tier_computed(float8) IS
  'Window function: ABC tier with limits derived from the data (computed ABC analysis: Pareto, break-even and submarginal points of the exact ABC curve)';

CREATE FUNCTION account_tier.abc_cutoffs_computed_final(internal)
RETURNS account_tier.cutoffs AS 'MODULE_PATHNAME', 'abc_cutoffs_computed_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_cutoffs_computed_final(internal) IS
  'Support function of the account_tier aggregates; not meant to be called directly';

CREATE FUNCTION account_tier.abc_points_final(internal)
RETURNS account_tier.computed_points AS 'MODULE_PATHNAME', 'abc_points_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_points_final(internal) IS
  'Support function of the account_tier aggregates; not meant to be called directly';

CREATE AGGREGATE account_tier.abc_cutoffs_computed(value numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_computed_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_computed(value float8) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_computed_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE account_tier.abc_cutoffs_computed(numeric) IS
  'Limits of abc_tier_computed(value), for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_computed(float8) IS
  'Limits of abc_tier_computed(value), for abc_classify';

CREATE AGGREGATE account_tier.abc_points(value numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_points_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_points(value float8) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_points_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE account_tier.abc_points(numeric) IS
  'Points of the computed ABC analysis: pareto_k, break_even_k, submarginal_k (counts of top accounts) and the limits a_min, b_min';
COMMENT ON AGGREGATE account_tier.abc_points(float8) IS
  'Points of the computed ABC analysis: pareto_k, break_even_k, submarginal_k (counts of top accounts) and the limits a_min, b_min';

-- Visit planning ----------------------------------------------------------------

CREATE FUNCTION account_tier.recommended_visits(
  t account_tier.tier, capacity float8,
  a_share float8 DEFAULT 0.80, b_share float8 DEFAULT 0.20, c_share float8 DEFAULT 0.0,
  max_per_account float8 DEFAULT 52)
RETURNS float8
AS 'MODULE_PATHNAME', 'recommended_visits_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.recommended_visits(account_tier.tier, float8, float8, float8, float8, float8) IS
  'Window function: field visits a year for this account, one rep per partition; tier t gets capacity * its share, split equally among its accounts and capped at max_per_account, what a tier cannot use flowing to the next tier down (NULL tier: NULL)';

CREATE FUNCTION account_tier.recommended_visits_weighted(
  t account_tier.tier, weight float8, capacity float8,
  a_share float8 DEFAULT 0.80, b_share float8 DEFAULT 0.20, c_share float8 DEFAULT 0.0,
  max_per_account float8 DEFAULT 52)
RETURNS float8
AS 'MODULE_PATHNAME', 'recommended_visits_weighted_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.recommended_visits_weighted(account_tier.tier, float8, float8, float8, float8, float8, float8) IS
  'Window function: recommended_visits with each tier''s visits split in proportion to weight (NULL or negative = 0), capped at max_per_account, what the cap cuts off going to the tier''s uncapped accounts first';

CREATE FUNCTION account_tier.visit_cadence(visits_per_year float8)
RETURNS text
AS 'MODULE_PATHNAME', 'visit_cadence'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.visit_cadence(float8) IS
  'The most frequent cadence a number of visits a year sustains: weekly (52), every two weeks (26), monthly (12), every two months (6), quarterly (4), twice a year (2), yearly (1), less than yearly (> 0), service only (0)';
