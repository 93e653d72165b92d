-- visits.sql: recommended_visits and recommended_visits_weighted on many
-- generated reps' books (one PARTITION BY owner each) against the
-- invariants of README.md "Visit planning" and a reference written in plain
-- SQL numeric; the weighted form's floors on other books, with weights of
-- any ratio, against a water-filling sweep in exact numeric; visit_cadence
-- at its boundaries; every error path.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
SET LOCAL enable_mergejoin = off;
SET LOCAL work_mem = '64MB';

SELECT plan(59);

CREATE SCHEMA vt;

\ir lib/helpers.psql

-- The reps: 600 small books (0 to 40 accounts) and 24 large ones (500 to
-- 4000), each with a tier mix, a kind of weights, a capacity, shares and a
-- cap of its own.  delta is the part of a_share moved to b_share in the
-- second plan.
CREATE TABLE vt.owner AS
SELECT owner,
       CASE WHEN owner % 25 = 0 THEN 500 + floor(gen.u(owner, 0, 1) * 3500)::int
            ELSE floor(gen.u(owner, 0, 1) * 41)::int END AS n,
       floor(gen.u(owner, 0, 2) * 8)::int AS mix,
       floor(gen.u(owner, 0, 3) * 6)::int AS weights,
       floor(gen.u(owner, 0, 4) * 8)::int AS shares,
       gen.pick('{0,1,52,480,600,-1,-2,1000000}'::float8[], gen.u(owner, 0, 5)) AS capacity,
       gen.pick('{52,1,12,Infinity,-1,1000000000,3,-2,-2}'::float8[], gen.u(owner, 0, 6)) AS cap,
       gen.u(owner, 0, 7) AS u1, gen.u(owner, 0, 8) AS u2, gen.u(owner, 0, 9) AS u3,
       gen.u(owner, 0, 10) AS delta_u
FROM generate_series(1, 624) owner;

-- -1 and -2 stand for random capacities and caps; a cap of -2 is near the
-- rep's average, so that it binds on some accounts of a tier and not others.
UPDATE vt.owner SET capacity = round((gen.u(owner, 0, 11) * 2000)::numeric, 3)::float8 WHERE capacity = -1;
UPDATE vt.owner SET capacity = gen.u(owner, 0, 12) * 1e5 WHERE capacity = -2;
UPDATE vt.owner SET cap = 0.5 + gen.u(owner, 0, 13) * 100 WHERE cap = -1;
UPDATE vt.owner SET cap = (0.2 + gen.u(owner, 0, 14) * 3) * capacity / greatest(n, 1) WHERE cap = -2;
UPDATE vt.owner SET cap = 1 WHERE cap = 0;

-- Shares: the defaults; random, summing to 1; random, summing to less;
-- all to C; all to A; none; half to B and half to C; 0.56, 0.34, 0.1 (whose
-- float8 sum is 1.0000000000000002).
CREATE TABLE vt.param AS
SELECT o.owner, o.n, o.mix, o.weights, o.capacity, o.cap, s.a, s.b, s.c,
       s.a - s.a * o.delta_u AS a2, s.b + s.a * o.delta_u AS b2
FROM vt.owner o,
     LATERAL (SELECT CASE o.shares
                       WHEN 0 THEN ARRAY[0.80, 0.20, 0.0]::float8[]
                       WHEN 1 THEN ARRAY[o.u1, (1 - o.u1) * o.u2, (1 - o.u1) - (1 - o.u1) * o.u2]
                       WHEN 2 THEN ARRAY[0.5 * o.u1, 0.3 * o.u2, 0.2 * o.u3]
                       WHEN 3 THEN ARRAY[0, 0, 1]::float8[]
                       WHEN 4 THEN ARRAY[1, 0, 0]::float8[]
                       WHEN 5 THEN ARRAY[0, 0, 0]::float8[]
                       WHEN 6 THEN ARRAY[0, 0.5, 0.5]::float8[]
                       ELSE ARRAY[0.56, 0.34, 0.1]::float8[] END AS s) sh,
     LATERAL (SELECT sh.s[1] AS a, sh.s[2] AS b, sh.s[3] AS c) s;
ANALYZE vt.param;

-- The accounts.  Tier mixes: A/B/C; no A; only A; no B; only C; only NULL;
-- A/B/C with 30% NULL; A/B with 10% NULL.  Weights: uniform; Pareto (a few
-- large ones, so that caps bind); all equal; with NULL, 0 and negative
-- ones; small integers (ties); ten orders of magnitude either way.
CREATE TABLE vt.acct AS
SELECT p.owner, id,
       CASE p.mix
         WHEN 0 THEN gen.pick('{A,B,B,C,C}'::tier[], r)
         WHEN 1 THEN gen.pick('{B,C,C}'::tier[], r)
         WHEN 2 THEN 'A'::tier
         WHEN 3 THEN gen.pick('{A,C,C}'::tier[], r)
         WHEN 4 THEN 'C'::tier
         WHEN 5 THEN NULL
         WHEN 6 THEN CASE WHEN r < 0.3 THEN NULL ELSE gen.pick('{A,B,B,C,C}'::tier[], gen.u(p.owner, id, 3)) END
         ELSE CASE WHEN r < 0.1 THEN NULL ELSE gen.pick('{A,B,B}'::tier[], gen.u(p.owner, id, 3)) END
       END AS t,
       CASE p.weights
         WHEN 0 THEN 100 * q
         WHEN 1 THEN 1000 * power(1 - q, -1 / 1.16)
         WHEN 2 THEN 5
         WHEN 3 THEN CASE WHEN q < 0.15 THEN NULL WHEN q < 0.3 THEN 0 WHEN q < 0.4 THEN -q * 50
                          ELSE floor(q * 1000) END
         WHEN 4 THEN 1 + floor(q * 3)
         ELSE power(10, 20 * q - 10)
       END::float8 AS w,
       gen.u(p.owner, id, 4) AS rk
FROM vt.param p, generate_series(1, p.n) id,
     LATERAL (SELECT gen.u(p.owner, id, 1) AS r, gen.u(p.owner, id, 2) AS q) x;
ANALYZE vt.acct;

-- Every plan, computed once: e/v are the equal and weighted visits; e2/v2
-- after moving delta of a_share to b_share; eo/vo the same as e/v with the
-- rows in another order (a window ORDER BY); ef/vf with only the first row
-- (in that order) carrying the parameters, the others NULL or nonsense.
CREATE TABLE vt.plan AS
SELECT a.owner, a.id, a.t, a.w, p.capacity, p.cap, p.a, p.b, p.c,
       recommended_visits(a.t, p.capacity, p.a, p.b, p.c, p.cap) OVER o AS e,
       recommended_visits_weighted(a.t, a.w, p.capacity, p.a, p.b, p.c, p.cap) OVER o AS v,
       recommended_visits(a.t, p.capacity, p.a2, p.b2, p.c, p.cap) OVER o AS e2,
       recommended_visits_weighted(a.t, a.w, p.capacity, p.a2, p.b2, p.c, p.cap) OVER o AS v2,
       recommended_visits(a.t, p.capacity, p.a, p.b, p.c, p.cap) OVER r AS eo,
       recommended_visits_weighted(a.t, a.w, p.capacity, p.a, p.b, p.c, p.cap) OVER r AS vo,
       recommended_visits(a.t, f.capacity, f.a, f.b, f.c, f.cap) OVER r AS ef,
       recommended_visits_weighted(a.t, a.w, f.capacity, f.a, f.b, f.c, f.cap) OVER r AS vf
FROM vt.acct a
JOIN vt.param p USING (owner)
JOIN (SELECT owner, max(rk) AS first_rk FROM vt.acct GROUP BY owner) m USING (owner)
CROSS JOIN LATERAL (
  SELECT CASE WHEN first THEN p.capacity END AS capacity,
         CASE WHEN first THEN p.a ELSE -1 END AS a,
         CASE WHEN first THEN p.b ELSE 7 END AS b,
         CASE WHEN first THEN p.c END AS c,
         CASE WHEN first THEN p.cap ELSE 0 END AS cap
  FROM (SELECT a.rk = m.first_rk AS first) x) f
WINDOW o AS (PARTITION BY a.owner),
       r AS (PARTITION BY a.owner ORDER BY a.rk DESC);
ANALYZE vt.plan;

-- Per owner and tier, for each form: the accounts that can take visits (all
-- accounts in the equal form, those of positive weight in the weighted
-- form), how many are at the cap, and the visits given.
CREATE TABLE vt.tier_use AS
SELECT owner, form, t,
       count(id) FILTER (WHERE eligible) AS eligible,
       count(id) FILTER (WHERE eligible AND visits >= cap * (1 - 1e-12)) AS at_cap,
       coalesce(sum(visits), 0) AS used
FROM (SELECT p.owner, f.form, tt.t, pl.id, p.cap,
             CASE f.form WHEN 'equal' THEN pl.e ELSE pl.v END AS visits,
             f.form = 'equal' OR pl.w > 0 AS eligible
      FROM vt.param p
      CROSS JOIN (VALUES ('equal'), ('weighted')) f(form)
      CROSS JOIN unnest('{A,B,C}'::tier[]) tt(t)
      LEFT JOIN vt.plan pl ON pl.owner = p.owner AND pl.t = tt.t) x
GROUP BY owner, form, t;

-- What each tier passes down: its share plus what it received, minus what
-- it used (a tier with share 0 passes on what it receives); C's outflow is
-- what stays unallocated.
CREATE TABLE vt.flow AS
SELECT u.owner, u.form, p.capacity, p.cap, p.a, p.b, p.c,
       p.capacity * p.a - ua.used AS out_a, ua.eligible = ua.at_cap AS full_a,
       p.capacity * (p.a + p.b) - ua.used - ub.used AS out_b, ub.eligible = ub.at_cap AS full_b,
       p.capacity * (p.a + p.b + p.c) - ua.used - ub.used - uc.used AS out_c, uc.eligible = uc.at_cap AS full_c,
       ua.used + ub.used + uc.used AS total, p.capacity * (p.a + p.b + p.c) AS planned,
       1e-9 * greatest(p.capacity, 1) AS tol
FROM (SELECT DISTINCT owner, form FROM vt.tier_use) u
JOIN vt.param p USING (owner)
JOIN vt.tier_use ua ON ua.owner = u.owner AND ua.form = u.form AND ua.t = 'A'
JOIN vt.tier_use ub ON ub.owner = u.owner AND ub.form = u.form AND ub.t = 'B'
JOIN vt.tier_use uc ON uc.owner = u.owner AND uc.form = u.form AND uc.t = 'C';

-- The reference, in numeric.  Budgets flow down in closed form: a tier of
-- k eligible accounts passes on max(budget - k * cap, 0), or all of its
-- budget when k = 0 (no accounts; in the weighted form, no positive weight);
-- a tier with share 0 gets nothing and passes on what it receives.
CREATE TABLE vt.budget AS
SELECT owner, form, t, budget, cap
FROM (SELECT p.owner, f.form, p.capacity::numeric AS capacity, p.cap::numeric AS cap,
             p.a::numeric AS a, p.b::numeric AS b, p.c::numeric AS c,
             max(u.eligible) FILTER (WHERE u.t = 'A') AS ka,
             max(u.eligible) FILTER (WHERE u.t = 'B') AS kb
      FROM vt.param p
      CROSS JOIN (VALUES ('equal'), ('weighted')) f(form)
      JOIN vt.tier_use u ON u.owner = p.owner AND u.form = f.form
      GROUP BY p.owner, f.form, p.capacity, p.cap, p.a, p.b, p.c) x,
     LATERAL (SELECT capacity * a AS ba) s1,
     LATERAL (SELECT CASE WHEN ka = 0 THEN ba ELSE greatest(ba - ka * cap, 0) END AS out_a) s2,
     LATERAL (SELECT CASE WHEN b = 0 THEN 0 ELSE capacity * b + out_a END AS bb) s3,
     LATERAL (SELECT CASE WHEN b = 0 THEN out_a WHEN kb = 0 THEN bb ELSE greatest(bb - kb * cap, 0) END AS out_b) s4,
     LATERAL (SELECT CASE WHEN c = 0 THEN 0 ELSE capacity * c + out_b END AS bc) s5,
     LATERAL (VALUES ('A'::tier, ba), ('B', bb), ('C', bc)) b(t, budget);

-- Equal form: budget / k each, capped.
CREATE TABLE vt.ref_equal AS
SELECT a.owner, a.id, least(b.budget / count(*) OVER (PARTITION BY a.owner, a.t), b.cap) AS visits
FROM vt.acct a JOIN vt.budget b ON b.owner = a.owner AND b.form = 'equal' AND b.t = a.t;

-- Weighted form, water-filling: with the tier's positive weights sorted
-- largest first and the first j - 1 capped, the others share budget -
-- (j - 1) * cap in proportion, at level (budget - (j - 1) * cap) / (sum of
-- weights from j on); the level is that of the smallest j whose weight w_j
-- stays within the cap (or, when budget >= k * cap, every account is
-- capped).  Accounts of weight <= 0 or NULL get 0.
CREATE TABLE vt.ref_fill AS
SELECT owner, id, w, t, budget, cap, j, k, rest,
       CASE WHEN j = 1 THEN budget ELSE budget - (j - 1) * cap END / rest AS level
FROM (SELECT a.owner, a.id, a.w::numeric AS w, a.t, b.budget, b.cap,
             row_number() OVER s AS j, count(*) OVER (PARTITION BY a.owner, a.t) AS k,
             sum(a.w::numeric) OVER (s ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rest
      FROM vt.acct a JOIN vt.budget b ON b.owner = a.owner AND b.form = 'weighted' AND b.t = a.t
      WHERE a.w > 0
      WINDOW s AS (PARTITION BY a.owner, a.t ORDER BY a.w DESC, a.id)) x;

CREATE TABLE vt.ref_weighted AS
SELECT a.owner, a.id,
       CASE WHEN a.t IS NULL THEN NULL
            WHEN coalesce(a.w, 0) <= 0 THEN 0
            WHEN f.budget >= f.k * f.cap THEN f.cap
            ELSE least(lv.level * f.w, f.cap) END AS visits
FROM vt.acct a
LEFT JOIN vt.ref_fill f USING (owner, id)
LEFT JOIN (
  SELECT DISTINCT ON (owner, t) owner, t, level FROM vt.ref_fill
  WHERE CASE WHEN j = 1 THEN budget ELSE budget - (j - 1) * cap END * w <= cap * rest
  ORDER BY owner, t, j) lv ON lv.owner = f.owner AND lv.t = f.t;

-- The suite's own sanity -------------------------------------------------------
SELECT ok((SELECT count(*) FROM vt.plan) > 30000
      AND (SELECT count(*) FROM vt.plan WHERE t IS NULL) > 500
      AND (SELECT count(*) FROM vt.tier_use WHERE eligible = 0) > 300
      AND (SELECT count(*) FROM vt.tier_use WHERE at_cap > 0 AND at_cap < eligible AND form = 'weighted') > 40
      AND (SELECT count(*) FROM vt.tier_use WHERE at_cap > 0 AND at_cap = eligible) > 50
      AND (SELECT count(*) FROM vt.flow WHERE out_a > tol AND out_b > tol) > 20
      AND (SELECT count(*) FROM vt.flow WHERE out_c > tol) > 50
      AND (SELECT count(*) FROM vt.flow WHERE out_c <= tol AND planned > 0) > 200
      AND (SELECT count(*) FROM vt.param WHERE cap = 'Infinity') > 50
      AND (SELECT count(*) FROM vt.param WHERE a + b + c > 1) > 10
      AND (SELECT count(*) FROM vt.plan WHERE t IS NOT NULL AND coalesce(w, 0) <= 0) > 500,
          'the books reach empty tiers, NULL tiers, partly and fully capped tiers, flows down, unallocated time, no cap and shares summing to 1 with rounding');

SELECT gen.no_rows($$
  SELECT f.owner, f.t, min(f.budget) AS budget, sum(r.visits) AS used
  FROM vt.ref_fill f JOIN vt.ref_weighted r USING (owner, id)
  WHERE f.budget < f.k * f.cap
  GROUP BY f.owner, f.t
  HAVING abs(sum(r.visits) - min(f.budget)) > 1e-12 * greatest(min(f.budget), 1)
  LIMIT 20
$$, 'the reference water-filling uses each tier''s whole budget when not every account is capped');

-- Both forms ------------------------------------------------------------------
SELECT gen.no_rows($$
  SELECT owner, id, t, w, e, v FROM vt.plan
  WHERE (t IS NULL) <> (e IS NULL) OR (t IS NULL) <> (v IS NULL)
     OR (t IS NULL) <> (e2 IS NULL) OR (t IS NULL) <> (v2 IS NULL)
  LIMIT 20
$$, 'a NULL tier gets NULL, every other tier a number');

SELECT gen.no_rows($$
  SELECT owner, id, t, w, e, v, cap FROM vt.plan
  WHERE e < 0 OR v < 0 OR e > cap OR v > cap OR e = 'NaN' OR v = 'NaN'
  LIMIT 20
$$, 'every account gets between 0 and max_per_account visits');

SELECT gen.no_rows($$
  SELECT owner, form, total, planned, capacity FROM vt.flow
  WHERE total > planned + tol OR total > capacity * (1 + 1e-9)
  LIMIT 20
$$, 'the visits of a rep add up to at most capacity * (a_share + b_share + c_share)');

SELECT gen.no_rows($$
  SELECT owner, form, out_a, out_b, out_c, tol FROM vt.flow
  WHERE out_a < -tol OR out_b < -tol OR out_c < -tol
  LIMIT 20
$$, 'no tier uses more than its share plus what the tiers above passed down');

SELECT gen.no_rows($$
  SELECT owner, form, a, b, c, out_a, full_a, out_b, full_b, out_c, full_c FROM vt.flow
  WHERE (out_a > tol AND NOT full_a AND a > 0) OR (out_b > tol AND NOT full_b AND b > 0)
     OR (out_c > tol AND NOT full_c AND c > 0)
  LIMIT 20
$$, 'a tier with a share passes visits down only when every account that can take them is at the cap');

SELECT gen.no_rows($$
  SELECT owner, id, t, p.a, p.b, p.b2, p.c, e, v, e2, v2 FROM vt.plan JOIN vt.param p USING (owner)
  WHERE (t = 'A' AND p.a = 0 AND (e <> 0 OR v <> 0))
     OR (t = 'B' AND p.b = 0 AND (e <> 0 OR v <> 0))
     OR (t = 'B' AND p.b2 = 0 AND (e2 <> 0 OR v2 <> 0))
     OR (t = 'C' AND p.c = 0 AND (e <> 0 OR v <> 0 OR e2 <> 0 OR v2 <> 0))
  LIMIT 20
$$, 'a tier with share 0 gets no visits at all, even when the tiers above cannot use theirs');

SELECT gen.no_rows($$
  SELECT owner, form, total, planned FROM vt.flow
  WHERE total < planned - tol AND NOT full_c AND c > 0
  LIMIT 20
$$, 'the visits add up to capacity * (sum of shares) unless tier C is full or has share 0');

SELECT gen.no_rows($$
  SELECT owner, form, total, planned, a, b, c, full_a, full_b, full_c
  FROM vt.flow
  WHERE total < planned - tol
    AND NOT CASE WHEN c > 0 THEN full_c WHEN b > 0 THEN full_b ELSE full_a END
  LIMIT 20
$$, 'visits stay unallocated only when the lowest tier with a share is full');

SELECT gen.no_rows($$
  SELECT owner, id, t, b, e, e2, v, v2 FROM vt.plan
  WHERE (t = 'A' AND (e2 > e + 1e-9 * greatest(capacity, 1) OR v2 > v + 1e-9 * greatest(capacity, 1)))
     OR ((t = 'B' OR (t = 'C' AND b > 0))
         AND (e2 < e - 1e-9 * greatest(capacity, 1) OR v2 < v - 1e-9 * greatest(capacity, 1)))
  LIMIT 20
$$, 'moving part of a_share to b_share never raises an A account''s visits nor lowers a B account''s, '
    'or a C account''s when B already had a share');

SELECT gen.no_rows($$
  SELECT owner, id, e, eo, v, vo FROM vt.plan
  WHERE e IS DISTINCT FROM eo OR v IS DISTINCT FROM vo
  LIMIT 20
$$, 'the order of the rows (a window ORDER BY) changes no result, to the last bit');

SELECT gen.no_rows($$
  SELECT owner, id, e, ef, v, vf FROM vt.plan
  WHERE e IS DISTINCT FROM ef OR v IS DISTINCT FROM vf
  LIMIT 20
$$, 'capacity, shares and cap are read from the partition''s first row only');

-- Equal form --------------------------------------------------------------------
SELECT gen.no_rows($$
  SELECT owner, t, count(DISTINCT e) FROM vt.plan WHERE t IS NOT NULL
  GROUP BY owner, t HAVING count(DISTINCT e) > 1
  LIMIT 20
$$, 'recommended_visits: every account of a tier gets the same visits');

SELECT gen.no_rows($$
  SELECT p.owner, p.id, p.t, p.e, r.visits FROM vt.plan p JOIN vt.ref_equal r USING (owner, id)
  WHERE abs(p.e - r.visits::float8) > 1e-12 * greatest(abs(r.visits::float8), 1)
  LIMIT 20
$$, 'recommended_visits equals the numeric reference (within 1e-12)');

-- Weighted form -------------------------------------------------------------------
SELECT gen.no_rows($$
  SELECT owner, id, t, w, v FROM vt.plan
  WHERE t IS NOT NULL AND coalesce(w, 0) <= 0 AND v <> 0
  LIMIT 20
$$, 'recommended_visits_weighted: NULL, zero and negative weights get 0');

SELECT gen.no_rows($$
  SELECT owner, t, min(v / w), max(v / w) FROM vt.plan
  WHERE w > 0 AND v < cap * (1 - 1e-12)
  GROUP BY owner, t HAVING max(v / w) - min(v / w) > 1e-12 * max(v / w)
  LIMIT 20
$$, 'recommended_visits_weighted: uncapped accounts get visits in proportion to weight');

SELECT gen.no_rows($$
  SELECT owner, t, w, v, prev_w, prev_v FROM (
    SELECT owner, t, w, v, lag(w) OVER s AS prev_w, lag(v) OVER s AS prev_v FROM vt.plan
    WHERE w > 0 WINDOW s AS (PARTITION BY owner, t ORDER BY w, id)) x
  WHERE v < prev_v OR (w = prev_w AND v <> prev_v)
  LIMIT 20
$$, 'recommended_visits_weighted: a larger weight never gets fewer visits, an equal weight the same');

SELECT gen.no_rows($$
  SELECT p.owner, p.id, p.t, p.w, p.v, r.visits, p.cap FROM vt.plan p JOIN vt.ref_weighted r USING (owner, id)
  JOIN vt.param pa USING (owner)
  WHERE (p.v IS NULL) <> (r.visits IS NULL)
     OR abs(p.v - r.visits::float8) > 1e-9 * greatest(abs(r.visits::float8), pa.capacity * 1e-3, 1e-9)
  LIMIT 20
$$, 'recommended_visits_weighted equals the water-filling reference in numeric (within 1e-9)');

SELECT gen.no_rows($$
  SELECT p.owner, p.id, p.t, p.w, p.v, r.visits FROM vt.plan p JOIN vt.ref_weighted r USING (owner, id)
  WHERE p.owner % 25 <> 0 AND p.t IS NOT NULL
    AND abs(p.v - r.visits::float8) > 1e-12 * greatest(abs(r.visits::float8), 1)
  LIMIT 20
$$, 'on the small books, within 1e-12');

SELECT gen.no_rows($$
  SELECT owner, id, e, v FROM vt.plan p JOIN vt.param pa USING (owner)
  WHERE pa.weights = 2 AND e IS DISTINCT FROM v
  LIMIT 20
$$, 'recommended_visits_weighted with equal weights is recommended_visits, to the last bit');

-- Floors (1.3) ------------------------------------------------------------------
-- Other reps, planned with floors: 1485 small books (0 to 30 accounts) and
-- 15 large ones (300 to 3000).  Shares put 0 in the middle and at the end, or
-- give C a share; floors are 0, fit, do not fit, equal the cap; weights
-- include all 0 (or NULL) and ratios up to 1e600, subnormals included.
CREATE TABLE vt.fowner AS
SELECT owner,
       CASE WHEN owner % 100 = 0 THEN 300 + floor(gen.u(owner, 1, 1) * 2700)::int
            ELSE floor(gen.u(owner, 1, 1) * 31)::int END AS n,
       floor(gen.u(owner, 1, 2) * 7)::int AS mix,
       floor(gen.u(owner, 1, 3) * 9)::int AS weights,
       floor(gen.u(owner, 1, 4) * 9)::int AS shares,
       gen.pick('{0,1,1,2,3,4,5}'::int[], gen.u(owner, 1, 5)) AS floors,
       gen.pick('{0,52,480,600,-1,-1,1000000}'::float8[], gen.u(owner, 1, 6)) AS capacity,
       gen.pick('{52,12,Infinity,1,-1,-2,-2,-2}'::float8[], gen.u(owner, 1, 7)) AS cap,
       gen.u(owner, 1, 8) AS u1, gen.u(owner, 1, 9) AS u2, gen.u(owner, 1, 10) AS u3
FROM generate_series(10001, 11500) owner;

-- -1 and -2 stand for random capacities and caps, as above.
UPDATE vt.fowner SET capacity = round((gen.u(owner, 1, 11) * 2000)::numeric, 3)::float8 WHERE capacity = -1;
UPDATE vt.fowner SET cap = 0.5 + gen.u(owner, 1, 12) * 100 WHERE cap = -1;
UPDATE vt.fowner SET cap = (0.2 + gen.u(owner, 1, 13) * 3) * capacity / greatest(n, 1) WHERE cap = -2;
UPDATE vt.fowner SET cap = 1 WHERE cap = 0;

-- Shares: the defaults; 0 in the middle; C visited; no A; all to A; random,
-- summing to 1; random with B at 0, summing to less; 0.56, 0.34, 0.1; all to
-- C.  Floors, each at most the cap: none; about half the rep's average; about
-- three times it; 4, 1 and 0 (the book's defaults); the cap itself (1000
-- without a cap) for A and C; random up to 60.
CREATE TABLE vt.fparam AS
SELECT o.owner, o.n, o.mix, o.weights, o.floors, o.capacity, o.cap, s.s[1] AS a, s.s[2] AS b, s.s[3] AS c,
       least(f.f[1], o.cap) AS fa, least(f.f[2], o.cap) AS fb, least(f.f[3], o.cap) AS fc
FROM vt.fowner o,
     LATERAL (SELECT CASE o.shares
                       WHEN 0 THEN ARRAY[0.80, 0.20, 0.0]::float8[]
                       WHEN 1 THEN ARRAY[0.70, 0, 0.30]::float8[]
                       WHEN 2 THEN ARRAY[0.60, 0.30, 0.10]::float8[]
                       WHEN 3 THEN ARRAY[0, 0.5, 0.5]::float8[]
                       WHEN 4 THEN ARRAY[1, 0, 0]::float8[]
                       WHEN 5 THEN ARRAY[o.u1, (1 - o.u1) * o.u2, (1 - o.u1) - (1 - o.u1) * o.u2]
                       WHEN 6 THEN ARRAY[0.5 * o.u1, 0, 0.4 * o.u3]
                       WHEN 7 THEN ARRAY[0.56, 0.34, 0.1]::float8[]
                       ELSE ARRAY[0, 0, 1]::float8[] END AS s) s,
     LATERAL (SELECT o.capacity / greatest(o.n, 1) AS avg) v,
     LATERAL (SELECT CASE o.floors
                       WHEN 0 THEN ARRAY[0, 0, 0]::float8[]
                       WHEN 1 THEN ARRAY[o.u1 * v.avg, o.u2 * v.avg, o.u3 * v.avg]
                       WHEN 2 THEN ARRAY[(2 + o.u1) * v.avg, (2 + o.u2) * v.avg, (2 + o.u3) * v.avg]
                       WHEN 3 THEN ARRAY[4, 1, 0]::float8[]
                       WHEN 4 THEN ARRAY[least(o.cap, 1000), 0, least(o.cap, 1000)]
                       ELSE ARRAY[o.u3 * 60, o.u1 * 60, o.u2 * 60] END AS f) f;
ANALYZE vt.fparam;

-- Tier mixes: A/B/C; no A; only A; no B; only C; A/B/C with 30% NULL; A/B
-- with 10% NULL.  Weights: uniform; Pareto; all equal; NULL, 0, negative
-- and positive; small integers (ties); 1e-10 to 1e10; 1e-300 to 1e300;
-- 1e300 beside 1e-30, 1e-300 and subnormals; all 0 or NULL.
CREATE TABLE vt.facct AS
SELECT p.owner, id,
       CASE p.mix
         WHEN 0 THEN gen.pick('{A,B,B,C,C}'::tier[], r)
         WHEN 1 THEN gen.pick('{B,C,C}'::tier[], r)
         WHEN 2 THEN 'A'::tier
         WHEN 3 THEN gen.pick('{A,C,C}'::tier[], r)
         WHEN 4 THEN 'C'::tier
         WHEN 5 THEN CASE WHEN r < 0.3 THEN NULL ELSE gen.pick('{A,B,B,C,C}'::tier[], gen.u(p.owner, id, 3)) END
         ELSE CASE WHEN r < 0.1 THEN NULL ELSE gen.pick('{A,B,B}'::tier[], gen.u(p.owner, id, 3)) END
       END AS t,
       CASE p.weights
         WHEN 0 THEN 100 * q
         WHEN 1 THEN 1000 * power(1 - q, -1 / 1.16)
         WHEN 2 THEN 5
         WHEN 3 THEN CASE WHEN q < 0.15 THEN NULL WHEN q < 0.3 THEN 0 WHEN q < 0.4 THEN -q * 50
                          ELSE floor(q * 1000) END
         WHEN 4 THEN 1 + floor(q * 3)
         WHEN 5 THEN power(10, 20 * q - 10)
         WHEN 6 THEN power(10, 600 * q - 300)
         WHEN 7 THEN CASE WHEN id % 7 = 1 THEN 1e300 WHEN q < 0.3 THEN 5e-324 * (1 + floor(q * 10))
                          WHEN q < 0.6 THEN 1e-30 ELSE 1e-300 * q END
         ELSE CASE WHEN q < 0.5 THEN 0 END
       END::float8 AS w,
       gen.u(p.owner, id, 4) AS rk
FROM vt.fparam p, generate_series(1, p.n) id,
     LATERAL (SELECT gen.u(p.owner, id, 1) AS r, gen.u(p.owner, id, 2) AS q) x;
ANALYZE vt.facct;

-- The weighted form as 1.1 and 1.2 declared it, without floors: the same C
-- function must read no floor it was not given.
CREATE FUNCTION vt.weighted_1_2(t tier, weight float8, capacity float8, a_share float8,
                                b_share float8, c_share float8, max_per_account float8)
RETURNS float8 AS '$libdir/account_tier', 'recommended_visits_weighted_window' LANGUAGE C WINDOW;

-- v with the floors, vo with the rows in another order, vf with the floors
-- on the first row only (in that order), v0 with floors 0, v12 through the
-- 1.2 declaration.
CREATE TABLE vt.fplan AS
SELECT a.owner, a.id, a.t, a.w, p.capacity, p.cap, p.a, p.b, p.c, p.fa, p.fb, p.fc,
       recommended_visits_weighted(a.t, a.w, p.capacity, p.a, p.b, p.c, p.cap, p.fa, p.fb, p.fc) OVER o AS v,
       recommended_visits_weighted(a.t, a.w, p.capacity, p.a, p.b, p.c, p.cap, p.fa, p.fb, p.fc) OVER r AS vo,
       recommended_visits_weighted(a.t, a.w, p.capacity, p.a, p.b, p.c, p.cap,
                                   CASE WHEN first THEN p.fa END, CASE WHEN first THEN p.fb ELSE -1 END,
                                   CASE WHEN first THEN p.fc ELSE 'NaN' END) OVER r AS vf,
       recommended_visits_weighted(a.t, a.w, p.capacity, p.a, p.b, p.c, p.cap, 0, 0, 0) OVER o AS v0,
       vt.weighted_1_2(a.t, a.w, p.capacity, p.a, p.b, p.c, p.cap) OVER o AS v12
FROM vt.facct a JOIN vt.fparam p USING (owner)
JOIN (SELECT owner, max(rk) AS first_rk FROM vt.facct GROUP BY owner) m USING (owner)
CROSS JOIN LATERAL (SELECT a.rk = m.first_rk AS first) f
WINDOW o AS (PARTITION BY a.owner), r AS (PARTITION BY a.owner ORDER BY a.rk DESC);
ANALYZE vt.fplan;

-- The exact value of a double, as a numeric: its significand times a power
-- of 2 (5^k / 10^k for 2^-k), read from its IEEE 754 bits.
CREATE FUNCTION vt.exact(float8) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN $1 = 'Infinity' THEN 'Infinity'::numeric
              ELSE sign($1)::numeric * m * CASE WHEN p >= 0 THEN power(2::numeric, p)
                                                ELSE power(5::numeric, -p) * ('1e' || p)::numeric END END
  FROM (SELECT ('x' || encode(float8send($1), 'hex'))::bit(64)::bigint AS bits) b,
       LATERAL (SELECT (b.bits >> 52) & 2047 AS e, b.bits & 4503599627370495 AS f) x,
       LATERAL (SELECT CASE WHEN x.e = 0 THEN x.f ELSE x.f + 4503599627370496 END::numeric AS m,
                       CASE WHEN x.e = 0 THEN -1074 ELSE x.e - 1075 END AS p) y
$$;

SELECT gen.same($$
  SELECT vt.exact(w) FROM unnest('{0.1,1,-2.5,5e-324,Infinity}'::float8[]) WITH ORDINALITY u(w, i) ORDER BY i
$$, $$ VALUES (0.1000000000000000055511151231257827021181583404541015625),
              (1), (-2.5),
              (('0.' || repeat('0', 323) || '4940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625')::numeric),
              ('Infinity') $$,
  'the reference reads doubles exactly: 0.1, 1, -2.5, the smallest subnormal, Infinity');

-- The reference, in numeric, on the exact values of the doubles.  Per tier: k accounts, pos of them with a
-- positive weight, floor f and cap m.  A tier that would plan every
-- positive weight at the cap plans pos * m + (k - pos) * f; it passes on
-- what its budget has beyond that (all of it when k = 0); a tier with
-- share 0 gets nothing and passes on what it receives.
CREATE FUNCTION vt.unused(budget numeric, f numeric, m numeric, k bigint, pos bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN k = 0 THEN budget
                  ELSE greatest(budget - CASE WHEN pos = 0 THEN 0 ELSE m * pos END - f * (k - pos), 0) END $$;

CREATE TABLE vt.fexact AS
SELECT owner, id, vt.exact(w) AS w FROM vt.facct WHERE w > 0;
CREATE UNIQUE INDEX ON vt.fexact (owner, id);

CREATE TABLE vt.ftier AS
WITH k AS (
  SELECT owner, count(*) FILTER (WHERE t = 'A') AS ka, count(*) FILTER (WHERE t = 'A' AND w > 0) AS pa,
         count(*) FILTER (WHERE t = 'B') AS kb, count(*) FILTER (WHERE t = 'B' AND w > 0) AS pb,
         count(*) FILTER (WHERE t = 'C') AS kc, count(*) FILTER (WHERE t = 'C' AND w > 0) AS pc
  FROM vt.facct GROUP BY owner
), x AS MATERIALIZED (
  SELECT p.owner, vt.exact(p.capacity) AS cy, vt.exact(p.cap) AS m,
         vt.exact(p.a) AS sa, vt.exact(p.b) AS sb, vt.exact(p.c) AS sc,
         vt.exact(p.fa) AS fa, vt.exact(p.fb) AS fb, vt.exact(p.fc) AS fc,
         coalesce(k.ka, 0) AS ka, coalesce(k.pa, 0) AS pa, coalesce(k.kb, 0) AS kb,
         coalesce(k.pb, 0) AS pb, coalesce(k.kc, 0) AS kc, coalesce(k.pc, 0) AS pc
  FROM vt.fparam p LEFT JOIN k USING (owner)
)
SELECT x.owner, b.t, b.share, b.budget, b.f, x.m, b.k, b.pos,
       CASE WHEN b.share = 0 THEN 'none'
            WHEN b.k = 0 THEN 'empty'
            WHEN b.f * b.k > b.budget THEN 'even'
            WHEN b.budget >= CASE WHEN b.pos = 0 THEN 0 ELSE x.m * b.pos END + b.f * (b.k - b.pos) THEN 'full'
            ELSE 'fill' END AS mode
FROM x,
     LATERAL (SELECT x.cy * x.sa AS ba) s1,
     LATERAL (SELECT CASE WHEN x.sa = 0 THEN 0 ELSE vt.unused(ba, x.fa, x.m, x.ka, x.pa) END AS out_a) s2,
     LATERAL (SELECT CASE WHEN x.sb = 0 THEN 0 ELSE x.cy * x.sb + out_a END AS bb) s3,
     LATERAL (SELECT CASE WHEN x.sb = 0 THEN out_a ELSE vt.unused(bb, x.fb, x.m, x.kb, x.pb) END AS out_b) s4,
     LATERAL (SELECT CASE WHEN x.sc = 0 THEN 0 ELSE x.cy * x.sc + out_b END AS bc) s5,
     LATERAL (VALUES ('A'::tier, x.sa, ba, x.fa, x.ka, x.pa), ('B', x.sb, bb, x.fb, x.kb, x.pb),
                     ('C', x.sc, bc, x.fc, x.kc, x.pc)) b(t, share, budget, f, k, pos);

-- Water-filling by a sweep of lambda upwards: an account of weight w leaves
-- the floor at lambda = f / w and reaches the cap at m / w.  After the
-- events up to lambda, n_free accounts have left the floor, n_cap reached
-- the cap, and the free ones weigh s in all; the tier then plans
-- fixed + lambda * s, with fixed = n_cap * m + (k - n_free) * f.  The last
-- event where that is within the budget (compared exactly: multiplied by w)
-- gives lambda = (budget - fixed) / s.
CREATE TABLE vt.fsweep AS
SELECT owner, t, lambda, fixed, s,
       (fixed - budget) * w + c * s <= 0 AS within
FROM (SELECT e.owner, e.t, e.lambda, e.c, e.w, ft.budget,
             CASE WHEN count(*) FILTER (WHERE e.cap) OVER s = 0 THEN 0
                  ELSE ft.m * count(*) FILTER (WHERE e.cap) OVER s END
               + ft.f * (ft.k - count(*) FILTER (WHERE NOT e.cap) OVER s) AS fixed,
             sum(CASE WHEN e.cap THEN -e.w ELSE e.w END) OVER s AS s
      FROM (SELECT a.owner, a.t, x.w, ev.cap, ev.c, ev.c / x.w AS lambda
            FROM vt.facct a
            JOIN vt.fexact x USING (owner, id)
            JOIN vt.ftier ft ON ft.owner = a.owner AND ft.t = a.t AND ft.mode = 'fill'
            CROSS JOIN LATERAL (VALUES (false, ft.f), (true, ft.m)) ev(cap, c)
            WHERE NOT ev.cap OR ft.m < 'Infinity') e
      JOIN vt.ftier ft ON ft.owner = e.owner AND ft.t = e.t
      WINDOW s AS (PARTITION BY e.owner, e.t ORDER BY e.lambda)) x;

CREATE TABLE vt.fsolve AS
SELECT DISTINCT ON (owner, t) owner, t, fixed, s
FROM vt.fsweep WHERE within
ORDER BY owner, t, lambda DESC;

CREATE TABLE vt.fref AS
SELECT a.owner, a.id, ft.mode,
       CASE WHEN a.t IS NULL THEN NULL
            WHEN ft.mode = 'none' THEN 0
            WHEN ft.mode = 'even' THEN ft.budget / ft.k
            WHEN coalesce(a.w, 0) <= 0 THEN ft.f
            WHEN ft.mode = 'full' THEN ft.m
            ELSE least(greatest((ft.budget - fs.fixed) * x.w / fs.s, ft.f), ft.m) END AS visits
FROM vt.facct a
LEFT JOIN vt.fexact x USING (owner, id)
LEFT JOIN vt.ftier ft USING (owner, t)
LEFT JOIN vt.fsolve fs USING (owner, t);

SELECT ok((SELECT count(*) FROM vt.fplan) > 40000
      AND (SELECT count(*) FROM vt.fplan WHERE t IS NULL) > 2000
      AND (SELECT count(*) FROM vt.ftier WHERE mode = 'empty') > 800
      AND (SELECT count(*) FROM vt.ftier WHERE mode = 'none' AND k > 0) > 500
      AND (SELECT count(*) FROM vt.ftier ft JOIN vt.ftier up ON up.owner = ft.owner AND up.t < ft.t
           WHERE ft.mode = 'none' AND ft.k > 0 AND up.mode = 'full' AND up.budget > 0) > 150
      AND (SELECT count(*) FROM vt.ftier WHERE mode = 'even' AND f > 0) > 250
      AND (SELECT count(*) FROM vt.ftier WHERE mode = 'full' AND pos > 0 AND f > 0) > 400
      AND (SELECT count(*) FROM vt.ftier WHERE mode = 'full' AND pos = 0 AND f > 0) > 70
      AND (SELECT count(*) FROM vt.ftier WHERE mode = 'fill' AND pos < k AND f > 0) > 15
      AND (SELECT count(*) FROM (SELECT owner, t FROM vt.fref JOIN vt.fplan USING (owner, id)
                                 WHERE mode = 'fill' GROUP BY owner, t
                                 HAVING bool_or(v = fa AND t = 'A' OR v = fb AND t = 'B' OR v = fc AND t = 'C')
                                    AND bool_or(v = cap) AND bool_or(v > greatest(fa, fb, fc) AND v < cap)) x) > 20
      AND (SELECT count(DISTINCT owner) FROM vt.fplan WHERE w < 1e-300 AND w > 0) > 100
      AND (SELECT count(DISTINCT owner) FROM vt.fplan WHERE w >= 1e299) > 100
      AND (SELECT count(*) FROM vt.fparam WHERE cap = 'Infinity' AND floors > 0) > 100
      AND (SELECT count(*) FROM vt.fparam WHERE fa = cap) > 300,
          'the floor books reach share-0 tiers below full ones, floors that do not fit, tiers at floor and cap at once, '
          'all-zero weights, weights from subnormal to 1e300, no cap');

SELECT gen.no_rows($$
  SELECT ft.owner, ft.t, ft.budget, sum(r.visits) AS used
  FROM vt.ftier ft JOIN vt.facct a USING (owner, t) JOIN vt.fref r USING (owner, id)
  WHERE ft.mode IN ('fill', 'even')
  GROUP BY ft.owner, ft.t, ft.budget
  HAVING abs(sum(r.visits) - ft.budget) > 1e-12 * greatest(ft.budget, 1)
  LIMIT 20
$$, 'the reference uses each tier''s whole budget when the floor does not fit or lambda can');

SELECT gen.no_rows($$
  SELECT owner, id, t, w, v FROM vt.fplan
  WHERE (t IS NULL) <> (v IS NULL) OR v < 0 OR v > cap OR v = 'NaN'
  LIMIT 20
$$, 'floors: a NULL tier gets NULL, every other account between 0 and max_per_account, never NaN');

SELECT gen.no_rows($$
  SELECT owner, capacity, sum(v) FROM vt.fplan
  GROUP BY owner, capacity HAVING sum(v) > capacity * (1 + 1e-12)
  LIMIT 20
$$, 'floors: a rep''s visits add up to at most capacity, whatever the weights');

SELECT gen.no_rows($$
  SELECT p.owner, p.id, p.t, p.v, ft.share FROM vt.fplan p JOIN vt.ftier ft USING (owner, t)
  WHERE ft.share = 0 AND p.v <> 0
  LIMIT 20
$$, 'floors: a tier with share 0 gets exactly 0 visits, floor or not');

SELECT gen.no_rows($$
  SELECT p.owner, p.id, p.t, p.w, p.v, ft.f, ft.k, ft.budget FROM vt.fplan p JOIN vt.ftier ft USING (owner, t)
  WHERE ft.share > 0 AND ft.f * ft.k <= ft.budget * (1 - 1e-12) AND p.v < ft.f
  LIMIT 20
$$, 'floors: every account gets at least its tier''s floor when the floor fits the tier''s budget');

SELECT gen.no_rows($$
  SELECT p.owner, p.t, ft.f, ft.k, ft.budget, min(p.v), max(p.v) FROM vt.fplan p JOIN vt.ftier ft USING (owner, t)
  WHERE ft.share > 0 AND ft.f * ft.k > ft.budget * (1 + 1e-12)
  GROUP BY p.owner, p.t, ft.f, ft.k, ft.budget
  HAVING min(p.v) <> max(p.v) OR abs(max(p.v) - ft.budget / ft.k) > 1e-12 * ft.budget / ft.k
  LIMIT 20
$$, 'floors: when the floor does not fit, every account of the tier gets budget / accounts');

SELECT gen.no_rows($$
  SELECT owner, id, v, vo FROM vt.fplan WHERE v IS DISTINCT FROM vo
  LIMIT 20
$$, 'floors: the order of the rows changes no result, to the last bit');

SELECT gen.no_rows($$
  SELECT owner, id, vo, vf FROM vt.fplan WHERE vo IS DISTINCT FROM vf
  LIMIT 20
$$, 'floors: min_a, min_b and min_c are read from the partition''s first row only');

SELECT gen.no_rows($$
  SELECT owner, t, w, v, prev_w, prev_v FROM (
    SELECT owner, t, coalesce(greatest(w, 0), 0) AS w, v,
           lag(coalesce(greatest(w, 0), 0)) OVER s AS prev_w, lag(v) OVER s AS prev_v FROM vt.fplan
    WHERE t IS NOT NULL WINDOW s AS (PARTITION BY owner, t ORDER BY coalesce(greatest(w, 0), 0), id)) x
  WHERE v < prev_v OR (w = prev_w AND v <> prev_v)
  LIMIT 20
$$, 'floors: a larger weight never gets fewer visits, an equal weight the same');

SELECT gen.no_rows($$
  SELECT p.owner, p.id, p.t, p.w, p.v, r.visits, r.mode, p.cap FROM vt.fplan p JOIN vt.fref r USING (owner, id)
  WHERE (p.v IS NULL) <> (r.visits IS NULL)
     OR abs(vt.exact(p.v) - r.visits) > 1e-12 * greatest(abs(r.visits), 1)
  LIMIT 20
$$, 'floors: recommended_visits_weighted equals the sweep reference in numeric (within 1e-12)');

SELECT gen.no_rows($$
  SELECT owner, id, t, w, v0, v12 FROM vt.fplan WHERE v0 IS DISTINCT FROM v12
  LIMIT 20
$$, 'floors 0 give the answers of the 1.2 declaration (which passes no floor), to the last bit');

-- Hand-made books ---------------------------------------------------------------
SELECT gen.same($$
  SELECT DISTINCT t, visits FROM (
    SELECT t, recommended_visits(t, 600) OVER () AS visits FROM (
      SELECT CASE WHEN i <= 40 THEN 'A' ELSE 'B' END::tier AS t FROM generate_series(1, 140) i) s) x
  ORDER BY 1
$$, $$ VALUES ('A'::tier, 12::float8), ('B', 1.2) $$,
  '600 visits over 40 A and 100 B accounts: 12 a year each for A, 1.2 for B');

SELECT gen.same($$
  SELECT w, recommended_visits_weighted('A'::tier, w, 100, 1, 0, 0, 40) OVER () FROM unnest('{60,30,10}'::float8[]) w
$$, $$ VALUES (60::float8, 40::float8), (30, 40), (10, 20) $$,
  'water-filling over two rounds: weights 60, 30, 10, budget 100, cap 40 give 40, 40, 20');

SELECT gen.same($$
  SELECT t, visits FROM (
    SELECT t, recommended_visits(t, 600, max_per_account => 52) OVER () AS visits
    FROM (VALUES ('A'::tier), ('A'), ('B'), (NULL), ('B'), ('B'), ('B'), ('B'), ('B'), ('B'), ('B'), ('B'), ('B')) s(t)) x
  GROUP BY t, visits ORDER BY t
$$, $$ VALUES ('A'::tier, 52::float8), ('B', 49.6), (NULL, NULL) $$,
  'two A accounts at the cap send the rest of A''s 480 to B: (120 + 376) / 10 = 49.6');

-- Extreme weights ---------------------------------------------------------------
-- One weight of 1e300 and ten of 1e-30 in A (budget 384, cap 52): the large
-- account is capped and the ten small ones share the other 332 equally.
-- Scaled by the largest weight, the small ones underflow to 0, which once
-- made the level infinite and every small account capped: 572 visits.
SELECT gen.no_rows($$
  SELECT count(*), sum(v), max(v), count(*) FILTER (WHERE v = 'NaN')
  FROM (SELECT recommended_visits_weighted('A', w, 480) OVER () AS v
        FROM (SELECT 1e300::float8 AS w UNION ALL SELECT 1e-30 FROM generate_series(1, 10)) t) s
  HAVING NOT (sum(v) <= 384 * (1 + 1e-12) AND max(v) <= 52 AND count(*) FILTER (WHERE v = 'NaN') = 0
              AND min(v) >= 33.2 * (1 - 1e-12))
$$, 'weights 1e300 and ten of 1e-30 in A: 52 for the large one, 33.2 each for the others, 384 in all');

-- Catalog -----------------------------------------------------------------------
SELECT gen.same($$
  SELECT proname::text COLLATE "default", prokind::text, provolatile::text, proparallel::text, proisstrict, prosecdef
  FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace
    AND proname IN ('recommended_visits', 'recommended_visits_weighted', 'visit_cadence')
  ORDER BY proname
$$, $$ VALUES ('recommended_visits', 'w', 'i', 's', false, false),
              ('recommended_visits_weighted', 'w', 'i', 's', false, false),
              ('visit_cadence', 'f', 'i', 's', true, false) $$,
  'two immutable, parallel safe window functions and an immutable, strict, parallel safe scalar');

-- visit_cadence ----------------------------------------------------------------
SELECT gen.same($$
  SELECT visit_cadence(v) FROM unnest('{Infinity,1e300,52,51.99999999,26,25.99999999,12,11.99999999,6,5.99999999,4,3.99999999,2,1.99999999,1,0.99999999,5e-324,0,-0}'::float8[]) WITH ORDINALITY u(v, i) ORDER BY i
$$, $$ VALUES ('weekly'), ('weekly'), ('weekly'), ('every two weeks'), ('every two weeks'), ('monthly'),
              ('monthly'), ('every two months'), ('every two months'), ('quarterly'), ('quarterly'),
              ('twice a year'), ('twice a year'), ('yearly'), ('yearly'), ('less than yearly'),
              ('less than yearly'), ('service only'), ('service only') $$,
  'visit_cadence on both sides of every boundary');

SELECT gen.no_rows($$
  SELECT v, visit_cadence(v) FROM (SELECT gen.u(0, i, 77) * 60 AS v FROM generate_series(1, 5000) i) x
  WHERE visit_cadence(v) IS DISTINCT FROM
        CASE WHEN v >= 52 THEN 'weekly' WHEN v >= 26 THEN 'every two weeks' WHEN v >= 12 THEN 'monthly'
             WHEN v >= 6 THEN 'every two months' WHEN v >= 4 THEN 'quarterly' WHEN v >= 2 THEN 'twice a year'
             WHEN v >= 1 THEN 'yearly' WHEN v > 0 THEN 'less than yearly' ELSE 'service only' END
$$, 'visit_cadence agrees with the thresholds on 5000 random numbers');

-- Errors ------------------------------------------------------------------------
SELECT throws_ok($$ SELECT recommended_visits(t, NULL) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22004', 'capacity must not be null', 'NULL capacity: 22004');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, NULL) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22004', 'a_share must not be null', 'NULL a_share: 22004');
SELECT throws_ok($$ SELECT recommended_visits(t, 10, c_share => NULL) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22004', 'c_share must not be null', 'NULL c_share: 22004');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, max_per_account => NULL) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22004', 'max_per_account must not be null', 'NULL max_per_account: 22004');
SELECT throws_ok($$ SELECT recommended_visits(t, -0.5) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'capacity must be a finite number of at least 0, got -0.5', 'negative capacity: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 'Infinity') OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'capacity must be a finite number of at least 0, got Infinity', 'infinite capacity: 22023');
SELECT throws_ok($$ SELECT recommended_visits(t, 10, 0.5, -0.25) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'b_share must be between 0 and 1, got -0.25', 'negative share: 22023');
SELECT throws_ok($$ SELECT recommended_visits(t, 10, 0, 0, 'NaN') OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'c_share must be between 0 and 1, got NaN', 'NaN share: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, 0.7, 0.2, 0.2) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'a_share, b_share and c_share must sum to at most 1, got 1.0999999999999999', 'shares summing above 1: 22023');
SELECT throws_ok($$ SELECT recommended_visits(t, 10, max_per_account => -3) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'max_per_account must be greater than 0, got -3', 'negative cap: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, w, 10) OVER () FROM (VALUES ('A'::tier, 1::float8), ('B', '-Infinity')) s(t, w) $$,
  '22023', 'weight must be a finite number, got -Infinity', 'infinite weight, on any row: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, min_a => 60) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'min_a must be between 0 and max_per_account, got 60', 'min_a above max_per_account: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, max_per_account => 3, min_b => 3.5) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'min_b must be between 0 and max_per_account, got 3.5', 'min_b above a lowered max_per_account: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, min_c => -0.5) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'min_c must be between 0 and max_per_account, got -0.5', 'negative min_c: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, min_a => 'NaN') OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'min_a must be between 0 and max_per_account, got NaN', 'NaN min_a: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, 0.8, 0.2, 0, 'Infinity', 0, 'Infinity') OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22023', 'min_b must be between 0 and max_per_account, got Infinity', 'infinite min_b, even without a cap: 22023');
SELECT throws_ok($$ SELECT recommended_visits_weighted(t, 1, 10, min_c => NULL) OVER () FROM (VALUES ('A'::tier)) s(t) $$,
  '22004', 'min_c must not be null', 'NULL min_c: 22004');
SELECT throws_ok($$ SELECT visit_cadence(-0.001) $$,
  '22023', 'visits_per_year must be at least 0, got -0.001', 'visit_cadence of a negative number: 22023');

SELECT * FROM finish();
ROLLBACK;
