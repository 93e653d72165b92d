-- tools/bench.sql — the body of `make bench`: times account_tier against the
-- exact plain-SQL tiering a user would write, on public.t (data/bench_book.sql).
-- Run by tools/bench-run.sh in one psql session, after the book is loaded,
-- VACUUM ANALYZEd and checkpointed.
--
-- Method: every query runs in this one session, serially (no parallel
-- workers), with JIT off (its compile time is a fixed cost that says nothing
-- about the algorithms) and a work_mem large enough that no sort or window
-- spills to disk, which favours the plain SQL most.  Each query runs once to
-- warm the cache (its result is kept and checked), then five times in turn
-- (BENCH_RUNS=N make bench for N) in round robin, so that a slow moment of
-- the machine hits every query alike.  The time is clock_timestamp() around
-- EXECUTE in a DO block; the result is aggregated to a few rows in the server
-- and discarded, nothing is shipped to the client.  The median of the runs is
-- reported.
--
-- Before any timing, the three tierings are compared row by row; the bench
-- stops with an error if a single row differs.

\set ON_ERROR_STOP 1
\set QUIET 1
\pset footer off
\pset null '-'

SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '512MB';

\echo
\echo '== Setup'
SELECT version() AS "server";
SELECT (SELECT count(*) FROM public.t)                               AS "accounts",
       (SELECT count(DISTINCT owner) FROM public.t)                  AS "owners",
       (SELECT count(*) FROM public.t WHERE v IS NULL)               AS "NULL revenue",
       (SELECT count(*) FROM public.t WHERE v <= 0)                  AS "revenue <= 0",
       (SELECT count(DISTINCT v) FROM public.t)                      AS "distinct values",
       pg_size_pretty(pg_table_size('public.t'))                     AS "table size",
       current_setting('shared_buffers')                             AS "shared_buffers",
       current_setting('work_mem')                                   AS "work_mem",
       current_setting('max_parallel_workers_per_gather')            AS "parallel workers",
       current_setting('jit')                                        AS "jit";

-- The queries timed.  Each tiering is reduced to its count per tier in one
-- aggregate pass (FILTER, no hashing), the same wrapper for every tiering;
-- the queries of one `agree' group must count the same tiers.
CREATE TEMP TABLE bench_query (ord int PRIMARY KEY, name text NOT NULL, agree text, sql text NOT NULL);
INSERT INTO bench_query VALUES
(1, 'bare scan: sum(v)', NULL,
 $q$SELECT sum(v) FROM public.t$q$),
(2, 'plain SQL window tiering', 'value',
 $q$SELECT count(*) FILTER (WHERE tier = 'A'), count(*) FILTER (WHERE tier = 'B'),
       count(*) FILTER (WHERE tier = 'C')
FROM (SELECT CASE WHEN v IS NULL THEN NULL
                  WHEN v <= 0 THEN 'C'
                  WHEN before < 0.80 * total THEN 'A'
                  WHEN before < 0.95 * total THEN 'B'
                  ELSE 'C' END AS tier
      FROM (SELECT v,
                   sum(v) OVER (ORDER BY v DESC) - sum(v) OVER (PARTITION BY v) AS before,
                   sum(v) FILTER (WHERE v > 0) OVER () AS total
            FROM public.t) AS s) AS s$q$),
(3, 'abc_tier(v) OVER ()', 'value',
 $q$SELECT count(*) FILTER (WHERE tier = 'A'), count(*) FILTER (WHERE tier = 'B'),
       count(*) FILTER (WHERE tier = 'C')
FROM (SELECT account_tier.abc_tier(v) OVER () AS tier FROM public.t) AS s$q$),
(4, 'abc_cutoffs + abc_classify', 'value',
 $q$SELECT count(*) FILTER (WHERE tier = 'A'), count(*) FILTER (WHERE tier = 'B'),
       count(*) FILTER (WHERE tier = 'C')
FROM (SELECT account_tier.abc_classify(t.v, c.c) AS tier
      FROM public.t, (SELECT account_tier.abc_cutoffs(v) AS c FROM public.t) AS c) AS s$q$),
(5, 'abc_tier_computed(v) OVER ()', 'computed',
 $q$SELECT count(*) FILTER (WHERE tier = 'A'), count(*) FILTER (WHERE tier = 'B'),
       count(*) FILTER (WHERE tier = 'C')
FROM (SELECT account_tier.abc_tier_computed(v) OVER () AS tier FROM public.t) AS s$q$),
(6, 'abc_cutoffs_computed + abc_classify', 'computed',
 $q$SELECT count(*) FILTER (WHERE tier = 'A'), count(*) FILTER (WHERE tier = 'B'),
       count(*) FILTER (WHERE tier = 'C')
FROM (SELECT account_tier.abc_classify(t.v, c.c) AS tier
      FROM public.t, (SELECT account_tier.abc_cutoffs_computed(v) AS c FROM public.t) AS c) AS s$q$),
(7, 'abc_tier(v) OVER (PARTITION BY owner)', 'owner',
 $q$SELECT count(*) FILTER (WHERE tier = 'A'), count(*) FILTER (WHERE tier = 'B'),
       count(*) FILTER (WHERE tier = 'C')
FROM (SELECT account_tier.abc_tier(v) OVER (PARTITION BY owner) AS tier FROM public.t) AS s$q$),
(8, 'recommended_visits(tier, 480) OVER (PARTITION BY owner)', NULL,
 $q$SELECT count(*) FILTER (WHERE visits > 0), round(sum(visits)), max(visits)
FROM (SELECT account_tier.recommended_visits(tier, 480) OVER (PARTITION BY owner) AS visits
      FROM public.t) AS s$q$),
(9, 'recommended_visits_weighted(tier, v, 480, floors 4 and 1) OVER (PARTITION BY owner)', NULL,
 $q$SELECT count(*) FILTER (WHERE visits > 0), round(sum(visits)), max(visits)
FROM (SELECT account_tier.recommended_visits_weighted(tier, v::float8, 480, min_a => 4, min_b => 1)
               OVER (PARTITION BY owner) AS visits
      FROM public.t) AS s$q$);

\echo
\echo '== Correctness: the three tierings, row by row (a = 0.80, b = 0.95)'
\echo '   plain SQL: before(G) = sum(v) OVER (ORDER BY v DESC) - sum(v) OVER (PARTITION BY v),'
\echo '   A if before(G) < 0.80 * T, B if < 0.95 * T, T = total of the positive values;'
\echo '   v <= 0 is C, NULL stays NULL.'
-- The check joins three 2,000,000-row results: a smaller work_mem keeps its
-- memory modest (it may spill; it is not timed).
SET work_mem = '128MB';
CREATE TEMP TABLE bench_check AS
WITH plain AS MATERIALIZED (
  SELECT id, v,
         CASE WHEN v IS NULL THEN NULL
              WHEN v <= 0 THEN 'C'
              WHEN before < 0.80 * total THEN 'A'
              WHEN before < 0.95 * total THEN 'B'
              ELSE 'C' END AS tier
  FROM (SELECT id, v,
               sum(v) OVER (ORDER BY v DESC) - sum(v) OVER (PARTITION BY v) AS before,
               sum(v) FILTER (WHERE v > 0) OVER () AS total
        FROM public.t) AS s
), by_window AS MATERIALIZED (
  SELECT id, account_tier.abc_tier(v) OVER ()::text AS tier FROM public.t
), by_cutoffs AS MATERIALIZED (
  SELECT id, account_tier.abc_classify(t.v, c.c)::text AS tier
  FROM public.t, (SELECT account_tier.abc_cutoffs(v) AS c FROM public.t) AS c
)
SELECT p.id, p.v, p.tier AS plain_tier, w.tier AS window_tier, k.tier AS cutoffs_tier
FROM plain AS p
FULL JOIN by_window AS w USING (id)
FULL JOIN by_cutoffs AS k USING (id);

SELECT count(*)                                                          AS "rows compared",
       count(*) FILTER (WHERE window_tier IS DISTINCT FROM plain_tier)   AS "abc_tier differs",
       count(*) FILTER (WHERE cutoffs_tier IS DISTINCT FROM plain_tier)  AS "abc_classify differs"
FROM bench_check;

SELECT coalesce(plain_tier, '-')                                         AS "tier",
       count(*)                                                          AS "plain SQL",
       count(*) FILTER (WHERE window_tier IS NOT DISTINCT FROM plain_tier)
                                                                         AS "abc_tier agrees",
       count(*) FILTER (WHERE cutoffs_tier IS NOT DISTINCT FROM plain_tier)
                                                                         AS "abc_classify agrees"
FROM bench_check
GROUP BY plain_tier
ORDER BY plain_tier NULLS LAST;

SELECT count(*) FILTER (WHERE window_tier IS DISTINCT FROM plain_tier
                           OR cutoffs_tier IS DISTINCT FROM plain_tier) > 0 AS bad
FROM bench_check \gset
\if :bad
\echo
\echo 'MISMATCH: account_tier disagrees with the exact plain SQL. First differing rows:'
SELECT id, v, plain_tier, window_tier, cutoffs_tier
FROM bench_check
WHERE window_tier IS DISTINCT FROM plain_tier OR cutoffs_tier IS DISTINCT FROM plain_tier
ORDER BY v DESC NULLS FIRST, id
LIMIT 20;
DO $$ BEGIN RAISE EXCEPTION 'account_tier bench: tiers disagree with the plain SQL; no timing done'; END $$;
\endif
\echo 'all rows agree.'
DROP TABLE bench_check;

\echo
\echo '== Correctness: computed ABC, row by row, against README.md "Exact definitions" in plain SQL'
\echo '   D_k = k^2 T^2 + n^2 (T - C_k)^2 orders the distances to (0, 1) exactly; kP = first argmin;'
\echo '   kB = rows with x n >= T; kC = first argmin of (k - kX)^2 T^2 + n^2 (T - C_k)^2.'
CREATE TEMP TABLE bench_curve AS
SELECT k, x, sum(x) OVER (ORDER BY k) AS c
FROM (SELECT greatest(v, 0) AS x, row_number() OVER (ORDER BY v DESC) AS k
      FROM public.t WHERE v IS NOT NULL) AS s;
SELECT count(*) AS n, sum(x) AS total FROM bench_curve \gset
SELECT k AS kp FROM bench_curve
ORDER BY k::numeric * k * :total * :total + :n::numeric * :n * (:total - c) * (:total - c), k LIMIT 1 \gset
SELECT count(*) FILTER (WHERE x * :n::numeric >= :total) AS kb FROM bench_curve \gset
SELECT greatest(:kp, :kb) AS kx, least(:kp, :kb) AS ka \gset
SELECT k AS kc FROM bench_curve
ORDER BY (k - :kx)::numeric * (k - :kx) * :total * :total + :n::numeric * :n * (:total - c) * (:total - c), k LIMIT 1 \gset
SELECT (SELECT x FROM bench_curve WHERE k = :ka) AS a_min,
       (SELECT x FROM bench_curve WHERE k = :kc) AS c_min \gset
-- B is empty when x_(kC) = x_(kA): then there is no smallest B value
SELECT CASE WHEN :c_min < :a_min THEN :c_min END AS b_min \gset
SELECT :kp AS "kP", :kb AS "kB", :kc AS "kC", :a_min AS "a_min = x_(kA)", :c_min AS "x_(kC)",
       (SELECT ROW(pareto_k, break_even_k, submarginal_k, a_min, b_min)
               IS NOT DISTINCT FROM ROW(:kp::bigint, :kb::bigint, :kc::bigint, :a_min::numeric,
                                        nullif(:'b_min', '')::numeric)
        FROM (SELECT (account_tier.abc_points(v)).* FROM public.t) AS p) AS "abc_points agrees";
CREATE TEMP TABLE bench_check AS
WITH plain AS MATERIALIZED (
  SELECT id, CASE WHEN v IS NULL THEN NULL
                  WHEN v > 0 AND v >= :a_min THEN 'A'
                  WHEN v > 0 AND v >= :c_min THEN 'B'
                  ELSE 'C' END AS tier
  FROM public.t
), by_window AS MATERIALIZED (
  SELECT id, account_tier.abc_tier_computed(v) OVER ()::text AS tier FROM public.t
), by_cutoffs AS MATERIALIZED (
  SELECT id, account_tier.abc_classify(t.v, c.c)::text AS tier
  FROM public.t, (SELECT account_tier.abc_cutoffs_computed(v) AS c FROM public.t) AS c
)
SELECT p.id, p.tier AS plain_tier, w.tier AS window_tier, k.tier AS cutoffs_tier
FROM plain AS p
FULL JOIN by_window AS w USING (id)
FULL JOIN by_cutoffs AS k USING (id);
SELECT count(*)                                                          AS "rows compared",
       count(*) FILTER (WHERE window_tier IS DISTINCT FROM plain_tier)   AS "abc_tier_computed differs",
       count(*) FILTER (WHERE cutoffs_tier IS DISTINCT FROM plain_tier)  AS "abc_classify differs",
       count(*) FILTER (WHERE plain_tier = 'A')                          AS "A",
       count(*) FILTER (WHERE plain_tier = 'B')                          AS "B",
       count(*) FILTER (WHERE plain_tier = 'C')                          AS "C"
FROM bench_check;
SELECT count(*) FILTER (WHERE window_tier IS DISTINCT FROM plain_tier
                           OR cutoffs_tier IS DISTINCT FROM plain_tier) > 0 AS bad
FROM bench_check \gset
\if :bad
DO $$ BEGIN RAISE EXCEPTION 'account_tier bench: computed tiers disagree with the plain SQL; no timing done'; END $$;
\endif
\echo 'all rows agree.'
DROP TABLE bench_check;
DROP TABLE bench_curve;
SET work_mem = '512MB';

\if :{?runs}
\else
\set runs 5
\endif
\echo
\echo '== Timing: 1 warm-up run, then' :runs 'runs of each query in turn; median reported'
CREATE TEMP TABLE bench_run (ord int, run int, ms float8, result text);

SET bench.runs = :'runs';
DO $$
DECLARE
  q      record;
  r      int;
  t0     timestamptz;
  res    text;
BEGIN
  -- Warm-up: also keeps each query's result, to check that they agree.
  FOR q IN SELECT * FROM bench_query ORDER BY ord LOOP
    t0 := clock_timestamp();
    EXECUTE format('SELECT r::text FROM (%s) AS r', q.sql) INTO res;
    INSERT INTO bench_run
    VALUES (q.ord, 0, extract(epoch FROM clock_timestamp() - t0) * 1000, res);
  END LOOP;
  IF EXISTS (SELECT FROM bench_run JOIN bench_query USING (ord)
             WHERE run = 0 AND agree IS NOT NULL
             GROUP BY agree HAVING count(DISTINCT result) <> 1) THEN
    RAISE EXCEPTION 'account_tier bench: tierings of one group count different tiers: %',
      (SELECT string_agg(ord || ') ' || result, ' | ' ORDER BY ord) FROM bench_run WHERE run = 0);
  END IF;
  -- Timed runs, round robin; EXECUTE without INTO runs the query to the end
  -- and discards its few rows.
  FOR r IN 1 .. current_setting('bench.runs')::int LOOP
    FOR q IN SELECT * FROM bench_query ORDER BY ord LOOP
      t0 := clock_timestamp();
      EXECUTE q.sql;
      INSERT INTO bench_run
      VALUES (q.ord, r, extract(epoch FROM clock_timestamp() - t0) * 1000, NULL);
    END LOOP;
  END LOOP;
END
$$;

SELECT q.ord AS "#", q.name AS "query", r.result AS "result of the warm-up run: (A, B, C) counted, or (visited accounts, visits, max)"
FROM bench_run AS r JOIN bench_query AS q USING (ord)
WHERE r.run = 0 AND q.ord > 1
ORDER BY q.ord;

CREATE TEMP TABLE bench_result AS
SELECT q.ord, q.name,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY r.ms) AS median_ms,
       string_agg(round(r.ms::numeric)::text, ' / ' ORDER BY r.run) AS runs
FROM bench_query AS q
JOIN bench_run AS r ON r.ord = q.ord AND r.run > 0
GROUP BY q.ord, q.name;

\echo
\echo '== Results'
\echo '   x bare scan = median / median of the bare scan (lower is better);'
\echo '   plain SQL / this = how many times faster than the plain SQL (higher is better).'
SELECT b.ord                                                             AS "#",
       b.name                                                            AS "query",
       round(b.median_ms::numeric, 1)                                    AS "median ms",
       b.runs                                                            AS "runs ms",
       round((b.median_ms / bare.median_ms)::numeric, 2)                 AS "x bare scan",
       round((plain.median_ms / b.median_ms)::numeric, 2)                AS "plain SQL / this"
FROM bench_result AS b,
     (SELECT median_ms FROM bench_result WHERE ord = 1) AS bare,
     (SELECT median_ms FROM bench_result WHERE ord = 2) AS plain
ORDER BY b.ord;

\echo
\echo '== Targets (reported, not enforced)'
WITH m AS (
  SELECT max(median_ms) FILTER (WHERE ord = 1) AS bare,
         max(median_ms) FILTER (WHERE ord = 2) AS plain,
         max(median_ms) FILTER (WHERE ord = 3) AS win,
         max(median_ms) FILTER (WHERE ord = 4) AS cut,
         max(median_ms) FILTER (WHERE ord = 5) AS computed,
         max(median_ms) FILTER (WHERE ord = 7) AS owner_win,
         max(median_ms) FILTER (WHERE ord = 8) AS visits,
         max(median_ms) FILTER (WHERE ord = 9) AS weighted
  FROM bench_result
), t (ord, target, measured, ok) AS (
  SELECT 1, 'abc_tier OVER () >= 8x faster than plain SQL',
         round((plain / win)::numeric, 2) || 'x faster', plain / win >= 8 FROM m
  UNION ALL
  SELECT 2, 'abc_cutoffs + abc_classify >= 10x faster than plain SQL',
         round((plain / cut)::numeric, 2) || 'x faster', plain / cut >= 10 FROM m
  UNION ALL
  SELECT 3, 'abc_cutoffs + abc_classify within 3x of bare scan',
         round((cut / bare)::numeric, 2) || 'x bare scan', cut / bare <= 3 FROM m
  UNION ALL
  SELECT 4, 'abc_tier_computed OVER () within 1.5x of abc_tier OVER ()',
         round((computed / win)::numeric, 2) || 'x abc_tier', computed / win <= 1.5 FROM m
  UNION ALL
  SELECT 5, 'recommended_visits within 1.5x of abc_tier, both OVER (PARTITION BY owner)',
         round((visits / owner_win)::numeric, 2) || 'x abc_tier', visits / owner_win <= 1.5 FROM m
  UNION ALL
  SELECT 6, 'recommended_visits_weighted within 1.5x of recommended_visits, both OVER (PARTITION BY owner)',
         round((weighted / visits)::numeric, 2) || 'x recommended_visits', weighted / visits <= 1.5 FROM m
)
SELECT target AS "target", measured AS "measured",
       CASE WHEN ok THEN 'PASS' ELSE 'MISS' END AS "result"
FROM t
ORDER BY ord;
