-- account_tier: exact Pareto shares, ABC tiers and cutoffs for sales accounts.
-- Every object lives in schema account_tier and is referred to by its
-- qualified name, so nothing depends on the caller's search_path.

\echo Use "CREATE EXTENSION account_tier" to load this file. \quit

-- Security: a trusted install runs this script as a superuser, with
-- search_path set to this schema, which the installing user may have made
-- beforehand.  So every script starts by searching pg_catalog only (undone
-- when the script ends): a function or operator planted in the schema can
-- then never capture a name used below.  The extension's own objects are
-- named with their schema, and called with arguments of exactly their
-- declared types, so that no look-alike overload is a better match.
SET LOCAL search_path = pg_catalog, pg_temp;

-- And nothing is installed into a schema that already holds objects: they
-- would be the installing user's, not the extension's, sitting where the
-- extension's own objects are looked up.
DO $$
DECLARE
  objects text[];
BEGIN
  SELECT array_agg(pg_describe_object(o.classid, o.objid, 0) ORDER BY 1) INTO objects
  FROM (SELECT 'pg_class'::regclass, oid FROM pg_class WHERE relnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type
                  WHERE typnamespace = 'account_tier'::regnamespace AND typrelid = 0
        UNION ALL SELECT 'pg_operator'::regclass, oid FROM pg_operator WHERE oprnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_opclass'::regclass, oid FROM pg_opclass WHERE opcnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_opfamily'::regclass, oid FROM pg_opfamily WHERE opfnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_collation'::regclass, oid FROM pg_collation WHERE collnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_conversion'::regclass, oid FROM pg_conversion WHERE connamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_statistic_ext'::regclass, oid FROM pg_statistic_ext WHERE stxnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_ts_config'::regclass, oid FROM pg_ts_config WHERE cfgnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_ts_dict'::regclass, oid FROM pg_ts_dict WHERE dictnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_ts_parser'::regclass, oid FROM pg_ts_parser WHERE prsnamespace = 'account_tier'::regnamespace
        UNION ALL SELECT 'pg_ts_template'::regclass, oid FROM pg_ts_template WHERE tmplnamespace = 'account_tier'::regnamespace
       ) AS o(classid, objid);
  IF objects IS NOT NULL THEN
    RAISE EXCEPTION 'schema account_tier already holds % objects that are not part of the extension',
                    cardinality(objects)
      USING ERRCODE = 'duplicate_schema',
            DETAIL = 'Found: ' || array_to_string(objects[1:10], ', ')
                     || CASE WHEN cardinality(objects) > 10 THEN ', ...' ELSE '' END || '.',
            HINT = 'Install into a schema account_tier that does not exist yet or is empty: '
                   'move or drop those objects first.';
  END IF;
END
$$;

-- Types -----------------------------------------------------------------------

CREATE TYPE account_tier.tier AS ENUM ('A', 'B', 'C');
COMMENT ON TYPE account_tier.tier IS
  'ABC tier of an account: A (key), B (secondary), C (served by customer service); A < B < C';

CREATE TYPE account_tier.cutoffs AS (a_min numeric, b_min numeric);
COMMENT ON TYPE account_tier.cutoffs IS
  'Tier limits: the smallest value classified A and the smallest classified B (NULL where that tier is empty)';

CREATE TYPE account_tier.pareto_stats AS (
  accounts bigint,
  positive_total numeric,
  gini float8,
  top20_share float8,
  accounts_for_80 float8
);
COMMENT ON TYPE account_tier.pareto_stats IS
  'Concentration of a book: non-NULL accounts, total of positive values, Gini coefficient, share held by the top 20% of accounts, share of accounts in A at 80%';

-- Window functions -------------------------------------------------------------

CREATE FUNCTION account_tier.pareto_share(value numeric)
RETURNS float8
AS 'MODULE_PATHNAME', 'pareto_share_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.pareto_share(numeric) IS
  'Window function: cumulative share of the positive total held by this row''s value and every larger one (ties share a result; 1 for values <= 0)';

CREATE FUNCTION account_tier.pareto_share(value float8)
RETURNS float8
AS 'MODULE_PATHNAME', 'pareto_share_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.pareto_share(float8) IS
  'Window function: cumulative share of the positive total held by this row''s value and every larger one (ties share a result; 1 for values <= 0)';

CREATE FUNCTION account_tier.abc_tier(value numeric, a numeric DEFAULT 0.80, b numeric DEFAULT 0.95)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_tier_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_tier(numeric, numeric, numeric) IS
  'Window function: ABC tier by value share; A = the fewest top tie groups holding at least a of the positive total, A and B together at least b';

CREATE FUNCTION account_tier.abc_tier(value float8, a numeric DEFAULT 0.80, b numeric DEFAULT 0.95)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_tier_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_tier(float8, numeric, numeric) IS
  'Window function: ABC tier by value share; A = the fewest top tie groups holding at least a of the positive total, A and B together at least b';

CREATE FUNCTION account_tier.abc_tier_by_count(value numeric, a numeric DEFAULT 0.20, b numeric DEFAULT 0.80)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_tier_by_count_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_tier_by_count(numeric, numeric, numeric) IS
  'Window function: ABC tier by head count; A if fewer than a of the rows have a larger value, B if fewer than b';

CREATE FUNCTION account_tier.abc_tier_by_count(value float8, a numeric DEFAULT 0.20, b numeric DEFAULT 0.80)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_tier_by_count_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_tier_by_count(float8, numeric, numeric) IS
  'Window function: ABC tier by head count; A if fewer than a of the rows have a larger value, B if fewer than b';

-- Aggregate support functions ---------------------------------------------------

CREATE FUNCTION account_tier.value_cutoffs_sfunc(internal, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(internal, numeric, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(internal, numeric, numeric, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(internal, float8)
RETURNS internal AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(internal, float8, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.value_cutoffs_sfunc(internal, float8, numeric, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'value_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION account_tier.count_cutoffs_sfunc(internal, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(internal, numeric, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(internal, numeric, numeric, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(internal, float8)
RETURNS internal AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(internal, float8, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.count_cutoffs_sfunc(internal, float8, numeric, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'count_cutoffs_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION account_tier.values_sfunc(internal, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'values_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.values_sfunc(internal, float8)
RETURNS internal AS 'MODULE_PATHNAME', 'values_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION account_tier.lorenz_sfunc(internal, numeric)
RETURNS internal AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_sfunc(internal, numeric, int)
RETURNS internal AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_sfunc(internal, float8)
RETURNS internal AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_sfunc(internal, float8, int)
RETURNS internal AS 'MODULE_PATHNAME', 'lorenz_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION account_tier.state_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'account_tier_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.state_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'account_tier_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.state_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'account_tier_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION account_tier.abc_cutoffs_final(internal)
RETURNS account_tier.cutoffs AS 'MODULE_PATHNAME', 'abc_cutoffs_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.abc_cutoffs_by_count_final(internal)
RETURNS account_tier.cutoffs AS 'MODULE_PATHNAME', 'abc_cutoffs_by_count_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.pareto_summary_final(internal)
RETURNS account_tier.pareto_stats AS 'MODULE_PATHNAME', 'pareto_summary_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.lorenz_curve_final(internal)
RETURNS float8[] AS 'MODULE_PATHNAME', 'lorenz_curve_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = 'account_tier'::regnamespace
      AND p.proname IN ('value_cutoffs_sfunc', 'count_cutoffs_sfunc', 'values_sfunc', 'lorenz_sfunc',
                        'state_combine', 'state_serialize', 'state_deserialize',
                        'abc_cutoffs_final', 'abc_cutoffs_by_count_final',
                        'pareto_summary_final', 'lorenz_curve_final')
  LOOP
    EXECUTE format('COMMENT ON FUNCTION %s IS %L', f,
                   'Support function of the account_tier aggregates; not meant to be called directly');
  END LOOP;
END
$$;

-- Aggregates --------------------------------------------------------------------
-- CREATE AGGREGATE takes no DEFAULT, so each optional parameter is an overload.
-- SSPACE: a state holds 16 bytes per value; 8 kB stands for a few hundred.

CREATE AGGREGATE account_tier.abc_cutoffs(value numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value numeric, a numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value numeric, a numeric, b numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value float8) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value float8, a numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs(value float8, a numeric, b numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);

CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value numeric, a numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value numeric, a numeric, b numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value float8) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value float8, a numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.abc_cutoffs_by_count(value float8, a numeric, b numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.abc_cutoffs_by_count_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);

CREATE AGGREGATE account_tier.pareto_summary(value numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.pareto_summary_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.pareto_summary(value float8) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.pareto_summary_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);

CREATE AGGREGATE account_tier.lorenz_curve(value numeric) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.lorenz_curve(value numeric, points int) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.lorenz_curve(value float8) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE account_tier.lorenz_curve(value float8, points int) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = internal, SSPACE = 8192,
  FINALFUNC = account_tier.lorenz_curve_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = account_tier.state_combine,
  SERIALFUNC = account_tier.state_serialize, DESERIALFUNC = account_tier.state_deserialize,
  PARALLEL = SAFE);

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

-- Scalar ------------------------------------------------------------------------

CREATE FUNCTION account_tier.abc_classify(value numeric, c account_tier.cutoffs)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_classify_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_classify(numeric, account_tier.cutoffs) IS
  'Tier of a value under cutoffs: A if value > 0 and value >= a_min, B if value > 0 and value >= b_min, else C';

CREATE FUNCTION account_tier.abc_classify(value float8, c account_tier.cutoffs)
RETURNS account_tier.tier
AS 'MODULE_PATHNAME', 'abc_classify_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.abc_classify(float8, account_tier.cutoffs) IS
  'Tier of a value under cutoffs: A if value > 0 and value >= a_min, B if value > 0 and value >= b_min, else C';
