-- Visit planning: recommended_visits, recommended_visits_weighted and
-- visit_cadence, on books worked out by hand (SPEC "Visit planning").
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
--        268 = 348 / 2 = 174 -> 52 each, 244 passes on; C: 0 + 244 = 244 / 4
--        = 61 -> 52 each; 36 of the 400 visits stay unallocated.
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

-- NULL, zero and negative weights count as 0 and get 0 visits; a NULL tier
-- gets NULL whatever its weight.  A: 80 visits for weights 3 and 1 -> 60,
-- 20, but 60 is over the cap (52): 52, and the other gets 80 - 52 = 28.
-- B: 20 visits, but its only weights are 0 and NULL: B cannot use them, so
-- they flow to C (c_share 0), whose single account (weight 2) gets 20.
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
