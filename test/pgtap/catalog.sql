-- catalog.sql: what the extension installs, as README.md "Functions" and
-- "Reference" describe it: kinds of function, volatility,
-- parallel safety, privileges, comments, and the extension's control data.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;

SELECT plan(89);

-- The extension ---------------------------------------------------------------------
SELECT has_extension('account_tier', 'account_tier', 'account_tier is installed in schema account_tier');

SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'account_tier'),
          'account_tier', 'the extension''s schema is account_tier');

SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'account_tier'),
          false, 'the extension is not relocatable');

SELECT is((SELECT bool_and(trusted) FROM pg_available_extension_versions WHERE name = 'account_tier'),
          true, 'every version of the extension is trusted');

SELECT is((SELECT schema::text FROM pg_available_extension_versions
           WHERE name = 'account_tier' AND version = (SELECT extversion FROM pg_extension WHERE extname = 'account_tier')),
          'account_tier', 'the control file names schema account_tier');

-- Types ---------------------------------------------------------------------------------
SELECT enum_has_labels('account_tier', 'tier', ARRAY['A', 'B', 'C'], 'tier is the enum A, B, C in that order');

SELECT ok('A'::tier < 'B'::tier AND 'B'::tier < 'C'::tier AND 'B'::tier <= 'B'
          AND (SELECT array_agg(t ORDER BY t) FROM unnest('{C,A,B}'::tier[]) t) = '{A,B,C}'::tier[],
          'tiers order A < B < C');

SELECT has_composite('account_tier', 'cutoffs', 'cutoffs is a composite type');
SELECT is((SELECT array_agg(attname::text || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = 'account_tier.cutoffs'::regclass AND attnum > 0 AND NOT attisdropped),
          ARRAY['a_min numeric', 'b_min numeric'], 'cutoffs is (a_min numeric, b_min numeric)');

SELECT has_composite('account_tier', 'pareto_stats', 'pareto_stats is a composite type');
SELECT is((SELECT array_agg(attname::text || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = 'pareto_stats'::regclass AND attnum > 0 AND NOT attisdropped),
          ARRAY['accounts bigint', 'positive_total numeric', 'gini double precision',
                'top20_share double precision', 'accounts_for_80 double precision'],
          'pareto_stats is (accounts bigint, positive_total numeric, gini, top20_share, accounts_for_80 float8)');

SELECT has_composite('account_tier', 'computed_points', 'computed_points is a composite type');
SELECT is((SELECT array_agg(attname::text || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = 'account_tier.computed_points'::regclass AND attnum > 0 AND NOT attisdropped),
          ARRAY['pareto_k bigint', 'break_even_k bigint', 'submarginal_k bigint', 'a_min numeric', 'b_min numeric'],
          'computed_points is (pareto_k, break_even_k, submarginal_k bigint, a_min, b_min numeric)');

-- Window functions ----------------------------------------------------------------------
SELECT is_window('account_tier', 'pareto_share', ARRAY['numeric'], 'pareto_share(numeric) is a window function');
SELECT is_window('account_tier', 'pareto_share', ARRAY['double precision'], 'pareto_share(float8) is a window function');
SELECT is_window('account_tier', 'abc_tier', ARRAY['numeric', 'numeric', 'numeric'],
                 'abc_tier(numeric, numeric, numeric) is a window function');
SELECT is_window('account_tier', 'abc_tier', ARRAY['double precision', 'numeric', 'numeric'],
                 'abc_tier(float8, numeric, numeric) is a window function');
SELECT is_window('account_tier', 'abc_tier_by_count', ARRAY['numeric', 'numeric', 'numeric'],
                 'abc_tier_by_count(numeric, numeric, numeric) is a window function');
SELECT is_window('account_tier', 'abc_tier_by_count', ARRAY['double precision', 'numeric', 'numeric'],
                 'abc_tier_by_count(float8, numeric, numeric) is a window function');
SELECT is_window('account_tier', 'abc_tier_computed', ARRAY['numeric'], 'abc_tier_computed(numeric) is a window function');
SELECT is_window('account_tier', 'abc_tier_computed', ARRAY['double precision'],
                 'abc_tier_computed(float8) is a window function');

SELECT is((SELECT array_agg(p.oid::regprocedure::text || ' ' || pg_get_function_arguments(p.oid) || ' -> ' ||
                            format_type(p.prorettype, NULL) ORDER BY p.oid::regprocedure::text)
           FROM pg_proc p WHERE p.pronamespace = 'account_tier'::regnamespace AND p.prokind = 'w'),
          ARRAY['abc_tier(double precision,numeric,numeric) value double precision, a numeric DEFAULT 0.80, b numeric DEFAULT 0.95 -> tier',
                'abc_tier(numeric,numeric,numeric) value numeric, a numeric DEFAULT 0.80, b numeric DEFAULT 0.95 -> tier',
                'abc_tier_by_count(double precision,numeric,numeric) value double precision, a numeric DEFAULT 0.20, b numeric DEFAULT 0.80 -> tier',
                'abc_tier_by_count(numeric,numeric,numeric) value numeric, a numeric DEFAULT 0.20, b numeric DEFAULT 0.80 -> tier',
                'abc_tier_computed(double precision) value double precision -> tier',
                'abc_tier_computed(numeric) value numeric -> tier',
                'pareto_share(double precision) value double precision -> double precision',
                'pareto_share(numeric) value numeric -> double precision',
                'recommended_visits(tier,double precision,double precision,double precision,double precision,double precision) '
                  't tier, capacity double precision, a_share double precision DEFAULT 0.80, b_share double precision DEFAULT 0.20, '
                  'c_share double precision DEFAULT 0.0, max_per_account double precision DEFAULT 52 -> double precision',
                'recommended_visits_weighted(tier,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision,double precision) '
                  't tier, weight double precision, capacity double precision, a_share double precision DEFAULT 0.80, '
                  'b_share double precision DEFAULT 0.20, c_share double precision DEFAULT 0.0, '
                  'max_per_account double precision DEFAULT 52, min_a double precision DEFAULT 0, '
                  'min_b double precision DEFAULT 0, min_c double precision DEFAULT 0 -> double precision'],
          'the window functions have the signatures, defaults and result types of README.md "Reference"');

-- Aggregates ----------------------------------------------------------------------------
SELECT is_aggregate('account_tier', 'abc_cutoffs', ARRAY['numeric'], 'abc_cutoffs(numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs', ARRAY['numeric', 'numeric'], 'abc_cutoffs(numeric, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs', ARRAY['numeric', 'numeric', 'numeric'],
                    'abc_cutoffs(numeric, numeric, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs', ARRAY['double precision'], 'abc_cutoffs(float8) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs', ARRAY['double precision', 'numeric'],
                    'abc_cutoffs(float8, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs', ARRAY['double precision', 'numeric', 'numeric'],
                    'abc_cutoffs(float8, numeric, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_by_count', ARRAY['numeric'], 'abc_cutoffs_by_count(numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_by_count', ARRAY['numeric', 'numeric'],
                    'abc_cutoffs_by_count(numeric, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_by_count', ARRAY['numeric', 'numeric', 'numeric'],
                    'abc_cutoffs_by_count(numeric, numeric, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_by_count', ARRAY['double precision'],
                    'abc_cutoffs_by_count(float8) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_by_count', ARRAY['double precision', 'numeric'],
                    'abc_cutoffs_by_count(float8, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_by_count', ARRAY['double precision', 'numeric', 'numeric'],
                    'abc_cutoffs_by_count(float8, numeric, numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_computed', ARRAY['numeric'], 'abc_cutoffs_computed(numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_cutoffs_computed', ARRAY['double precision'],
                    'abc_cutoffs_computed(float8) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_points', ARRAY['numeric'], 'abc_points(numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'abc_points', ARRAY['double precision'], 'abc_points(float8) is an aggregate');
SELECT is_aggregate('account_tier', 'pareto_summary', ARRAY['numeric'], 'pareto_summary(numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'pareto_summary', ARRAY['double precision'], 'pareto_summary(float8) is an aggregate');
SELECT is_aggregate('account_tier', 'lorenz_curve', ARRAY['numeric'], 'lorenz_curve(numeric) is an aggregate');
SELECT is_aggregate('account_tier', 'lorenz_curve', ARRAY['numeric', 'integer'], 'lorenz_curve(numeric, int) is an aggregate');
SELECT is_aggregate('account_tier', 'lorenz_curve', ARRAY['double precision'], 'lorenz_curve(float8) is an aggregate');
SELECT is_aggregate('account_tier', 'lorenz_curve', ARRAY['double precision', 'integer'],
                    'lorenz_curve(float8, int) is an aggregate');

SELECT is((SELECT array_agg(p.oid::regprocedure::text || ' -> ' || format_type(p.prorettype, NULL)
                            ORDER BY p.oid::regprocedure::text)
           FROM pg_proc p WHERE p.pronamespace = 'account_tier'::regnamespace AND p.prokind = 'a'),
          ARRAY['abc_cutoffs(double precision) -> cutoffs',
                'abc_cutoffs(double precision,numeric) -> cutoffs',
                'abc_cutoffs(double precision,numeric,numeric) -> cutoffs',
                'abc_cutoffs(numeric) -> cutoffs',
                'abc_cutoffs(numeric,numeric) -> cutoffs',
                'abc_cutoffs(numeric,numeric,numeric) -> cutoffs',
                'abc_cutoffs_by_count(double precision) -> cutoffs',
                'abc_cutoffs_by_count(double precision,numeric) -> cutoffs',
                'abc_cutoffs_by_count(double precision,numeric,numeric) -> cutoffs',
                'abc_cutoffs_by_count(numeric) -> cutoffs',
                'abc_cutoffs_by_count(numeric,numeric) -> cutoffs',
                'abc_cutoffs_by_count(numeric,numeric,numeric) -> cutoffs',
                'abc_cutoffs_computed(double precision) -> cutoffs',
                'abc_cutoffs_computed(numeric) -> cutoffs',
                'abc_points(double precision) -> computed_points',
                'abc_points(numeric) -> computed_points',
                'lorenz_curve(double precision) -> double precision[]',
                'lorenz_curve(double precision,integer) -> double precision[]',
                'lorenz_curve(numeric) -> double precision[]',
                'lorenz_curve(numeric,integer) -> double precision[]',
                'pareto_summary(double precision) -> pareto_stats',
                'pareto_summary(numeric) -> pareto_stats',
                'sales_totals(date,numeric,numeric,boolean,date) -> sales_totals'],
          'the aggregates have the overloads and result types of README.md "Reference"');

-- Every aggregate runs in parallel and, on Citus, partially on the workers:
-- a final and a combine function, and a state of a type of the extension's
-- own, which parallel query and Citus move between processes and nodes as
-- it is (an internal state would need serialize functions, and Citus moves
-- none).
SELECT is_empty($$
  SELECT a.aggfnoid::regprocedure
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
  WHERE p.pronamespace = 'account_tier'::regnamespace
    AND (a.aggcombinefn = 0 OR a.aggfinalfn = 0 OR a.aggserialfn <> 0 OR a.aggdeserialfn <> 0
         OR a.aggtranstype NOT IN ('account_tier.values_state'::regtype,
                                   'account_tier.sales_totals_state'::regtype))
$$, 'every aggregate has a final and a combine function, and a state of a type of its own');

-- Scalar ---------------------------------------------------------------------------------
SELECT function_returns('account_tier', 'abc_classify', ARRAY['numeric', 'cutoffs'], 'tier',
                        'abc_classify(numeric, cutoffs) returns tier');
SELECT function_returns('account_tier', 'abc_classify', ARRAY['double precision', 'cutoffs'], 'tier',
                        'abc_classify(float8, cutoffs) returns tier');
SELECT is_normal_function('account_tier', 'abc_classify', ARRAY['numeric', 'cutoffs'],
                          'abc_classify(numeric, cutoffs) is a plain function');
SELECT is_normal_function('account_tier', 'abc_classify', ARRAY['double precision', 'cutoffs'],
                          'abc_classify(float8, cutoffs) is a plain function');

-- Volatility: every function is immutable --------------------------------------------------
SELECT volatility_is('account_tier', 'pareto_share', ARRAY['numeric'], 'immutable', 'pareto_share(numeric) is immutable');
SELECT volatility_is('account_tier', 'pareto_share', ARRAY['double precision'], 'immutable', 'pareto_share(float8) is immutable');
SELECT volatility_is('account_tier', 'abc_tier', ARRAY['numeric', 'numeric', 'numeric'], 'immutable',
                     'abc_tier(numeric, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_tier', ARRAY['double precision', 'numeric', 'numeric'], 'immutable',
                     'abc_tier(float8, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_tier_by_count', ARRAY['numeric', 'numeric', 'numeric'], 'immutable',
                     'abc_tier_by_count(numeric, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_tier_by_count', ARRAY['double precision', 'numeric', 'numeric'], 'immutable',
                     'abc_tier_by_count(float8, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs', ARRAY['numeric'], 'immutable', 'abc_cutoffs(numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs', ARRAY['numeric', 'numeric'], 'immutable',
                     'abc_cutoffs(numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs', ARRAY['numeric', 'numeric', 'numeric'], 'immutable',
                     'abc_cutoffs(numeric, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs', ARRAY['double precision'], 'immutable', 'abc_cutoffs(float8) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs', ARRAY['double precision', 'numeric'], 'immutable',
                     'abc_cutoffs(float8, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs', ARRAY['double precision', 'numeric', 'numeric'], 'immutable',
                     'abc_cutoffs(float8, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_by_count', ARRAY['numeric'], 'immutable',
                     'abc_cutoffs_by_count(numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_by_count', ARRAY['numeric', 'numeric'], 'immutable',
                     'abc_cutoffs_by_count(numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_by_count', ARRAY['numeric', 'numeric', 'numeric'], 'immutable',
                     'abc_cutoffs_by_count(numeric, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_by_count', ARRAY['double precision'], 'immutable',
                     'abc_cutoffs_by_count(float8) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_by_count', ARRAY['double precision', 'numeric'], 'immutable',
                     'abc_cutoffs_by_count(float8, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_by_count', ARRAY['double precision', 'numeric', 'numeric'], 'immutable',
                     'abc_cutoffs_by_count(float8, numeric, numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_tier_computed', ARRAY['numeric'], 'immutable', 'abc_tier_computed(numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_tier_computed', ARRAY['double precision'], 'immutable',
                     'abc_tier_computed(float8) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_computed', ARRAY['numeric'], 'immutable',
                     'abc_cutoffs_computed(numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_cutoffs_computed', ARRAY['double precision'], 'immutable',
                     'abc_cutoffs_computed(float8) is immutable');
SELECT volatility_is('account_tier', 'abc_points', ARRAY['numeric'], 'immutable', 'abc_points(numeric) is immutable');
SELECT volatility_is('account_tier', 'abc_points', ARRAY['double precision'], 'immutable', 'abc_points(float8) is immutable');
SELECT volatility_is('account_tier', 'pareto_summary', ARRAY['numeric'], 'immutable', 'pareto_summary(numeric) is immutable');
SELECT volatility_is('account_tier', 'pareto_summary', ARRAY['double precision'], 'immutable',
                     'pareto_summary(float8) is immutable');
SELECT volatility_is('account_tier', 'lorenz_curve', ARRAY['numeric'], 'immutable', 'lorenz_curve(numeric) is immutable');
SELECT volatility_is('account_tier', 'lorenz_curve', ARRAY['numeric', 'integer'], 'immutable',
                     'lorenz_curve(numeric, int) is immutable');
SELECT volatility_is('account_tier', 'lorenz_curve', ARRAY['double precision'], 'immutable',
                     'lorenz_curve(float8) is immutable');
SELECT volatility_is('account_tier', 'lorenz_curve', ARRAY['double precision', 'integer'], 'immutable',
                     'lorenz_curve(float8, int) is immutable');
SELECT volatility_is('account_tier', 'abc_classify', ARRAY['numeric', 'cutoffs'], 'immutable',
                     'abc_classify(numeric, cutoffs) is immutable');
SELECT volatility_is('account_tier', 'abc_classify', ARRAY['double precision', 'cutoffs'], 'immutable',
                     'abc_classify(float8, cutoffs) is immutable');

SELECT is_empty($$
  SELECT oid::regprocedure, provolatile FROM pg_proc
  WHERE pronamespace = 'account_tier'::regnamespace AND provolatile <> 'i'
    AND prokind IN ('f', 'w', 'a') AND prorettype <> 'trigger'::regtype
    AND oid NOT IN ('account_tier.sees_every_owner()'::regprocedure, 'account_tier.visible_owners()'::regprocedure)
$$, 'every function, window function and aggregate in schema account_tier is immutable (support functions too; '
    'the book''s triggers read tables)');
SELECT is_empty($$
  SELECT oid::regprocedure, provolatile FROM pg_proc
  WHERE oid IN ('account_tier.sees_every_owner()'::regprocedure, 'account_tier.visible_owners()'::regprocedure)
    AND provolatile <> 's'
$$, 'sees_every_owner() and visible_owners(), which read book_access and the roles, are stable');

-- Parallel safety, privileges, comments -------------------------------------------------
SELECT is_empty($$
  SELECT oid::regprocedure, proparallel FROM pg_proc
  WHERE pronamespace = 'account_tier'::regnamespace AND prokind IN ('f', 'w', 'a') AND proparallel <> 's'
    AND prorettype <> 'trigger'::regtype
$$, 'every function and aggregate in schema account_tier is PARALLEL SAFE (pg_proc.proparallel = s; triggers apart)');

SELECT is_empty($$
  SELECT oid::regprocedure FROM pg_proc
  WHERE pronamespace = 'account_tier'::regnamespace AND prosecdef
$$, 'no function in schema account_tier is SECURITY DEFINER');

SELECT is_empty($$
  SELECT oid::regprocedure FROM pg_proc
  WHERE pronamespace = 'account_tier'::regnamespace AND obj_description(oid, 'pg_proc') IS NULL
$$, 'every function and aggregate in schema account_tier has a comment');

SELECT is_empty($$
  SELECT t.oid::regtype FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
  WHERE t.typnamespace = 'account_tier'::regnamespace
    AND t.typcategory <> 'A'                 -- not the implicit array type of another
    AND (c.oid IS NULL OR c.relkind = 'c')   -- not the row type of a table or view
    AND obj_description(t.oid, 'pg_type') IS NULL
$$, 'every type in schema account_tier has a comment');

SELECT isnt(obj_description((SELECT oid FROM pg_extension WHERE extname = 'account_tier'), 'pg_extension'), NULL,
            'the extension has a comment');

SELECT * FROM finish();
ROLLBACK;
