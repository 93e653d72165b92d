-- Visit planning: recommended_visits, recommended_visits_weighted and
-- visit_cadence, on books worked out by hand (README.md "Visit planning").
SET search_path = account_tier, public;

-- One rep, 600 visits a year, 40 A and 100 B accounts, default shares (80%
-- to A, 20% to B, 0 to C) and cap (52):
--   A: 0.80 * 600 = 480 visits / 40 accounts = 12 a year each (monthly);
--   B: 0.20 * 600 = 120 visits / 100 accounts = 1.2 a year each (yearly).
WITH book AS (
  SELECT i, CASE WHEN i <= 40 THEN 'A' ELSE 'B' END::tier AS t
  FROM generate_series(1, 140) i),
plan AS (SELECT t, recommended_visits(t, 600) OVER () AS visits FROM book)
SELECT t, count(*) AS accounts, min(visits) AS min_visits, max(visits) AS max_visits,
       round(sum(visits)::numeric, 9) AS tier_visits, visit_cadence(max(visits)) AS cadence
FROM plan GROUP BY t ORDER BY t;

-- PARTITION BY owner: each rep's book is planned on its own, and the
-- capacity of each partition is read from its first row.
--   ann: 2 A, 10 B.  A gets 480 / 2 = 240 each, capped at 52: the A tier uses
--        104 and passes 376 down; B gets 120 + 376 = 496 / 10 = 49.6 each.
--   bob: no A account, 20 B, 5 C.  A's 480 flows to B: 600 / 20 = 30 each;
--        C gets its share, 0.
--   cy:  1 A, 2 B, 4 C, capacity 400.  A: 320 -> 52, 268 passes on; B: 80 +
--        268 = 348 / 2 = 174 -> 52 each, 244 passes on; C's share is 0, so
--        C gets none of it: 244 of the 400 visits stay unallocated.
WITH book(owner, t, n, capacity) AS (
  VALUES ('ann', 'A'::tier, 2, 600::float8), ('ann', 'B', 10, 600),
         ('bob', 'B', 20, 600), ('bob', 'C', 5, 600),
         ('cy', 'A', 1, 400), ('cy', 'B', 2, 400), ('cy', 'C', 4, 400)),
plan AS (
  SELECT owner, t, recommended_visits(t, capacity) OVER (PARTITION BY owner) AS visits
  FROM book, generate_series(1, n))
SELECT owner, t, count(*) AS accounts, min(visits) AS min_visits, max(visits) AS max_visits,
       round(sum(sum(visits)) OVER (PARTITION BY owner)::numeric, 9) AS owner_visits
FROM plan GROUP BY owner, t ORDER BY owner, t;

-- The seed rule of thumb with C visited too: 70% A, 20% B, 10% C.
--   A: 70 / 2 = 35, B: 20 / 4 = 5, C: 10 / 8 = 1.25.
WITH book(t, n) AS (VALUES ('A'::tier, 2), ('B', 4), ('C', 8))
SELECT DISTINCT t, visits
FROM (SELECT t, recommended_visits(t, 100, 0.7, 0.2, 0.1) OVER () AS visits
      FROM book, generate_series(1, n)) p ORDER BY t;

-- Shares summing to less than 1 leave time for prospecting:
--   100 visits, 50% to the one A account (50), 20% to the one B (20): 70 used.
SELECT t, recommended_visits(t, 100, 0.5, 0.2, max_per_account => 'Infinity') OVER () AS visits
FROM (VALUES ('A'::tier), ('B')) s(t) ORDER BY t;

-- A tier with share 0 gets no visits, and what comes down passes it by:
-- 70% to A, none to B, 30% to C, 200 visits.  A: 140 for 1 account, capped
-- at 52; the 88 left skip B and reach C: 60 + 88 = 148 / 4 = 37 each.
SELECT t, count(*) AS accounts, min(visits) AS visits
FROM (SELECT t, recommended_visits(t, 200, 0.7, 0, 0.3) OVER () AS visits
      FROM (VALUES ('A'::tier), ('B'), ('B'), ('C'), ('C'), ('C'), ('C')) s(t)) p
GROUP BY t ORDER BY t;

-- A NULL tier gets NULL and is not counted: the 2 A accounts share 480.
SELECT id, t, recommended_visits(t, 600, max_per_account => 1000) OVER (ORDER BY id) AS visits
FROM (VALUES (1, 'A'::tier), (2, NULL), (3, 'A'), (4, NULL)) s(id, t) ORDER BY id;

-- Without a cap (max_per_account = Infinity) every tier uses its whole share.
SELECT t, recommended_visits(t, 600, max_per_account => 'Infinity') OVER () AS visits
FROM (VALUES ('A'::tier), ('B'), ('C')) s(t) ORDER BY t;

-- An ORDER BY or frame in the window changes nothing.
SELECT count(*) AS rows, count(*) FILTER (WHERE v1 = v2 AND v2 = v3) AS same
FROM (SELECT recommended_visits(t, 90) OVER () AS v1,
             recommended_visits(t, 90) OVER (ORDER BY i DESC) AS v2,
             recommended_visits(t, 90) OVER (ORDER BY i ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS v3
      FROM (SELECT i, (ARRAY['A', 'B', 'C'])[1 + i % 3]::tier AS t FROM generate_series(1, 30) i) s) x;

-- Weighted: one A tier of 100 visits (a_share = 1), cap 40, weights 50, 30, 20.
--   In proportion: 50, 30, 20 -- the first is over the cap: it gets 40, and
--   the 60 left go to the others by weight: 60 * 30/50 = 36, 60 * 20/50 = 24.
SELECT w, recommended_visits_weighted(t, w, 100, 1, 0, 0, 40) OVER () AS visits
FROM (VALUES ('A'::tier, 50::float8), ('A', 30), ('A', 20)) s(t, w) ORDER BY w DESC;

-- Water-filling in two rounds: weights 60, 30, 10, cap 40.
--   60, 30, 10 -> 60 is capped (40); the other 60 split 30:10 -> 45, 15 ->
--   45 is capped too (40); the last 20 go to the weight-10 account.
SELECT w, recommended_visits_weighted(t, w, 100, 1, 0, 0, 40) OVER () AS visits
FROM (VALUES ('A'::tier, 60::float8), ('A', 30), ('A', 10)) s(t, w) ORDER BY w DESC;

-- NULL, zero and negative weights count as 0 and get 0 visits (the floor,
-- 0 by default); a NULL tier gets NULL whatever its weight.  A: 80 visits
-- for weights 3 and 1 -> 60, 20, but 60 is over the cap (52): 52, and the
-- other gets 80 - 52 = 28.  B: 20 visits, but its only weights are 0 and
-- NULL: B cannot use them.  C's share is 0, so they stay unallocated and
-- C's single account (weight 2) gets 0.
SELECT id, t, w, recommended_visits_weighted(t, w, 100) OVER () AS visits
FROM (VALUES (1, 'A'::tier, 3::float8), (2, 'A', 1), (3, 'A', 0), (4, 'A', NULL), (5, 'A', -7),
             (6, 'B', 0), (7, 'B', NULL), (8, 'C', 2), (9, NULL, 5)) s(id, t, w)
ORDER BY id;

-- Weighted, cap reached by the whole tier: A's 2 accounts take 52 each,
-- 480 - 104 = 376 flows to B with B's 120: 496 split 3:1 -> 372, 124, both
-- over the cap: 52, 52, and 392 stay unallocated.
SELECT t, w, recommended_visits_weighted(t, w, 600) OVER () AS visits
FROM (VALUES ('A'::tier, 9::float8), ('A', 1), ('B', 3), ('B', 1)) s(t, w) ORDER BY t, w DESC;

-- Equal weights give the equal split.
SELECT count(*) AS rows, count(*) FILTER (WHERE e = w) AS same
FROM (SELECT recommended_visits(t, 777, 0.6, 0.3, 0.1, 9) OVER () AS e,
             recommended_visits_weighted(t, 2.5, 777, 0.6, 0.3, 0.1, 9) OVER () AS w
      FROM (SELECT (ARRAY['A', 'B', 'B', 'C', 'C', 'C', 'C'])[1 + i % 7]::tier AS t
            FROM generate_series(1, 200) i) s) x;

-- Floors: min_a => 5.  One A tier of 100 visits, cap 40; weights 100, 50,
-- 10, 1 and 0.1, and three accounts of weight 0, NULL and -3.  The last
-- three get the floor (15 in all).  In proportion the 85 left would give
-- 100 -> 52.8, over the cap, and 1 and 0.1 -> 0.53 and 0.05, under the
-- floor: they get 40, 5 and 5, and 100 - 15 - 40 - 10 = 35 goes to 50 and
-- 10 in proportion: 29.17 and 5.83.
SELECT w, round(recommended_visits_weighted(t, w, 100, 1, 0, 0, 40, 5) OVER ()::numeric, 9) AS visits
FROM (SELECT 'A'::tier AS t, w FROM unnest('{100,50,10,1,0.1,0,NULL,-3}'::float8[]) w) s
ORDER BY w DESC NULLS LAST;

-- A floor that does not fit: 8 accounts at 5 would need 40 of A's 30
-- visits, so every account gets 30 / 8 = 3.75, whatever its weight.
SELECT DISTINCT recommended_visits_weighted(t, w, 30, 1, 0, 0, 40, 5) OVER () AS visits
FROM (SELECT 'A'::tier AS t, w FROM unnest('{100,50,10,1,0.1,0,NULL,-3}'::float8[]) w) s;

-- Weights that are all 0 give no way to split: each account gets its floor
-- and the rest flows down.  60% to A, 40% to B, 100 visits, min_a => 2:
-- the three A accounts (weights 0, NULL, -1) take 2 each; the 54 left join
-- B's 40: 94, split 3:1 between B's two accounts.
SELECT t, w, recommended_visits_weighted(t, w, 100, 0.6, 0.4, 0, 'Infinity', 2) OVER () AS visits
FROM (VALUES ('A'::tier, 0::float8), ('A', NULL), ('A', -1), ('B', 3), ('B', 1)) s(t, w)
ORDER BY t, w DESC NULLS LAST;

-- Floors for A and B on the default policy (80% to A, 20% to B, none to C,
-- cap 52), 200 visits, weights 1000 / i^2 for account i.  A (accounts 1 to
-- 10): in proportion account 1 would get 103, so it is capped.  Of the 108
-- left, accounts 8 to 10 would get less than min_a = 4; lifting them to it
-- leaves 96, which would give account 7 only 3.83: accounts 7 to 10 get 4,
-- and accounts 2 to 6 share the other 92 by weight (account 2: 46.81).
-- B (accounts 11 to 110):
-- 40 visits would give 0.4 an account, under min_b = 1: B's floor does not
-- fit, so every B account gets 0.4.  C gets nothing.
SELECT t, count(*) AS accounts, count(*) FILTER (WHERE visits = 52) AS at_cap,
       count(*) FILTER (WHERE visits = 4) AS at_floor, round(min(visits)::numeric, 6) AS min_visits,
       round(max(visits) FILTER (WHERE visits < 52)::numeric, 6) AS max_below_cap,
       round(sum(visits)::numeric, 6) AS tier_visits
FROM (SELECT t, recommended_visits_weighted(t, w, 200, min_a => 4, min_b => 1) OVER () AS visits
      FROM (SELECT CASE WHEN i <= 10 THEN 'A' WHEN i <= 110 THEN 'B' ELSE 'C' END::tier AS t,
                   1000.0 / (i * i) AS w
            FROM generate_series(1, 150) i) b) p
GROUP BY t ORDER BY t;

-- Weights far apart: 1e300 and ten of 1e-30 in A (384 visits, cap 52).
-- The large account is capped; the ten small ones share the other 332.
SELECT w, count(*) AS accounts, visits, sum(sum(visits)) OVER () AS a_visits
FROM (SELECT w, recommended_visits_weighted('A', w, 480) OVER () AS visits
      FROM (SELECT 1e300::float8 AS w UNION ALL SELECT 1e-30 FROM generate_series(1, 10)) t) s
GROUP BY w, visits ORDER BY w DESC;

-- visit_cadence at every boundary.
SELECT v, visit_cadence(v)
FROM unnest('{Infinity,52,51.999,26,25.999,12,11.999,6,5.999,4,3.999,2,1.999,1,0.999,1e-9,0,-0}'::float8[]) v;
SELECT visit_cadence(NULL) IS NULL AS null_gives_null;

-- Bad arguments.
\set VERBOSITY default
SELECT recommended_visits(t, NULL) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, NULL) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, max_per_account => NULL) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, -1) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 'NaN') OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 'Infinity') OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, -0.1) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, 0.8, 'NaN') OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, 0.8, 0.2, 0.1) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, max_per_account => 0) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, max_per_account => 'NaN') OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits_weighted(t, w, 100) OVER () FROM (VALUES ('A'::tier, 'Infinity'::float8)) s(t, w);
SELECT recommended_visits_weighted(t, 1, 100, b_share => 2) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits_weighted(t, 1, 100, min_a => 60) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits_weighted(t, 1, 100, max_per_account => 12, min_b => 12.5) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits_weighted(t, 1, 100, min_c => -1) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits_weighted(t, 1, 100, max_per_account => 'Infinity', min_a => 'Infinity') OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits_weighted(t, 1, 100, min_b => NULL) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT visit_cadence(-1);
SELECT visit_cadence('NaN');
-- Shares that sum to 1 up to float8 rounding are accepted (0.56 + 0.34 +
-- 0.1 is 1.0000000000000002 in float8), and scaled so that the visits still
-- add up to no more than capacity.
SELECT 0.56::float8 + 0.34::float8 + 0.1::float8 AS float8_sum;
SELECT t, round(visits::numeric, 9) AS visits, sum(visits) OVER () <= 100 AS within_capacity
FROM (SELECT t, recommended_visits(t, 100, 0.56, 0.34, 0.1, 'Infinity') OVER () AS visits
      FROM (VALUES ('A'::tier), ('B'), ('C')) s(t)) x ORDER BY t;
\set VERBOSITY sqlstate
SELECT recommended_visits(t, NULL) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT recommended_visits(t, 100, 0.9, 0.2) OVER () FROM (VALUES ('A'::tier)) s(t);
SELECT visit_cadence('-Infinity');
