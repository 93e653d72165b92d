-- audit.sql: exactness and robustness at the edges of what numeric and float8
-- can hold: parallel plans at any scale, float8 totals past the double range,
-- float8 values against decimal cutoffs, thresholds at numeric's largest
-- display scale, results that do not depend on the platform's long double,
-- the Gini coefficient of equal values, and the time and memory of the exact
-- numeric fallback.  Every expected value comes from plain SQL numeric.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
SET LOCAL work_mem = '64MB';

SELECT plan(60);

\ir lib/helpers.psql

CREATE SCHEMA aud;

-- The exact value of a double, from its bits: mantissa * 2^exponent in exact
-- numeric arithmetic (a cast to numeric keeps 15 digits only).
CREATE FUNCTION aud.exact(x float8) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
DECLARE
  bits bit(64) := ('x' || encode(float8send(x), 'hex'))::bit(64);
  biased int := substring(bits FROM 2 FOR 11)::int;
  mantissa numeric := substring(bits FROM 13 FOR 52)::bigint;
  k int;
  base numeric;
  power numeric := 1;
BEGIN
  IF biased > 0 THEN
    mantissa := mantissa + 4503599627370496;   -- the implicit bit, 2^52
  END IF;
  k := greatest(biased, 1) - 1075;             -- x = mantissa * 2^k
  base := CASE WHEN k < 0 THEN 0.5 ELSE 2 END;
  k := abs(k);
  WHILE k > 0 LOOP
    IF k % 2 = 1 THEN power := power * base; END IF;
    base := base * base;
    k := k / 2;
  END LOOP;
  RETURN CASE WHEN substring(bits FROM 1 FOR 1) = B'1' THEN -1 ELSE 1 END * mantissa * power;
END
$f$;

-- num / den (den > 0) rounded once to the nearest double: the quotient is
-- truncated 400 decimals after the point, which decides every rounding of
-- the values below (a cast from numeric to float8 rounds correctly).
CREATE FUNCTION aud.ratio(num numeric, den numeric) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (div(num * 1e400, den) * 1e-400)::float8 $$;

-- 10^-k for k up to numeric's largest display scale (numeric_in takes
-- exponents down to -1000 only).
CREATE FUNCTION aud.tiny(k int) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ('0.' || repeat('0', k - 1) || '1')::numeric $$;

-- Memory of this backend, all contexts.
CREATE FUNCTION aud.mem() RETURNS bigint
LANGUAGE sql AS $$ SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts $$;

SELECT is(aud.exact(0.1::float8), 0.1000000000000000055511151231257827021181583404541015625,
          'helper: the exact value of 0.1::float8');
SELECT is(aud.exact(5e-324) * 2 ^ 1074::numeric, 1::numeric,
          'helper: the exact value of the smallest denormal is 2^-1074');
SELECT is(aud.ratio(1, 3), 1 / 3::float8, 'helper: 1/3 rounded once to a double');

-- Parallel plans at every scale numeric can hold (gen.run: lib/helpers.psql) ----------
-- 20,000 rows: 1001 and 16,383 decimals (the largest display scale), values
-- up to 7e131000, doubles from 5e-324 to 1e308, and a threshold of 16,383
-- decimals; deep_mix (on one row in ten) needs 16,400 digits a value, too
-- many for 128 bits.
CREATE TABLE aud.par AS
SELECT i,
       i * 1e-1001 AS d1001,
       i * (SELECT aud.tiny(16383)) AS d16383,
       (1 + i % 7) * (SELECT ('1' || repeat('0', 131000))::numeric) AS huge,
       CASE WHEN i % 10 = 0 THEN (i % 97) * (SELECT aud.tiny(16383)) + i % 89 END AS deep_mix,
       CASE i % 3 WHEN 0 THEN 1e308 / i WHEN 1 THEN i * 5e-324 ELSE i END::float8 AS f
FROM generate_series(1, 20000) i;
ANALYZE aud.par;

CREATE TEMP TABLE par_queries AS
SELECT format(a, c) AS name, format('SELECT %s AS r FROM aud.par', format(a, c)) AS q
FROM unnest(ARRAY['abc_cutoffs(%s)', 'abc_cutoffs_by_count(%s, 0.3, 0.6)', 'pareto_summary(%s)',
                  'lorenz_curve(%s, 11)', 'abc_points(%s)']) a,
     unnest(ARRAY['d1001', 'd16383', 'huge', 'deep_mix', 'f']) c
UNION ALL
SELECT 'abc_cutoffs(d1001, a of 16,383 decimals, 0.9)',
       format('SELECT abc_cutoffs(d1001, %s, 0.9) AS r FROM aud.par', 0.5 + aud.tiny(16383));

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL client_min_messages = warning;
CREATE TEMP TABLE par_runs AS
SELECT name, gen.run(q, 2) AS par, gen.run(q, 0) AS ser FROM par_queries;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET client_min_messages;

SELECT is((SELECT count(*) FROM par_runs WHERE (par).plan ~ 'Partial Aggregate' AND (par).plan ~ 'Workers Launched: [12]'),
          (SELECT count(*) FROM par_runs WHERE (ser).result NOT LIKE 'ERROR%'),
          'every query that has a result ran as a partial aggregate in parallel workers');

SELECT is((par).result, (ser).result, name || ': the parallel result equals the serial one')
FROM par_runs ORDER BY name;

-- Gini: exactly 0 for equal values, never negative ---------------------------------
SELECT is((pareto_summary(8)).gini, 0::float8, 'the Gini coefficient of 149 equal values is exactly 0')
FROM generate_series(1, 149);

CREATE TABLE aud.equal AS
SELECT k AS ds, v
FROM generate_series(1, 60) k,
     LATERAL (SELECT (ARRAY[8, 0.1, 1 / 3.0, 123456.78, 1e-30, 7e25, 4e35]::numeric[])[1 + k % 7] AS v) x,
     generate_series(1, 1 + (k * 37) % 400);

SELECT gen.no_rows($$
  SELECT ds, (pareto_summary(v)).gini, (pareto_summary(v::float8)).gini AS gini_float8
  FROM aud.equal GROUP BY ds
  HAVING (pareto_summary(v)).gini <> 0 OR (pareto_summary(v::float8)).gini <> 0
  ORDER BY ds LIMIT 20
$$, 'equal values, numeric and float8, 1 to 400 of them: the Gini coefficient is exactly 0');

-- Shares and the Gini coefficient as the one correctly rounded double -----------------
-- Positive totals of up to 2^125 units: no platform's long double holds them
-- exactly, and the results must not depend on one (the Gini coefficient's
-- rank sums pass 2^127 too).
CREATE TABLE aud.wide AS
SELECT k AS ds, i,
       CASE k % 5
         WHEN 0 THEN round((gen.u(k, i, 1) * 10 ^ (gen.u(k, i, 2) * 12))::numeric, 10)
         WHEN 1 THEN round((gen.u(k, i, 1) * 1e12)::numeric, 2) + 0.01
         WHEN 2 THEN round((gen.u(k, i, 1) * 1e18)::numeric, 12)
         WHEN 3 THEN round((gen.u(k, i, 1) * 1e35)::numeric) + 1
         ELSE (gen.pick('{1,2,3,7,10,1000}'::numeric[], gen.u(k, i, 1)))
       END AS v
FROM generate_series(1, 60) k, generate_series(1, 2 + (k * 53) % 300) i;

CREATE TABLE aud.wide_ranked AS
SELECT ds, v, row_number() OVER (PARTITION BY ds ORDER BY v DESC) AS j,
       count(*) OVER (PARTITION BY ds) AS n, sum(v) OVER (PARTITION BY ds) AS t,
       sum(v) OVER (PARTITION BY ds ORDER BY v DESC) AS cum,
       sum(v) OVER (PARTITION BY ds ORDER BY v DESC ROWS UNBOUNDED PRECEDING) AS run
FROM aud.wide;

CREATE TABLE aud.wide_ref AS
SELECT ds, aud.ratio(sum((2 * (n + 1 - j) - n - 1) * v), min(n) * min(t)) AS gini,
       aud.ratio(sum(v) FILTER (WHERE j <= ceil(0.2 * n)), min(t)) AS top20
FROM aud.wide_ranked GROUP BY ds;

SELECT gen.no_rows($$
  SELECT r.ds, r.gini AS expected, (g.s).gini AS got
  FROM aud.wide_ref r JOIN (SELECT ds, pareto_summary(v) AS s FROM aud.wide GROUP BY ds) g USING (ds)
  WHERE (g.s).gini IS DISTINCT FROM r.gini
  ORDER BY r.ds LIMIT 20
$$, 'pareto_summary: the Gini coefficient is the exact one, rounded once to a double');

SELECT gen.no_rows($$
  SELECT r.ds, r.top20 AS expected, (g.s).top20_share AS got
  FROM aud.wide_ref r JOIN (SELECT ds, pareto_summary(v) AS s FROM aud.wide GROUP BY ds) g USING (ds)
  WHERE (g.s).top20_share IS DISTINCT FROM r.top20
  ORDER BY r.ds LIMIT 20
$$, 'pareto_summary: the top 20% share is the exact one, rounded once to a double');

SELECT gen.no_rows($$
  SELECT r.ds, r.v, aud.ratio(r.cum, r.t) AS expected, g.share AS got
  FROM (SELECT DISTINCT ds, v, cum, t FROM aud.wide_ranked) r
  JOIN (SELECT DISTINCT ds, v, pareto_share(v) OVER (PARTITION BY ds) AS share FROM aud.wide) g USING (ds, v)
  WHERE g.share IS DISTINCT FROM aud.ratio(r.cum, r.t)
  ORDER BY r.ds, r.v LIMIT 20
$$, 'pareto_share: every share is the exact cum(G)/T, rounded once to a double');

SELECT gen.no_rows($$
  WITH c AS (SELECT ds, lorenz_curve(v, 9) AS curve FROM aud.wide GROUP BY ds),
       p AS (SELECT c.ds, k, c.curve[k] AS got, r.n, r.t FROM c
             JOIN (SELECT DISTINCT ds, n, t FROM aud.wide_ranked) r USING (ds),
             generate_series(1, 9) k)
  SELECT p.ds, p.k, p.got, aud.ratio(coalesce(s.run, 0), p.t) AS expected
  FROM p LEFT JOIN aud.wide_ranked s ON s.ds = p.ds AND s.j = ((p.k - 1) * p.n) / 8
  WHERE ((p.k - 1) * p.n) % 8 = 0 AND p.got IS DISTINCT FROM aud.ratio(coalesce(s.run, 0), p.t)
  ORDER BY p.ds, p.k LIMIT 20
$$, 'lorenz_curve: every point on a whole account is the exact share, rounded once to a double');

-- float8 totals past the double range ------------------------------------------------
SELECT is((pareto_summary(v)).positive_total, 2 * aud.exact(1e308),
          'pareto_summary(float8): the exact total of 1e308 and 1e308, past the double range')
FROM (VALUES (1e308::float8), (1e308)) t(v);

SELECT is((pareto_summary(v)).positive_total, aud.exact(1.7976931348623157e308) * 3 + aud.exact(5e-324),
          'pareto_summary(float8): the exact total of three largest doubles and the smallest')
FROM (VALUES (1.7976931348623157e308::float8), (1.7976931348623157e308), (1.7976931348623157e308),
             (5e-324), (-1e308)) t(v);

SELECT is((pareto_summary(v)).positive_total, aud.exact(0.1) + aud.exact(0.2),
          'pareto_summary(float8): the exact total of 0.1::float8 and 0.2::float8')
FROM (VALUES (0.1::float8), (0.2)) t(v);

CREATE TABLE aud.f8sets AS
SELECT k AS ds, i, CASE WHEN i % 5 = 0 THEN -1 ELSE 1 END * gen.u(k, i, 1) * 10 ^ (gen.u(k, i, 2) * 600 - 300) AS v
FROM generate_series(1, 30) k, generate_series(1, 2 + k * 3) i;

SELECT gen.no_rows($$
  SELECT e.ds, e.t AS expected, g.t AS got
  FROM (SELECT ds, sum(aud.exact(greatest(v, 0))) AS t FROM aud.f8sets GROUP BY ds) e
  JOIN (SELECT ds, (pareto_summary(v)).positive_total AS t FROM aud.f8sets GROUP BY ds) g USING (ds)
  WHERE g.t IS DISTINCT FROM e.t
  ORDER BY e.ds LIMIT 20
$$, 'pareto_summary(float8): positive_total is the exact sum of the doubles, from 1e-300 to 1e300');

SELECT gen.no_rows($$
  SELECT ds, gini FROM (SELECT ds, (pareto_summary(v)).gini AS gini FROM aud.wide GROUP BY ds
                        UNION ALL
                        SELECT ds, (pareto_summary(v)).gini FROM aud.f8sets GROUP BY ds) g
  WHERE gini < 0
$$, 'the Gini coefficient is never negative');

-- float8 values against decimal cutoffs ------------------------------------------------
SELECT is(abc_classify(0.1::float8, ROW(0.10000000000000001, NULL)), 'C'::tier,
          'abc_classify: 0.1::float8 is below the cutoff 0.10000000000000001');
SELECT is(abc_classify(0.1::float8, ROW(aud.exact(0.1), NULL)), 'A'::tier,
          'abc_classify: 0.1::float8 reaches a cutoff of its own exact value');
SELECT is(abc_classify(0.1::float8, ROW(aud.exact(0.1) + 1e-1000, NULL)), 'C'::tier,
          'abc_classify: 0.1::float8 is below a cutoff 1e-1000 above its exact value');
SELECT gen.same($$
  SELECT abc_classify(1e308::float8, ROW(1e400, NULL)), abc_classify(1e308::float8, ROW(1e400, 1e300)),
         abc_classify(1.7976931348623157e308::float8, ROW(1e400, 1.7976931348623157e308)),
         abc_classify(-1e308::float8, ROW(1e-400, -1e400))
$$, $$ VALUES ('C'::tier, 'B'::tier, 'B'::tier, 'C'::tier) $$,
'abc_classify: cutoffs past the double range are compared exactly, not refused');

-- Doubles of every magnitude against cutoffs at, just above and just below their
-- exact values, and at 17 and 15 significant digits.
CREATE TABLE aud.probe AS
SELECT x, aud.exact(x) AS ex
FROM (SELECT (gen.u(7, i, 1) * 10 ^ (gen.u(7, i, 2) * 616 - 308))::float8 AS x FROM generate_series(1, 150) i
      UNION ALL
      SELECT unnest('{5e-324,1e-323,2.2250738585072014e-308,0.1,0.3,1,100.1,1e22,1e23,1.7976931348623157e308}'::float8[])) s;

CREATE TABLE aud.cut AS
SELECT x, ex, c
FROM aud.probe,
     LATERAL (VALUES (ex), (ex + aud.tiny(1100)), (ex - aud.tiny(1100)),
                     (x::text::numeric), (to_char(x, '9.99999999999999EEEE')::numeric),
                     (ex * 1.000000000000000001), (ex * 0.999999999999999999)) c(c);

SELECT gen.no_rows($$
  SELECT x, c, abc_classify(x, ROW(c, NULL)) AS got
  FROM aud.cut
  WHERE abc_classify(x, ROW(c, NULL)) IS DISTINCT FROM CASE WHEN ex > 0 AND ex >= c THEN 'A' ELSE 'C' END::tier
     OR abc_classify(x, ROW(NULL, c)) IS DISTINCT FROM CASE WHEN ex > 0 AND ex >= c THEN 'B' ELSE 'C' END::tier
  LIMIT 20
$$, 'abc_classify(float8): the exact value of the double against the exact cutoff, at every magnitude');

SELECT gen.no_rows($$
  SELECT ds, c, (c).a_min::float8, (c).b_min::float8
  FROM (SELECT ds, abc_cutoffs(v, 0.5, 0.9) AS c, abc_cutoffs_by_count(v, 0.3, 0.6) AS cc
        FROM aud.f8sets GROUP BY ds) s
  WHERE (c).a_min > aud.exact((c).a_min::float8) OR (c).b_min > aud.exact((c).b_min::float8)
     OR (cc).a_min > aud.exact((cc).a_min::float8) OR (cc).b_min > aud.exact((cc).b_min::float8)
  ORDER BY ds LIMIT 20
$$, 'float8 cutoffs never exceed the boundary value they convert back to');

SELECT gen.no_rows($$
  SELECT w.ds, w.i, w.v, w.t, abc_classify(w.v, c.c) AS classified
  FROM (SELECT ds, i, v, abc_tier(v, 0.5, 0.9) OVER (PARTITION BY ds) AS t FROM aud.f8sets) w
  JOIN (SELECT ds, abc_cutoffs(v, 0.5, 0.9) AS c FROM aud.f8sets GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.i LIMIT 20
$$, 'float8: abc_classify(v, abc_cutoffs(v)) = abc_tier(v) with exact comparisons, 1e-300 to 1e300');

SELECT is(abc_cutoffs(v, 0.5, 0.9)::text, '(0.29999999999999998,0.1)',
          'float8 cutoffs: the shortest decimal not above the boundary that converts back to it')
FROM (VALUES (0.4::float8), (0.3), (0.2), (0.1)) t(v);

-- Thresholds against totals at numeric's largest display scale -----------------------
-- The numeric fallback (the values span more than 128 bits) with values of
-- 16,383 decimals: a*T has more decimals than numeric holds, and its
-- rounding must not decide a tier.  With a = A/100 the reference compares
-- before * 100 < A * T, exactly.
CREATE TABLE aud.deep AS
SELECT k AS ds, i,
       (1 + floor(gen.u(k, i, 1) * 9))::numeric * 10 ^ (20 + k % 3)::numeric
       + (1 + floor(gen.u(k, i, 2) * 7))::numeric * aud.tiny(16383 - k % 4) AS v,
       (ARRAY[0.80, 0.50, 0.33, 0.67, 0.95, 0.10])[1 + k % 6] AS a,
       (ARRAY[0.95, 0.90, 0.66, 0.67, 1.00, 0.30])[1 + k % 6] AS b
FROM generate_series(1, 60) k, generate_series(1, 3 + k % 5) i;

-- And the sets that expose it most directly: before(G) is 2 units of 1e-16383
-- over a*T's whole part, a*T is 2.4 units over it.
INSERT INTO aud.deep
SELECT 100 + k, i, CASE i WHEN 1 THEN 8e20 + 2 * aud.tiny(16383) ELSE 2e20 + aud.tiny(16383) END, 0.8, 0.95
FROM generate_series(1, 3) k, generate_series(1, 2) i;

CREATE TABLE aud.deep_ref AS
SELECT ds, i, v, a, b,
       CASE WHEN v <= 0 THEN 'C' WHEN before * 100 < (a * 100) * t THEN 'A'
            WHEN before * 100 < (b * 100) * t THEN 'B' ELSE 'C' END::tier AS tier
FROM (SELECT ds, i, v, a, b, sum(v) OVER (PARTITION BY ds) AS t,
             coalesce(sum(v) OVER (PARTITION BY ds ORDER BY v DESC
                                   RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP), 0) AS before
      FROM aud.deep) x;

SELECT ok((SELECT count(*) FROM aud.deep_ref WHERE tier = 'A') > 50
      AND (SELECT count(*) FROM aud.deep_ref WHERE tier = 'B') > 20
      AND (SELECT count(*) FROM aud.deep_ref WHERE tier = 'C') > 20,
          'the deep-scale sets reach every tier');

SELECT gen.no_rows($$
  SELECT r.ds, r.i, r.tier AS expected, g.t AS got
  FROM aud.deep_ref r
  JOIN (SELECT ds, i, abc_tier(v, a, b) OVER (PARTITION BY ds) AS t FROM aud.deep) g USING (ds, i)
  WHERE g.t IS DISTINCT FROM r.tier
  ORDER BY r.ds, r.i LIMIT 20
$$, 'abc_tier: exact tiers for values of 16,383 decimals, too wide for 128 bits');

SELECT gen.no_rows($$
  SELECT r.ds, r.i, r.tier AS expected, abc_classify(r.v, c.c) AS got
  FROM aud.deep_ref r
  JOIN (SELECT ds, abc_cutoffs(v, a, b) AS c FROM aud.deep GROUP BY ds, a, b) c USING (ds)
  WHERE abc_classify(r.v, c.c) IS DISTINCT FROM r.tier
  ORDER BY r.ds, r.i LIMIT 20
$$, 'abc_cutoffs + abc_classify: the same exact tiers');

-- lorenz_curve in the numeric fallback: fast, and the same answer --------------------
CREATE TABLE aud.extreme AS
SELECT i, CASE WHEN i % 2 = 0 THEN 1e308 / i ELSE i * 5e-324 END::float8 AS v
FROM generate_series(1, 300) i;

-- Runs a statement; fails the test when it is cancelled (statement_timeout).
CREATE FUNCTION aud.in_time(q text, description text) RETURNS text
LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE q;
  RETURN pass(description);
EXCEPTION WHEN query_canceled THEN
  RETURN fail(description) || E'\n' || diag('    cancelled after ' || current_setting('statement_timeout'));
END
$f$;

SET LOCAL statement_timeout = '20s';
SELECT aud.in_time($$ CREATE TABLE aud.extreme_curve AS SELECT lorenz_curve(v, 100000) AS c FROM aud.extreme $$,
                   'lorenz_curve(v, 100000) over 300 doubles from 5e-324 to 5e307 takes seconds, not minutes');
RESET statement_timeout;

CREATE TABLE aud.extreme_ranked AS
SELECT aud.exact(v) AS x, row_number() OVER (ORDER BY v DESC) AS j,
       sum(aud.exact(v)) OVER (ORDER BY v DESC) AS cum, sum(aud.exact(v)) OVER () AS t
FROM aud.extreme;

SELECT gen.no_rows($$
  SELECT k, c[k] AS got, share AS expected
  FROM aud.extreme_curve,
       LATERAL (SELECT k, ((k - 1) * 300) / 99999 AS whole, ((k - 1) * 300) % 99999 AS rem
                FROM generate_series(1, 100000, 331) k) kk,
       LATERAL (SELECT ((SELECT coalesce(max(cum), 0) FROM aud.extreme_ranked WHERE j = whole)
                        + coalesce((SELECT x FROM aud.extreme_ranked WHERE j = whole + 1), 0) * rem / 99999)
                       / (SELECT min(t) FROM aud.extreme_ranked) AS share) s
  WHERE abs(c[k] - share::float8) > 1e-12
  LIMIT 20
$$, 'lorenz_curve(v, 100000) over them equals the exact curve (within 1e-12)');

-- Memory of the numeric fallback --------------------------------------------------------
-- Measured while the aggregate's state is alive: the scan of a materialized
-- CTE holds the aggregate's memory until the query ends.  200,000 amounts
-- such as 123.45 (10 bytes as numerics), one of 1e40 and one of 1e-40: the
-- pointer, the value and room to grow; as float8, the values' exact
-- expansions take about 32 bytes.
CREATE TABLE aud.fallback AS
SELECT CASE WHEN i = 1 THEN 1e40 WHEN i = 2 THEN 1e-40 ELSE round((i * 7919 % 100003)::numeric / 100, 2) END AS n,
       CASE WHEN i = 1 THEN 1e308 WHEN i = 2 THEN 5e-324 ELSE (i * 7919 % 100003)::float8 / 100 END AS f
FROM generate_series(1, 200000) i;
SET LOCAL max_parallel_workers_per_gather = 0;

CREATE TABLE aud.per_row AS
SELECT 'abc_cutoffs(numeric)' AS what,
       (SELECT (m - base) / 200000 FROM (WITH s AS MATERIALIZED (SELECT abc_cutoffs(n) FROM aud.fallback)
                                        SELECT aud.mem() AS m FROM s) x) AS bytes
FROM (SELECT aud.mem() AS base) b
UNION ALL
SELECT 'pareto_summary(numeric)',
       (SELECT (m - base) / 200000 FROM (WITH s AS MATERIALIZED (SELECT pareto_summary(n) FROM aud.fallback)
                                        SELECT aud.mem() AS m FROM s) x)
FROM (SELECT aud.mem() AS base) b
UNION ALL
SELECT 'abc_cutoffs(float8)',
       (SELECT (m - base) / 200000 FROM (WITH s AS MATERIALIZED (SELECT abc_cutoffs(f) FROM aud.fallback)
                                        SELECT aud.mem() AS m FROM s) x)
FROM (SELECT aud.mem() AS base) b;
RESET max_parallel_workers_per_gather;

SELECT cmp_ok(bytes, '<=', 40::bigint, what || ' in the numeric fallback holds at most 40 bytes per value')
FROM aud.per_row WHERE what LIKE '%(numeric)' ORDER BY what;
SELECT cmp_ok(bytes, '<=', 64::bigint, what || ' in the numeric fallback holds at most 64 bytes per value')
FROM aud.per_row WHERE what LIKE '%(float8)' ORDER BY what;

-- Found by make fuzz: values from numeric's smallest to far beyond the double
-- range in one set.  The exact shares' quotient was scaled past numeric's
-- 16,383 decimals, rounded, and never settled: pareto_share ran for minutes,
-- ignored statement_timeout and grew until the OOM killer ended it;
-- lorenz_curve divided by a scale rounded to zero (22012).
SET LOCAL statement_timeout = '20s';
CREATE TABLE aud.extremes AS
SELECT v FROM (VALUES (1e-16383), (NULL), (1e-16383), (NULL), (1e20000),
                      (2.750523307228806054582748379E-16347), (4E-16382), (2e-16382), (NULL),
                      (2e-16382), (2e-16382), (1e-16000), (1e-16383)) AS t(v);
SELECT is(array_agg(s ORDER BY s NULLS FIRST), ARRAY[NULL, NULL, NULL, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]::float8[],
          'pareto_share over numerics from 1e-16383 to 1e20000 answers (each share rounds to 1)')
FROM (SELECT account_tier.pareto_share(v) OVER () AS s FROM aud.extremes) AS w;
SELECT is((SELECT account_tier.lorenz_curve(v, 5) FROM aud.extremes), ARRAY[0, 1, 1, 1, 1]::float8[],
          'lorenz_curve over the same numerics answers: 1e20000 holds all but a vanishing share');
SELECT is((SELECT (account_tier.pareto_summary(v)).top20_share FROM aud.extremes), 1::float8,
          'pareto_summary''s top20_share over the same numerics is 1');
RESET statement_timeout;

SELECT * FROM finish();
ROLLBACK;
