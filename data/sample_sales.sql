-- data/sample_sales.sql — the bundled sample account book in the extension's
-- own tables (account_tier.accounts, sales, visits), for the demo and the tests.
--
-- Load AFTER data/sample_book.sql (it reads demo.accounts) and after
-- CREATE EXTENSION account_tier:
--   psql -v ON_ERROR_STOP=1 -f data/sample_book.sql -f data/sample_sales.sql
--
-- It starts from scratch: account_tier.visits, sales, tier_history and accounts
-- are emptied (identities restarted, so sale_id and visit_id are the same on
-- every load) and refilled in one transaction; the policy row is left alone.
-- With policy.enforce_lead_cap = true the load fails (two reps hold more than
-- policy.lead_cap = 10 leads, on purpose): switch it off first.  Nothing depends on the caller's
-- search_path.  Fully deterministic: no random(); every "random" choice is a
-- hash of a fixed key (hashint8, which works on the integer's value, so it is
-- the same on every platform), and amounts are exact numeric arithmetic.  The data describe the
-- three years ending 2026-10-31: set policy.as_of = '2026-10-31' to see them
-- as intended (the views' revenue window then covers 2025-11-01..2026-10-31).
--
-- What it holds:
--   * accounts: the 3,000 customers of demo.accounts (same id, name, owner),
--     300 prospects (PRO-00001..) and 148 leads (LEAD-00001..).
--       - leads per owner: Ben Okafor 60 and Elena Petrova 47 (over the lead
--         cap of 10), Carla Rossi exactly 10, Anna Keller 9, Farid Haddad 8,
--         David Chen 6, and 8 leads without owner; created_at spread over
--         2024-05-01..2026-10-24 (all on distinct days), so "oldest first" matters.
--       - potential (estimated yearly wallet), set for about 92% of customers
--         and always at least their largest yearly revenue of the three years:
--         mostly 1.0x-1.4x of it, rounded up to hundreds, but 8x-30x for about
--         3% of customers (growth candidates: a small share of a large
--         wallet); NULL for the other 8% (not estimated yet).  Prospects: Pareto-like potentials, about a
--         fifth of them at or above 10,000; a few NULL.  Leads: a third with a
--         rough estimate, the rest NULL.
--       - tier_override: the customers ranked 700th and 1000th by demo revenue
--         (B on revenue) are pinned to 'A' (strategic accounts), the 2200th
--         (C on revenue) is pinned to 'B'.
--   * sales: three years of lines, booked_on 2023-11-01..2026-10-31, years
--     running November to October.  Every customer's net revenue over the last
--     12 months (2025-11-01..2026-10-31) is EXACTLY its demo.accounts.revenue
--     (0 for dormant accounts, negative for the ones with more credit notes
--     than orders, no line at all for the new accounts with NULL revenue), so
--     the tiers match the sample book.  The years before follow a profile:
--       steady  (most)  last year / year before in 0.92..1.12
--       growing (12.5%) 1.20..1.60
--       at risk (2.5%)  0.55..0.78 (a fall of 22% to 45%)
--     (each ratio to a hundredth of a percent, so changes read like real ones)
--       new     (7.5%)  first sale within the last two years (all incremental)
--     1 to 52 lines per account and year (more for bigger accounts), credit
--     notes (negative lines of 1-6% of the year) in one account-year in eight;
--     margin 10-40% of amount (a rate per account, +-3 points per line);
--     kind 'incremental' for new accounts, and otherwise on a rep-dependent
--     share of lines (more for growing accounts), so that incremental revenue
--     is about 10-30% of a rep's revenue.
--   * visits: field visits in the last 12 months (weekdays from 2025-11-03 to
--     2026-10-30) by each owner: many to big accounts (up to weekly), a few
--     to mid-size ones, some to small ones, prospects and leads, in
--     proportions that differ by rep (Carla Rossi visits many small accounts,
--     Ben Okafor and Elena Petrova many leads, David Chen many prospects).
--     About 2% of visits have owner NULL (= the account's owner).  Each visit
--     records its purpose: incremental or baseline business, in a share that
--     differs by rep (Carla Rossi, who drifts to small accounts, spends two
--     thirds of her customer visits on baseline orders; David Chen under a
--     third), more incremental on growing and new accounts, more baseline
--     on small ones; 1% to 14% of each rep's visits leave it unrecorded.

BEGIN;
SET LOCAL search_path = pg_catalog, pg_temp;
-- small, quick queries: no JIT compilation, sorts in memory
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB';

-- Everything is worked out in temporary tables first; the book's tables are
-- emptied and written only after that, and every INSERT reads temporary
-- tables alone: so the load also works where the book's tables are
-- distributed (Citus), whose workers know neither pg_temp's functions nor
-- these tables.

-- h(key, salt): a well-mixed number in 0 .. 2^32-1, the only source of variety.
CREATE FUNCTION pg_temp.h(key bigint, salt int) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.hashint8(key * 64 + salt)::int8 + 2147483648;

-- Company name n (0..2999), as data/sample_book.sql names its customers, with
-- one of five legal forms of its own.
CREATE FUNCTION pg_temp.company_name(n bigint, forms text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (ARRAY['Alder', 'Birchwood', 'Cobalt', 'Danube', 'Elbe', 'Fjord', 'Granite',
              'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lindon', 'Meridian', 'Northgate',
              'Oakridge', 'Pinecrest', 'Quarry', 'Rhine', 'Summit', 'Tideway',
              'Upland', 'Valley', 'Westbrook', 'Yarrow', 'Zenith', 'Aurora', 'Beacon',
              'Crescent', 'Delta', 'Evergreen'])[1 + n % 30]
       || ' ' ||
       (ARRAY['Foods', 'Logistics', 'Tools', 'Pharma', 'Textiles', 'Builders',
              'Electric', 'Packaging', 'Motors', 'Printing', 'Chemicals', 'Furniture',
              'Hotels', 'Farms', 'Optics', 'Plastics', 'Marine', 'Software',
              'Clinics', 'Brewing'])[1 + (n / 30) % 20]
       || ' ' || forms[1 + n / 600];

-- How each rep works: incremental share of lines (per mille), visit intensity
-- on big accounts, extra visits to small accounts, prospect and lead visits,
-- the number of leads on the rep's list, the share of visits to customers
-- spent on incremental business (per mille: the rep who drifts to small
-- accounts also takes more orders that would come anyway) and the share of
-- visits whose purpose the rep leaves unrecorded (per mille).
CREATE TEMP TABLE sample_reps ON COMMIT DROP AS
SELECT * FROM (VALUES
  ('Anna Keller',    26, 0.80, 0.05, 1.5, 0.5,  9, 610,  30),
  ('Ben Okafor',    230, 0.55, 0.15, 0.8, 3.0, 60, 700,  20),
  ('Carla Rossi',    27, 0.65, 0.70, 1.0, 0.5, 10, 340,  40),
  ('David Chen',    165, 0.75, 0.10, 3.0, 0.5,  6, 730,  10),
  ('Elena Petrova',  65, 0.50, 0.20, 0.8, 3.0, 47, 580,  50),
  ('Farid Haddad',   52, 0.70, 0.10, 1.2, 0.5,  8, 520, 140)
) AS r(owner, incremental_rate, visit_mult, small_visits, prospect_visits, lead_visits, leads,
       incremental_visits, unrecorded_visits);
ANALYZE pg_temp.sample_reps;

-- Customers --------------------------------------------------------------------

CREATE TEMP TABLE sample_customers ON COMMIT DROP AS
WITH base AS (
  SELECT d.account_id, d.account_name, d.owner, d.revenue AS r, x.i,
         row_number() OVER (ORDER BY d.revenue DESC NULLS LAST, d.account_id) AS revenue_rank,
         CASE
           WHEN d.revenue IS NULL THEN 'no data'
           WHEN d.revenue < 0 THEN 'net credit'
           WHEN d.revenue = 0 THEN 'dormant'
           WHEN pg_temp.h(x.i, 1) % 40 = 3 THEN 'at risk'
           WHEN pg_temp.h(x.i, 1) % 40 BETWEEN 10 AND 14 THEN 'growing'
           WHEN pg_temp.h(x.i, 1) % 40 = 20 THEN 'new y3'
           WHEN pg_temp.h(x.i, 1) % 40 IN (21, 22) THEN 'new y2'
           ELSE 'steady'
         END AS profile
  FROM demo.accounts AS d,
       LATERAL (SELECT substr(d.account_id, 5)::int AS i) AS x
), created AS (
  SELECT b.*,
         CASE b.profile
           WHEN 'no data' THEN date '2026-10-01' + (pg_temp.h(b.i, 4) % 28)::int
           WHEN 'new y3'  THEN date '2025-11-01' + (pg_temp.h(b.i, 4) % 273)::int
           WHEN 'new y2'  THEN date '2024-11-01' + (pg_temp.h(b.i, 4) % 334)::int
           ELSE date '2012-01-02' + (pg_temp.h(b.i, 4) % 4290)::int
         END AS created_on
  FROM base AS b
), y2 AS (
  SELECT c.*,
         CASE c.profile
           WHEN 'steady'     THEN round(c.r * 10000 / (9200 + pg_temp.h(c.i, 2) % 2000), 2)
           WHEN 'growing'    THEN round(c.r * 10000 / (12000 + pg_temp.h(c.i, 2) % 4000), 2)
           WHEN 'at risk'    THEN round(c.r * 10000 / (7800 - pg_temp.h(c.i, 2) % 2300), 2)
           WHEN 'new y2'     THEN round(c.r * (date '2025-10-31' - c.created_on + 1) / 365
                                        * (600 + pg_temp.h(c.i, 2) % 300) / 1000, 2)
           WHEN 'dormant'    THEN round(200 + (pg_temp.h(c.i, 2) % 400000) / 100.0, 2)
           WHEN 'net credit' THEN -c.r * (2 + pg_temp.h(c.i, 2) % 6)
           ELSE 0
         END AS rev_y2
  FROM created AS c
), years AS (
  SELECT y.*,
         CASE WHEN y.profile IN ('steady', 'growing', 'at risk', 'dormant', 'net credit')
              THEN round(y.rev_y2 * 10000 / (9300 + pg_temp.h(y.i, 3) % 2200), 2)
              ELSE 0 END AS rev_y1,
         CASE WHEN y.profile IN ('no data', 'dormant') THEN 0 ELSE y.r END AS rev_y3
  FROM y2 AS y
)
SELECT t.*,
       10 + (pg_temp.h(t.i, 5) % 31)::int AS margin_pct,
       CASE
         WHEN t.profile = 'no data' THEN 1000 + (pg_temp.h(t.i, 7) % 60) * 500
         WHEN pg_temp.h(t.i, 6) % 30 = 7          -- growth candidate: a large wallet
           THEN ceil(greatest(t.rev_y1, t.rev_y2, t.rev_y3) * (8 + pg_temp.h(t.i, 7) % 23) / 100) * 100
         WHEN pg_temp.h(t.i, 6) % 12 = 0 THEN NULL  -- not estimated yet
         ELSE ceil(greatest(t.rev_y1, t.rev_y2, t.rev_y3) * (100 + pg_temp.h(t.i, 7) % 41) / 10000) * 100
       END AS potential,
       CASE t.revenue_rank WHEN 700 THEN 'A' WHEN 1000 THEN 'A' WHEN 2200 THEN 'B' END::account_tier.tier
         AS tier_override
FROM years AS t;
ANALYZE pg_temp.sample_customers;

-- Prospects and leads ------------------------------------------------------------

CREATE TEMP TABLE sample_pipeline (
  account_id text, account_name text, owner text, status text, potential numeric, created_at timestamptz
) ON COMMIT DROP;

INSERT INTO pg_temp.sample_pipeline
  (account_id, account_name, owner, status, potential, created_at)
SELECT 'PRO-' || lpad(p::text, 5, '0'),
       pg_temp.company_name(n, ARRAY['Group', 'AG', 'Co', 'Holdings', 'Partners']),
       CASE WHEN p % 75 = 0 THEN NULL
            ELSE (ARRAY['Anna Keller', 'Ben Okafor', 'Carla Rossi', 'David Chen',
                        'Elena Petrova', 'Farid Haddad'])[
                   CASE WHEN o < 22 THEN 1 WHEN o < 40 THEN 2 WHEN o < 57 THEN 3
                        WHEN o < 72 THEN 4 WHEN o < 87 THEN 5 ELSE 6 END] END,
       'prospect',
       CASE WHEN p % 15 = 4 THEN NULL
            ELSE round((1500 + 2500 * (power(k / 307.0, -1 / 1.1) - 1))::numeric, -2) END,
       (date '2023-06-01' + (pg_temp.h(100000 + p, 4) % 1240)::int + time '08:00'
          + (pg_temp.h(100000 + p, 8) % 600) * interval '1 minute') AT TIME ZONE 'UTC'
FROM generate_series(1, 300) AS p,
     LATERAL (SELECT (p * 2203) % 3001 - 1                 AS n,  -- name, 0..2999
                     (p * 113) % 307                       AS k,  -- potential rank, 1..306
                     pg_temp.h(100000 + p, 1) % 100        AS o   -- owner bucket
             ) AS x
ORDER BY p;

INSERT INTO pg_temp.sample_pipeline
  (account_id, account_name, owner, status, potential, created_at)
SELECT 'LEAD-' || lpad(l::text, 5, '0'),
       pg_temp.company_name(n, ARRAY['Trading', 'Services', 'Works', 'Supply', 'Systems']),
       owner,
       'lead',
       CASE WHEN pg_temp.h(200000 + l, 6) % 3 = 0
            THEN 500 * (2 + pg_temp.h(200000 + l, 7) % 40) END,
       -- distinct days (l -> l * 149 mod 907 is one-to-one), so no two leads tie
       (date '2024-05-01' + ((l * 149) % 907)::int + time '08:00'
          + (pg_temp.h(200000 + l, 8) % 600) * interval '1 minute') AT TIME ZONE 'UTC'
FROM (SELECT row_number() OVER (ORDER BY q.owner NULLS LAST, q.k) AS l, q.owner
      FROM (SELECT r.owner, k FROM pg_temp.sample_reps AS r, generate_series(1, r.leads) AS k
            UNION ALL
            SELECT NULL, k FROM generate_series(1, 8) AS k) AS q) AS ld,
     LATERAL (SELECT (l * 1319) % 3001 - 1 AS n) AS x
ORDER BY l;

-- The accounts ---------------------------------------------------------------------

TRUNCATE account_tier.visits, account_tier.sales, account_tier.tier_history,
         account_tier.accounts RESTART IDENTITY;

INSERT INTO account_tier.accounts
  (account_id, account_name, owner, status, potential, tier_override, created_at)
SELECT c.account_id, c.account_name, c.owner, 'customer', c.potential, c.tier_override,
       (c.created_on + time '08:00' + (pg_temp.h(c.i, 8) % 600) * interval '1 minute')
         AT TIME ZONE 'UTC'
FROM pg_temp.sample_customers AS c
ORDER BY c.account_id;

INSERT INTO account_tier.accounts
  (account_id, account_name, owner, status, potential, created_at)
SELECT a.account_id, a.account_name, a.owner, a.status, a.potential, a.created_at
FROM pg_temp.sample_pipeline AS a
ORDER BY a.status DESC, a.account_id;

-- Sales --------------------------------------------------------------------------
-- One row per customer and year with its net revenue (net), its credit notes
-- (credit) and so the total of its order lines (orders = net + credit).

CREATE TEMP TABLE sample_years ON COMMIT DROP AS
WITH cy AS (
  SELECT c.i, c.account_id, c.owner, c.profile, c.margin_pct, y.y,
         greatest(y.first_day, c.created_on) AS first_day, y.last_day,
         CASE y.y WHEN 1 THEN c.rev_y1 WHEN 2 THEN c.rev_y2 ELSE c.rev_y3 END AS net
  FROM pg_temp.sample_customers AS c,
       (VALUES (1, date '2023-11-01', date '2024-10-31'),
               (2, date '2024-11-01', date '2025-10-31'),
               (3, date '2025-11-01', date '2026-10-31')) AS y(y, first_day, last_day)
), credited AS (
  SELECT cy.*,
         CASE
           WHEN cy.net < 0                         -- more credit notes than orders
             THEN round(-cy.net * (40 + pg_temp.h(cy.i * 4 + cy.y, 9) % 80) / 100, 2) - cy.net
           WHEN cy.net > 0 AND pg_temp.h(cy.i * 4 + cy.y, 10) % 8 = 0
             THEN round(cy.net * (1 + pg_temp.h(cy.i * 4 + cy.y, 11) % 6) / 100, 2)
           ELSE 0
         END AS credit
  FROM cy
)
SELECT cr.*, cr.net + cr.credit AS orders,
       cr.last_day - cr.first_day + 1 AS days,
       least(52, greatest(1, floor(sqrt(cr.net + cr.credit) / 8)))::int AS lines
FROM credited AS cr
WHERE cr.net + cr.credit > 0 AND cr.first_day <= cr.last_day;
ANALYZE pg_temp.sample_years;

INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
WITH line AS (
  SELECT s.*, j, (s.i * 4 + s.y) * 64 + j AS lk,
         500 + pg_temp.h((s.i * 4 + s.y) * 64 + j, 1) % 1000 AS w
  FROM pg_temp.sample_years AS s, generate_series(1, s.lines) AS j
), cumulated AS (
  SELECT l.*,
         sum(l.w) OVER (PARTITION BY l.i, l.y ORDER BY l.j) AS cw,
         sum(l.w) OVER (PARTITION BY l.i, l.y) AS tw
  FROM line AS l
), orders AS (
  -- cumulative rounding: the lines of a year add up to its orders exactly
  SELECT c.account_id, c.j AS seq,
         c.first_day + ((c.j - 1) * c.days) / c.lines
           + (pg_temp.h(c.lk, 2) % greatest(1, c.days / c.lines))::int AS booked_on,
         round(c.orders * c.cw / c.tw, 2) - round(c.orders * (c.cw - c.w) / c.tw, 2) AS amount,
         greatest(10, least(40, c.margin_pct + pg_temp.h(c.lk, 4) % 7 - 3)) AS margin_pct,
         CASE WHEN c.profile IN ('new y2', 'new y3')
                OR pg_temp.h(c.lk, 3) % 1000 < r.incremental_rate
                                               + CASE WHEN c.profile = 'growing' THEN 200 ELSE 0 END
              THEN 'incremental' ELSE 'baseline' END AS kind
  FROM cumulated AS c
  JOIN pg_temp.sample_reps AS r ON r.owner = c.owner
), credits AS (
  SELECT s.account_id, 1000 AS seq,
         s.first_day + (pg_temp.h(s.i * 4 + s.y, 12) % s.days)::int AS booked_on,
         -s.credit AS amount, s.margin_pct, 'baseline' AS kind
  FROM pg_temp.sample_years AS s
  WHERE s.credit > 0
)
SELECT u.account_id, u.booked_on, u.amount, round(u.amount * u.margin_pct / 100, 2), u.kind
FROM (SELECT * FROM orders UNION ALL SELECT * FROM credits) AS u
ORDER BY u.booked_on, u.account_id, u.seq;

-- Visits ---------------------------------------------------------------------------
-- Weekday number w = 0..259 is the day 2025-11-03 + 7 * (w / 5) + w % 5
-- (Monday 2025-11-03 to Friday 2026-10-30); an account is visited only from
-- the week it was entered.

INSERT INTO account_tier.visits (account_id, owner, visited_on, purpose)
WITH planned AS (
  SELECT c.i AS key, c.account_id, c.owner, c.created_on,
         -- per mille of the visits spent on incremental business: more on
         -- growing and new accounts, less on small ones (order taking)
         r.incremental_visits
           + CASE WHEN c.profile IN ('growing', 'new y2', 'new y3') THEN 250 ELSE 0 END
           - CASE WHEN c.rev_y3 < 3000 THEN 250 ELSE 0 END AS incremental_visits,
         r.unrecorded_visits,
         least(52, floor(sqrt(greatest(c.rev_y3, 0)) / 16 * least(1, greatest(c.rev_y3, 0) / 10000)
                           * r.visit_mult
                         + CASE WHEN c.rev_y3 > 0 AND c.rev_y3 < 3000 THEN r.small_visits ELSE 0 END
                         + pg_temp.h(c.i, 20) % 1000 / 1000.0))::int AS n
  FROM pg_temp.sample_customers AS c
  JOIN pg_temp.sample_reps AS r USING (owner)
  UNION ALL
  SELECT x.key, a.account_id, a.owner, (a.created_at AT TIME ZONE 'UTC')::date,
         -- a prospect or lead visit is incremental business; now and then a
         -- rep records it as baseline, which the views overrule
         970, r.unrecorded_visits,
         floor(CASE a.status
                 WHEN 'prospect' THEN (pg_temp.h(x.key, 21) % 4
                                       + CASE WHEN a.potential >= 20000 THEN 2 ELSE 0 END)
                                      * r.prospect_visits
                 ELSE (pg_temp.h(x.key, 21) % 3) * r.lead_visits
               END
               + pg_temp.h(x.key, 20) % 1000 / 1000.0)::int
  FROM pg_temp.sample_pipeline AS a
  JOIN pg_temp.sample_reps AS r USING (owner),
       LATERAL (SELECT CASE a.status WHEN 'prospect' THEN 100000 ELSE 200000 END
                       + substr(a.account_id, strpos(a.account_id, '-') + 1)::int AS key) AS x
  WHERE a.status IN ('prospect', 'lead')
), spans AS (
  SELECT p.*, w0, 260 - w0 AS span
  FROM planned AS p,
       LATERAL (SELECT p.created_on - date '2025-11-03' AS d) AS dd,
       -- the first weekday on or after the day the account was entered
       LATERAL (SELECT greatest(0, (dd.d / 7) * 5 + least(dd.d % 7, 5)) AS w0) AS s
  WHERE p.n > 0 AND w0 < 260
), visit AS (
  SELECT s.account_id, s.key, k,
         CASE WHEN pg_temp.h(s.key * 64 + k, 9) % 50 = 0 THEN NULL ELSE s.owner END AS owner,
         CASE WHEN pg_temp.h(s.key * 64 + k, 11) % 1000 < s.unrecorded_visits THEN NULL
              WHEN pg_temp.h(s.key * 64 + k, 12) % 1000 < s.incremental_visits THEN 'incremental'
              ELSE 'baseline' END AS purpose,
         s.w0 + ((k - 1) * s.span) / s.n + (pg_temp.h(s.key * 64 + k, 10) % greatest(1, s.span / s.n))::int AS w
  FROM spans AS s, generate_series(1, s.n) AS k
)
SELECT v.account_id, v.owner, date '2025-11-03' + 7 * (v.w / 5) + v.w % 5, v.purpose
FROM visit AS v
ORDER BY 3, v.account_id, v.k;

DROP FUNCTION pg_temp.h(bigint, int);

ANALYZE account_tier.accounts;
ANALYZE account_tier.sales;
ANALYZE account_tier.visits;

COMMIT;
