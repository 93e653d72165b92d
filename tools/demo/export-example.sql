-- tools/demo/export-example.sql — writes the small example book of
-- data/example/ (accounts.csv, sales.csv, visits.csv): an excerpt of the
-- bundled sample book, in the CSV format `make demo ACCOUNTS=... SALES=...
-- VISITS=...` reads (see tools/demo.sh), to try that path with:
--
--   make demo ACCOUNTS=data/example/accounts.csv SALES=data/example/sales.csv \
--             VISITS=data/example/visits.csv
--
-- Run from the project's root, with psql, on a database where the sample book
-- is loaded (data/sample_book.sql, then data/sample_sales.sql):
--   psql -v ON_ERROR_STOP=1 -f tools/demo/export-example.sql
--
-- The excerpt: three reps' books (Ben Okafor, Carla Rossi, David Chen), each
-- with its 3 largest customers, every 50th by revenue, its key accounts at
-- risk and its 2 largest growth candidates (as the full book has them as of
-- 2026-10-31); its 3 largest prospects; its oldest leads (12 for Ben Okafor,
-- over the lead cap of 10, 2 for the others); the sales lines of the two
-- years to 2026-10-31 and the visits of the last year.  The files show that
-- the columns may come in any order and that any may be left out: accounts
-- without tier_override, sales with booked_on first, visits without owner
-- (with the purpose of each visit).

\set ON_ERROR_STOP 1
BEGIN;
UPDATE account_tier.policy SET as_of = '2026-10-31';

CREATE TEMP TABLE example_accounts ON COMMIT DROP AS
WITH customers AS (
  SELECT t.account_id, t.at_risk, t.growth_candidate,
         row_number() OVER (PARTITION BY t.owner ORDER BY t.revenue DESC, t.account_id) AS by_revenue,
         row_number() OVER (PARTITION BY t.owner, t.growth_candidate
                            ORDER BY t.potential - t.revenue DESC, t.account_id) AS by_room
  FROM account_tier.account_tiers AS t
  WHERE t.owner IN ('Ben Okafor', 'Carla Rossi', 'David Chen')
), prospects AS (
  SELECT p.account_id, p.potential_rank
  FROM account_tier.prospects AS p
  WHERE p.owner IN ('Ben Okafor', 'Carla Rossi', 'David Chen')
), leads AS (
  SELECT l.account_id, l.owner, l.position
  FROM account_tier.leads AS l
  WHERE l.owner IN ('Ben Okafor', 'Carla Rossi', 'David Chen')
)
SELECT c.account_id FROM customers AS c
WHERE c.by_revenue <= 3 OR c.by_revenue % 50 = 0 OR c.at_risk
   OR (c.growth_candidate AND c.by_room <= 2)
UNION
SELECT p.account_id FROM prospects AS p WHERE p.potential_rank <= 3
UNION
SELECT l.account_id FROM leads AS l
WHERE l.position <= CASE l.owner WHEN 'Ben Okafor' THEN 12 ELSE 2 END;

\copy (SELECT a.account_id, a.account_name, a.owner, a.status, a.potential, a.created_at::date AS created_at FROM account_tier.accounts AS a JOIN example_accounts USING (account_id) ORDER BY a.account_id) TO 'data/example/accounts.csv' WITH (FORMAT csv, HEADER true)

\copy (SELECT s.booked_on, s.account_id, s.amount, s.margin, s.kind FROM account_tier.sales AS s JOIN example_accounts USING (account_id) WHERE s.booked_on > date '2024-10-31' AND s.booked_on <= date '2026-10-31' ORDER BY s.booked_on, s.account_id, s.sale_id) TO 'data/example/sales.csv' WITH (FORMAT csv, HEADER true)

\copy (SELECT v.account_id, v.visited_on, v.purpose FROM account_tier.visits AS v JOIN example_accounts USING (account_id) WHERE v.visited_on > date '2025-10-31' AND v.visited_on <= date '2026-10-31' ORDER BY v.visited_on, v.account_id, v.visit_id) TO 'data/example/visits.csv' WITH (FORMAT csv, HEADER true)

ROLLBACK;
