-- data/bench_book_sales.sql — the account book `make bench` times the views
-- on: 1,000,000 customers of 50 owners in account_tier.accounts and
-- 20,000,000 sales lines over the two years to 2026-10-31 in
-- account_tier.sales (20 lines per account, Pareto-like amounts, some credit
-- notes, a quarter incremental).  Deterministic: no random(), only
-- closed-form arithmetic on the line number.  Needs the extension; empties
-- its tables first.  The size can be changed with psql -v accounts=N.

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
FROM generate_series(1, :accounts) AS i;

-- Every line names an account made above: the foreign-key checks, a query
-- per line, are skipped for the load (superuser only, as the bench runs).
ALTER TABLE account_tier.sales DISABLE TRIGGER ALL;

-- Line j of account i: the account's yearly scale follows a Pareto tail by
-- a permuted rank; lines fall on days spread over the two years.
INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
SELECT 'B' || lpad(i::text, 7, '0'),
       date '2024-11-01' + ((i::bigint * 97 + j * 37) % 730)::int,
       CASE WHEN (i + j) % 53 = 0 THEN -round(scale * 0.3, 2) ELSE round(scale, 2) END,
       round(scale * 0.25, 2),
       CASE WHEN (i * 3 + j) % 4 = 0 THEN 'incremental' ELSE 'baseline' END
FROM generate_series(1, :accounts) AS i,
     LATERAL (SELECT (i::bigint * 1234577) % 1000003 AS k) AS r,
     LATERAL (SELECT 6.0 + 250.0 * (power((k + 0.5) / 1000003.0, -1.0 / 1.4) - 1.0) AS scale) AS s,
     generate_series(1, 20) AS j;
ALTER TABLE account_tier.sales ENABLE TRIGGER ALL;
COMMIT;
