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

-- The book's plan, as a sales manager reads it -----------------------------------------
-- The views are rebuilt: shares become exact numerics, planned visits follow
-- each owner's real field time, split by value with floors, and the
-- scorecard measures the 90/10 rule on time.  Every view is dropped first
-- (their columns change type); a view of yours built on one of them stops
-- this update with an error naming it: drop it, update, create it again.

DROP PROCEDURE account_tier.snapshot();
DROP VIEW account_tier.owner_scorecard;
DROP VIEW account_tier.tier_summary;
DROP VIEW account_tier.pareto_curve;
DROP VIEW account_tier.prospects;
DROP VIEW account_tier.key_accounts;
DROP VIEW account_tier.secondary_accounts;
DROP VIEW account_tier.account_tiers;
DROP VIEW account_tier.current_policy;

-- Scaling out: the aggregates' states as SQL types -------------------------------------
-- Every aggregate's state was of type internal, which Citus cannot move
-- between nodes: over a whole distributed table an aggregate ran on the
-- coordinator, every row sent there.  The states now have types of their
-- own, account_tier.values_state and account_tier.sales_totals_state, with
-- text and binary forms: Citus aggregates each shard on its worker and
-- combines the states on the coordinator, and parallel query moves them
-- from its workers as they are (no serialize functions any more).  An
-- aggregate cannot change its state type, so every aggregate and its
-- support functions are dropped and made again: the book's views, which
-- use them, are dropped above and made again below.  A view of yours that
-- uses one of the aggregates stops this update with an error naming it:
-- drop it, update, create it again.

DROP AGGREGATE account_tier.sales_totals(date, numeric, numeric, boolean, date);
DROP AGGREGATE account_tier.abc_cutoffs(numeric);
DROP AGGREGATE account_tier.abc_cutoffs(numeric, numeric);
DROP AGGREGATE account_tier.abc_cutoffs(numeric, numeric, numeric);
DROP AGGREGATE account_tier.abc_cutoffs(float8);
DROP AGGREGATE account_tier.abc_cutoffs(float8, numeric);
DROP AGGREGATE account_tier.abc_cutoffs(float8, numeric, numeric);
DROP AGGREGATE account_tier.abc_cutoffs_by_count(numeric);
DROP AGGREGATE account_tier.abc_cutoffs_by_count(numeric, numeric);
DROP AGGREGATE account_tier.abc_cutoffs_by_count(numeric, numeric, numeric);
DROP AGGREGATE account_tier.abc_cutoffs_by_count(float8);
DROP AGGREGATE account_tier.abc_cutoffs_by_count(float8, numeric);
DROP AGGREGATE account_tier.abc_cutoffs_by_count(float8, numeric, numeric);
DROP AGGREGATE account_tier.pareto_summary(numeric);
DROP AGGREGATE account_tier.pareto_summary(float8);
DROP AGGREGATE account_tier.lorenz_curve(numeric);
DROP AGGREGATE account_tier.lorenz_curve(numeric, int);
DROP AGGREGATE account_tier.lorenz_curve(float8);
DROP AGGREGATE account_tier.lorenz_curve(float8, int);
DROP AGGREGATE account_tier.abc_cutoffs_computed(numeric);
DROP AGGREGATE account_tier.abc_cutoffs_computed(float8);
DROP AGGREGATE account_tier.abc_points(numeric);
DROP AGGREGATE account_tier.abc_points(float8);
DROP FUNCTION account_tier.value_cutoffs_sfunc(internal, numeric);
DROP FUNCTION account_tier.value_cutoffs_sfunc(internal, numeric, numeric);
DROP FUNCTION account_tier.value_cutoffs_sfunc(internal, numeric, numeric, numeric);
DROP FUNCTION account_tier.value_cutoffs_sfunc(internal, float8);
DROP FUNCTION account_tier.value_cutoffs_sfunc(internal, float8, numeric);
DROP FUNCTION account_tier.value_cutoffs_sfunc(internal, float8, numeric, numeric);
DROP FUNCTION account_tier.count_cutoffs_sfunc(internal, numeric);
DROP FUNCTION account_tier.count_cutoffs_sfunc(internal, numeric, numeric);
DROP FUNCTION account_tier.count_cutoffs_sfunc(internal, numeric, numeric, numeric);
DROP FUNCTION account_tier.count_cutoffs_sfunc(internal, float8);
DROP FUNCTION account_tier.count_cutoffs_sfunc(internal, float8, numeric);
DROP FUNCTION account_tier.count_cutoffs_sfunc(internal, float8, numeric, numeric);
DROP FUNCTION account_tier.values_sfunc(internal, numeric);
DROP FUNCTION account_tier.values_sfunc(internal, float8);
DROP FUNCTION account_tier.lorenz_sfunc(internal, numeric);
DROP FUNCTION account_tier.lorenz_sfunc(internal, numeric, int);
DROP FUNCTION account_tier.lorenz_sfunc(internal, float8);
DROP FUNCTION account_tier.lorenz_sfunc(internal, float8, int);
DROP FUNCTION account_tier.state_combine(internal, internal);
DROP FUNCTION account_tier.state_serialize(internal);
DROP FUNCTION account_tier.state_deserialize(bytea, internal);
DROP FUNCTION account_tier.abc_cutoffs_final(internal);
DROP FUNCTION account_tier.abc_cutoffs_by_count_final(internal);
DROP FUNCTION account_tier.abc_cutoffs_computed_final(internal);
DROP FUNCTION account_tier.abc_points_final(internal);
DROP FUNCTION account_tier.pareto_summary_final(internal);
DROP FUNCTION account_tier.lorenz_curve_final(internal);
DROP FUNCTION account_tier.sales_totals_sfunc(internal, date, numeric, numeric, boolean, date);
DROP FUNCTION account_tier.sales_totals_combine(internal, internal);
DROP FUNCTION account_tier.sales_totals_serialize(internal);
DROP FUNCTION account_tier.sales_totals_deserialize(bytea, internal);
DROP FUNCTION account_tier.sales_totals_final(internal);

-- The state of every aggregate but sales_totals: the values (exact) and
-- the call's parameters.  Its text form is a short header, then the state's
-- bytes in hexadecimal, as the server holds them.
CREATE TYPE account_tier.values_state;
CREATE FUNCTION account_tier.values_state_in(cstring)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'values_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.values_state_out(account_tier.values_state)
RETURNS cstring AS 'MODULE_PATHNAME', 'values_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.values_state_recv(internal)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'values_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.values_state_send(account_tier.values_state)
RETURNS bytea AS 'MODULE_PATHNAME', 'values_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE account_tier.values_state (
  INPUT = account_tier.values_state_in, OUTPUT = account_tier.values_state_out,
  RECEIVE = account_tier.values_state_recv, SEND = account_tier.values_state_send,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE account_tier.values_state IS
  'State of the account_tier aggregates but sales_totals: their values and parameters; as text, a header ("numeric n=3 a=0.80 b=0.95") and the state''s bytes in hexadecimal';
COMMENT ON FUNCTION account_tier.values_state_in(cstring) IS
  'Text input of account_tier.values_state, the state of the account_tier aggregates; not meant to be called directly';
COMMENT ON FUNCTION account_tier.values_state_out(account_tier.values_state) IS
  'Text output of account_tier.values_state, the state of the account_tier aggregates; not meant to be called directly';
COMMENT ON FUNCTION account_tier.values_state_recv(internal) IS
  'Binary input of account_tier.values_state, the state of the account_tier aggregates; not meant to be called directly';
COMMENT ON FUNCTION account_tier.values_state_send(account_tier.values_state) IS
  'Binary output of account_tier.values_state, the state of the account_tier aggregates; not meant to be called directly';

-- The state of sales_totals: the window start and the four exact sums.
CREATE TYPE account_tier.sales_totals_state;
CREATE FUNCTION account_tier.sales_totals_state_in(cstring)
RETURNS account_tier.sales_totals_state AS 'MODULE_PATHNAME', 'sales_totals_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_state_out(account_tier.sales_totals_state)
RETURNS cstring AS 'MODULE_PATHNAME', 'sales_totals_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_state_recv(internal)
RETURNS account_tier.sales_totals_state AS 'MODULE_PATHNAME', 'sales_totals_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_state_send(account_tier.sales_totals_state)
RETURNS bytea AS 'MODULE_PATHNAME', 'sales_totals_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE account_tier.sales_totals_state (
  INPUT = account_tier.sales_totals_state_in, OUTPUT = account_tier.sales_totals_state_out,
  RECEIVE = account_tier.sales_totals_state_recv, SEND = account_tier.sales_totals_state_send,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
COMMENT ON TYPE account_tier.sales_totals_state IS
  'State of the sales_totals aggregate: the window start and the exact sums; as text, a header ("window_start=2025-12-01 sums=revenue,margin") and the state''s bytes in hexadecimal';
COMMENT ON FUNCTION account_tier.sales_totals_state_in(cstring) IS
  'Text input of account_tier.sales_totals_state, the state of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_state_out(account_tier.sales_totals_state) IS
  'Text output of account_tier.sales_totals_state, the state of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_state_recv(internal) IS
  'Binary input of account_tier.sales_totals_state, the state of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_state_send(account_tier.sales_totals_state) IS
  'Binary output of account_tier.sales_totals_state, the state of the sales_totals aggregate; not meant to be called directly';

-- The support functions, on the new states.
CREATE FUNCTION account_tier.value_cutoffs_sfunc(account_tier.values_state, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(account_tier.values_state, numeric, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(account_tier.values_state, numeric, numeric, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(account_tier.values_state, float8)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(account_tier.values_state, float8, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(account_tier.values_state, float8, numeric, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(account_tier.values_state, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(account_tier.values_state, numeric, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(account_tier.values_state, numeric, numeric, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(account_tier.values_state, float8)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(account_tier.values_state, float8, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(account_tier.values_state, float8, numeric, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.values_sfunc(account_tier.values_state, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'values_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.values_sfunc(account_tier.values_state, float8)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'values_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_sfunc(account_tier.values_state, numeric)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_sfunc(account_tier.values_state, numeric, int)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_sfunc(account_tier.values_state, float8)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_sfunc(account_tier.values_state, float8, int)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.state_combine(account_tier.values_state, account_tier.values_state)
RETURNS account_tier.values_state AS 'MODULE_PATHNAME', 'account_tier_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.abc_cutoffs_final(account_tier.values_state)
RETURNS account_tier.cutoffs AS 'MODULE_PATHNAME', 'abc_cutoffs_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.abc_cutoffs_by_count_final(account_tier.values_state)
RETURNS account_tier.cutoffs AS 'MODULE_PATHNAME', 'abc_cutoffs_by_count_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.abc_cutoffs_computed_final(account_tier.values_state)
RETURNS account_tier.cutoffs AS 'MODULE_PATHNAME', 'abc_cutoffs_computed_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.abc_points_final(account_tier.values_state)
RETURNS account_tier.computed_points AS 'MODULE_PATHNAME', 'abc_points_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.pareto_summary_final(account_tier.values_state)
RETURNS account_tier.pareto_stats AS 'MODULE_PATHNAME', 'pareto_summary_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_curve_final(account_tier.values_state)
RETURNS float8[] AS 'MODULE_PATHNAME', 'lorenz_curve_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_sfunc(account_tier.sales_totals_state, date, numeric, numeric, boolean, date)
RETURNS account_tier.sales_totals_state AS 'MODULE_PATHNAME', 'sales_totals_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_combine(account_tier.sales_totals_state, account_tier.sales_totals_state)
RETURNS account_tier.sales_totals_state AS 'MODULE_PATHNAME', 'sales_totals_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_final(account_tier.sales_totals_state)
RETURNS account_tier.sales_totals AS 'MODULE_PATHNAME', 'sales_totals_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc AS p
    WHERE p.pronamespace = 'account_tier'::regnamespace
      AND p.proname IN ('value_cutoffs_sfunc', 'count_cutoffs_sfunc', 'values_sfunc', 'lorenz_sfunc',
                        'state_combine', 'abc_cutoffs_final', 'abc_cutoffs_by_count_final',
                        'abc_cutoffs_computed_final', 'abc_points_final', 'pareto_summary_final',
                        'lorenz_curve_final')
  LOOP
    EXECUTE format('COMMENT ON FUNCTION %s IS %L', f,
                   'Support function of the account_tier aggregates; not meant to be called directly');
  END LOOP;
END
$$;
COMMENT ON FUNCTION account_tier.sales_totals_sfunc(account_tier.sales_totals_state, date, numeric, numeric, boolean, date) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_combine(account_tier.sales_totals_state, account_tier.sales_totals_state) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_final(account_tier.sales_totals_state) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';

-- The aggregates, as they were but for their state.  SSPACE: a values_state
-- holds 16 bytes per value; 8 kB stands for a few hundred.
CREATE AGGREGATE account_tier.abc_cutoffs(value numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value numeric, a numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value numeric, a numeric, b numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value float8) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value float8, a numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value float8, a numeric, b numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value numeric, a numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value numeric, a numeric, b numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value float8) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value float8, a numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value float8, a numeric, b numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.pareto_summary(value numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.pareto_summary_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.pareto_summary(value float8) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.pareto_summary_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.lorenz_curve(value numeric) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.lorenz_curve(value numeric, points int) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.lorenz_curve(value float8) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.lorenz_curve(value float8, points int) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_computed(value numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_computed_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_computed(value float8) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_computed_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_points(value numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_points_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_points(value float8) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state, SSPACE = 8192,
  FINALFUNC = account_tier.abc_points_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine, PARALLEL = SAFE);
CREATE AGGREGATE account_tier.sales_totals(booked_on date, amount numeric, margin numeric,
                                           incremental boolean, window_start date) (
  SFUNC = account_tier.sales_totals_sfunc, STYPE = account_tier.sales_totals_state, SSPACE = 112,
  FINALFUNC = account_tier.sales_totals_final,
  COMBINEFUNC = account_tier.sales_totals_combine, PARALLEL = SAFE);

COMMENT ON AGGREGATE account_tier.abc_cutoffs(numeric) IS
  'Limits of abc_tier(value) at a = 0.80, b = 0.95, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs(numeric, numeric) IS
  'Limits of abc_tier(value, a) at b = 0.95, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs(numeric, numeric, numeric) IS
  'Limits of abc_tier(value, a, b), for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs(float8) IS
  'Limits of abc_tier(value) at a = 0.80, b = 0.95, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs(float8, numeric) IS
  'Limits of abc_tier(value, a) at b = 0.95, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs(float8, numeric, numeric) IS
  'Limits of abc_tier(value, a, b), for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_by_count(numeric) IS
  'Limits of abc_tier_by_count(value) at a = 0.20, b = 0.80, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_by_count(numeric, numeric) IS
  'Limits of abc_tier_by_count(value, a) at b = 0.80, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_by_count(numeric, numeric, numeric) IS
  'Limits of abc_tier_by_count(value, a, b), for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_by_count(float8) IS
  'Limits of abc_tier_by_count(value) at a = 0.20, b = 0.80, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_by_count(float8, numeric) IS
  'Limits of abc_tier_by_count(value, a) at b = 0.80, for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_by_count(float8, numeric, numeric) IS
  'Limits of abc_tier_by_count(value, a, b), for abc_classify';
COMMENT ON AGGREGATE account_tier.pareto_summary(numeric) IS
  'Accounts, positive total, Gini coefficient, top-20% share and share of accounts in A at 80%';
COMMENT ON AGGREGATE account_tier.pareto_summary(float8) IS
  'Accounts, positive total, Gini coefficient, top-20% share and share of accounts in A at 80%';
COMMENT ON AGGREGATE account_tier.lorenz_curve(numeric) IS
  'Share of the positive total held by the top 0%, 1%, ..., 100% of accounts (101 points)';
COMMENT ON AGGREGATE account_tier.lorenz_curve(numeric, int) IS
  'Share of the positive total held by the top k/(points - 1) of accounts, k = 0 .. points - 1';
COMMENT ON AGGREGATE account_tier.lorenz_curve(float8) IS
  'Share of the positive total held by the top 0%, 1%, ..., 100% of accounts (101 points)';
COMMENT ON AGGREGATE account_tier.lorenz_curve(float8, int) IS
  'Share of the positive total held by the top k/(points - 1) of accounts, k = 0 .. points - 1';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_computed(numeric) IS
  'Limits of abc_tier_computed(value), for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_cutoffs_computed(float8) IS
  'Limits of abc_tier_computed(value), for abc_classify';
COMMENT ON AGGREGATE account_tier.abc_points(numeric) IS
  'Points of the computed ABC analysis: pareto_k, break_even_k, submarginal_k (counts of top accounts) and the limits a_min, b_min';
COMMENT ON AGGREGATE account_tier.abc_points(float8) IS
  'Points of the computed ABC analysis: pareto_k, break_even_k, submarginal_k (counts of top accounts) and the limits a_min, b_min';
COMMENT ON AGGREGATE account_tier.sales_totals(date, numeric, numeric, boolean, date) IS
  'Exact sums of sales lines: revenue, margin and incremental revenue of the lines booked after window_start, prior_revenue of the others';

-- The policy: time shares, capacity and caps as exact numerics (they were
-- float8), capacity from each owner's own visits by default, how a tier's
-- time is split, the floors of that split, and when an account has room to
-- grow.  A policy still at 1.2's default capacity of 480 gets 1.3's default
-- (NULL: each owner's own visits); every other value is kept.
ALTER TABLE account_tier.policy
  DROP CONSTRAINT policy_visit_capacity_not_negative,
  DROP CONSTRAINT policy_max_visits_positive,
  DROP CONSTRAINT policy_time_shares,
  ALTER COLUMN visit_capacity DROP NOT NULL,
  ALTER COLUMN visit_capacity DROP DEFAULT,
  ALTER COLUMN a_time DROP DEFAULT,
  ALTER COLUMN b_time DROP DEFAULT,
  ALTER COLUMN c_time DROP DEFAULT,
  ALTER COLUMN max_visits DROP DEFAULT;
ALTER TABLE account_tier.policy
  ALTER COLUMN visit_capacity TYPE numeric
    USING CASE WHEN visit_capacity = 480 THEN NULL ELSE visit_capacity::numeric END,
  ALTER COLUMN a_time TYPE numeric USING a_time::numeric,
  ALTER COLUMN b_time TYPE numeric USING b_time::numeric,
  ALTER COLUMN c_time TYPE numeric USING c_time::numeric,
  ALTER COLUMN max_visits TYPE numeric USING max_visits::numeric,
  ALTER COLUMN visit_capacity SET DEFAULT NULL,
  ALTER COLUMN a_time SET DEFAULT 0.80,
  ALTER COLUMN b_time SET DEFAULT 0.20,
  ALTER COLUMN c_time SET DEFAULT 0.00,
  ALTER COLUMN max_visits SET DEFAULT 52,
  ADD COLUMN visit_weighting text NOT NULL DEFAULT 'revenue'
    CONSTRAINT policy_visit_weighting_known CHECK (visit_weighting IN ('equal', 'revenue', 'potential')),
  ADD COLUMN min_visits_a numeric NOT NULL DEFAULT 4,
  ADD COLUMN min_visits_b numeric NOT NULL DEFAULT 1,
  ADD COLUMN growth_wallet_share numeric NOT NULL DEFAULT 0.50
    CONSTRAINT policy_growth_wallet_share_share CHECK (growth_wallet_share > 0 AND growth_wallet_share <= 1),
  -- numeric NaN sorts above every number, Infinity above every finite one
  ADD CONSTRAINT policy_visit_capacity_not_negative
    CHECK (visit_capacity >= 0 AND visit_capacity < 'Infinity'),
  ADD CONSTRAINT policy_max_visits_positive CHECK (max_visits > 0 AND max_visits <> 'NaN'),
  ADD CONSTRAINT policy_time_shares
    CHECK (a_time >= 0 AND b_time >= 0 AND c_time >= 0 AND a_time + b_time + c_time <= 1),
  ADD CONSTRAINT policy_visit_floors
    CHECK (min_visits_a >= 0 AND min_visits_b >= 0
           AND min_visits_a <= max_visits AND min_visits_b <= max_visits);
COMMENT ON COLUMN account_tier.policy.visit_capacity IS
  'Field visits a year per owner; NULL (the default) = each owner''s own visits made in the revenue window, scaled to a year (480 for an owner with none recorded)';
COMMENT ON COLUMN account_tier.policy.incremental_target IS
  'Target share of a rep''s visits spent on incremental business (new accounts, growth), the rest being baseline business customer service can secure';
COMMENT ON COLUMN account_tier.policy.visit_weighting IS
  'How a tier''s visits are split among its accounts: equal, revenue (in proportion to revenue) or potential (to potential, or revenue where it is unknown)';
COMMENT ON COLUMN account_tier.policy.min_visits_a IS
  'Floor of the split: every key (A) account gets at least this many visits a year, when the A time allows';
COMMENT ON COLUMN account_tier.policy.min_visits_b IS
  'Floor of the split: every B account gets at least this many visits a year, when the B time allows';
COMMENT ON COLUMN account_tier.policy.growth_wallet_share IS
  'An account whose share of wallet (revenue / potential) is below this has room to grow';

-- Visits: what the time was spent on.
ALTER TABLE account_tier.visits
  ADD COLUMN purpose text
    CONSTRAINT visits_purpose_known CHECK (purpose IN ('incremental', 'baseline'));
COMMENT ON COLUMN account_tier.visits.purpose IS
  'incremental (new business, growth, price) or baseline (securing orders that would come anyway); NULL = not recorded. Visits to prospects and leads count as incremental';

-- Keys a distributed book keeps (Citus: CALL account_tier.distribute_book())
-- Sales and visits are keyed with their account, so that distributed by
-- account_id they keep their keys on every shard (a sale_id or visit_id
-- alone stays unique: each comes from an identity).  The key's index leads
-- with account_id, so it also serves the foreign key, and the index that did
-- goes.  The foreign keys no longer carry a change of an account's key into
-- its sales, visits and history (ON UPDATE CASCADE): a distributed table
-- cannot change its distribution column, so the key of an account with
-- sales, visits or history stays as it is (23503), on one server as on many.
ALTER TABLE account_tier.sales
  DROP CONSTRAINT sales_account_id_fkey,
  DROP CONSTRAINT sales_pkey,
  ADD CONSTRAINT sales_pkey PRIMARY KEY (account_id, sale_id),
  ADD CONSTRAINT sales_account_id_fkey FOREIGN KEY (account_id)
    REFERENCES account_tier.accounts ON DELETE RESTRICT;
DROP INDEX account_tier.sales_account;
ALTER TABLE account_tier.visits
  DROP CONSTRAINT visits_account_id_fkey,
  DROP CONSTRAINT visits_pkey,
  ADD CONSTRAINT visits_pkey PRIMARY KEY (account_id, visit_id),
  ADD CONSTRAINT visits_account_id_fkey FOREIGN KEY (account_id)
    REFERENCES account_tier.accounts ON DELETE RESTRICT;
DROP INDEX account_tier.visits_account;
ALTER TABLE account_tier.tier_history
  DROP CONSTRAINT tier_history_account_id_fkey,
  ADD CONSTRAINT tier_history_account_id_fkey FOREIGN KEY (account_id)
    REFERENCES account_tier.accounts ON DELETE RESTRICT;

-- The scope an account is tiered in: its owner's book (scope owner) or the
-- company's (NULL).  Every view groups by it.
CREATE FUNCTION account_tier.scope_key(scope text, owner text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN scope = 'owner' THEN owner END;
COMMENT ON FUNCTION account_tier.scope_key(text, text) IS
  'The scope an account of this owner is tiered in under the policy''s scope: the owner (scope owner) or NULL (the company)';

-- The policy, with its dates resolved.
CREATE VIEW account_tier.current_policy WITH (security_invoker = true) AS
SELECT p.method, p.value_a, p.value_b, p.count_a, p.count_b, p.absolute_a, p.absolute_b, p.scope,
       p.revenue_window, p.as_of, p.visit_capacity, p.visit_weighting, p.a_time, p.b_time, p.c_time,
       p.max_visits, p.min_visits_a, p.min_visits_b, p.lead_cap, p.enforce_lead_cap, p.at_risk_drop,
       p.incremental_target, p.growth_wallet_share,
       coalesce(p.as_of, current_date) AS day,
       -- a sale's day is after a time of day D hh:mm exactly when it is after D
       (coalesce(p.as_of, current_date) - p.revenue_window)::date AS window_start,
       (coalesce(p.as_of, current_date) - 2 * p.revenue_window)::date AS prior_window_start,
       -- a window of whole months is that many twelfths of a year; any other
       -- is measured in days of 365.25 a year
       CASE WHEN p.revenue_window = make_interval(months => w.months)
            THEN 12 / w.months::numeric
            ELSE 365.25 * 86400 / extract(epoch FROM p.revenue_window) END AS windows_per_year
FROM account_tier.policy AS p
CROSS JOIN LATERAL (SELECT (extract(year FROM p.revenue_window) * 12
                            + extract(month FROM p.revenue_window))::int AS months) AS w;

-- Each owner's field time: the policy's capacity, or the owner's own visits
-- in the window scaled to a year (visits to any account count for the rep
-- who made them).
CREATE VIEW account_tier.owner_capacity WITH (security_invoker = true) AS
WITH p AS (
  SELECT * FROM account_tier.current_policy
), made AS (
  SELECT coalesce(v.owner, a.owner) AS owner, count(*) AS visits_made
  FROM account_tier.visits AS v
  JOIN account_tier.accounts AS a ON a.account_id = v.account_id
  CROSS JOIN p
  WHERE v.visited_on > p.window_start AND v.visited_on <= p.day
  GROUP BY 1
), owners AS (
  SELECT DISTINCT a.owner FROM account_tier.accounts AS a WHERE a.owner IS NOT NULL
)
SELECT o.owner, coalesce(m.visits_made, 0) AS visits_made,
       coalesce(p.visit_capacity, round(m.visits_made * p.windows_per_year, 1), 480) AS capacity,
       CASE WHEN p.visit_capacity IS NOT NULL THEN 'policy'
            WHEN m.visits_made IS NOT NULL THEN 'visits made'
            ELSE 'default' END AS capacity_source
FROM owners AS o
CROSS JOIN p
LEFT JOIN made AS m ON m.owner = o.owner;

CREATE VIEW account_tier.account_tiers WITH (security_invoker = true) AS
WITH p AS (
  SELECT * FROM account_tier.current_policy
), sold AS (
  -- sales per account in the two windows, summed in one pass before any
  -- join; the window's dates are read once (uncorrelated subqueries)
  SELECT s.account_id,
         account_tier.sales_totals(s.booked_on, s.amount, s.margin, s.kind = 'incremental',
                                   (SELECT window_start FROM account_tier.current_policy)) AS totals
  FROM account_tier.sales AS s
  WHERE s.booked_on > (SELECT prior_window_start FROM account_tier.current_policy)
    AND s.booked_on <= (SELECT day FROM account_tier.current_policy)
  GROUP BY s.account_id
), visited AS (
  SELECT v.account_id, count(*) AS visits_made
  FROM account_tier.visits AS v
  WHERE v.visited_on > (SELECT window_start FROM account_tier.current_policy)
    AND v.visited_on <= (SELECT day FROM account_tier.current_policy)
  GROUP BY v.account_id
), book AS (
  SELECT a.account_id, a.account_name, a.owner, a.potential, a.tier_override,
         coalesce((sold.totals).revenue, 0) AS revenue,
         coalesce((sold.totals).prior_revenue, 0) AS prior_revenue,
         coalesce((sold.totals).margin, 0) AS margin,
         coalesce((sold.totals).incremental_revenue, 0) AS incremental_revenue,
         coalesce(visited.visits_made, 0) AS visits_made,
         account_tier.scope_key(p.scope, a.owner) AS scope_key
  FROM account_tier.accounts AS a
  CROSS JOIN p
  LEFT JOIN sold ON sold.account_id = a.account_id
  LEFT JOIN visited ON visited.account_id = a.account_id
  WHERE a.status = 'customer'
), limits AS (
  -- the tier limits of each scope, on revenue and on margin: only the
  -- policy's method is computed
  SELECT b.scope_key, m.metric,
         sum(greatest(m.v, 0)) AS positive_total,
         CASE p.method
           WHEN 'value' THEN account_tier.abc_cutoffs(m.v, p.value_a, p.value_b) FILTER (WHERE p.method = 'value')
           WHEN 'count' THEN account_tier.abc_cutoffs_by_count(m.v, p.count_a, p.count_b) FILTER (WHERE p.method = 'count')
           WHEN 'computed' THEN account_tier.abc_cutoffs_computed(m.v) FILTER (WHERE p.method = 'computed')
           ELSE ROW(p.absolute_a, p.absolute_b)::account_tier.cutoffs END AS cutoffs
  FROM book AS b
  CROSS JOIN LATERAL (VALUES ('revenue', b.revenue), ('margin', b.margin)) AS m(metric, v)
  CROSS JOIN p
  GROUP BY b.scope_key, m.metric, p.method, p.absolute_a, p.absolute_b
), tiered AS (
  SELECT b.*, r.positive_total, (r.cutoffs).a_min AS a_cutoff,
         account_tier.abc_classify(b.revenue, r.cutoffs) AS computed_tier,
         account_tier.abc_classify(b.margin, g.cutoffs) AS margin_tier
  FROM book AS b
  JOIN limits AS r ON r.scope_key IS NOT DISTINCT FROM b.scope_key AND r.metric = 'revenue'
  JOIN limits AS g ON g.scope_key IS NOT DISTINCT FROM b.scope_key AND g.metric = 'margin'
), planned AS (
  SELECT t.*, coalesce(t.tier_override, t.computed_tier) AS tier,
         account_tier.pareto_share(t.revenue) OVER (PARTITION BY t.scope_key) AS cumulative_share
  FROM tiered AS t
), visits AS (
  -- each owner's capacity is split over the owner's customers; customers
  -- without an owner have no one to visit them
  SELECT pl.*,
         CASE WHEN pl.owner IS NOT NULL THEN
           round(account_tier.recommended_visits_weighted(
                   pl.tier,
                   CASE p.visit_weighting
                     WHEN 'equal' THEN 1
                     WHEN 'revenue' THEN greatest(pl.revenue, 0)::float8
                     ELSE coalesce(pl.potential, greatest(pl.revenue, 0))::float8 END,
                   -- (the window function runs on the partition without owner
                   -- too: capacity 0 there, and its rows show NULL)
                   coalesce(c.capacity, 0)::float8, p.a_time::float8, p.b_time::float8, p.c_time::float8,
                   p.max_visits::float8, p.min_visits_a::float8, p.min_visits_b::float8, 0::float8)
                   OVER (PARTITION BY pl.owner)::numeric, 1) END AS recommended_visits
  FROM planned AS pl
  CROSS JOIN p
  LEFT JOIN account_tier.owner_capacity AS c ON c.owner = pl.owner
)
SELECT x.account_id, x.account_name, x.owner,
       x.revenue, x.prior_revenue, x.revenue - x.prior_revenue AS revenue_change, x.margin,
       CASE WHEN x.positive_total > 0 THEN round(greatest(x.revenue, 0) / x.positive_total, 6) END AS share,
       round(x.cumulative_share::numeric, 6) AS cumulative_share,
       x.tier,
       x.tier = 'A' AS key_account,
       x.recommended_visits,
       account_tier.visit_cadence(x.recommended_visits::float8) AS cadence,
       x.potential,
       CASE WHEN x.potential > 0 THEN round(x.revenue / x.potential, 6) END AS share_of_wallet,
       coalesce(x.potential > 0 AND x.revenue < p.growth_wallet_share * x.potential
                AND x.potential - x.revenue >= x.a_cutoff, false) AS growth_candidate,
       x.tier = 'A' AND x.prior_revenue > 0
         AND x.revenue <= x.prior_revenue * (1 - p.at_risk_drop) AS at_risk,
       x.computed_tier,
       CASE WHEN x.tier_override IS NOT NULL THEN 'override' ELSE 'computed' END AS tier_source,
       x.margin_tier,
       x.incremental_revenue,
       x.visits_made,
       round(x.visits_made * p.windows_per_year - x.recommended_visits, 1) AS visit_gap,
       x.a_cutoff
FROM visits AS x CROSS JOIN p;

CREATE VIEW account_tier.key_accounts WITH (security_invoker = true) AS
SELECT t.*
FROM account_tier.account_tiers AS t
WHERE t.tier = 'A'
ORDER BY t.revenue DESC, t.account_id;

CREATE VIEW account_tier.secondary_accounts WITH (security_invoker = true) AS
SELECT t.*,
       CASE WHEN t.recommended_visits > 0 THEN 'field' ELSE 'customer service' END AS service_channel
FROM account_tier.account_tiers AS t
WHERE t.tier IN ('B', 'C')
ORDER BY t.tier, t.revenue DESC, t.account_id;

CREATE VIEW account_tier.prospects WITH (security_invoker = true) AS
-- the A cutoff of the prospect's scope, as account_tiers has it (absolute
-- floors apply also to a scope without customers)
WITH cutoff AS (
  SELECT DISTINCT account_tier.scope_key(p.scope, t.owner) AS scope_key, t.a_cutoff
  FROM account_tier.account_tiers AS t CROSS JOIN account_tier.policy AS p
)
SELECT a.account_id, a.account_name, a.owner, a.potential,
       rank() OVER (PARTITION BY a.owner ORDER BY a.potential DESC NULLS LAST) AS potential_rank,
       a.potential >= CASE WHEN p.method = 'absolute' THEN p.absolute_a ELSE c.a_cutoff END AS high_potential,
       a.created_at
FROM account_tier.accounts AS a
CROSS JOIN account_tier.policy AS p
LEFT JOIN cutoff AS c ON c.scope_key IS NOT DISTINCT FROM account_tier.scope_key(p.scope, a.owner)
WHERE a.status = 'prospect';

CREATE VIEW account_tier.tier_summary WITH (security_invoker = true) AS
WITH t AS (
  SELECT account_tier.scope_key(p.scope, t.owner) AS owner, p.scope, t.tier, t.revenue,
         t.recommended_visits
  FROM account_tier.account_tiers AS t CROSS JOIN account_tier.policy AS p
), per_tier AS (
  SELECT t.scope, t.owner, t.tier, count(*) AS accounts, sum(t.revenue) AS revenue,
         coalesce(sum(t.recommended_visits), 0) AS planned_visits
  FROM t GROUP BY t.scope, t.owner, t.tier
)
SELECT s.scope, s.owner, s.tier, s.accounts,
       round(s.accounts / sum(s.accounts) OVER w, 6) AS account_share,
       s.revenue,
       round(s.revenue / nullif(sum(s.revenue) OVER w, 0), 6) AS revenue_share,
       s.planned_visits,
       round(s.planned_visits / nullif(sum(s.planned_visits) OVER w, 0), 6) AS time_share
FROM per_tier AS s
WINDOW w AS (PARTITION BY s.scope, s.owner)
ORDER BY s.owner NULLS FIRST, s.tier;

CREATE VIEW account_tier.pareto_curve WITH (security_invoker = true) AS
WITH t AS (
  SELECT account_tier.scope_key(p.scope, t.owner) AS owner, p.scope, t.revenue
  FROM account_tier.account_tiers AS t CROSS JOIN account_tier.policy AS p
), curve AS (
  SELECT t.scope, t.owner, account_tier.lorenz_curve(t.revenue, 101) AS shares
  FROM t GROUP BY t.scope, t.owner
)
SELECT c.scope, c.owner, k - 1 AS point, round((k - 1) / 100.0, 6) AS account_share,
       round(c.shares[k]::numeric, 6) AS revenue_share
FROM curve AS c CROSS JOIN generate_series(1, 101) AS k
WHERE c.shares IS NOT NULL
ORDER BY c.owner NULLS FIRST, k;

CREATE VIEW account_tier.owner_scorecard WITH (security_invoker = true) AS
WITH p AS (
  SELECT * FROM account_tier.current_policy
), tiers AS MATERIALIZED (
  -- computed once, read by both the plan and the visits made
  SELECT t.account_id, t.owner, t.revenue, t.incremental_revenue, t.tier, t.key_account,
         t.at_risk, t.recommended_visits, t.visit_gap
  FROM account_tier.account_tiers AS t
), book AS (
  SELECT t.owner, sum(t.revenue) AS revenue, sum(t.incremental_revenue) AS incremental_revenue,
         count(*) FILTER (WHERE t.key_account) AS key_accounts,
         count(*) FILTER (WHERE t.at_risk) AS key_accounts_at_risk,
         count(*) FILTER (WHERE t.key_account AND t.visit_gap < 0) AS key_accounts_uncovered,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier = 'A'), 0) AS planned_key_visits,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier <> 'A'), 0) AS planned_secondary_visits
  FROM tiers AS t GROUP BY t.owner
), visited AS (
  -- the visits each owner made in the window, by what was visited and why;
  -- visits to prospects and leads are incremental business by definition
  SELECT coalesce(v.owner, a.owner) AS owner,
         count(*) AS visits,
         count(*) FILTER (WHERE t.tier = 'A') AS key_visits,
         count(*) FILTER (WHERE t.tier IN ('B', 'C')) AS secondary_visits,
         count(*) FILTER (WHERE a.status = 'prospect') AS prospect_visits,
         count(*) FILTER (WHERE a.status = 'lead') AS lead_visits,
         count(*) FILTER (WHERE a.status <> 'customer' OR v.purpose = 'incremental') AS incremental_visits,
         count(*) FILTER (WHERE a.status <> 'customer' OR v.purpose IS NOT NULL) AS purpose_known,
         count(*) FILTER (WHERE a.status = 'customer' AND v.purpose IS NULL) AS purpose_unknown
  FROM account_tier.visits AS v
  JOIN account_tier.accounts AS a ON a.account_id = v.account_id
  LEFT JOIN tiers AS t ON t.account_id = v.account_id
  CROSS JOIN p
  WHERE v.visited_on > p.window_start AND v.visited_on <= p.day
  GROUP BY 1
), leads AS (
  SELECT l.owner, count(*) AS leads, count(*) FILTER (WHERE NOT l.within_cap) AS leads_over_cap
  FROM account_tier.leads AS l GROUP BY l.owner
), owners AS (
  SELECT DISTINCT a.owner FROM account_tier.accounts AS a
), card AS (
  SELECT o.owner, coalesce(b.revenue, 0) AS revenue, b.incremental_revenue,
         coalesce(b.key_accounts, 0) AS key_accounts, coalesce(b.key_accounts_at_risk, 0) AS key_accounts_at_risk,
         coalesce(b.key_accounts_uncovered, 0) AS key_accounts_uncovered,
         c.capacity, c.capacity_source,
         -- shares of the owner's capacity: key, secondary, and what no tier can use
         coalesce(b.planned_key_visits, 0) / nullif(c.capacity, 0) AS planned_key_share,
         coalesce(b.planned_secondary_visits, 0) / nullif(c.capacity, 0) AS planned_secondary_share,
         round(greatest(c.capacity - coalesce(b.planned_key_visits, 0)
                        - coalesce(b.planned_secondary_visits, 0), 0), 1) AS unallocated_visits,
         coalesce(v.visits, 0) AS visits,
         v.key_visits::numeric / nullif(v.visits, 0) AS made_key_share,
         v.secondary_visits::numeric / nullif(v.visits, 0) AS made_secondary_share,
         v.prospect_visits::numeric / nullif(v.visits, 0) AS made_prospect_share,
         v.lead_visits::numeric / nullif(v.visits, 0) AS made_lead_share,
         v.incremental_visits::numeric / nullif(v.purpose_known, 0) AS incremental_time_share,
         coalesce(v.purpose_unknown, 0) AS visits_unrecorded_purpose,
         coalesce(l.leads, 0) AS leads, coalesce(l.leads_over_cap, 0) AS leads_over_cap
  FROM owners AS o
  LEFT JOIN book AS b ON b.owner IS NOT DISTINCT FROM o.owner
  LEFT JOIN visited AS v ON v.owner IS NOT DISTINCT FROM o.owner
  LEFT JOIN leads AS l ON l.owner IS NOT DISTINCT FROM o.owner
  LEFT JOIN account_tier.owner_capacity AS c ON c.owner = o.owner
)
SELECT c.owner, c.revenue,
       round(c.incremental_revenue / nullif(c.revenue, 0), 6) AS incremental_revenue_share,
       round(c.incremental_time_share, 6) AS incremental_time_share,
       p.incremental_target,
       c.visits_unrecorded_purpose,
       c.key_accounts, c.key_accounts_at_risk, c.key_accounts_uncovered,
       c.capacity AS visit_capacity, c.capacity_source,
       round(c.planned_key_share, 6) AS planned_key_share,
       round(c.planned_secondary_share, 6) AS planned_secondary_share,
       round(c.unallocated_visits / nullif(c.capacity, 0), 6) AS planned_pipeline_share,
       c.unallocated_visits,
       c.visits AS actual_visits,
       round(c.made_key_share, 6) AS actual_key_share,
       round(c.made_secondary_share, 6) AS actual_secondary_share,
       round(c.made_prospect_share, 6) AS actual_prospect_share,
       round(c.made_lead_share, 6) AS actual_lead_share,
       round(c.made_secondary_share - c.planned_secondary_share, 6) AS secondary_time_sink,
       c.leads, c.leads_over_cap
FROM card AS c
CROSS JOIN p
ORDER BY c.owner NULLS LAST;

-- Snapshots: safe when called concurrently.  The table lock makes a second
-- call wait for the first to commit; rows of the day are then upserted, so
-- under READ COMMITTED the second replaces the first's rows, and under
-- REPEATABLE READ it fails with a serialization error (40001) to retry,
-- never with a duplicate key.  In plpgsql, so that the views it reads can
-- be replaced by later versions without dropping it.
CREATE PROCEDURE account_tier.snapshot()
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  snapshot_day date;
BEGIN
  LOCK TABLE account_tier.tier_history IN SHARE ROW EXCLUSIVE MODE;
  SELECT p.day INTO snapshot_day FROM account_tier.current_policy AS p;
  INSERT INTO account_tier.tier_history AS h (as_of, account_id, owner, revenue, tier)
  SELECT snapshot_day, t.account_id, t.owner, t.revenue, t.tier
  FROM account_tier.account_tiers AS t
  ON CONFLICT (as_of, account_id)
  DO UPDATE SET owner = excluded.owner, revenue = excluded.revenue, tier = excluded.tier;
  -- accounts that are no longer customers leave that day's snapshot
  DELETE FROM account_tier.tier_history AS h
  WHERE h.as_of = snapshot_day
    AND NOT EXISTS (SELECT FROM account_tier.accounts AS a
                    WHERE a.account_id = h.account_id AND a.status = 'customer');
END
$$;
COMMENT ON PROCEDURE account_tier.snapshot() IS
  'Writes every customer''s current tier into tier_history for the policy''s as_of (or today), replacing an earlier snapshot of that day; concurrent calls wait for each other';

-- The lead cap under concurrency: the trigger first claims the owner's row
-- in lead_cap_claims, so two transactions giving one owner leads take turns
-- (the second counts after the first commits, or, under REPEATABLE READ,
-- fails with 40001 to retry) instead of both counting without the other.
CREATE TABLE account_tier.lead_cap_claims (
  owner text PRIMARY KEY
);
COMMENT ON TABLE account_tier.lead_cap_claims IS
  'One row per owner whose leads were checked against the lead cap: the trigger updates it to make concurrent checks of one owner take turns (no data of its own)';
COMMENT ON COLUMN account_tier.lead_cap_claims.owner IS 'The owner';

CREATE OR REPLACE FUNCTION account_tier.check_lead_cap() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cap   int;
  leads bigint;
BEGIN
  SELECT p.lead_cap INTO cap FROM account_tier.policy p WHERE p.enforce_lead_cap;
  IF cap IS NULL OR NEW.status <> 'lead' OR NEW.owner IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO account_tier.lead_cap_claims AS c (owner) VALUES (NEW.owner)
  ON CONFLICT (owner) DO UPDATE SET owner = excluded.owner;
  SELECT count(*) INTO leads FROM account_tier.accounts a
  WHERE a.owner = NEW.owner AND a.status = 'lead';
  IF leads > cap THEN
    RAISE EXCEPTION 'owner % would have % leads, more than the lead cap of %', NEW.owner, leads, cap
      USING ERRCODE = 'check_violation',
            HINT = 'Qualify or drop a lead first, or raise policy.lead_cap.';
  END IF;
  RETURN NULL;
END
$$;

-- Who may read whose book ----------------------------------------------------------
-- Row-level security on every table of the book, by policies the extension
-- owns, so that pg_dump and pg_restore keep it (the restore's CREATE
-- EXTENSION makes the policies; the grants of access are book_access's rows,
-- dumped with the data).  A role sees the rows of the owners book_access
-- gives it or a role it belongs to, every owner's where the owner is NULL,
-- and nothing else; the tables' owner (who installed the extension) and
-- superusers see everything, as PostgreSQL has it.

CREATE TABLE account_tier.book_access (
  role_name name NOT NULL,
  owner     text,
  CONSTRAINT book_access_once UNIQUE NULLS NOT DISTINCT (role_name, owner)
);
COMMENT ON TABLE account_tier.book_access IS
  'Who reads whose book: a role (and every role that belongs to it) sees the accounts, sales, visits and history of the owner given, or of every owner where owner is NULL; written by grant_reader and grant_writer';
COMMENT ON COLUMN account_tier.book_access.role_name IS 'A role';
COMMENT ON COLUMN account_tier.book_access.owner IS 'The owner whose book the role sees; NULL = every owner (a manager or analyst)';
SELECT pg_catalog.pg_extension_config_dump('account_tier.book_access', '');

-- Whether the current role sees every owner's book, and which owners' it sees.
CREATE FUNCTION account_tier.sees_every_owner() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (SELECT FROM account_tier.book_access AS b
                 JOIN pg_catalog.pg_roles AS r ON r.rolname = b.role_name
                 WHERE b.owner IS NULL AND pg_catalog.pg_has_role(r.oid, 'MEMBER'));
END;
COMMENT ON FUNCTION account_tier.sees_every_owner() IS
  'true when book_access gives the current role (or a role it belongs to) every owner''s book';

CREATE FUNCTION account_tier.visible_owners() RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT b.owner FROM account_tier.book_access AS b
  JOIN pg_catalog.pg_roles AS r ON r.rolname = b.role_name
  WHERE b.owner IS NOT NULL AND pg_catalog.pg_has_role(r.oid, 'MEMBER');
END;
COMMENT ON FUNCTION account_tier.visible_owners() IS
  'The owners whose book book_access gives the current role (or a role it belongs to)';

ALTER TABLE account_tier.book_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY book_access_own ON account_tier.book_access
  USING (EXISTS (SELECT FROM pg_catalog.pg_roles AS r
                 WHERE r.rolname = book_access.role_name AND pg_catalog.pg_has_role(r.oid, 'MEMBER')));

ALTER TABLE account_tier.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY owner_book ON account_tier.accounts
  USING ((SELECT account_tier.sees_every_owner())
         OR owner IN (SELECT account_tier.visible_owners()));
ALTER TABLE account_tier.sales ENABLE ROW LEVEL SECURITY;
CREATE POLICY owner_book ON account_tier.sales
  USING ((SELECT account_tier.sees_every_owner())
         OR account_id IN (SELECT a.account_id FROM account_tier.accounts AS a));
ALTER TABLE account_tier.visits ENABLE ROW LEVEL SECURITY;
CREATE POLICY owner_book ON account_tier.visits
  USING ((SELECT account_tier.sees_every_owner())
         OR account_id IN (SELECT a.account_id FROM account_tier.accounts AS a));
ALTER TABLE account_tier.tier_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY owner_book ON account_tier.tier_history
  USING ((SELECT account_tier.sees_every_owner())
         OR account_id IN (SELECT a.account_id FROM account_tier.accounts AS a));

COMMENT ON POLICY book_access_own ON account_tier.book_access IS
  'A role sees the grants of access of the roles it belongs to';
COMMENT ON POLICY owner_book ON account_tier.accounts IS
  'A role sees the accounts of the owners book_access gives it (every owner''s where owner is NULL)';
COMMENT ON POLICY owner_book ON account_tier.sales IS
  'A role sees the sales of the accounts it sees';
COMMENT ON POLICY owner_book ON account_tier.visits IS
  'A role sees the visits to the accounts it sees';
COMMENT ON POLICY owner_book ON account_tier.tier_history IS
  'A role sees the history of the accounts it sees';

-- Roles that could read the book under 1.2 keep reading all of it, unless
-- row-level security was already on (then the policies made for it decide,
-- beside these, and such roles get access with grant_reader).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_policy AS p
                 WHERE p.polrelid = 'account_tier.accounts'::regclass AND p.polname <> 'owner_book') THEN
    INSERT INTO account_tier.book_access (role_name, owner)
    SELECT DISTINCT r.rolname, NULL::text
    FROM pg_class AS c
    CROSS JOIN LATERAL aclexplode(c.relacl) AS acl
    JOIN pg_roles AS r ON r.oid = acl.grantee
    WHERE c.oid = 'account_tier.accounts'::regclass AND acl.privilege_type = 'SELECT'
      AND acl.grantee <> c.relowner;
  ELSE
    RAISE WARNING 'row-level security policies of your own are on account_tier.accounts'
      USING DETAIL = 'The extension now has its own (owner_book) on every table of the book; roles see rows through either.',
            HINT = 'Give each role its book with CALL account_tier.grant_reader(role, owner) and drop your policies: pg_dump does not keep them.';
  END IF;
END
$$;

-- Giving access, one call each ------------------------------------------------------

-- Only the book's owner (the role that owns its tables) or a member of it
-- may give or take access: said plainly, before any GRANT is tried.
CREATE PROCEDURE account_tier.check_book_owner(caller text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  book_owner oid := (SELECT c.relowner FROM pg_class AS c WHERE c.oid = 'account_tier.accounts'::regclass);
BEGIN
  IF NOT pg_has_role(book_owner, 'MEMBER') THEN
    RAISE EXCEPTION 'only the owner of the account book, %, can call %', book_owner::regrole, caller
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'The role that ran CREATE EXTENSION account_tier owns the book.';
  END IF;
END
$$;
COMMENT ON PROCEDURE account_tier.check_book_owner(text) IS
  'Raises 42501 unless the current role owns the account book (or belongs to its owner); called by grant_reader, grant_writer and revoke_access';

CREATE PROCEDURE account_tier.grant_reader(role regrole, owner text DEFAULT NULL)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  CALL account_tier.check_book_owner('grant_reader');
  -- one owner's book is kept by row-level security, which a distributed book
  -- has not (distribute_book)
  IF owner IS NOT NULL AND NOT EXISTS (SELECT FROM pg_policy AS p
                                       WHERE p.polrelid = 'account_tier.accounts'::regclass
                                         AND p.polname = 'owner_book') THEN
    RAISE EXCEPTION 'the account book has no row-level security: a role can read every owner''s book or none'
      USING ERRCODE = 'feature_not_supported',
            DETAIL = 'A distributed book (account_tier.distribute_book) runs its queries on the shards, where no policy can look up book_access.',
            HINT = 'Give the role every owner''s book (owner NULL), or views of your own that show one owner''s rows.';
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA account_tier TO %s', role);
  EXECUTE format('GRANT SELECT ON account_tier.accounts, account_tier.sales, account_tier.visits, '
                 'account_tier.tier_history, account_tier.policy, account_tier.book_access, '
                 'account_tier.current_policy, account_tier.owner_capacity, account_tier.account_tiers, '
                 'account_tier.key_accounts, account_tier.secondary_accounts, account_tier.prospects, '
                 'account_tier.leads, account_tier.tier_summary, account_tier.pareto_curve, '
                 'account_tier.owner_scorecard, account_tier.tier_changes TO %s', role);
  INSERT INTO account_tier.book_access (role_name, owner)
  VALUES ((SELECT r.rolname FROM pg_roles AS r WHERE r.oid = role), owner)
  ON CONFLICT DO NOTHING;
END
$$;
COMMENT ON PROCEDURE account_tier.grant_reader(regrole, text) IS
  'Lets a role read every view of the book (and the tables they read): every owner''s book, or only the given owner''s';

CREATE PROCEDURE account_tier.grant_writer(role regrole, owner text DEFAULT NULL)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  CALL account_tier.grant_reader(role, owner);
  EXECUTE format('GRANT INSERT, UPDATE, DELETE ON account_tier.accounts, account_tier.sales, '
                 'account_tier.visits, account_tier.tier_history TO %s', role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON account_tier.lead_cap_claims TO %s', role);
  EXECUTE format('GRANT USAGE ON SEQUENCE account_tier.sales_sale_id_seq, '
                 'account_tier.visits_visit_id_seq TO %s', role);
END
$$;
COMMENT ON PROCEDURE account_tier.grant_writer(regrole, text) IS
  'grant_reader, and lets the role load the book: insert, change and delete accounts, sales and visits, and take snapshots (of every owner''s book, or only the given owner''s)';

CREATE PROCEDURE account_tier.revoke_access(role regrole)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  CALL account_tier.check_book_owner('revoke_access');
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA account_tier FROM %s', role);
  EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA account_tier FROM %s', role);
  EXECUTE format('REVOKE USAGE ON SCHEMA account_tier FROM %s', role);
  DELETE FROM account_tier.book_access AS b
  WHERE b.role_name = (SELECT r.rolname FROM pg_roles AS r WHERE r.oid = role);
END
$$;
COMMENT ON PROCEDURE account_tier.revoke_access(regrole) IS
  'Takes back what grant_reader and grant_writer gave a role';

-- Scaling out: the book on Citus -----------------------------------------------------
-- distribute_book lays the book out over a Citus cluster: accounts hashed
-- by account_id into shards, sales, visits and history in the same shards
-- as their account (colocated: the views' joins and per-account sums run on
-- the workers), and the policy copied to every node (a reference table).
-- book_access and lead_cap_claims stay on the coordinator.  What cannot run
-- on a shard goes first, refusing to go on where that would change what
-- someone may do or see:
--   * the lead cap: a shard sees only its own accounts, so no trigger there
--     can count an owner's leads; the trigger goes, and a CHECK keeps
--     policy.enforce_lead_cap false (leads over the cap show in
--     leads.within_cap and owner_scorecard.leads_over_cap instead);
--   * the policy's insert trigger, which rewrites the policy table from
--     inside an insert into it (the primary key still allows one row);
--   * row-level security: Citus applies a table's policies on its shards,
--     where none may look up another table (book_access, accounts), so the
--     owner_book policies go, and with them any difference between what
--     roles granted the tables see: refused while book_access gives some
--     role one owner's book only, or a role other than the book's owner has
--     privileges on a table of the book without being given every owner's
--     book.
-- The two policy triggers that only refuse (deleting, truncating the row)
-- stay, on every copy of the policy.  The identities go on numbering the
-- sales and visits loaded through the coordinator.
CREATE PROCEDURE account_tier.distribute_book(shard_count int DEFAULT NULL)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  unsafe_triggers text;
  readers text;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_extension AS e WHERE e.extname = 'citus') THEN
    RAISE EXCEPTION 'the citus extension is not installed in this database'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'On a Citus coordinator (shared_preload_libraries = citus, worker nodes added with citus_add_node): CREATE EXTENSION citus, then CALL account_tier.distribute_book() again.';
  END IF;
  CALL account_tier.check_book_owner('distribute_book');
  IF EXISTS (SELECT FROM pg_dist_partition AS d WHERE d.logicalrelid = 'account_tier.accounts'::regclass) THEN
    RAISE EXCEPTION 'the account book is distributed already'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF (SELECT p.enforce_lead_cap FROM account_tier.policy AS p) THEN
    RAISE EXCEPTION 'a distributed book cannot enforce the lead cap'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = 'Each shard sees only its own accounts, so no check there can count an owner''s leads.',
            HINT = 'UPDATE account_tier.policy SET enforce_lead_cap = false first; the views leads and owner_scorecard report the leads over the cap.';
  END IF;
  SELECT string_agg(DISTINCT coalesce(r.rolname, 'PUBLIC'), ', ') INTO readers
  FROM pg_class AS c
  CROSS JOIN LATERAL aclexplode(c.relacl) AS acl
  LEFT JOIN pg_roles AS r ON r.oid = acl.grantee
  WHERE c.oid IN ('account_tier.accounts'::regclass, 'account_tier.sales'::regclass,
                  'account_tier.visits'::regclass, 'account_tier.tier_history'::regclass)
    AND acl.grantee <> c.relowner
    AND NOT EXISTS (SELECT FROM account_tier.book_access AS b
                    WHERE b.role_name = r.rolname AND b.owner IS NULL);
  IF readers IS NOT NULL
     OR EXISTS (SELECT FROM account_tier.book_access AS b WHERE b.owner IS NOT NULL) THEN
    RAISE EXCEPTION 'a distributed book has no row-level security, and some roles read only part of this one'
      USING ERRCODE = 'feature_not_supported',
            DETAIL = format('Roles given one owner''s book in account_tier.book_access, or holding privileges on the book''s tables without being given every owner''s book: %s.',
                            coalesce(readers || ', ', '') ||
                            coalesce((SELECT string_agg(DISTINCT b.role_name::text, ', ')
                                      FROM account_tier.book_access AS b WHERE b.owner IS NOT NULL), '')),
            HINT = 'CALL account_tier.revoke_access(role) for each, or CALL account_tier.grant_reader(role) to give it every owner''s book.';
  END IF;

  DROP TRIGGER accounts_lead_cap ON account_tier.accounts;
  DROP TRIGGER policy_insert_row ON account_tier.policy;
  ALTER TABLE account_tier.policy
    ADD CONSTRAINT policy_lead_cap_not_enforced CHECK (NOT enforce_lead_cap);
  COMMENT ON CONSTRAINT policy_lead_cap_not_enforced ON account_tier.policy IS
    'A distributed book cannot enforce the lead cap: leads.within_cap and owner_scorecard.leads_over_cap report it';
  DROP POLICY owner_book ON account_tier.accounts;
  DROP POLICY owner_book ON account_tier.sales;
  DROP POLICY owner_book ON account_tier.visits;
  DROP POLICY owner_book ON account_tier.tier_history;
  ALTER TABLE account_tier.accounts DISABLE ROW LEVEL SECURITY;
  ALTER TABLE account_tier.sales DISABLE ROW LEVEL SECURITY;
  ALTER TABLE account_tier.visits DISABLE ROW LEVEL SECURITY;
  ALTER TABLE account_tier.tier_history DISABLE ROW LEVEL SECURITY;

  -- the refusing triggers of the policy go to its copies
  unsafe_triggers := current_setting('citus.enable_unsafe_triggers');
  PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
  PERFORM create_reference_table('account_tier.policy'::regclass);
  PERFORM set_config('citus.enable_unsafe_triggers', unsafe_triggers, true);
  PERFORM create_distributed_table('account_tier.accounts'::regclass, 'account_id'::text,
                                   'hash'::citus.distribution_type, 'default'::text, shard_count);
  PERFORM create_distributed_table('account_tier.sales'::regclass, 'account_id'::text,
                                   'hash'::citus.distribution_type, 'account_tier.accounts'::text);
  PERFORM create_distributed_table('account_tier.visits'::regclass, 'account_id'::text,
                                   'hash'::citus.distribution_type, 'account_tier.accounts'::text);
  PERFORM create_distributed_table('account_tier.tier_history'::regclass, 'account_id'::text,
                                   'hash'::citus.distribution_type, 'account_tier.accounts'::text);
  -- the rows copied into the shards leave the coordinator's tables (those
  -- of sales, visits and history with their accounts'; the policy row stays,
  -- as its triggers want)
  PERFORM truncate_local_data_after_distributing_table('account_tier.accounts'::regclass);
END
$$;
COMMENT ON PROCEDURE account_tier.distribute_book(int) IS
  'On a Citus coordinator: distributes accounts by account_id into shard_count shards (NULL: citus.shard_count), sales, visits and tier_history with their accounts, and copies the policy to every node; the lead cap and row-level security, which cannot run on shards, are given up (refused where that would change who sees what)';

-- What every view and column means, for BI tools ----------------------------------------

COMMENT ON VIEW account_tier.current_policy IS
  'The policy row with its dates resolved: day (as_of or today), the starts of the revenue window and of the window before it';
COMMENT ON COLUMN account_tier.current_policy.day IS 'The day the views describe: as_of, or today';
COMMENT ON COLUMN account_tier.current_policy.window_start IS 'Revenue counts sales booked after this and up to day';
COMMENT ON COLUMN account_tier.current_policy.prior_window_start IS 'Prior revenue counts sales booked after this and up to window_start';
COMMENT ON COLUMN account_tier.current_policy.windows_per_year IS
  'How many revenue windows make a year (1 for 12 months): what turns visits made in the window into visits a year';

COMMENT ON VIEW account_tier.owner_capacity IS
  'Per owner: the field visits a year the plan splits over the owner''s customers, and where that number comes from';
COMMENT ON COLUMN account_tier.owner_capacity.owner IS 'The sales rep';
COMMENT ON COLUMN account_tier.owner_capacity.visits_made IS 'Visits the owner made in the revenue window (to customers, prospects and leads)';
COMMENT ON COLUMN account_tier.owner_capacity.capacity IS
  'Field visits a year: policy.visit_capacity, else visits_made scaled to a year, else 480';
COMMENT ON COLUMN account_tier.owner_capacity.capacity_source IS
  'policy (visit_capacity is set), visits made (the owner''s own visits) or default (no visits recorded: 480)';

COMMENT ON VIEW account_tier.account_tiers IS
  'One row per customer: revenue in the policy''s window, tier by the policy''s method and scope (a manager''s override wins), the visits planned and made, and the signals a sales manager acts on';
COMMENT ON COLUMN account_tier.account_tiers.account_id IS 'The account''s key';
COMMENT ON COLUMN account_tier.account_tiers.account_name IS 'The account''s name';
COMMENT ON COLUMN account_tier.account_tiers.owner IS 'The sales rep who owns the account';
COMMENT ON COLUMN account_tier.account_tiers.revenue IS 'Net sales in the revenue window ending at as_of (policy)';
COMMENT ON COLUMN account_tier.account_tiers.prior_revenue IS 'Net sales in the window of the same length before it';
COMMENT ON COLUMN account_tier.account_tiers.revenue_change IS 'revenue - prior_revenue';
COMMENT ON COLUMN account_tier.account_tiers.margin IS 'Gross margin in the revenue window';
COMMENT ON COLUMN account_tier.account_tiers.share IS 'The account''s share of its scope''s positive revenue (6 decimals)';
COMMENT ON COLUMN account_tier.account_tiers.cumulative_share IS 'Share of the scope''s revenue held by this account and every larger one: the Pareto curve (6 decimals)';
COMMENT ON COLUMN account_tier.account_tiers.tier IS 'A (key), B (secondary) or C (customer service): the override where set, else the computed tier';
COMMENT ON COLUMN account_tier.account_tiers.key_account IS 'tier = A';
COMMENT ON COLUMN account_tier.account_tiers.recommended_visits IS
  'Field visits a year the plan gives this account (to 0.1): the owner''s capacity split by the time shares, within a tier by the policy''s weighting, between the tier''s floor and max_visits; NULL without an owner';
COMMENT ON COLUMN account_tier.account_tiers.cadence IS 'recommended_visits as a cadence: weekly, monthly, quarterly, ..., service only';
COMMENT ON COLUMN account_tier.account_tiers.potential IS 'Estimated yearly wallet';
COMMENT ON COLUMN account_tier.account_tiers.share_of_wallet IS 'revenue / potential (6 decimals)';
COMMENT ON COLUMN account_tier.account_tiers.growth_candidate IS
  'Room to grow, key accounts included: share_of_wallet below growth_wallet_share (policy) and potential - revenue at least the A cutoff (the room left is a key account''s worth)';
COMMENT ON COLUMN account_tier.account_tiers.at_risk IS 'A key account whose revenue fell by at_risk_drop (policy) or more';
COMMENT ON COLUMN account_tier.account_tiers.computed_tier IS 'The tier the policy''s method gives, before any override';
COMMENT ON COLUMN account_tier.account_tiers.tier_source IS 'computed, or override when a manager pinned the tier';
COMMENT ON COLUMN account_tier.account_tiers.margin_tier IS 'The policy''s method applied to margin instead of revenue';
COMMENT ON COLUMN account_tier.account_tiers.incremental_revenue IS 'The part of revenue booked as incremental business';
COMMENT ON COLUMN account_tier.account_tiers.visits_made IS 'Field visits made to the account in the revenue window';
COMMENT ON COLUMN account_tier.account_tiers.a_cutoff IS
  'The A cutoff of the account''s scope: the revenue from which the policy''s method makes an account A (NULL when no account is A)';
COMMENT ON COLUMN account_tier.account_tiers.visit_gap IS
  'visits_made (scaled to a year) - recommended_visits: below 0 the account is seen less than planned; NULL where there is no plan';

COMMENT ON VIEW account_tier.key_accounts IS 'The A rows of account_tiers, largest first';
COMMENT ON VIEW account_tier.secondary_accounts IS 'The B and C rows of account_tiers, with how each is served';
COMMENT ON COLUMN account_tier.secondary_accounts.service_channel IS 'field when the plan gives it visits, else customer service';
COMMENT ON VIEW account_tier.prospects IS 'Qualified prospects, ranked by potential within owner';
COMMENT ON COLUMN account_tier.prospects.account_id IS 'The prospect''s key';
COMMENT ON COLUMN account_tier.prospects.account_name IS 'The prospect''s name';
COMMENT ON COLUMN account_tier.prospects.owner IS 'The rep working it';
COMMENT ON COLUMN account_tier.prospects.potential IS 'Estimated yearly wallet';
COMMENT ON COLUMN account_tier.prospects.potential_rank IS 'Rank by potential within the owner''s prospects (1 = largest)';
COMMENT ON COLUMN account_tier.prospects.high_potential IS 'Its potential reaches the A cutoff of its scope: a future key account';
COMMENT ON COLUMN account_tier.prospects.created_at IS 'When the prospect was entered';
COMMENT ON VIEW account_tier.tier_summary IS 'The 80/20 picture: per scope and tier, accounts, revenue and planned visits with their shares';
COMMENT ON COLUMN account_tier.tier_summary.scope IS 'company or owner (policy)';
COMMENT ON COLUMN account_tier.tier_summary.owner IS 'The owner (scope owner), or NULL for the whole company';
COMMENT ON COLUMN account_tier.tier_summary.tier IS 'A, B or C';
COMMENT ON COLUMN account_tier.tier_summary.accounts IS 'Customers in the tier';
COMMENT ON COLUMN account_tier.tier_summary.account_share IS 'Share of the scope''s customers (6 decimals)';
COMMENT ON COLUMN account_tier.tier_summary.revenue IS 'Revenue of the tier';
COMMENT ON COLUMN account_tier.tier_summary.revenue_share IS 'Share of the scope''s revenue (6 decimals)';
COMMENT ON COLUMN account_tier.tier_summary.planned_visits IS 'Visits a year the plan gives the tier: the sum of its accounts'' recommended_visits';
COMMENT ON COLUMN account_tier.tier_summary.time_share IS 'Share of the scope''s planned visits (6 decimals)';
COMMENT ON VIEW account_tier.pareto_curve IS 'Per scope, 101 points of the Pareto (Lorenz) curve, ready to plot';
COMMENT ON COLUMN account_tier.pareto_curve.scope IS 'company or owner (policy)';
COMMENT ON COLUMN account_tier.pareto_curve.owner IS 'The owner (scope owner), or NULL for the whole company';
COMMENT ON COLUMN account_tier.pareto_curve.point IS '0 to 100';
COMMENT ON COLUMN account_tier.pareto_curve.account_share IS 'Share of accounts, largest first: point / 100';
COMMENT ON COLUMN account_tier.pareto_curve.revenue_share IS 'Share of revenue those accounts hold (6 decimals)';
COMMENT ON VIEW account_tier.owner_scorecard IS
  'Per owner: revenue, time on incremental business against the target, key-account coverage, and where the time really goes against the plan';
COMMENT ON COLUMN account_tier.owner_scorecard.owner IS 'The sales rep';
COMMENT ON COLUMN account_tier.owner_scorecard.revenue IS 'Revenue of the owner''s customers in the window';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_revenue_share IS
  'Share of that revenue booked as incremental business: a fact, not the target';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_time_share IS
  'Share of the owner''s visits spent on incremental business: visits with purpose incremental and visits to prospects and leads, over visits whose purpose is known';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_target IS 'The target share of time on incremental business (policy)';
COMMENT ON COLUMN account_tier.owner_scorecard.visits_unrecorded_purpose IS 'Visits to customers whose purpose was not recorded (left out of incremental_time_share)';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts IS 'The owner''s A accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts_at_risk IS 'Of them, those at risk';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts_uncovered IS 'Of them, those seen less than planned (visit_gap < 0)';
COMMENT ON COLUMN account_tier.owner_scorecard.visit_capacity IS 'The owner''s field visits a year (owner_capacity)';
COMMENT ON COLUMN account_tier.owner_scorecard.capacity_source IS 'policy, visits made or default (owner_capacity)';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_key_share IS 'Share of the capacity the plan gives key (A) accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_secondary_share IS 'Share of the capacity the plan gives B and C accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_pipeline_share IS 'Share of the capacity no tier can use: time for prospects and leads';
COMMENT ON COLUMN account_tier.owner_scorecard.unallocated_visits IS 'Visits a year no tier can use (capacity - planned visits): time for prospects and leads';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_visits IS 'Visits made in the window';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_key_share IS 'Share of visits made to key accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_secondary_share IS 'Share of visits made to B and C accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_prospect_share IS 'Share of visits made to prospects';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_lead_share IS 'Share of visits made to leads';
COMMENT ON COLUMN account_tier.owner_scorecard.secondary_time_sink IS
  'actual_secondary_share - planned_secondary_share: above 0, time drifting to smaller accounts (the secondary account time sink)';
COMMENT ON COLUMN account_tier.owner_scorecard.leads IS 'Leads the owner holds';
COMMENT ON COLUMN account_tier.owner_scorecard.leads_over_cap IS 'Leads beyond the lead cap';

-- Columns that key_accounts and secondary_accounts take from account_tiers,
-- and current_policy from policy, mean the same there: the same comments.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT v.view, a.attname, col_description(v.source, a.attnum) AS comment
    FROM (VALUES ('account_tier.key_accounts'::regclass, 'account_tier.account_tiers'::regclass),
                 ('account_tier.secondary_accounts', 'account_tier.account_tiers'),
                 ('account_tier.current_policy', 'account_tier.policy')) AS v(view, source)
    JOIN pg_attribute AS a ON a.attrelid = v.source AND a.attnum > 0 AND NOT a.attisdropped
    WHERE col_description(v.source, a.attnum) IS NOT NULL
      AND EXISTS (SELECT FROM pg_attribute AS va
                  WHERE va.attrelid = v.view AND va.attname = a.attname AND NOT va.attisdropped)
  LOOP
    EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', c.view, c.attname, c.comment);
  END LOOP;
END
$$;

ALTER VIEW account_tier.current_policy OWNER TO @extowner@;
ALTER VIEW account_tier.owner_capacity OWNER TO @extowner@;
ALTER VIEW account_tier.account_tiers OWNER TO @extowner@;
ALTER VIEW account_tier.key_accounts OWNER TO @extowner@;
ALTER VIEW account_tier.secondary_accounts OWNER TO @extowner@;
ALTER VIEW account_tier.prospects OWNER TO @extowner@;
ALTER VIEW account_tier.tier_summary OWNER TO @extowner@;
ALTER VIEW account_tier.pareto_curve OWNER TO @extowner@;
ALTER VIEW account_tier.owner_scorecard OWNER TO @extowner@;
ALTER TABLE account_tier.lead_cap_claims OWNER TO @extowner@;
ALTER TABLE account_tier.book_access OWNER TO @extowner@;
