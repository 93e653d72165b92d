-- book.sql: the account book (tables, policy, lead cap, views, snapshots of
-- version 1.3) on a generated book of a few hundred customers, against
-- answers worked out in plain SQL numeric straight from the tables and
-- README.md ("Exact definitions", "Visit planning", "The account book"), never
-- from the views under test.  The tier of the computed method is taken from
-- the window function abc_tier_computed (tested on its own in computed.sql);
-- value, count and absolute tiers, shares, windows, visit plans, ranks,
-- summaries, curves and scorecards are all plain SQL.  Every comparison runs
-- under several policies, changed with UPDATE only (no reinstall).
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
SET LOCAL work_mem = '64MB';
-- The views cross-join the one-row policy table, which is never analyzed (see
-- the planner test below): with JIT each query would compile for seconds.
SET LOCAL jit = off;

SELECT plan(180);

\ir lib/helpers.psql

CREATE SCHEMA bk;

-- Start from an empty book and a policy row (set to the defaults by
-- bk.set_policy below), whatever the database held (all rolled back at the end).
DELETE FROM account_tier.tier_history;
DELETE FROM account_tier.visits;
DELETE FROM account_tier.sales;
DELETE FROM account_tier.accounts;
INSERT INTO account_tier.policy DEFAULT VALUES ON CONFLICT DO NOTHING;

-- Helpers ----------------------------------------------------------------------------

-- Resets every column of the policy row to its default, then applies the
-- given assignments.
CREATE FUNCTION bk.set_policy(settings text) RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE (SELECT 'UPDATE account_tier.policy SET ' || string_agg(format('%I = DEFAULT', attname), ', ')
           FROM pg_attribute
           WHERE attrelid = 'account_tier.policy'::regclass AND attnum > 0 AND NOT attisdropped
             AND attname <> 'singleton');
  IF settings <> '' THEN
    EXECUTE 'UPDATE account_tier.policy SET ' || settings;
  END IF;
END
$f$;

-- Runs a statement and always undoes it: 'SQLSTATE: message' of its error,
-- or 'no error'.
CREATE FUNCTION bk.try(q text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
  st text;
  msg text;
BEGIN
  BEGIN
    EXECUTE q;
    RAISE EXCEPTION 'no error' USING ERRCODE = 'P0099';
  EXCEPTION WHEN OTHERS THEN
    st := SQLSTATE;
    msg := SQLERRM;
  END;
  RETURN CASE WHEN st = 'P0099' THEN 'no error' ELSE st || ': ' || msg END;
END
$f$;

-- Two JSON values are the same: numbers within 1e-12 (relative, float8
-- against numeric), anything else exactly; SQL NULL (a column one side
-- lacks) only matches SQL NULL.
CREATE FUNCTION bk.same_value(a jsonb, b jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
              WHEN jsonb_typeof(a) = 'number' AND jsonb_typeof(b) = 'number'
                THEN abs(a::text::numeric - b::text::numeric) <= 1e-12 * greatest(1, abs(a::text::numeric))
              ELSE a = b END
$$;

-- Every difference between the rows of want and have, matched on the key
-- columns: '(missing)' / '(extra)' rows, '(duplicate)' keys, and for matched
-- rows one line per column whose values differ (a column only one side has
-- counts as a difference).
CREATE FUNCTION bk.diff(want text, have text, keys text[])
RETURNS TABLE (row_key jsonb, col text, expected jsonb, got jsonb)
LANGUAGE plpgsql AS $f$
BEGIN
  RETURN QUERY EXECUTE format($q$
    WITH w AS (SELECT (SELECT jsonb_object_agg(k, j -> k) FROM unnest($1) k) AS key, j
               FROM (SELECT to_jsonb(x) AS j FROM (%s) x) y),
         h AS (SELECT (SELECT jsonb_object_agg(k, j -> k) FROM unnest($1) k) AS key, j
               FROM (SELECT to_jsonb(x) AS j FROM (%s) x) y)
    SELECT * FROM (
      SELECT key, '(duplicate expected)'::text, NULL::jsonb, to_jsonb(count(*)) FROM w GROUP BY key HAVING count(*) > 1
      UNION ALL
      SELECT key, '(duplicate got)', NULL, to_jsonb(count(*)) FROM h GROUP BY key HAVING count(*) > 1
      UNION ALL
      SELECT coalesce(w.key, h.key), CASE WHEN h.j IS NULL THEN '(missing)' ELSE '(extra)' END, w.j, h.j
      FROM w FULL JOIN h ON h.key = w.key
      WHERE w.j IS NULL OR h.j IS NULL
      UNION ALL
      SELECT w.key, c.col, w.j -> c.col, h.j -> c.col
      FROM w JOIN h ON h.key = w.key
      CROSS JOIN LATERAL (SELECT jsonb_object_keys(w.j || h.j) AS col) c
      WHERE NOT bk.same_value(w.j -> c.col, h.j -> c.col)) d
    ORDER BY 1, 2$q$, want, have) USING keys;
END
$f$;

-- A gen.no_rows test over bk.diff.
CREATE FUNCTION bk.same_rows(want text, have text, keys text[], description text) RETURNS text
LANGUAGE sql AS $$
  SELECT gen.no_rows(format('SELECT * FROM bk.diff(%L, %L, %L) LIMIT 25', want, have, keys), description)
$$;

-- The book -----------------------------------------------------------------------------
-- 300 generated customers C001..C300 of owners ann (45%), bob (35%) and cyd
-- (20%, a small book: yearly revenue 200..500 an account, never in the tie
-- group below), two without owner
-- (C007, C150).  Yearly revenue is Pareto-like (1000 (1-u)^(-1/1.16), at most
-- 400,000); sales lines over the three years 2022-07-01..2025-07-01 (the last
-- day beyond as_of), 8% of them credit notes, 5% with unknown margin; each
-- account's revenue grows by a factor 0.5..1.5 a year (so some fall by 20%
-- and more); kind incremental with a probability per owner.  C201..C212 are a
-- tie group: twelve monthly lines of 1000 in the last year, of 900 before.
CREATE TABLE bk.gen AS
SELECT i, format('C%s', lpad(i::text, 3, '0')) AS account_id, o.owner,
       i BETWEEN 201 AND 212 AS tie,
       CASE WHEN o.owner = 'cyd' THEN 200 + 300 * gen.u(1, i, 2)
            ELSE least(1000 * power(1 - gen.u(1, i, 2), -1 / 1.16), 400000) END AS base,
       0.5 + gen.u(1, i, 3) AS growth,
       4 + floor(gen.u(1, i, 4) * 24)::int AS nlines,
       CASE o.owner WHEN 'ann' THEN 0.5 WHEN 'bob' THEN 0.2 WHEN 'cyd' THEN 0.8 ELSE 0.1 END AS inc_p
FROM generate_series(1, 300) i
CROSS JOIN LATERAL (SELECT CASE WHEN i IN (7, 150) THEN NULL
                                WHEN gen.u(1, i, 1) < 0.45 THEN 'ann'
                                WHEN gen.u(1, i, 1) < 0.80 OR i BETWEEN 201 AND 212 THEN 'bob'
                                ELSE 'cyd' END AS owner) o;

INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential, created_at)
SELECT g.account_id, 'Customer ' || g.i, g.owner, 'customer',
       CASE WHEN gen.u(1, g.i, 7) < 0.07 THEN NULL
            WHEN gen.u(1, g.i, 7) < 0.10 THEN round((g.base * 15)::numeric, -2)
            ELSE round((g.base * (1 + 0.5 * gen.u(1, g.i, 8)))::numeric, -2) END,
       timestamptz '2020-01-01 09:00+00' + g.i * interval '1 day'
FROM bk.gen g;

INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
SELECT g.account_id, d.booked_on, a.amount,
       CASE WHEN gen.u(3, g.i * 100 + j, 4) < 0.05 THEN NULL
            ELSE round(a.amount * (0.1 + 0.3 * gen.u(3, g.i * 100 + j, 5))::numeric, 2) END,
       CASE WHEN gen.u(3, g.i * 100 + j, 6) < g.inc_p THEN 'incremental' ELSE 'baseline' END
FROM bk.gen g
CROSS JOIN LATERAL generate_series(1, g.nlines) j
CROSS JOIN LATERAL (SELECT date '2022-07-01' + floor(gen.u(3, g.i * 100 + j, 1) * 1096)::int AS booked_on) d
CROSS JOIN LATERAL (
  SELECT CASE WHEN gen.u(3, g.i * 100 + j, 2) < 0.08
              THEN -round((g.base / g.nlines * gen.u(3, g.i * 100 + j, 3))::numeric, 2)
              ELSE round((g.base * 3 / g.nlines * power(g.growth, floor((d.booked_on - date '2022-07-01') / 365.25) - 1)
                          * (0.5 + gen.u(3, g.i * 100 + j, 3)))::numeric, 2) END AS amount) a
WHERE NOT g.tie;

INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
SELECT g.account_id, d.booked_on, d.amount, d.amount / 4, 'baseline'
FROM bk.gen g
CROSS JOIN generate_series(0, 11) m
CROSS JOIN LATERAL (VALUES (date '2024-07-15' + m * interval '1 month', 1000.00),
                           (date '2023-07-15' + m * interval '1 month', 900.00)) d(booked_on, amount)
WHERE g.tie;

-- Hand-made customers:
--   C-EDGE: one line on each side of every window boundary (as_of 2025-06-30):
--           revenue 8 + 16 = 24, prior 2 + 4 = 6, margin 3 (16 has none);
--   C-NOSALE: no sales at all;  C-NEG: only credit notes in the window;
--   C-RISK1: prior 100,000, revenue 80,000: fell by exactly 20%;
--   C-RISK2: prior 100,000, revenue 80,000.01: fell by less than 20%;
--   C-RISK3: prior 90,000, revenue 30,000;
--   C-RISK4: grows, but a manager pinned it to B;  C-STRAT: 800, pinned to A;
--   C-ORPHAN: no owner;  C010 (generated) is pinned to C.
INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential, tier_override, created_at) VALUES
  ('C-EDGE',   'Edge Ltd',         'ann', 'customer', 100,    NULL, '2021-02-01 10:00+00'),
  ('C-NOSALE', 'No Sale Inc',      'bob', 'customer', 5000,   NULL, '2021-02-02 10:00+00'),
  ('C-NEG',    'Credit Notes plc', 'bob', 'customer', NULL,   NULL, '2021-02-03 10:00+00'),
  ('C-RISK1',  'Falling Exactly',  'ann', 'customer', 150000, NULL, '2021-02-04 10:00+00'),
  ('C-RISK2',  'Falling Less',     'bob', 'customer', 150000, NULL, '2021-02-05 10:00+00'),
  ('C-RISK3',  'Falling Hard',     'bob', 'customer', 120000, NULL, '2021-02-06 10:00+00'),
  ('C-RISK4',  'Growing Pinned B', 'ann', 'customer', 200000, 'B',  '2021-02-07 10:00+00'),
  ('C-STRAT',  'Strategic Pin',    'bob', 'customer', 0,      'A',  '2021-02-08 10:00+00'),
  ('C-ORPHAN', 'Unassigned Big',   NULL,  'customer', 30000,  NULL, '2021-02-09 10:00+00');
UPDATE account_tier.accounts SET tier_override = 'C' WHERE account_id = 'C010';

INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind) VALUES
  ('C-EDGE',   '2023-06-30', 1, 1, 'baseline'),  ('C-EDGE', '2023-07-01', 2, 1, 'baseline'),
  ('C-EDGE',   '2024-06-30', 4, 1, 'baseline'),  ('C-EDGE', '2024-07-01', 8, 3, 'baseline'),
  ('C-EDGE',   '2025-06-30', 16, NULL, 'incremental'), ('C-EDGE', '2025-07-01', 32, 9, 'incremental'),
  ('C-NEG',    '2024-01-10', 2000, 500, 'baseline'), ('C-NEG', '2024-11-05', -300, -80, 'baseline'),
  ('C-NEG',    '2025-02-01', -200, -50, 'incremental'),
  ('C-RISK1',  '2023-09-01', 60000, 12000, 'baseline'), ('C-RISK1', '2024-03-01', 40000, 8000, 'baseline'),
  ('C-RISK1',  '2024-09-01', 50000, 10000, 'baseline'), ('C-RISK1', '2025-03-01', 30000, 6000, 'incremental'),
  ('C-RISK2',  '2023-09-01', 100000, 15000, 'baseline'),
  ('C-RISK2',  '2024-09-01', 50000, 7000, 'baseline'), ('C-RISK2', '2025-03-01', 30000.01, 4000, 'baseline'),
  ('C-RISK3',  '2023-10-01', 90000, 9000, 'baseline'), ('C-RISK3', '2024-10-01', 30000, 3000, 'baseline'),
  ('C-RISK4',  '2023-10-01', 50000, 20000, 'baseline'), ('C-RISK4', '2024-12-01', 70000, 28000, 'incremental'),
  ('C-STRAT',  '2025-01-15', 800, 100, 'incremental'),
  ('C-ORPHAN', '2023-11-11', 20000, 4000, 'baseline'), ('C-ORPHAN', '2024-08-08', 10000, 2000, 'baseline'),
  ('C-ORPHAN', '2025-01-08', 10000, 2000, 'baseline'), ('C-ORPHAN', '2025-05-05', 5000, 1000, 'incremental');

-- Prospects P01..P30 (owners ann, bob, cyd, dana, dana, none in turn;
-- potentials Pareto-like, three unknown, one 0, P16 tied with P10).  dana
-- holds only prospects and leads.
INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential, created_at)
SELECT format('P%s', lpad(k::text, 2, '0')), 'Prospect ' || k,
       (ARRAY['ann', 'bob', 'cyd', 'dana', 'dana', NULL])[1 + k % 6], 'prospect',
       CASE WHEN k % 10 = 3 THEN NULL WHEN k = 20 THEN 0
            ELSE round((2000 * power(1 - gen.u(2, k, 1), -1.0))::numeric, -2) END,
       timestamptz '2024-01-01 08:00+00' + k * interval '3 days'
FROM generate_series(1, 30) k;
UPDATE account_tier.accounts SET potential = (SELECT potential FROM account_tier.accounts WHERE account_id = 'P10')
WHERE account_id = 'P16';

-- Leads: ann 5 (two entered at the same moment, the oldest entered last),
-- bob 3, dana 4, none 2.
INSERT INTO account_tier.accounts (account_id, account_name, owner, status, created_at) VALUES
  ('L-A1', 'Lead A1', 'ann', 'lead', '2024-01-05 09:00+00'),
  ('L-A2', 'Lead A2', 'ann', 'lead', '2024-02-10 09:00+00'),
  ('L-A4', 'Lead A4', 'ann', 'lead', '2024-03-01 09:00+00'),
  ('L-A3', 'Lead A3', 'ann', 'lead', '2024-03-01 09:00+00'),
  ('L-A0', 'Lead A0', 'ann', 'lead', '2023-12-01 09:00+00'),
  ('L-B1', 'Lead B1', 'bob', 'lead', '2024-05-01 09:00+00'),
  ('L-B2', 'Lead B2', 'bob', 'lead', '2024-04-01 09:00+00'),
  ('L-B3', 'Lead B3', 'bob', 'lead', '2024-06-01 09:00+00'),
  ('L-D1', 'Lead D1', 'dana', 'lead', '2025-01-01 09:00+00'),
  ('L-D2', 'Lead D2', 'dana', 'lead', '2025-02-01 09:00+00'),
  ('L-D3', 'Lead D3', 'dana', 'lead', '2025-03-01 09:00+00'),
  ('L-D4', 'Lead D4', 'dana', 'lead', '2025-04-01 09:00+00'),
  ('L-N1', 'Lead N1', NULL, 'lead', '2025-01-01 09:00+00'),
  ('L-N2', 'Lead N2', NULL, 'lead', '2024-01-01 09:00+00');

-- Visits from 2023-05-01 to 2025-07-10 (some beyond as_of): up to ten an
-- account, more often to customers; 30% without owner (the account's owner
-- made them), 6% by another rep.  Purpose: incremental in a share per owner
-- (ann 0.6, bob 0.3, cyd 0.8), else baseline, 10% not recorded; visits to
-- prospects and leads carry any purpose (the views count them as
-- incremental whatever it says).
INSERT INTO account_tier.visits (account_id, owner, visited_on, purpose)
SELECT a.account_id,
       CASE WHEN gen.u(5, a.n, 100 + k) < 0.30 THEN NULL
            WHEN gen.u(5, a.n, 100 + k) < 0.36 THEN gen.pick('{ann,bob,cyd}'::text[], gen.u(5, a.n, 200 + k))
            ELSE a.owner END,
       date '2023-05-01' + floor(gen.u(5, a.n, 300 + k) * 801)::int,
       CASE WHEN gen.u(5, a.n, 400 + k) < 0.10 THEN NULL
            WHEN gen.u(5, a.n, 500 + k) < CASE a.owner WHEN 'ann' THEN 0.6 WHEN 'bob' THEN 0.3 ELSE 0.8 END
              THEN 'incremental'
            ELSE 'baseline' END
FROM (SELECT account_id, owner, status, row_number() OVER (ORDER BY account_id)::int AS n
      FROM account_tier.accounts) a
CROSS JOIN generate_series(1, 10) k
WHERE gen.u(5, a.n, k) < CASE a.status WHEN 'customer' THEN 0.4 WHEN 'prospect' THEN 0.25 ELSE 0.15 END;

-- gil: three customers, sales, and no visits at all (capacity falls back to 480).
INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential, created_at) VALUES
  ('C-GIL1', 'Gil One', 'gil', 'customer', 9000, '2021-04-01 10:00+00'),
  ('C-GIL2', 'Gil Two', 'gil', 'customer', NULL, '2021-04-02 10:00+00'),
  ('C-GIL3', 'Gil Three', 'gil', 'customer', 400, '2021-04-03 10:00+00');
INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind) VALUES
  ('C-GIL1', '2025-01-10', 3000, 600, 'baseline'), ('C-GIL2', '2025-02-10', 1500, 300, 'incremental'),
  ('C-GIL3', '2024-03-10', 200, 40, 'baseline');

-- The reference -----------------------------------------------------------------------
-- All views are security_invoker, like the extension's, so that row-level
-- security on accounts applies to them too.

-- The policy, with the day and the starts of the revenue window and of the
-- window before it (the same interval back again).
-- A year holds wpy windows: 12 / months for a window of whole months, else
-- 365.25 days / the window's days.
CREATE VIEW bk.pol WITH (security_invoker = true) AS
SELECT p.*, coalesce(p.as_of, current_date) AS day,
       coalesce(p.as_of, current_date) - p.revenue_window AS ws,
       coalesce(p.as_of, current_date) - p.revenue_window - p.revenue_window AS pws,
       CASE WHEN extract(day FROM p.revenue_window) = 0 AND extract(hour FROM p.revenue_window) = 0
              AND extract(minute FROM p.revenue_window) = 0 AND extract(second FROM p.revenue_window) = 0
              THEN 12 / (12 * extract(year FROM p.revenue_window) + extract(month FROM p.revenue_window))
            ELSE 365.25 / (extract(epoch FROM p.revenue_window) / 86400) END AS wpy
FROM account_tier.policy p;

-- Each owner's capacity (README.md "How the plan is made", policy.visit_capacity): the policy's, else
-- the owner's visits in (ws, day] (by the visit's rep, else the account's
-- owner) times wpy, to 0.1, else 480 for an owner with none.
CREATE VIEW bk.capacity WITH (security_invoker = true) AS
SELECT o.owner, coalesce(p.visit_capacity, round(m.n * p.wpy, 1), 480) AS capacity
FROM (SELECT DISTINCT a.owner FROM account_tier.accounts a WHERE a.owner IS NOT NULL) o
CROSS JOIN bk.pol p
LEFT JOIN LATERAL (
  SELECT count(*) AS n FROM account_tier.visits v JOIN account_tier.accounts a ON a.account_id = v.account_id
  WHERE coalesce(v.owner, a.owner) = o.owner AND v.visited_on > p.ws AND v.visited_on <= p.day
  HAVING count(*) > 0) m ON true;

-- README.md "Visit planning", weighted form, for one tier: visits_i =
-- clamp(level * w_i, lo, hi) with the level that makes the tier use exactly
-- its budget; budget / k each when the floor alone does not fit; every
-- positive weight at the cap (zero weights at the floor) when even that
-- does not use the budget.  The level is found on the piecewise-linear sum
-- between its breakpoints lo / w and hi / w, in numeric.
CREATE FUNCTION bk.fill(budget numeric, lo numeric, hi numeric, w numeric[]) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
  k int := coalesce(cardinality(w), 0);
  level numeric;
  prev numeric := 0;
  f_prev numeric := lo * k;
  f_b numeric;
  b numeric;
BEGIN
  IF k = 0 THEN
    RETURN '{}';
  ELSIF lo * k > budget THEN
    RETURN array_fill(budget / k, ARRAY[k]);
  ELSIF budget >= (SELECT sum(CASE WHEN x > 0 THEN hi ELSE lo END) FROM unnest(w) x) THEN
    RETURN ARRAY(SELECT CASE WHEN x > 0 THEN hi ELSE lo END FROM unnest(w) WITH ORDINALITY u(x, i) ORDER BY i);
  END IF;
  FOR b IN SELECT DISTINCT q FROM (SELECT lo / x FROM unnest(w) x WHERE x > 0
                                   UNION SELECT hi / x FROM unnest(w) x WHERE x > 0 AND hi < 'Infinity') y(q)
           WHERE q > 0 ORDER BY q LOOP
    f_b := (SELECT sum(least(greatest(b * x, lo), hi)) FROM unnest(w) x);
    IF f_b >= budget THEN
      level := prev + (budget - f_prev) * (b - prev) / (f_b - f_prev);
      EXIT;
    END IF;
    prev := b;
    f_prev := f_b;
  END LOOP;
  IF level IS NULL THEN
    -- beyond the last breakpoint only the uncapped positive weights grow
    level := prev + (budget - f_prev)
                    / (SELECT sum(x) FROM unnest(w) x WHERE x > 0 AND prev * x < hi);
  END IF;
  RETURN ARRAY(SELECT CASE WHEN x > 0 THEN least(greatest(level * x, lo), hi) ELSE lo END
               FROM unnest(w) WITH ORDINALITY u(x, i) ORDER BY i);
END
$f$;

-- One owner's plan: tier by tier from A down, the tier's share of capacity
-- plus what the tiers above could not use; a tier with share 0 gets nothing,
-- and what a tier cannot use passes over it to the next tier with time.
-- Returns each account's visits, in the order given.
CREATE FUNCTION bk.plan(capacity numeric, shares numeric[], hi numeric, floors numeric[],
                        tiers account_tier.tier[], w numeric[]) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
  visits numeric[] := array_fill(0::numeric, ARRAY[cardinality(tiers)]);
  carry numeric := 0;
  budget numeric;
  idx int[];
  got numeric[];
BEGIN
  FOR t IN 1 .. 3 LOOP
    CONTINUE WHEN shares[t] = 0;
    budget := capacity * shares[t] + carry;
    idx := ARRAY(SELECT i FROM generate_subscripts(tiers, 1) i WHERE tiers[i] = (ARRAY['A', 'B', 'C'])[t]::account_tier.tier ORDER BY i);
    got := bk.fill(budget, floors[t], hi, ARRAY(SELECT w[i] FROM unnest(idx) WITH ORDINALITY u(i, o) ORDER BY o));
    FOR j IN 1 .. cardinality(idx) LOOP
      visits[idx[j]] := got[j];
    END LOOP;
    carry := greatest(budget - coalesce((SELECT sum(x) FROM unnest(got) x), 0), 0);
  END LOOP;
  RETURN visits;
END
$f$;

-- Customers with their sums: revenue = sales in (ws, day], prior = sales in
-- (pws, ws], margin = known margins in (ws, day], incremental = incremental
-- sales in (ws, day]; 0 when there are none.
CREATE VIEW bk.book WITH (security_invoker = true) AS
SELECT a.account_id, a.account_name, a.owner, a.potential, a.tier_override,
       CASE WHEN p.scope = 'owner' THEN a.owner END AS scope_key,
       coalesce(s.revenue, 0) AS revenue, coalesce(s.prior_revenue, 0) AS prior_revenue,
       coalesce(s.margin, 0) AS margin, coalesce(s.incremental, 0) AS incremental_revenue,
       (SELECT count(*) FROM account_tier.visits v
        WHERE v.account_id = a.account_id AND v.visited_on > p.ws AND v.visited_on <= p.day) AS visits_made
FROM account_tier.accounts a
CROSS JOIN bk.pol p
LEFT JOIN LATERAL (
  SELECT sum(x.amount) FILTER (WHERE x.booked_on > p.ws AND x.booked_on <= p.day) AS revenue,
         sum(x.amount) FILTER (WHERE x.booked_on > p.pws AND x.booked_on <= p.ws) AS prior_revenue,
         sum(x.margin) FILTER (WHERE x.booked_on > p.ws AND x.booked_on <= p.day) AS margin,
         sum(x.amount) FILTER (WHERE x.booked_on > p.ws AND x.booked_on <= p.day
                                 AND x.kind = 'incremental') AS incremental
  FROM account_tier.sales x WHERE x.account_id = a.account_id) s ON true
WHERE a.status = 'customer';

-- The policy's method on revenue and on margin, per scope, from README.md
-- "Definitions": T = sum of max(v, 0), n = rows, cum = sum of the positive
-- values >= v (the tie group's cum(G)), before = cum - the group, above =
-- rows strictly greater.  a_min = the A cutoff: the smallest value the
-- method puts in A (absolute: the floor absolute_a).
CREATE VIEW bk.metric_tier WITH (security_invoker = true) AS
WITH m AS (
  SELECT b.account_id, b.scope_key, x.metric, x.v
  FROM bk.book b
  CROSS JOIN LATERAL (VALUES ('revenue', b.revenue), ('margin', b.margin)) x(metric, v)
), w AS (
  SELECT m.*,
         coalesce(sum(greatest(m.v, 0)) OVER part, 0) AS t,
         count(m.v) OVER part AS n,
         sum(greatest(m.v, 0)) OVER run AS cum,
         count(m.v) OVER run AS at_least,
         count(*) OVER (PARTITION BY m.metric, m.scope_key, m.v) AS peers,
         account_tier.abc_tier_computed(m.v) OVER part AS computed
  FROM m
  WINDOW part AS (PARTITION BY m.metric, m.scope_key),
         run AS (PARTITION BY m.metric, m.scope_key ORDER BY m.v DESC
                 RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), c AS (
  SELECT w.*, w.cum - w.v * w.peers AS before, w.at_least - w.peers AS above,
         CASE WHEN w.v <= 0 THEN 'C'
              WHEN p.method = 'value' THEN
                CASE WHEN w.cum - w.v * w.peers < p.value_a * w.t THEN 'A'
                     WHEN w.cum - w.v * w.peers < p.value_b * w.t THEN 'B' ELSE 'C' END
              WHEN p.method = 'count' THEN
                CASE WHEN w.at_least - w.peers < p.count_a * w.n THEN 'A'
                     WHEN w.at_least - w.peers < p.count_b * w.n THEN 'B' ELSE 'C' END
              WHEN p.method = 'computed' THEN w.computed::text
              ELSE CASE WHEN w.v >= p.absolute_a THEN 'A' WHEN w.v >= p.absolute_b THEN 'B' ELSE 'C' END
         END::account_tier.tier AS tier
  FROM w CROSS JOIN bk.pol p
)
SELECT c.*,
       CASE WHEN p.method = 'absolute' THEN p.absolute_a
            ELSE min(c.v) FILTER (WHERE c.tier = 'A') OVER (PARTITION BY c.metric, c.scope_key) END AS a_min
FROM c CROSS JOIN bk.pol p;

-- One row per customer, every column of account_tiers, plus scope_key,
-- a_min and exact_visits.  Visits (README.md "Visit planning" and the policy):
-- per owner, bk.plan over the owner's customers with the owner's capacity,
-- weights by visit_weighting, floors min_visits_a, min_visits_b and 0.
-- recommended_visits is exact_visits to 0.1: the view's value where it is a
-- rounding of a number within 1e-9 of exact_visits (the view plans in
-- float8, so at a tie of the rounding either side is right), else
-- round(exact_visits, 1), which then fails the comparison.
CREATE VIEW bk.tiers WITH (security_invoker = true) AS
WITH t AS (
  SELECT b.*, r.t AS positive_total, r.cum, r.tier AS computed_tier, r.a_min, g.tier AS margin_tier,
         coalesce(b.tier_override, r.tier) AS tier,
         CASE p.visit_weighting WHEN 'equal' THEN 1
                                WHEN 'revenue' THEN greatest(b.revenue, 0)
                                ELSE coalesce(b.potential, greatest(b.revenue, 0)) END AS weight
  FROM bk.book b
  JOIN bk.metric_tier r ON r.account_id = b.account_id AND r.metric = 'revenue'
  JOIN bk.metric_tier g ON g.account_id = b.account_id AND g.metric = 'margin'
  CROSS JOIN bk.pol p
), owners AS (
  SELECT t.owner, array_agg(t.account_id ORDER BY t.account_id) AS ids,
         array_agg(t.tier ORDER BY t.account_id) AS tiers, array_agg(t.weight ORDER BY t.account_id) AS weights
  FROM t WHERE t.owner IS NOT NULL GROUP BY t.owner
), planned AS (
  SELECT o.ids[x.i] AS account_id, x.v AS exact_visits
  FROM owners o
  JOIN bk.capacity c ON c.owner = o.owner
  CROSS JOIN bk.pol p
  CROSS JOIN LATERAL unnest(bk.plan(c.capacity, ARRAY[p.a_time, p.b_time, p.c_time], p.max_visits,
                                    ARRAY[p.min_visits_a, p.min_visits_b, 0], o.tiers, o.weights))
                     WITH ORDINALITY AS x(v, i)
), v AS (
  SELECT t.*, pl.exact_visits,
         CASE WHEN abs(seen.recommended_visits - pl.exact_visits) <= 0.05 + 1e-9 THEN seen.recommended_visits
              ELSE round(pl.exact_visits, 1) END AS visits
  FROM t
  LEFT JOIN planned pl ON pl.account_id = t.account_id  -- no owner, no plan
  LEFT JOIN account_tier.account_tiers seen ON seen.account_id = t.account_id
)
SELECT v.account_id, v.account_name, v.owner, v.revenue, v.prior_revenue,
       v.revenue - v.prior_revenue AS revenue_change, v.margin,
       CASE WHEN v.positive_total > 0 THEN round(greatest(v.revenue, 0) / v.positive_total, 6) END AS share,
       CASE WHEN v.positive_total > 0 THEN CASE WHEN v.revenue > 0 THEN round(v.cum / v.positive_total, 6) ELSE 1 END END
         AS cumulative_share,
       v.tier, v.tier = 'A' AS key_account,
       v.visits AS recommended_visits,
       CASE WHEN v.visits >= 52 THEN 'weekly' WHEN v.visits >= 26 THEN 'every two weeks'
            WHEN v.visits >= 12 THEN 'monthly' WHEN v.visits >= 6 THEN 'every two months'
            WHEN v.visits >= 4 THEN 'quarterly' WHEN v.visits >= 2 THEN 'twice a year'
            WHEN v.visits >= 1 THEN 'yearly' WHEN v.visits > 0 THEN 'less than yearly'
            WHEN v.visits = 0 THEN 'service only' END AS cadence,
       v.potential,
       CASE WHEN v.potential > 0 THEN round(v.revenue / v.potential, 6) END AS share_of_wallet,
       coalesce(v.potential > 0 AND v.revenue / v.potential < p.growth_wallet_share
                AND v.potential - v.revenue >= v.a_min, false) AS growth_candidate,
       v.tier = 'A' AND v.prior_revenue > 0 AND v.prior_revenue - v.revenue >= p.at_risk_drop * v.prior_revenue
         AS at_risk,
       v.computed_tier,
       CASE WHEN v.tier_override IS NULL THEN 'computed' ELSE 'override' END AS tier_source,
       v.margin_tier, v.incremental_revenue, v.visits_made,
       round(v.visits_made * p.wpy - v.visits, 1) AS visit_gap,
       v.scope_key, v.a_min, v.exact_visits
FROM v CROSS JOIN bk.pol p;

-- The reference under the current policy, computed once per policy.
CREATE TABLE bk.x_tiers AS SELECT * FROM bk.tiers WHERE false;

CREATE FUNCTION bk.refresh() RETURNS void
LANGUAGE sql AS $$
  DELETE FROM bk.x_tiers;
  INSERT INTO bk.x_tiers SELECT * FROM bk.tiers;
$$;

-- The columns of account_tiers: README.md's, in its order, then a_cutoff.
CREATE VIEW bk.x_out AS
SELECT account_id, account_name, owner, revenue, prior_revenue, revenue_change, margin, share,
       cumulative_share, tier, key_account, recommended_visits, cadence, potential, share_of_wallet,
       growth_candidate, at_risk, computed_tier, tier_source, margin_tier, incremental_revenue,
       visits_made, visit_gap, a_min AS a_cutoff
FROM bk.x_tiers;

-- prospects: rank = 1 + prospects of the owner with a larger potential
-- (unknown potentials last, tied); high_potential = potential >= the A
-- cutoff of the prospect's scope.
CREATE VIEW bk.x_prospects AS
SELECT a.account_id, a.account_name, a.owner, a.potential,
       1 + (SELECT count(*) FROM account_tier.accounts b
            WHERE b.status = 'prospect' AND b.owner IS NOT DISTINCT FROM a.owner
              AND (b.potential > a.potential OR (a.potential IS NULL AND b.potential IS NOT NULL))) AS potential_rank,
       a.potential >= cut.a_min AS high_potential,
       a.created_at
FROM account_tier.accounts a
CROSS JOIN bk.pol p
CROSS JOIN LATERAL (
  SELECT CASE WHEN p.method = 'absolute' THEN p.absolute_a
              ELSE (SELECT min(x.a_min) FROM bk.x_tiers x
                    WHERE x.scope_key IS NOT DISTINCT FROM CASE WHEN p.scope = 'owner' THEN a.owner END) END AS a_min) cut
WHERE a.status = 'prospect';

-- leads: position = leads of the owner entered before it (ties by key), + 1.
CREATE VIEW bk.x_leads AS
SELECT a.account_id, a.account_name, a.owner, a.created_at, r.position, r.position <= p.lead_cap AS within_cap
FROM account_tier.accounts a
CROSS JOIN bk.pol p
CROSS JOIN LATERAL (
  SELECT count(*) AS position FROM account_tier.accounts b
  WHERE b.status = 'lead' AND b.owner IS NOT DISTINCT FROM a.owner
    AND (b.created_at < a.created_at OR (b.created_at = a.created_at AND b.account_id <= a.account_id))) r
WHERE a.status = 'lead';

-- tier_summary: per scope and tier present; planned visits = the sum of the
-- accounts' recommended_visits.
CREATE VIEW bk.x_summary AS
SELECT p.scope, s.owner, s.tier, s.accounts,
       round(s.accounts::numeric / sum(s.accounts) OVER w, 6) AS account_share,
       s.revenue, round(s.revenue / nullif(sum(s.revenue) OVER w, 0), 6) AS revenue_share,
       s.planned_visits, round(s.planned_visits / nullif(sum(s.planned_visits) OVER w, 0), 6) AS time_share
FROM (SELECT t.scope_key AS owner, t.tier, count(*) AS accounts, sum(t.revenue) AS revenue,
             coalesce(sum(t.recommended_visits), 0) AS planned_visits
      FROM bk.x_tiers t GROUP BY t.scope_key, t.tier) s
CROSS JOIN bk.pol p
WINDOW w AS (PARTITION BY s.owner);

-- pareto_curve: point k of 0..100 = share of T held by the top k% of the
-- scope's n accounts, linear within an account (README.md "lorenz_curve"):
-- floor(k n / 100) whole accounts and (k n mod 100) / 100 of the next.
CREATE VIEW bk.x_curve AS
WITH r AS (
  SELECT t.scope_key, greatest(t.revenue, 0) AS x,
         row_number() OVER (PARTITION BY t.scope_key ORDER BY greatest(t.revenue, 0) DESC) AS j
  FROM bk.x_tiers t
), s AS (
  SELECT r.*, sum(r.x) OVER (PARTITION BY r.scope_key ORDER BY r.j) AS s FROM r
), part AS (
  SELECT r.scope_key, count(*) AS n, sum(r.x) AS t FROM r GROUP BY r.scope_key
)
SELECT p.scope, pt.scope_key AS owner, k AS point, round(k / 100.0, 6) AS account_share,
       round((coalesce(s1.s, 0) + coalesce(s2.x * q.rem / 100, 0)) / pt.t, 6) AS revenue_share
FROM part pt
CROSS JOIN bk.pol p
CROSS JOIN generate_series(0, 100) k
CROSS JOIN LATERAL (SELECT (k * pt.n) / 100 AS whole, (k * pt.n) % 100 AS rem) q
LEFT JOIN s s1 ON s1.scope_key IS NOT DISTINCT FROM pt.scope_key AND s1.j = q.whole
LEFT JOIN s s2 ON s2.scope_key IS NOT DISTINCT FROM pt.scope_key AND s2.j = q.whole + 1
WHERE pt.t > 0;

-- owner_scorecard, per owner of customers: the owner's revenue and the
-- incremental part of it; key accounts, those at risk and those seen less
-- than planned (visit_gap < 0); capacity and the shares of it planned for
-- key (A) and secondary (B, C) accounts, what no tier uses; visits made in
-- the revenue window (by the visit's rep, else the account's owner) to key,
-- secondary, prospect and lead accounts; time on incremental business =
-- visits with purpose incremental or to prospects and leads, over visits
-- with a known purpose or to prospects and leads; customer visits without a
-- purpose; the secondary time sink; leads held and beyond the cap.
CREATE VIEW bk.x_card AS
WITH book AS (
  SELECT t.owner, sum(t.revenue) AS revenue, count(*) FILTER (WHERE t.tier = 'A') AS key_accounts,
         count(*) FILTER (WHERE t.tier = 'A' AND t.at_risk) AS key_accounts_at_risk,
         count(*) FILTER (WHERE t.tier = 'A' AND t.visit_gap < 0) AS key_accounts_uncovered,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier = 'A'), 0) AS planned_key,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier IN ('B', 'C')), 0) AS planned_secondary
  FROM bk.x_tiers t GROUP BY t.owner
), inc AS (
  SELECT a.owner, sum(s.amount) FILTER (WHERE s.kind = 'incremental') AS incremental
  FROM account_tier.sales s JOIN account_tier.accounts a ON a.account_id = s.account_id
  CROSS JOIN bk.pol p
  WHERE a.status = 'customer' AND s.booked_on > p.ws AND s.booked_on <= p.day
  GROUP BY a.owner
), made AS (
  SELECT coalesce(v.owner, a.owner) AS owner, count(*) AS visits,
         count(*) FILTER (WHERE t.tier = 'A') AS key_visits,
         count(*) FILTER (WHERE t.tier IN ('B', 'C')) AS secondary_visits,
         count(*) FILTER (WHERE a.status = 'prospect') AS prospect_visits,
         count(*) FILTER (WHERE a.status = 'lead') AS lead_visits,
         count(*) FILTER (WHERE a.status IN ('prospect', 'lead') OR v.purpose = 'incremental') AS incremental,
         count(*) FILTER (WHERE a.status IN ('prospect', 'lead') OR v.purpose IS NOT NULL) AS known,
         count(*) FILTER (WHERE a.status = 'customer' AND v.purpose IS NULL) AS unknown
  FROM account_tier.visits v
  JOIN account_tier.accounts a ON a.account_id = v.account_id
  LEFT JOIN bk.x_tiers t ON t.account_id = v.account_id
  CROSS JOIN bk.pol p
  WHERE v.visited_on > p.ws AND v.visited_on <= p.day
  GROUP BY 1
), held AS (
  SELECT a.owner, count(*) AS leads FROM account_tier.accounts a WHERE a.status = 'lead' GROUP BY a.owner
)
SELECT b.owner, b.revenue, round(coalesce(i.incremental, 0) / nullif(b.revenue, 0), 6) AS incremental_revenue_share,
       round(m.incremental::numeric / nullif(m.known, 0), 6) AS incremental_time_share,
       p.incremental_target, coalesce(m.unknown, 0) AS visits_unrecorded_purpose,
       b.key_accounts, b.key_accounts_at_risk, b.key_accounts_uncovered,
       c.capacity AS visit_capacity,
       round(b.planned_key / c.capacity, 6) AS planned_key_share,
       round(b.planned_secondary / c.capacity, 6) AS planned_secondary_share,
       round(greatest(c.capacity - b.planned_key - b.planned_secondary, 0) / c.capacity, 6) AS planned_pipeline_share,
       round(greatest(c.capacity - b.planned_key - b.planned_secondary, 0), 1) AS unallocated_visits,
       coalesce(m.visits, 0) AS actual_visits,
       round(m.key_visits::numeric / nullif(m.visits, 0), 6) AS actual_key_share,
       round(m.secondary_visits::numeric / nullif(m.visits, 0), 6) AS actual_secondary_share,
       round(m.prospect_visits::numeric / nullif(m.visits, 0), 6) AS actual_prospect_share,
       round(m.lead_visits::numeric / nullif(m.visits, 0), 6) AS actual_lead_share,
       round(m.secondary_visits::numeric / nullif(m.visits, 0) - b.planned_secondary / c.capacity, 6)
         AS secondary_time_sink,
       coalesce(h.leads, 0) AS leads,
       greatest(coalesce(h.leads, 0) - p.lead_cap, 0) AS leads_over_cap
FROM book b
CROSS JOIN bk.pol p
LEFT JOIN bk.capacity c ON c.owner = b.owner
LEFT JOIN inc i ON i.owner IS NOT DISTINCT FROM b.owner
LEFT JOIN made m ON m.owner IS NOT DISTINCT FROM b.owner
LEFT JOIN held h ON h.owner IS NOT DISTINCT FROM b.owner;

-- Every view against the reference, under the current policy -------------------------
CREATE FUNCTION bk.check_views(label text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM bk.refresh();
  RETURN NEXT bk.same_rows('SELECT * FROM bk.x_out', 'SELECT * FROM account_tier.account_tiers', '{account_id}',
    label || ': account_tiers equals the plain-SQL reference, every row and column');
  RETURN NEXT bk.same_rows($$SELECT * FROM bk.x_out WHERE tier = 'A'$$, 'SELECT * FROM account_tier.key_accounts',
    '{account_id}', label || ': key_accounts holds exactly the A rows, every column');
  RETURN NEXT gen.same('SELECT revenue FROM account_tier.key_accounts',
                       $$SELECT revenue FROM bk.x_tiers WHERE tier = 'A' ORDER BY revenue DESC$$,
    label || ': key_accounts come largest first');
  RETURN NEXT bk.same_rows(
    $$SELECT *, CASE WHEN recommended_visits > 0 THEN 'field' ELSE 'customer service' END AS service_channel
      FROM bk.x_out WHERE tier IN ('B', 'C')$$,
    'SELECT * FROM account_tier.secondary_accounts', '{account_id}',
    label || ': secondary_accounts holds exactly the B and C rows, every column, with service_channel');
  RETURN NEXT bk.same_rows(
    'SELECT account_id, account_name, owner, potential, potential_rank, created_at FROM bk.x_prospects',
    'SELECT account_id, account_name, owner, potential, potential_rank, created_at FROM account_tier.prospects',
    '{account_id}', label || ': prospects: every prospect, potential_rank within owner');
  RETURN NEXT bk.same_rows('SELECT account_id, high_potential FROM bk.x_prospects',
    'SELECT account_id, high_potential FROM account_tier.prospects', '{account_id}',
    label || ': prospects.high_potential = potential reaches the A cutoff of the scope');
  RETURN NEXT bk.same_rows('SELECT * FROM bk.x_leads', 'SELECT * FROM account_tier.leads', '{account_id}',
    label || ': leads: position within owner, oldest first, and within_cap');
  RETURN NEXT bk.same_rows('SELECT * FROM bk.x_summary', 'SELECT * FROM account_tier.tier_summary', '{owner,tier}',
    label || ': tier_summary equals the reference per scope and tier');
  RETURN NEXT bk.same_rows('SELECT * FROM bk.x_curve', 'SELECT * FROM account_tier.pareto_curve', '{owner,point}',
    label || ': pareto_curve: 101 points per scope, equal to the Lorenz reference');
  RETURN NEXT bk.same_rows('SELECT * FROM bk.x_card',
    $$SELECT owner, revenue, incremental_revenue_share, incremental_time_share, incremental_target,
             visits_unrecorded_purpose, key_accounts, key_accounts_at_risk, key_accounts_uncovered,
             visit_capacity, planned_key_share, planned_secondary_share, planned_pipeline_share,
             unallocated_visits, actual_visits, actual_key_share, actual_secondary_share,
             actual_prospect_share, actual_lead_share, secondary_time_sink, leads, leads_over_cap
      FROM account_tier.owner_scorecard
      WHERE EXISTS (SELECT FROM account_tier.accounts a
                    WHERE a.status = 'customer' AND a.owner IS NOT DISTINCT FROM owner_scorecard.owner)$$,
    '{owner}', label || ': owner_scorecard equals the reference for every owner of customers');
END
$f$;

-- Policy P1 (the defaults, as_of fixed), then the hand-made ties ---------------------
SELECT bk.set_policy($$as_of = '2025-06-30'$$);

-- The tie group crossing the A threshold of P1 gets a twin (all its sales
-- copied, another owner): a group that crosses a*T still crosses it with one
-- more member.  And one prospect's potential is exactly the A cutoff.
CREATE TABLE bk.twin AS
SELECT r.account_id, t.owner FROM bk.metric_tier r JOIN bk.book t USING (account_id)
WHERE r.metric = 'revenue' AND r.v > 0 AND r.before < 0.80 * r.t AND r.cum >= 0.80 * r.t
ORDER BY r.account_id LIMIT 1;
INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential, created_at)
SELECT 'C-TWIN', 'Twin of ' || a.account_id, CASE WHEN a.owner = 'ann' THEN 'bob' ELSE 'ann' END, 'customer',
       a.potential, '2021-03-01 10:00+00'
FROM account_tier.accounts a JOIN bk.twin USING (account_id);
INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
SELECT 'C-TWIN', s.booked_on, s.amount, s.margin, s.kind
FROM account_tier.sales s JOIN bk.twin USING (account_id);
UPDATE account_tier.accounts SET potential = (SELECT min(a_min) FROM bk.metric_tier WHERE metric = 'revenue')
WHERE account_id = 'P07';

SELECT bk.refresh();
ANALYZE account_tier.accounts;
ANALYZE account_tier.sales;
ANALYZE account_tier.visits;


-- The suite's own sanity ----------------------------------------------------------------
SELECT ok((SELECT count(*) FROM account_tier.accounts WHERE status = 'customer') = 313
      AND (SELECT count(DISTINCT owner) FROM account_tier.accounts WHERE status = 'customer') = 4
      AND (SELECT count(*) FROM account_tier.accounts WHERE status = 'customer' AND owner IS NULL) = 3
      AND (SELECT count(*) FROM account_tier.accounts WHERE status = 'prospect') = 30
      AND (SELECT count(*) FROM account_tier.accounts WHERE status = 'lead') = 14
      AND (SELECT count(*) FROM account_tier.sales) > 4000
      AND (SELECT count(*) FROM account_tier.sales WHERE amount < 0 AND booked_on > '2024-06-30') > 50
      AND (SELECT count(*) FROM account_tier.sales WHERE margin IS NULL) > 50
      AND (SELECT count(DISTINCT kind) FROM account_tier.sales) = 2
      AND (SELECT count(*) FROM account_tier.visits) > 800
      AND (SELECT count(*) FROM account_tier.accounts WHERE tier_override IS NOT NULL) = 3
      AND (SELECT count(DISTINCT purpose) FROM account_tier.visits) = 2
      AND (SELECT count(*) FROM account_tier.visits WHERE purpose IS NULL) > 50
      AND NOT EXISTS (SELECT FROM account_tier.visits v JOIN account_tier.accounts a USING (account_id)
                      WHERE coalesce(v.owner, a.owner) = 'gil'),
          'the book: 313 customers of 4 owners and none, prospects, leads, credit notes, unknown margins, '
          'both kinds, visits of both purposes and none recorded, overrides, an owner without visits');

SELECT ok((SELECT count(*) FROM bk.x_tiers WHERE computed_tier = 'A') BETWEEN 20 AND 150
      AND (SELECT count(*) FROM bk.x_tiers WHERE computed_tier = 'B') >= 20
      AND (SELECT count(*) FROM bk.x_tiers WHERE revenue < 0) >= 1
      AND (SELECT count(*) FROM bk.x_tiers WHERE at_risk) >= 3
      AND (SELECT count(*) FROM bk.x_tiers WHERE growth_candidate) >= 3
      AND (SELECT count(*) FROM bk.x_tiers WHERE owner = 'cyd' AND computed_tier = 'A') = 0
      AND (SELECT count(*) FROM bk.x_tiers WHERE owner IS NULL AND computed_tier = 'A') >= 1
      AND (SELECT count(*) FROM bk.metric_tier WHERE metric = 'revenue' AND v > 0 AND peers >= 2
             AND before < 0.80 * t AND cum >= 0.80 * t) >= 2
      AND (SELECT count(*) FROM bk.x_tiers WHERE revenue = 12000) >= 12
      AND (SELECT count(*) FROM bk.x_prospects WHERE high_potential) >= 3
      AND (SELECT count(*) FROM bk.x_prospects WHERE NOT high_potential) >= 3,
          'P1 reference: every tier, a negative revenue, at-risk and growth accounts, cyd without A, '
          'a tie group across the A threshold, high and low potential prospects');

SELECT gen.no_rows($$
  SELECT r.scope_key, r.account_id, r.v, r.tier, x.t
  FROM bk.metric_tier r
  JOIN (SELECT account_id, metric, account_tier.abc_tier(v, 0.80, 0.95) OVER (PARTITION BY metric, scope_key) AS t
        FROM bk.metric_tier) x USING (account_id, metric)
  WHERE r.metric = 'revenue' AND r.tier IS DISTINCT FROM x.t
  LIMIT 10
$$, 'the plain-SQL value tiers of the reference agree with abc_tier (a check of the reference)');

-- The policy table as installed has never been analyzed: the planner takes
-- its one page for about 190 rows, every CROSS JOIN with it multiplies the
-- estimates (account_tiers: about 2e9 rows), and with jit = on each query of
-- a view spends 1.5 to 2.5 s compiling on this book of 310 customers,
-- against 5 ms once the policy is analyzed or without JIT.
CREATE FUNCTION bk.plan_rows(q text) RETURNS float8
LANGUAGE plpgsql AS $f$
DECLARE
  j json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
  RETURN (j -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END
$f$;
SELECT cmp_ok(bk.plan_rows('SELECT * FROM account_tier.account_tiers'), '<', 10000::float8,
              'account_tiers over 310 analyzed customers and the policy row as installed is planned as a small query');

-- Fixed answers, worked out by hand -------------------------------------------------------
SELECT gen.same($$
  SELECT revenue, prior_revenue, revenue_change, margin, tier, key_account, share, share_of_wallet
  FROM account_tier.account_tiers WHERE account_id = 'C-EDGE'
$$, $$ VALUES (24::numeric, 6::numeric, 18::numeric, 3::numeric, 'C'::tier, false,
               round(24 / (SELECT sum(greatest(revenue, 0)) FROM bk.x_tiers), 6), 0.24) $$,
'C-EDGE: as_of 2025-06-30 counts sales of 2024-07-01..2025-06-30 (8 + 16), the prior window 2023-07-01..2024-06-30 (2 + 4)');

SELECT gen.same($$
  SELECT revenue, prior_revenue, margin, share, cumulative_share, tier, at_risk, share_of_wallet
  FROM account_tier.account_tiers WHERE account_id = 'C-NOSALE'
$$, $$ VALUES (0::numeric, 0::numeric, 0::numeric, 0::numeric, 1::numeric, 'C'::tier, false, 0::numeric) $$,
'C-NOSALE: an account without sales has revenue 0, share 0, cumulative_share 1, tier C');

SELECT gen.same($$
  SELECT account_id, revenue, prior_revenue, at_risk
  FROM account_tier.account_tiers WHERE account_id IN ('C-RISK1', 'C-RISK2', 'C-RISK3', 'C-NEG') ORDER BY account_id
$$, $$ VALUES ('C-NEG', -500::numeric, 2000::numeric, false),
              ('C-RISK1', 80000, 100000, true), ('C-RISK2', 80000.01, 100000, false),
              ('C-RISK3', 30000, 90000, true) $$,
'at_risk: a key account that fell by exactly at_risk_drop (20%) is at risk, by a cent less it is not');

SELECT gen.same($$
  SELECT account_id, tier, computed_tier, tier_source, key_account
  FROM account_tier.account_tiers WHERE account_id IN ('C-RISK4', 'C-STRAT', 'C010')
  ORDER BY account_id
$$, $$ SELECT account_id, coalesce(tier_override, computed_tier), computed_tier, 'override', tier_override = 'A'
       FROM (SELECT a.account_id, a.tier_override, x.computed_tier
             FROM account_tier.accounts a JOIN bk.x_tiers x USING (account_id)
             WHERE a.tier_override IS NOT NULL) o ORDER BY account_id $$,
'tier_override wins over the computed tier, tier_source = override');

-- What a BI tool reads: exact numerics, no float noise, no internal column.
SELECT is_empty($$
  SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
  WHERE c.relnamespace = 'account_tier'::regnamespace AND c.relkind = 'v' AND a.attnum > 0
    AND (a.atttypid IN ('float4'::regtype, 'float8'::regtype) OR a.attname = 'singleton'
         OR (a.attname ~ '(^|_)share($|_)|_sink$|visits$|_gap$' AND a.atttypid NOT IN ('numeric'::regtype, 'int8'::regtype)))
$$, 'no view has a float column or the policy''s singleton; every share, planned visit and gap is numeric');
SELECT is_empty($$
  SELECT 'account_tiers', account_id, v FROM account_tier.account_tiers,
         LATERAL (VALUES (share), (cumulative_share), (share_of_wallet)) AS s(v) WHERE scale(v) > 6
  UNION ALL
  SELECT 'account_tiers', account_id, v FROM account_tier.account_tiers,
         LATERAL (VALUES (recommended_visits), (visit_gap)) AS s(v) WHERE scale(v) > 1
  UNION ALL
  SELECT 'tier_summary', tier::text, v FROM account_tier.tier_summary,
         LATERAL (VALUES (account_share), (revenue_share), (time_share)) AS s(v) WHERE scale(v) > 6
  UNION ALL
  SELECT 'owner_scorecard', owner, v FROM account_tier.owner_scorecard,
         LATERAL (VALUES (incremental_revenue_share), (incremental_time_share), (planned_key_share),
                         (planned_secondary_share), (planned_pipeline_share), (actual_key_share),
                         (actual_secondary_share), (actual_prospect_share), (actual_lead_share),
                         (secondary_time_sink)) AS s(v) WHERE scale(v) > 6
  UNION ALL
  SELECT 'pareto_curve', point::text, revenue_share FROM account_tier.pareto_curve WHERE scale(revenue_share) > 6
$$, 'every share in the views has at most 6 decimals, planned visits and gaps one');

-- P1 .. P6: the views follow every policy change, with no reinstall -----------------------
SELECT * FROM bk.check_views('P1 value 0.80/0.95, company');

CREATE TABLE bk.p1_view AS SELECT account_id, tier FROM account_tier.account_tiers;

SELECT gen.same($$
  SELECT owner, planned_key_share, planned_secondary_share, planned_pipeline_share, capacity_source
  FROM account_tier.owner_scorecard WHERE owner IN ('cyd', 'gil') ORDER BY owner
$$, $$ VALUES ('cyd', 0::numeric, 0::numeric, 1::numeric, 'visits made'),
              ('gil', (SELECT planned_key_share FROM bk.x_card WHERE owner = 'gil'),
                      (SELECT planned_secondary_share FROM bk.x_card WHERE owner = 'gil'),
                      (SELECT planned_pipeline_share FROM bk.x_card WHERE owner = 'gil'), 'default') $$,
'owner_scorecard: cyd, whose customers are all C under P1, plans 0 (not NULL) for A and for B and C: '
'all of its own visits are left for prospects and leads; gil, without visits, plans 480');
SELECT is((SELECT visit_capacity FROM account_tier.owner_scorecard WHERE owner = 'gil'), 480::numeric,
          'owner_scorecard: an owner without recorded visits has a capacity of 480');

SELECT bk.set_policy($$as_of = '2025-06-30', method = 'count', count_a = 0.25, count_b = 0.75,
                       scope = 'owner', lead_cap = 3$$);
SELECT * FROM bk.check_views('P2 count 0.25/0.75, owner, lead_cap 3');

SELECT ok(EXISTS (SELECT FROM account_tier.account_tiers t JOIN bk.p1_view p USING (account_id) WHERE t.tier <> p.tier)
      AND (SELECT count(*) FROM account_tier.leads WHERE NOT within_cap) = 3
      AND (SELECT extversion FROM pg_extension WHERE extname = 'account_tier')
          = (SELECT default_version FROM pg_available_extensions WHERE name = 'account_tier'),
          'an UPDATE of policy alone changes the tiers and the lead cap the views show');

SELECT gen.same($$
  SELECT owner, leads, leads_over_cap FROM account_tier.owner_scorecard WHERE owner = 'dana'
$$, $$ VALUES ('dana', 4::bigint, 1::bigint) $$,
'owner_scorecard has a row for an owner holding only prospects and leads (dana: 4 leads, 1 over the cap of 3)');

SELECT bk.set_policy($$as_of = '2025-06-30', method = 'computed', visit_capacity = 200,
                       a_time = 0.6, b_time = 0.3, c_time = 0.1, max_visits = 5$$);
SELECT * FROM bk.check_views('P3 computed, company, capacity 200 at 0.6/0.3/0.1, max 5');

SELECT ok((SELECT count(*) FROM bk.x_tiers WHERE tier = 'A' AND recommended_visits = 5) > 0
      AND (SELECT count(*) FROM bk.x_tiers WHERE tier = 'B' AND recommended_visits > 200 * 0.3 / 15) > 0
      AND (SELECT count(*) FROM bk.x_tiers WHERE owner IS NULL AND recommended_visits IS NOT NULL) = 0,
          'P3 reference: the cap binds, the time A cannot use flows down to B, no plan without an owner');

SELECT bk.set_policy($$as_of = '2025-06-30', method = 'absolute', absolute_a = 20000, absolute_b = 3000,
                       scope = 'owner', at_risk_drop = 0.5$$);
SELECT * FROM bk.check_views('P4 absolute 20,000/3,000, owner, at_risk_drop 0.5');

SELECT bk.set_policy($$as_of = '2025-03-15', revenue_window = '6 months', value_a = 0.5, value_b = 0.9,
                       scope = 'owner', incremental_target = 0.8, lead_cap = 0$$);
SELECT * FROM bk.check_views('P5 value 0.5/0.9, owner, 6 months to 2025-03-15, lead_cap 0');

SELECT bk.set_policy($$as_of = '2024-12-31', revenue_window = '90 days', method = 'computed', scope = 'owner',
                       max_visits = 'Infinity', a_time = 1, b_time = 0, c_time = 0$$);
SELECT * FROM bk.check_views('P6 computed, owner, 90 days to 2024-12-31, all time to A, no cap');

SELECT bk.set_policy($$as_of = '2025-06-30', visit_weighting = 'equal', a_time = 0.6, b_time = 0, c_time = 0.1,
                       min_visits_a = 2$$);
SELECT * FROM bk.check_views('P7 equal split, A 0.6, B 0, C 0.1: what A cannot use skips B');
SELECT ok(NOT EXISTS (SELECT FROM account_tier.account_tiers WHERE tier = 'B' AND recommended_visits <> 0)
      AND EXISTS (SELECT FROM account_tier.account_tiers WHERE tier = 'C' AND recommended_visits > 0)
      AND (SELECT bool_and(o.planned <= c.visit_capacity * 0.7 + 0.05 * o.accounts)
           FROM (SELECT owner, sum(recommended_visits) AS planned, count(*) AS accounts
                 FROM account_tier.account_tiers WHERE owner IS NOT NULL GROUP BY owner) o
           JOIN account_tier.owner_scorecard c USING (owner)),
          'P7: a tier with share 0 gets no visits; C gets its share; no owner is planned beyond 70% of capacity');

SELECT bk.set_policy($$as_of = '2025-03-15', revenue_window = '6 months', visit_weighting = 'potential',
                       visit_capacity = 300, min_visits_a = 10, min_visits_b = 5, max_visits = 40$$);
SELECT * FROM bk.check_views('P8 potential weights, capacity 300, floors 10 and 5, max 40, 6 months');
SELECT ok((SELECT bool_and(recommended_visits >= 10 - 0.05) FROM account_tier.account_tiers
           WHERE tier = 'A' AND owner IN (SELECT owner FROM account_tier.account_tiers WHERE tier = 'A'
                                          GROUP BY owner HAVING count(*) * 10 <= 300 * 0.8))
      AND EXISTS (SELECT FROM bk.x_tiers WHERE tier = 'A' AND exact_visits > 10)
      AND EXISTS (SELECT FROM bk.x_tiers WHERE tier = 'A' AND exact_visits = 10),
          'P8: where the A floor fits, every key account gets at least 10 visits, some more');

SELECT bk.set_policy($$as_of = '2025-06-30', a_time = 0.5, b_time = 0.2, min_visits_b = 0$$);
SELECT * FROM bk.check_views('P9 A 0.5, B 0.2: 30% of each owner''s own visits left for prospects and leads');
SELECT ok((SELECT bool_and(unallocated_visits >= round(0.3 * visit_capacity, 1) - 0.05 * 400)
           FROM account_tier.owner_scorecard WHERE visit_capacity IS NOT NULL)
      AND (SELECT bool_and(planned_pipeline_share > 0.2) FROM account_tier.owner_scorecard
           WHERE visit_capacity IS NOT NULL),
          'P9: the time the shares leave is unallocated (planned_pipeline_share)');

SELECT bk.set_policy('');
SELECT gen.same($$
  SELECT day, window_start, prior_window_start FROM account_tier.current_policy
$$, $$ VALUES (current_date, (current_date - interval '12 months')::date, (current_date - interval '24 months')::date) $$,
'as_of NULL: the views describe today');

-- Snapshots and tier changes ----------------------------------------------------------------
SELECT bk.set_policy($$as_of = '2024-12-31'$$);
CALL account_tier.snapshot();
SELECT bk.refresh();
CREATE TABLE bk.snap1 AS SELECT date '2024-12-31' AS as_of, account_id, owner, revenue, tier FROM bk.x_tiers;

SELECT bk.same_rows('SELECT * FROM bk.snap1', 'SELECT * FROM account_tier.tier_history', '{as_of,account_id}',
  'snapshot() writes every customer''s owner, revenue and tier for as_of 2024-12-31');

CALL account_tier.snapshot();
SELECT bk.same_rows('SELECT * FROM bk.snap1', 'SELECT * FROM account_tier.tier_history', '{as_of,account_id}',
  'snapshot() a second time for the same as_of changes nothing');

SELECT bk.set_policy($$as_of = '2025-06-30', method = 'count'$$);
CALL account_tier.snapshot();
SELECT bk.refresh();
CREATE TABLE bk.snap2 AS SELECT date '2025-06-30' AS as_of, account_id, owner, revenue, tier FROM bk.x_tiers;

SELECT bk.same_rows('SELECT * FROM bk.snap1 UNION ALL SELECT * FROM bk.snap2',
  'SELECT * FROM account_tier.tier_history', '{as_of,account_id}',
  'after a policy change (as_of 2025-06-30, method count), a second snapshot sits beside the first');

SELECT ok((SELECT count(*) FROM bk.snap1 JOIN bk.snap2 USING (account_id) WHERE snap1.tier <> snap2.tier) >= 5,
          'the two snapshots differ in at least five tiers');

SELECT bk.same_rows($$
  SELECT n.account_id, n.owner, o.as_of AS from_as_of, n.as_of AS to_as_of, o.tier AS old_tier, n.tier AS new_tier
  FROM bk.snap1 o JOIN bk.snap2 n USING (account_id) WHERE o.tier <> n.tier
$$, 'SELECT * FROM account_tier.tier_changes', '{account_id,from_as_of}',
  'tier_changes lists exactly the accounts whose tier moved between the two snapshots');

UPDATE account_tier.accounts SET tier_override = 'A' WHERE account_id = 'C-NOSALE';
CALL account_tier.snapshot();
SELECT gen.same($$
  SELECT count(*), count(*) FILTER (WHERE account_id = 'C-NOSALE' AND tier = 'A')
  FROM account_tier.tier_history WHERE as_of = '2025-06-30'
$$, $$ SELECT count(*), 1::bigint FROM bk.snap2 $$,
'snapshot() again for the same as_of replaces that day''s rows with the current tiers');
UPDATE account_tier.accounts SET tier_override = NULL WHERE account_id = 'C-NOSALE';

-- Bad rows are refused ----------------------------------------------------------------------
SELECT bk.set_policy($$as_of = '2025-06-30'$$);

SELECT matches(bk.try($$INSERT INTO account_tier.accounts (account_id, account_name, status) VALUES ('X1', 'X', 'vip')$$),
               '^23514:', 'an account of unknown status is refused (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.accounts (account_id, account_name, potential) VALUES ('X1', 'X', -1)$$),
               '^23514:', 'a negative potential is refused (23514)');
SELECT matches(bk.try($$UPDATE account_tier.accounts SET potential = -0.01 WHERE account_id = 'C001'$$),
               '^23514:', 'an update to a negative potential is refused (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.sales (account_id, booked_on, amount) VALUES ('NOPE', '2025-01-01', 10)$$),
               '^23503:', 'a sale for an unknown account is refused (23503)');
SELECT matches(bk.try($$INSERT INTO account_tier.accounts (account_id, account_name, potential) VALUES ('X1', 'X', 'NaN')$$),
               '^23514:', 'a NaN potential is refused (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.sales (account_id, booked_on, amount) VALUES ('C001', '2025-01-01', 'NaN')$$),
               '^23514:', 'a NaN amount is refused (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.sales (account_id, booked_on, amount) VALUES ('C001', '2025-01-01', '-Infinity')$$),
               '^23514:', 'an infinite amount is refused (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.sales (account_id, booked_on, amount, margin) VALUES ('C001', '2025-01-01', 1, 'Infinity')$$),
               '^23514:', 'an infinite margin is refused (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.sales (account_id, booked_on, amount, kind) VALUES ('C001', '2025-01-01', 10, 'upsell')$$),
               '^23514:', 'a sale of unknown kind is refused (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.visits (account_id, visited_on) VALUES ('NOPE', '2025-01-01')$$),
               '^23503:', 'a visit to an unknown account is refused (23503)');
SELECT matches(bk.try($$INSERT INTO account_tier.policy DEFAULT VALUES$$),
               '^23505:', 'a second policy row is refused (23505)');
-- PostgreSQL 18 reports a RESTRICT foreign key as restrict_violation.
SELECT matches(bk.try($$DELETE FROM account_tier.accounts WHERE account_id = 'C-RISK1'$$),
               CASE WHEN current_setting('server_version_num')::int >= 180000
                    THEN '^23001:' ELSE '^23503:' END,
               'deleting an account with sales is refused (23503; 23001 from PostgreSQL 18 on)');
SELECT matches(bk.try($$DELETE FROM account_tier.policy$$),
               '^[0-9A-Z]{5}:', 'deleting the policy row is refused (the policy has exactly one row)');

SELECT matches(bk.try('UPDATE account_tier.policy SET ' || s), '^23514:', format('policy %s is refused (23514)', s))
FROM (VALUES ('singleton = false'), ('method = ''pareto'''), ('scope = ''team'''),
             ('value_a = 0'), ('value_a = 0.96'), ('value_b = 1.01'), ('value_a = ''NaN'''),
             ('count_a = 0'), ('count_a = 0.9'), ('count_b = 1.5'),
             ('revenue_window = ''0 days'''), ('revenue_window = ''-1 month'''),
             ('visit_capacity = -1'), ('visit_capacity = ''Infinity'''), ('visit_capacity = ''NaN'''),
             ('a_time = -0.1'), ('a_time = 0.9'), ('c_time = 0.01'), ('b_time = ''NaN'''),
             ('max_visits = 0'), ('max_visits = ''NaN'''), ('lead_cap = -1'),
             ('at_risk_drop = 0'), ('at_risk_drop = 1.5'), ('incremental_target = 1.1'), ('incremental_target = -0.1'),
             ('method = ''absolute'', absolute_a = 1000, absolute_b = 2000'),
             ('method = ''absolute'', absolute_a = 0, absolute_b = 0'),
             ('method = ''absolute'', absolute_a = 1000'),
             ('method = ''absolute'''), ('visit_weighting = ''random'''),
             ('min_visits_a = -1'), ('min_visits_a = 53'), ('min_visits_b = ''NaN'''),
             ('max_visits = 3'), ('growth_wallet_share = 0'), ('growth_wallet_share = 1.5')) x(s)
ORDER BY s;

SELECT is(bk.try($$UPDATE account_tier.policy SET a_time = 0.56, b_time = 0.34, c_time = 0.1$$), 'no error',
          'policy time shares 0.56/0.34/0.1 (exactly 1, as recommended_visits accepts them) are accepted');

SELECT gen.same('SELECT * FROM account_tier.policy',
                $$SELECT true, 'value', 0.80, 0.95, 0.20, 0.80, NULL::numeric, NULL::numeric, 'company',
                         interval '12 months', date '2025-06-30', NULL::numeric, 0.80, 0.20,
                         0.00, 52::numeric, 10, 0.20, 0.90, false, 'revenue', 4::numeric, 1::numeric, 0.50$$,
                'the refused changes left the policy row as it was');

-- The lead cap ------------------------------------------------------------------------------
SELECT bk.set_policy($$as_of = '2025-06-30', enforce_lead_cap = true, lead_cap = 2$$);

SELECT lives_ok($$
  INSERT INTO account_tier.accounts (account_id, account_name, owner, status, created_at) VALUES
    ('L-E1', 'Eve lead 1', 'eve', 'lead', '2025-01-01'), ('L-E2', 'Eve lead 2', 'eve', 'lead', '2025-01-02'),
    ('P-E1', 'Eve prospect', 'eve', 'prospect', '2025-01-03')
$$, 'enforce_lead_cap, lead_cap = 2: eve may hold two leads');

SELECT matches(bk.try($$INSERT INTO account_tier.accounts (account_id, account_name, owner, status)
                        VALUES ('L-E3', 'Eve lead 3', 'eve', 'lead')$$),
               '^23514: .*\meve\M.*\m2\M', 'a third lead for eve fails with 23514, naming eve and the cap of 2');
SELECT matches(bk.try($$UPDATE account_tier.accounts SET status = 'lead' WHERE account_id = 'P-E1'$$),
               '^23514: .*\meve\M', 'turning eve''s prospect into a third lead fails (23514)');
SELECT matches(bk.try($$UPDATE account_tier.accounts SET owner = 'eve' WHERE account_id = 'L-B1'$$),
               '^23514: .*\meve\M', 'handing eve a third lead fails (23514)');
SELECT matches(bk.try($$INSERT INTO account_tier.accounts (account_id, account_name, owner, status)
                        VALUES ('L-F1', 'F1', 'fay', 'lead'), ('L-F2', 'F2', 'fay', 'lead'), ('L-F3', 'F3', 'fay', 'lead')$$),
               '^23514: .*\mfay\M', 'three leads for a new owner in one statement fail (23514)');
SELECT is(bk.try($$UPDATE account_tier.accounts SET status = 'prospect' WHERE account_id = 'L-A1'$$), 'no error',
          'an owner over the cap may still qualify a lead');
SELECT is(bk.try($$INSERT INTO account_tier.accounts (account_id, account_name, owner, status) VALUES ('L-N3', 'N3', NULL, 'lead')$$),
          'no error', 'a lead without owner is not capped');
UPDATE account_tier.policy SET enforce_lead_cap = false;
SELECT is(bk.try($$INSERT INTO account_tier.accounts (account_id, account_name, owner, status)
                   VALUES ('L-E3', 'Eve lead 3', 'eve', 'lead')$$),
          'no error', 'with enforce_lead_cap = false the third lead is accepted');
SELECT gen.same($$SELECT account_id, position, within_cap FROM account_tier.leads WHERE owner = 'eve' ORDER BY position$$,
                $$VALUES ('L-E1', 1::bigint, true), ('L-E2', 2, true)$$,
                'leads: eve''s two leads, oldest first, within the cap of 2');

-- Row-level security through the security_invoker views ---------------------------------------
SELECT bk.set_policy($$as_of = '2025-06-30'$$);
CREATE ROLE book_t_rep_ann NOLOGIN;
CREATE TABLE bk.rep_role (role_name name, owner text);
INSERT INTO bk.rep_role VALUES ('book_t_rep_ann', 'ann');
CREATE TABLE bk.seen (what text, j jsonb);
CREATE TABLE bk.seen_tiers AS SELECT * FROM account_tier.account_tiers WHERE false;
CREATE TABLE bk.seen_reference AS SELECT * FROM bk.x_out WHERE false;
GRANT USAGE ON SCHEMA account_tier, bk TO book_t_rep_ann;
GRANT SELECT ON ALL TABLES IN SCHEMA account_tier, bk TO book_t_rep_ann;
GRANT INSERT ON bk.seen, bk.seen_tiers, bk.seen_reference TO book_t_rep_ann;
ALTER TABLE account_tier.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_book ON account_tier.accounts
  USING (owner IN (SELECT r.owner FROM bk.rep_role r WHERE r.role_name = current_user));

SET ROLE book_t_rep_ann;
INSERT INTO bk.seen_tiers SELECT * FROM account_tier.account_tiers;
INSERT INTO bk.seen_reference
SELECT account_id, account_name, owner, revenue, prior_revenue, revenue_change, margin, share,
       cumulative_share, tier, key_account, recommended_visits, cadence, potential, share_of_wallet,
       growth_candidate, at_risk, computed_tier, tier_source, margin_tier, incremental_revenue,
       visits_made, visit_gap, a_min AS a_cutoff
FROM bk.tiers;
INSERT INTO bk.seen SELECT 'key_accounts', to_jsonb(t) FROM account_tier.key_accounts t;
INSERT INTO bk.seen SELECT 'prospects', to_jsonb(t) FROM account_tier.prospects t;
INSERT INTO bk.seen SELECT 'leads', to_jsonb(t) FROM account_tier.leads t;
INSERT INTO bk.seen SELECT 'owner_scorecard', to_jsonb(t) FROM account_tier.owner_scorecard t;
RESET ROLE;

SELECT gen.same($$
  SELECT account_id FROM bk.seen_tiers ORDER BY 1
$$, $$
  SELECT account_id FROM account_tier.accounts WHERE status = 'customer' AND owner = 'ann' ORDER BY 1
$$, 'RLS: through account_tiers the rep role sees exactly its own customers');

SELECT bk.same_rows('SELECT * FROM bk.seen_reference', 'SELECT * FROM bk.seen_tiers', '{account_id}',
  'RLS: what the rep sees in account_tiers is the book tiered as it sees it (the reference under the same role)');

SELECT ok((SELECT count(*) FROM bk.seen_reference) > 100 AND (SELECT count(*) FROM bk.seen WHERE what = 'leads') = 5, 'RLS: the rep''s book is large (sanity)');

SELECT gen.no_rows($$
  SELECT what, j FROM bk.seen
  WHERE what IN ('key_accounts', 'prospects', 'leads', 'owner_scorecard') AND j ->> 'owner' IS DISTINCT FROM 'ann'
$$, 'RLS: key_accounts, prospects, leads and owner_scorecard show the rep nothing of other owners');

SELECT * FROM finish();
ROLLBACK;
