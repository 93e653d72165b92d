-- data/bench_book_sales.sql — the account book `make bench` times the views
-- on: 1,000,000 customers of 50 owners in account_tier.accounts, with
-- 10,000 prospects and 500 leads; 20,000,000 sales lines over the two years
-- to 2026-10-31 in account_tier.sales (20 lines per account, Pareto-like
-- amounts, some credit notes, a quarter incremental); 48,000 visits (480 a
-- year per owner).  Deterministic: no random(), only closed-form arithmetic
-- on the line number.  Needs the extension; empties its tables first.  The
-- number of customers can be changed with psql -v accounts=N (N >= 100).

\if :{?accounts}
\else
\set accounts 1000000
\endif

BEGIN;
SET LOCAL jit = off;
TRUNCATE account_tier.visits, account_tier.sales, account_tier.tier_history,
         account_tier.accounts RESTART IDENTITY;

INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential, created_at)
SELECT 'B' || lpad(i::text, 7, '0'),
       'Account ' || i,
       'rep-' || lpad((1 + (i::bigint * 7919) % 1000003 % 50)::text, 2, '0'),
       'customer',
       round(2000 + (i::bigint * 611953) % 1000003 * 0.5, 2),
       timestamptz '2020-01-01 00:00+00' + (i % 1000) * interval '1 day'
FROM generate_series(1, :accounts) AS i
UNION ALL
SELECT 'P' || lpad(i::text, 7, '0'), 'Prospect ' || i,
       'rep-' || lpad((1 + i % 50)::text, 2, '0'), 'prospect',
       round(5000 + (i::bigint * 7919) % 100003 * 3.5, 2),
       timestamptz '2024-01-01 00:00+00' + (i % 700) * interval '1 day'
FROM generate_series(1, :accounts / 100) AS i
UNION ALL
SELECT 'L' || lpad(i::text, 7, '0'), 'Lead ' || i,
       'rep-' || lpad((1 + i % 50)::text, 2, '0'), 'lead', NULL,
       timestamptz '2025-01-01 00:00+00' + (i % 600) * interval '1 day'
FROM generate_series(1, 500) AS i;

-- Visits: one in eight to a prospect, one in 24 to a lead, the rest to
-- customers; by the account's owner.
INSERT INTO account_tier.visits (account_id, visited_on)
SELECT CASE WHEN k % 8 = 0 THEN 'P' || lpad((1 + k * 7 % (:accounts / 100))::text, 7, '0')
            WHEN k % 24 = 1 THEN 'L' || lpad((1 + k % 500)::text, 7, '0')
            ELSE 'B' || lpad((1 + k * 104729 % :accounts)::text, 7, '0') END,
       date '2024-11-01' + (k * 13 % 730)::int
FROM generate_series(0::bigint, 47999) AS k;

-- Every line names an account made above: the foreign-key checks, a query
-- per line, are skipped for the load (superuser only, as the bench runs).
-- The indexes are dropped and built again once the lines are in, far faster
-- than keeping them up to date line by line.
ALTER TABLE account_tier.sales DISABLE TRIGGER ALL;
CREATE TEMP TABLE sales_indexes ON COMMIT DROP AS
SELECT indexrelid::regclass AS index, pg_get_indexdef(indexrelid) AS definition
FROM pg_index WHERE indrelid = 'account_tier.sales'::regclass AND NOT indisprimary;
SELECT format('DROP INDEX %s', index) FROM sales_indexes \gexec

-- Line n is line j of account i.  Lines are stored round by round over the
-- accounts, not account by account, as a table filled day by day is.  The
-- account's yearly scale follows a Pareto tail by a permuted rank; lines
-- fall on days spread over the two years.
INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
SELECT 'B' || lpad(i::text, 7, '0'),
       date '2024-11-01' + ((i * 97 + j * 37) % 730)::int,
       CASE WHEN (i + j) % 53 = 0 THEN -round(scale * 0.3, 2) ELSE round(scale, 2) END,
       round(scale * 0.25, 2),
       CASE WHEN (i * 3 + j) % 4 = 0 THEN 'incremental' ELSE 'baseline' END
FROM generate_series(0, 20 * :accounts::bigint - 1) AS n,
     LATERAL (SELECT n % :accounts + 1 AS i, n / :accounts + 1 AS j) AS line,
     LATERAL (SELECT (6 + 250 * (power(((i * 1234577) % 1000003 + 0.5) / 1000003, -1 / 1.4::float8) - 1))::numeric
                AS scale) AS s;

SELECT definition FROM sales_indexes \gexec
ALTER TABLE account_tier.sales ENABLE TRIGGER ALL;
COMMIT;
