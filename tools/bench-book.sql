-- tools/bench-book.sql — the second part of `make bench`: times the account
-- book's views on data/bench_book_sales.sql (1,000,000 customers,
-- 20,000,000 sales lines) against the floor, the plain GROUP BY that sums the
-- same sales lines per account.  Run by tools/bench-run.sh after the book is
-- loaded, VACUUM ANALYZEd and checkpointed.
--
-- Method as in tools/bench.sql: one session, no parallel workers, JIT off,
-- work_mem 512MB; one warm-up run, then :runs runs of each query in turn,
-- median reported.  Before any timing, the revenue, prior revenue, margin
-- and incremental revenue of every account in account_tiers are compared
-- with plain SQL sums; the bench stops if one differs.

\set ON_ERROR_STOP 1
\set QUIET 1
\pset footer off
\pset null '-'

SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '512MB';

UPDATE account_tier.policy SET as_of = '2026-10-31';

\echo
\echo '== Setup: the account book'
SELECT (SELECT count(*) FROM account_tier.accounts WHERE status = 'customer')  AS "customers",
       (SELECT count(*) FROM account_tier.accounts WHERE status <> 'customer') AS "prospects and leads",
       (SELECT count(DISTINCT owner) FROM account_tier.accounts)              AS "owners",
       (SELECT count(*) FROM account_tier.sales)                              AS "sales lines",
       (SELECT count(*) FROM account_tier.visits)                             AS "visits",
       pg_size_pretty(pg_table_size('account_tier.sales'))                    AS "sales size",
       (SELECT day || ', ' || revenue_window FROM account_tier.current_policy) AS "as_of, window";

\echo
\echo '== Correctness: account_tiers sums against plain SQL, every account'
SELECT count(*)                                                            AS accounts,
       count(*) FILTER (WHERE t.revenue <> r.revenue OR t.prior_revenue <> r.prior_revenue
                           OR t.margin <> r.margin
                           OR t.incremental_revenue <> r.incremental_revenue
                           OR t.account_id IS NULL OR r.account_id IS NULL) AS differing
FROM account_tier.account_tiers AS t
FULL JOIN (
  SELECT a.account_id,
         coalesce(sum(s.amount) FILTER (WHERE s.booked_on > p.window_start), 0) AS revenue,
         coalesce(sum(s.amount) FILTER (WHERE s.booked_on <= p.window_start), 0) AS prior_revenue,
         coalesce(sum(s.margin) FILTER (WHERE s.booked_on > p.window_start), 0) AS margin,
         coalesce(sum(s.amount) FILTER (WHERE s.booked_on > p.window_start
                                          AND s.kind = 'incremental'), 0) AS incremental_revenue
  FROM account_tier.accounts AS a
  CROSS JOIN account_tier.current_policy AS p
  LEFT JOIN account_tier.sales AS s
    ON s.account_id = a.account_id AND s.booked_on > p.prior_window_start AND s.booked_on <= p.day
  WHERE a.status = 'customer'
  GROUP BY a.account_id) AS r USING (account_id)
\gset check_
\echo 'accounts:' :check_accounts ', differing:' :check_differing
SELECT :check_differing > 0 AS failed
\gset
\if :failed
DO $$ BEGIN RAISE EXCEPTION 'account_tier bench: account_tiers sums differ from plain SQL; no timing done'; END $$;
\endif
\echo 'all accounts agree.'

\if :{?runs}
\else
\set runs 5
\endif
\echo
\echo '== Timing: 1 warm-up run, then' :runs 'runs of each query in turn; median reported'
CREATE TEMP TABLE book_query (ord int PRIMARY KEY, name text NOT NULL, sql text NOT NULL);
INSERT INTO book_query VALUES
(1, 'floor: sum(amount) GROUP BY account_id over the lines the views read',
 $q$SELECT count(revenue)
FROM (SELECT account_id, sum(amount) AS revenue
      FROM account_tier.sales
      WHERE booked_on > date '2024-10-31' AND booked_on <= date '2026-10-31'
      GROUP BY account_id) AS per_account$q$),
(2, 'SELECT count(*) FROM account_tier.account_tiers',
 $q$SELECT count(*) FROM account_tier.account_tiers$q$),
(3, 'SELECT * FROM account_tier.owner_scorecard',
 $q$SELECT * FROM account_tier.owner_scorecard$q$);

CREATE TEMP TABLE book_run (ord int, run int, ms float8);
SET bench.runs = :'runs';
DO $$
DECLARE
  q  record;
  r  int;
  t0 timestamptz;
BEGIN
  FOR r IN 0 .. current_setting('bench.runs')::int LOOP
    FOR q IN SELECT * FROM book_query ORDER BY ord LOOP
      t0 := clock_timestamp();
      EXECUTE q.sql;
      INSERT INTO book_run VALUES (q.ord, r, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
  END LOOP;
END
$$;

CREATE TEMP TABLE book_result AS
SELECT q.ord, q.name,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY r.ms) AS median_ms,
       string_agg(round(r.ms::numeric)::text, ' / ' ORDER BY r.run) AS runs
FROM book_query AS q
JOIN book_run AS r ON r.ord = q.ord AND r.run > 0
GROUP BY q.ord, q.name;

\echo
\echo '== Results'
\echo '   x floor = median / median of the floor (lower is better)'
SELECT b.ord                                                 AS "#",
       b.name                                                AS "query",
       round(b.median_ms::numeric, 1)                        AS "median ms",
       b.runs                                                AS "runs ms",
       round((b.median_ms / f.median_ms)::numeric, 2)        AS "x floor"
FROM book_result AS b, (SELECT median_ms FROM book_result WHERE ord = 1) AS f
ORDER BY b.ord;

\echo
\echo '== Targets (reported, not enforced)'
SELECT b.name || ' within 2x of the floor'                  AS "target",
       round((b.median_ms / f.median_ms)::numeric, 2) || 'x floor' AS "measured",
       CASE WHEN b.median_ms <= 2 * f.median_ms THEN 'PASS' ELSE 'MISS' END AS "result"
FROM book_result AS b, (SELECT median_ms FROM book_result WHERE ord = 1) AS f
WHERE b.ord > 1
ORDER BY b.ord;
