-- sales_totals.sql: the aggregate the account book's views read sales
-- through, against plain SQL sums: every field, every display scale, NULLs,
-- sums too wide for 128 bits, and its errors.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;

SELECT plan(12);

-- 30,000 lines of 97 accounts: amounts of many scales (0 to 6 decimals, some
-- negative, some NULL), margins with NULLs, a third incremental, days on both
-- sides of the window start; account 13 also holds 40-digit amounts, too wide
-- for 128-bit units.
CREATE TEMP TABLE line AS
SELECT g % 97 AS account,
       date '2025-01-01' + (g * 7 % 400) AS booked_on,
       CASE WHEN g % 101 = 0 THEN NULL
            WHEN g % 97 = 13 AND g % 5 = 0 THEN (1e39 + g)::numeric + 0.5
            ELSE round(((hashint4(g) % 2000000) / 7.0)::numeric, g % 7) END AS amount,
       CASE WHEN g % 11 = 0 THEN NULL ELSE round((hashint4(g + 1) % 100000 / 3.0)::numeric, 2) END AS margin,
       CASE WHEN g % 17 = 0 THEN NULL ELSE g % 3 = 0 END AS incremental
FROM generate_series(1, 30000) AS g;

CREATE TEMP TABLE got AS
SELECT account, (sales_totals(booked_on, amount, margin, incremental, date '2025-06-30')).*
FROM line GROUP BY account;

CREATE TEMP TABLE want AS
SELECT account,
       sum(amount) FILTER (WHERE booked_on > '2025-06-30') AS revenue,
       sum(amount) FILTER (WHERE booked_on <= '2025-06-30') AS prior_revenue,
       sum(margin) FILTER (WHERE booked_on > '2025-06-30') AS margin,
       sum(amount) FILTER (WHERE booked_on > '2025-06-30' AND incremental) AS incremental_revenue
FROM line GROUP BY account;

SELECT is((SELECT count(*) FROM got), 97::bigint, 'one row per account');
SELECT is_empty($$
  SELECT account, revenue::text, prior_revenue::text, margin::text, incremental_revenue::text FROM got
  EXCEPT
  SELECT account, revenue::text, prior_revenue::text, margin::text, incremental_revenue::text FROM want
$$, 'every field equals sum() FILTER, digit for digit and display scale for display scale');
SELECT ok((SELECT revenue > 1e39 FROM got WHERE account = 13),
          'the account with 40-digit amounts was summed past 128 bits, exactly');

SELECT is((SELECT sales_totals(d, a, NULL, NULL, date '2025-06-30')::text
           FROM (VALUES (NULL::date, 1::numeric)) AS v(d, a)),
          '(,,,)', 'a line without a date adds nothing: every field NULL');
SELECT is((SELECT sales_totals(d, a, m, i, date '2025-06-30')::text
           FROM (VALUES (date '2025-07-01', 1.50, NULL::numeric, NULL::boolean),
                        (date '2025-06-30', -2.125, 9, true)) AS v(d, a, m, i)),
          '(1.50,-2.125,,)', 'the window start belongs to the window before; NULL margins and flags add nothing');
SELECT is((SELECT sales_totals(d, a, NULL, true, date '2025-06-30')::text
           FROM (VALUES (date '2025-07-01', 0.10), (date '2025-07-02', 0.20)) AS v(d, a)),
          '(0.30,,,0.30)', '0.10 + 0.20 is 0.30 exactly');
SELECT is((SELECT sales_totals(booked_on, amount, NULL, true, date '2025-06-30') FROM line WHERE false) IS NULL,
          true, 'over no lines the result is NULL, like sum()');

SELECT throws_ok($$SELECT sales_totals(d, 1, NULL, NULL, w)
                   FROM (VALUES (date '2025-01-01', date '2025-06-30'), (date '2025-01-02', date '2025-07-01')) AS v(d, w)$$,
                 '22023', 'window_start must be the same for every line of a group',
                 'a window start that changes within a group is refused (22023)');
SELECT throws_ok($$SELECT sales_totals(date '2025-01-01', 1, NULL, NULL, NULL)$$,
                 '22004', 'window_start must not be null', 'a NULL window start is refused (22004)');
SELECT throws_ok($$SELECT sales_totals(date '2025-01-01', 'NaN', NULL, NULL, date '2025-06-30')$$,
                 '22023', 'value must be a finite number, got NaN', 'a NaN amount is refused (22023)');
SELECT throws_ok($$SELECT sales_totals(date '2025-07-01', 1, '-Infinity', NULL, date '2025-06-30')$$,
                 '22023', 'value must be a finite number, got -Infinity', 'an infinite margin is refused (22023)');
SELECT is((SELECT count(*) FROM account_tier.account_tiers), 0::bigint,
          'account_tiers over an empty book has no rows');

SELECT * FROM finish();
ROLLBACK;
