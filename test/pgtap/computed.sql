-- computed.sql: abc_tier_computed, abc_cutoffs_computed and abc_points against
-- an exact reference written in plain SQL numeric, straight from README.md
-- "Computed ABC", over the generated datasets every reference suite shares
-- (lib/datasets.psql), one PARTITION BY dataset each.  The reference is
-- itself checked by brute force on the small partitions.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
-- The comparisons join window output back to the reference on (dataset,
-- row): a merge join on the dataset alone would be quadratic.
SET LOCAL enable_mergejoin = off;
SET LOCAL work_mem = '64MB';

SELECT plan(35);

\ir lib/helpers.psql
\ir lib/datasets.psql

CREATE SCHEMA cab;

-- Reference -------------------------------------------------------------------
-- Step 1.  Per partition: n = non-NULL rows, T = sum of x = max(v, 0).
CREATE TABLE cab.part AS
SELECT ds, min(shape) AS shape, bool_and(exact) AS exact, count(v) AS n,
       coalesce(sum(greatest(v, 0)), 0) AS t
FROM ref.data GROUP BY ds;
ANALYZE cab.part;

-- Step 2, the ABC curve, where T > 0: x of the non-NULL rows ranked largest
-- first (equal values in any order: C_k is the same), C_k = x_(1) + ... +
-- x_(k), and D_k = n^2 T^2 (p_k^2 + (1 - y_k)^2) = k^2 T^2 + n^2 (T - C_k)^2:
-- the Pareto distance times a positive constant, with no division, in
-- exact numeric arithmetic.
CREATE TABLE cab.curve AS
SELECT c.ds, c.k, c.x, c.c, p.n, p.t,
       c.k * c.k * p.t * p.t + p.n * p.n * (p.t - c.c) * (p.t - c.c) AS d
FROM (SELECT ds, k, x, sum(x) OVER (PARTITION BY ds ORDER BY k) AS c
      FROM (SELECT ds, greatest(v, 0) AS x,
                   row_number() OVER (PARTITION BY ds ORDER BY greatest(v, 0) DESC) AS k
            FROM ref.data WHERE v IS NOT NULL) r) c
JOIN cab.part p USING (ds)
WHERE p.t > 0;
ANALYZE cab.curve;

-- Steps 3 to 6: kP = the smallest k of least D_k; kB = rows with x >= T/n,
-- that is x*n >= T; kA = min, kX = max; kC = the smallest k of least
-- D'_k = (k - kX)^2 T^2 + n^2 (T - C_k)^2.  x_ka and x_kc: the limits x_(kA)
-- and x_(kC).
CREATE TABLE cab.points AS
WITH kp AS (SELECT DISTINCT ON (ds) ds, k AS kp FROM cab.curve ORDER BY ds, d, k),
     kb AS (SELECT ds, count(*) FILTER (WHERE x * n >= t) AS kb FROM cab.curve GROUP BY ds),
     kx AS (SELECT ds, kp, kb, least(kp, kb) AS ka, greatest(kp, kb) AS kx FROM kp JOIN kb USING (ds)),
     kc AS (SELECT DISTINCT ON (c.ds) c.ds, c.k AS kc
            FROM cab.curve c JOIN kx USING (ds)
            ORDER BY c.ds, (c.k - kx.kx) * (c.k - kx.kx) * c.t * c.t + c.n * c.n * (c.t - c.c) * (c.t - c.c), c.k)
SELECT kx.ds, kx.kp, kx.kb, kx.ka, kx.kx, kc.kc, xa.x AS x_ka, xc.x AS x_kc
FROM kx JOIN kc USING (ds)
JOIN cab.curve xa ON xa.ds = kx.ds AND xa.k = kx.ka
JOIN cab.curve xc ON xc.ds = kx.ds AND xc.k = kc.kc;
ANALYZE cab.points;

-- Step 7: A = positive rows with x >= x_(kA), B = the other positive rows
-- with x >= x_(kC), C = the rest (every non-NULL row when T = 0).
CREATE TABLE cab.expect AS
SELECT d.shape, d.ds, d.id, d.v, d.exact,
       CASE WHEN d.v IS NULL THEN NULL
            WHEN d.v > 0 AND d.v >= k.x_ka THEN 'A'
            WHEN d.v > 0 AND d.v >= k.x_kc THEN 'B'
            ELSE 'C' END::account_tier.tier AS tier
FROM ref.data d LEFT JOIN cab.points k USING (ds);
ANALYZE cab.expect;

-- The aggregates: the smallest A and B values; over no non-NULL value NULL;
-- when T = 0 cutoffs (NULL, NULL) and points a row of five NULLs.
CREATE TABLE cab.limits AS
SELECT p.ds, p.shape, p.exact, p.n, p.t,
       CASE WHEN p.n > 0 THEN ROW(min(e.v) FILTER (WHERE e.tier = 'A'),
                                  min(e.v) FILTER (WHERE e.tier = 'B'))::account_tier.cutoffs END AS cutoffs,
       CASE WHEN p.n > 0 THEN ROW(k.kp, k.kb, k.kc,
                                  min(e.v) FILTER (WHERE e.tier = 'A'),
                                  min(e.v) FILTER (WHERE e.tier = 'B'))::account_tier.computed_points END AS points
FROM cab.part p JOIN cab.expect e USING (ds) LEFT JOIN cab.points k USING (ds)
GROUP BY p.ds, p.shape, p.exact, p.n, p.t, k.kp, k.kb, k.kc;
ANALYZE cab.limits;

-- The reference by brute force, on the partitions of up to 100 rows, in the
-- words of README.md rather than the algebra above: C_k as the sum of the
-- first k elements of the sorted array; p_k = k/n and y_k = C_k/T as
-- numerics of 300 decimals; the distances p_k^2 + (1 - y_k)^2 and
-- (p_k - p_kX)^2 + (1 - y_k)^2 as such; the argmin as the smallest k whose
-- distance is within 1e-250 of the least (distinct distances differ by
-- far more than that here, rounding errors are far less); kB as the rows at
-- or above the mean T/n (to 300 decimals); and a row as A when fewer than
-- kA rows have a strictly larger value, B when fewer than kC do.
CREATE TABLE cab.brute_curve AS
SELECT a.ds, k, a.n, a.t,
       round(k::numeric, 300) / a.n AS p,
       round((SELECT sum(e) FROM unnest(a.xs[1:k]) e), 300) / a.t AS y
FROM (SELECT ds, count(*) AS n, sum(greatest(v, 0)) AS t,
             array_agg(greatest(v, 0) ORDER BY greatest(v, 0) DESC) AS xs
      FROM ref.data WHERE v IS NOT NULL AND ds IN (SELECT ds FROM cab.part WHERE n <= 100)
      GROUP BY ds HAVING sum(greatest(v, 0)) > 0) a,
     generate_series(1, a.n) k;

CREATE TABLE cab.brute_points AS
WITH kp AS (SELECT ds, min(k) AS kp
            FROM (SELECT ds, k, dist, min(dist) OVER (PARTITION BY ds) AS least_dist
                  FROM (SELECT ds, k, p * p + (1 - y) * (1 - y) AS dist FROM cab.brute_curve) d) m
            WHERE dist <= least_dist + 1e-250 GROUP BY ds),
     kb AS (SELECT ds, count(*) FILTER (WHERE greatest(v, 0) >= round(p.t, 300) / p.n) AS kb
            FROM ref.data JOIN cab.part p USING (ds)
            WHERE v IS NOT NULL AND p.t > 0 AND p.n <= 100 GROUP BY ds),
     kx AS (SELECT ds, kp, kb, least(kp, kb) AS ka, greatest(kp, kb) AS kx FROM kp JOIN kb USING (ds)),
     kc AS (SELECT ds, min(k) AS kc
            FROM (SELECT ds, k, dist, min(dist) OVER (PARTITION BY ds) AS least_dist
                  FROM (SELECT c.ds, c.k, (c.p - x.p) * (c.p - x.p) + (1 - c.y) * (1 - c.y) AS dist
                        FROM cab.brute_curve c JOIN kx USING (ds)
                        JOIN cab.brute_curve x ON x.ds = c.ds AND x.k = kx.kx) d) m
            WHERE dist <= least_dist + 1e-250 GROUP BY ds)
SELECT * FROM kx JOIN kc USING (ds);

CREATE TABLE cab.brute_tiers AS
WITH small AS (SELECT ds, id, v FROM ref.data WHERE ds IN (SELECT ds FROM cab.part WHERE n <= 100)),
     above AS (SELECT d.ds, d.id, d.v, count(*) FILTER (WHERE w.v > d.v) AS above
               FROM small d JOIN small w USING (ds) GROUP BY d.ds, d.id, d.v)
SELECT a.ds, a.id,
       CASE WHEN a.v IS NULL THEN NULL
            WHEN a.v > 0 AND a.above < b.ka THEN 'A'
            WHEN a.v > 0 AND a.above < b.kc THEN 'B'
            ELSE 'C' END::account_tier.tier AS tier
FROM above a LEFT JOIN cab.brute_points b USING (ds);

-- The suite's own sanity ----------------------------------------------------------
SELECT gen.no_rows($$
  SELECT p.shape, p.ds, e.kp, b.kp, e.kb, b.kb, e.kc, b.kc
  FROM cab.part p LEFT JOIN cab.points e USING (ds) LEFT JOIN cab.brute_points b USING (ds)
  WHERE p.n <= 100 AND (e.kp, e.kb, e.kc) IS DISTINCT FROM (b.kp, b.kb, b.kc)
  UNION ALL
  SELECT e.shape, e.ds, e.id, NULL, NULL, NULL, NULL, NULL
  FROM cab.expect e JOIN cab.brute_tiers b USING (ds, id)
  WHERE e.tier IS DISTINCT FROM b.tier
  UNION ALL
  SELECT 'brute force covers', count(*), NULL, NULL, NULL, NULL, NULL, NULL
  FROM cab.brute_tiers HAVING count(*) < 15000
  ORDER BY 2, 3 LIMIT 20
$$, 'the reference agrees with brute force (distances to 300 decimals) on every partition of up to 100 rows');

SELECT gen.no_rows($$
  SELECT 'rows in A', count(*) FROM cab.expect WHERE tier = 'A' HAVING count(*) < 10000
  UNION ALL SELECT 'rows in B', count(*) FROM cab.expect WHERE tier = 'B' HAVING count(*) < 5000
  UNION ALL SELECT 'rows in C', count(*) FROM cab.expect WHERE tier = 'C' HAVING count(*) < 50000
  UNION ALL SELECT 'NULL rows', count(*) FROM cab.expect WHERE v IS NULL HAVING count(*) < 5000
  UNION ALL SELECT 'datasets with T = 0', count(*) FROM cab.part WHERE n > 0 AND t = 0 HAVING count(*) < 40
  UNION ALL SELECT 'datasets with no non-NULL value', count(*) FROM cab.part WHERE n = 0 HAVING count(*) < 10
  UNION ALL SELECT 'datasets with B empty', count(*) FROM cab.limits WHERE t > 0 AND (cutoffs).b_min IS NULL HAVING count(*) < 200
  UNION ALL SELECT 'datasets with kP < kB', count(*) FROM cab.points WHERE kp < kb HAVING count(*) < 300
  UNION ALL SELECT 'datasets with kP > kB', count(*) FROM cab.points WHERE kp > kb HAVING count(*) < 40
  UNION ALL SELECT 'datasets with kC > kX', count(*) FROM cab.points WHERE kc > kx HAVING count(*) < 300
  UNION ALL SELECT 'datasets with kC = kX', count(*) FROM cab.points WHERE kc = kx HAVING count(*) < 200
  UNION ALL SELECT 'datasets with T > 0 and rows <= 0', count(DISTINCT ds) FROM cab.curve WHERE x = 0 HAVING count(DISTINCT ds) < 200
  UNION ALL SELECT 'tie group straddling kA', count(*) FROM cab.points k JOIN cab.curve c ON c.ds = k.ds AND c.k = k.ka + 1
            WHERE c.x = k.x_ka HAVING count(*) < 100
  UNION ALL SELECT 'tie group straddling kC', count(*) FROM cab.points k JOIN cab.curve c ON c.ds = k.ds AND c.k = k.kc + 1
            WHERE c.x = k.x_kc AND c.x > 0 AND k.kc > k.ka HAVING count(*) < 100
  UNION ALL SELECT 'datasets with a row exactly at the mean', count(DISTINCT ds) FROM cab.curve
            WHERE x * n = t HAVING count(DISTINCT ds) < 150
  UNION ALL SELECT 'datasets whose least Pareto distance is reached twice', count(*)
            FROM (SELECT ds FROM (SELECT ds, d, min(d) OVER (PARTITION BY ds) AS least_d FROM cab.curve) c
                  WHERE d = least_d GROUP BY ds HAVING count(*) > 1) x HAVING count(*) < 30
  UNION ALL SELECT 'datasets whose least submarginal distance is reached twice', count(*)
            FROM (SELECT ds FROM (SELECT ds, d2, min(d2) OVER (PARTITION BY ds) AS least_d2
                                  FROM (SELECT c.ds, (c.k - k.kx) * (c.k - k.kx) * c.t * c.t
                                                     + c.n * c.n * (c.t - c.c) * (c.t - c.c) AS d2
                                        FROM cab.curve c JOIN cab.points k USING (ds)) c) c
                  WHERE d2 = least_d2 GROUP BY ds HAVING count(*) > 1) x HAVING count(*) < 10
  UNION ALL SELECT 'datasets with all non-NULL values equal and positive', count(*)
            FROM (SELECT ds FROM ref.data WHERE v IS NOT NULL GROUP BY ds HAVING min(v) = max(v) AND min(v) > 0) x
            HAVING count(*) < 60
$$, 'the datasets reach every tier, empty B, kP on both sides of kB, ties at kA and kC, rows at the mean and level distances');

-- numeric input -----------------------------------------------------------------
SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.tier AS expected, g.got
  FROM cab.expect e
  JOIN (SELECT ds, id, abc_tier_computed(v) OVER (PARTITION BY ds) AS got FROM ref.data) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_computed(numeric) equals the reference on every row of every dataset');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.tier AS expected, g.got
  FROM cab.expect e
  JOIN (SELECT ds, id, abc_tier_computed(v) OVER (PARTITION BY ds ORDER BY rk) AS got FROM ref.data) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_computed(numeric) OVER (... ORDER BY a random key) equals the reference');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.tier AS expected, g.got
  FROM cab.expect e
  JOIN (SELECT ds, id, abc_tier_computed(v) OVER (PARTITION BY ds ORDER BY v DESC NULLS FIRST, rk
                                                  ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS got
        FROM ref.data) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_computed(numeric) OVER (... ORDER BY v, one-row frame) equals the reference');

CREATE TABLE cab.shuffled AS SELECT * FROM ref.data ORDER BY rk;
ANALYZE cab.shuffled;

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.tier AS expected, g.got
  FROM cab.expect e
  JOIN (SELECT ds, id, abc_tier_computed(v) OVER (PARTITION BY ds) AS got FROM cab.shuffled) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_computed(numeric) on rows in random physical order equals the reference');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.n, e.t, e.points AS expected, g.got
  FROM cab.limits e
  JOIN (SELECT ds, abc_points(v) AS got FROM ref.data GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.points OR (g.got::text IS NULL) <> (e.points::text IS NULL)
  ORDER BY e.ds LIMIT 20
$$, 'abc_points(numeric): pareto_k, break_even_k, submarginal_k, a_min and b_min equal the reference');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.n, e.t, e.cutoffs AS expected, g.got
  FROM cab.limits e
  JOIN (SELECT ds, abc_cutoffs_computed(v) AS got FROM ref.data GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.cutoffs OR (g.got::text IS NULL) <> (e.cutoffs::text IS NULL)
  ORDER BY e.ds LIMIT 20
$$, 'abc_cutoffs_computed(numeric) are the smallest A and B values of the reference');

SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id, w.v, c.c, w.t, abc_classify(w.v, c.c) AS classified
  FROM (WITH w AS MATERIALIZED (SELECT shape, ds, id, v, abc_tier_computed(v) OVER (PARTITION BY ds) AS t FROM ref.data)
        SELECT * FROM w) w
  JOIN (WITH c AS MATERIALIZED (SELECT ds, abc_cutoffs_computed(v) AS c FROM ref.data GROUP BY ds)
        SELECT * FROM c) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.id LIMIT 20
$$, 'numeric, every dataset: abc_classify(v, abc_cutoffs_computed(v)) = abc_tier_computed(v)');

-- float8 input -------------------------------------------------------------------
-- On the datasets whose values and partial sums are exact in float8, the
-- float8 functions must give the numeric reference's answers.
SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.tier AS expected, g.got
  FROM cab.expect e
  JOIN (SELECT ds, id, abc_tier_computed(v::float8) OVER (PARTITION BY ds) AS got
        FROM ref.data WHERE exact) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_computed(float8) equals the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.tier AS expected, g.got
  FROM cab.expect e
  JOIN (SELECT ds, id, abc_tier_computed(v::float8) OVER (PARTITION BY ds ORDER BY rk) AS got
        FROM cab.shuffled WHERE exact) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_computed(float8) OVER (... ORDER BY a random key), rows shuffled, equals the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.n, e.t, e.points AS expected, g.got
  FROM (SELECT * FROM cab.limits WHERE exact) e
  FULL JOIN (SELECT ds, abc_points(v::float8) AS got FROM ref.data WHERE exact GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.points OR (g.got::text IS NULL) <> (e.points::text IS NULL)
  ORDER BY ds LIMIT 20
$$, 'abc_points(float8) equals the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.n, e.t, e.cutoffs AS expected, g.got
  FROM (SELECT * FROM cab.limits WHERE exact) e
  FULL JOIN (SELECT ds, abc_cutoffs_computed(v::float8) AS got FROM ref.data WHERE exact GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.cutoffs OR (g.got::text IS NULL) <> (e.cutoffs::text IS NULL)
  ORDER BY ds LIMIT 20
$$, 'abc_cutoffs_computed(float8) equal the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id, w.v, c.c, w.t, abc_classify(w.v, c.c) AS classified
  FROM (WITH w AS MATERIALIZED (SELECT shape, ds, id, v::float8 AS v,
                                       abc_tier_computed(v::float8) OVER (PARTITION BY ds) AS t FROM ref.data)
        SELECT * FROM w) w
  JOIN (WITH c AS MATERIALIZED (SELECT ds, abc_cutoffs_computed(v::float8) AS c FROM ref.data GROUP BY ds)
        SELECT * FROM c) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.id LIMIT 20
$$, 'float8, every dataset (exact or not): abc_classify(v, abc_cutoffs_computed(v)) = abc_tier_computed(v)');

-- What the definition implies whatever the data, for both types on every
-- dataset (for float8 on the inexact ones too) -----------------------------------
-- (Views, so that an ERROR fails only the tests that run into it.)
CREATE VIEW cab.got AS
SELECT ds, id, v, abc_tier_computed(v) OVER w AS tn, abc_tier_computed(v::float8) OVER w AS tf
FROM ref.data WINDOW w AS (PARTITION BY ds);

CREATE VIEW cab.got_points AS
SELECT ds, count(v) AS n, coalesce(sum(greatest(v, 0)), 0) AS t,
       abc_points(v) AS pn, abc_points(v::float8) AS pf
FROM ref.data GROUP BY ds;

SELECT gen.no_rows($$
  SELECT ds, n, t, 'numeric' AS type, pn AS points FROM cab.got_points
  WHERE n > 0 AND t > 0 AND NOT (
        (pn).pareto_k BETWEEN 1 AND n AND (pn).break_even_k BETWEEN 1 AND n AND (pn).submarginal_k <= n
    AND (pn).submarginal_k >= greatest((pn).pareto_k, (pn).break_even_k)
    AND (pn).a_min > 0 AND ((pn).b_min IS NULL OR ((pn).b_min > 0 AND (pn).b_min < (pn).a_min)))
  UNION ALL
  SELECT ds, n, t, 'float8', pf FROM cab.got_points
  WHERE n > 0 AND t > 0 AND NOT (
        (pf).pareto_k BETWEEN 1 AND n AND (pf).break_even_k BETWEEN 1 AND n AND (pf).submarginal_k <= n
    AND (pf).submarginal_k >= greatest((pf).pareto_k, (pf).break_even_k)
    AND (pf).a_min > 0 AND ((pf).b_min IS NULL OR ((pf).b_min > 0 AND (pf).b_min < (pf).a_min)))
  ORDER BY 1, 4 LIMIT 20
$$, 'abc_points, both types, T > 0: 1 <= kP, kB <= n, max(kP, kB) <= kC <= n, a_min > 0, 0 < b_min < a_min');

SELECT gen.no_rows($$
  SELECT ds, n, t, pn, pf FROM cab.got_points
  WHERE (n = 0 AND (pn::text IS NOT NULL OR pf::text IS NOT NULL))
     OR (n > 0 AND t = 0 AND (pn::text IS DISTINCT FROM '(,,,,)' OR pf::text IS DISTINCT FROM '(,,,,)'))
  ORDER BY ds LIMIT 20
$$, 'abc_points, both types: NULL over no non-NULL value, five NULL fields when T = 0');

SELECT gen.no_rows($$
  SELECT ds, v, count(DISTINCT tn) AS numeric_tiers, count(DISTINCT tf) AS float8_tiers
  FROM cab.got WHERE v IS NOT NULL
  GROUP BY ds, v HAVING count(DISTINCT tn) > 1 OR count(DISTINCT tf) > 1
  ORDER BY ds, v LIMIT 20
$$, 'abc_tier_computed, both types: rows of equal value share a tier');

SELECT gen.no_rows($$
  SELECT ds, id, v, tn, tf FROM cab.got
  WHERE (v IS NULL AND (tn IS NOT NULL OR tf IS NOT NULL))
     OR (v <= 0 AND (tn IS DISTINCT FROM 'C' OR tf IS DISTINCT FROM 'C'))
     OR (v > 0 AND (tn IS NULL OR tf IS NULL))
  ORDER BY ds, id LIMIT 20
$$, 'abc_tier_computed, both types: values <= 0 are C, NULL values NULL');

SELECT gen.no_rows($$
  SELECT ds, id, v, tn, tf, prev_tn, prev_tf
  FROM (SELECT ds, id, v, tn, tf, lag(tn) OVER w AS prev_tn, lag(tf) OVER w AS prev_tf
        FROM cab.got WHERE v IS NOT NULL
        WINDOW w AS (PARTITION BY ds ORDER BY v DESC, id)) x
  WHERE tn < prev_tn OR tf < prev_tf
  ORDER BY ds, id LIMIT 20
$$, 'abc_tier_computed, both types: a larger value never gets a lower tier');

SELECT gen.no_rows($$
  SELECT ds, id, v, tn, tf
  FROM (SELECT *, min(v) OVER (PARTITION BY ds) AS least_v, max(v) OVER (PARTITION BY ds) AS most_v FROM cab.got) g
  WHERE least_v = most_v AND least_v > 0 AND v IS NOT NULL
    AND (tn IS DISTINCT FROM 'A' OR tf IS DISTINCT FROM 'A')
  ORDER BY ds, id LIMIT 20
$$, 'abc_tier_computed, both types: when every value is the same positive number, every row is A');

SELECT gen.no_rows($$
  SELECT ds, count(*) FILTER (WHERE tn = 'A') AS numeric_a_rows, count(*) FILTER (WHERE tf = 'A') AS float8_a_rows
  FROM cab.got GROUP BY ds
  HAVING sum(greatest(v, 0)) > 0 AND (count(*) FILTER (WHERE tn = 'A') = 0 OR count(*) FILTER (WHERE tf = 'A') = 0)
  ORDER BY ds LIMIT 20
$$, 'abc_tier_computed, both types: A is never empty when T > 0');

-- Aggregates do not depend on the order of their input, and as window
-- aggregates over a growing frame each row's result is the plain aggregate
-- over the rows so far (the final function sees a state that grows again).
SELECT gen.no_rows($$
  WITH x AS MATERIALIZED (
    SELECT ds, abc_points(v) AS p1, abc_cutoffs_computed(v) AS c1,
           abc_points(v::float8) AS f1, abc_cutoffs_computed(v::float8) AS g1
    FROM ref.data GROUP BY ds),
  y AS MATERIALIZED (
    SELECT ds, abc_points(v ORDER BY rk) AS p2, abc_cutoffs_computed(v ORDER BY rk DESC) AS c2,
           abc_points(v::float8 ORDER BY rk DESC) AS f2, abc_cutoffs_computed(v::float8 ORDER BY rk) AS g2
    FROM cab.shuffled GROUP BY ds)
  SELECT * FROM x JOIN y USING (ds)
  WHERE p1::text IS DISTINCT FROM p2::text OR c1::text IS DISTINCT FROM c2::text
     OR f1::text IS DISTINCT FROM f2::text OR g1::text IS DISTINCT FROM g2::text
  ORDER BY ds LIMIT 20
$$, 'abc_points and abc_cutoffs_computed, both types, do not depend on the order of their input');

SELECT gen.no_rows($$
  WITH small AS (SELECT * FROM ref.data WHERE ds IN (SELECT ds FROM cab.part WHERE n <= 60)),
  running AS MATERIALIZED (
    SELECT ds, id, abc_points(v) OVER w AS p, abc_cutoffs_computed(v) OVER w AS c,
           abc_points(v::float8) OVER w AS fp, abc_cutoffs_computed(v::float8) OVER w AS fc
    FROM small
    WINDOW w AS (PARTITION BY ds ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
  prefix AS MATERIALIZED (
    SELECT p.ds, p.id, abc_points(d.v) AS p, abc_cutoffs_computed(d.v) AS c,
           abc_points(d.v::float8) AS fp, abc_cutoffs_computed(d.v::float8) AS fc
    FROM small p JOIN small d ON d.ds = p.ds AND d.id <= p.id
    GROUP BY p.ds, p.id)
  SELECT r.ds, r.id, r.p, x.p, r.c, x.c FROM running r JOIN prefix x USING (ds, id)
  WHERE r.p::text IS DISTINCT FROM x.p::text OR r.c::text IS DISTINCT FROM x.c::text
     OR r.fp::text IS DISTINCT FROM x.fp::text OR r.fc::text IS DISTINCT FROM x.fc::text
  ORDER BY r.ds, r.id LIMIT 20
$$, 'as running window aggregates, abc_points and abc_cutoffs_computed equal the plain aggregate over the rows so far');

SELECT gen.no_rows($$
  SELECT ds, id, v, t, c, abc_classify(v, c) AS classified
  FROM (WITH x AS MATERIALIZED (SELECT ds, id, v, abc_tier_computed(v) OVER (PARTITION BY ds) AS t,
                                       abc_cutoffs_computed(v) OVER (PARTITION BY ds) AS c
                                FROM ref.data)
        SELECT * FROM x) x
  WHERE abc_classify(v, c) IS DISTINCT FROM t
  ORDER BY ds, id LIMIT 20
$$, 'abc_cutoffs_computed(v) OVER (PARTITION BY ...) classifies every row as abc_tier_computed does');

-- float8 values spread over 10^-300 .. 10^300, where no sum is exact: what the
-- definition implies whatever the rounding must still hold.
CREATE TABLE cab.wide AS
SELECT ds, id, gen.u(ds, id, 99) AS rk,
       CASE WHEN gen.u(ds, id, 3) < 0.1 THEN NULL
            WHEN gen.u(ds, id, 3) < 0.2 THEN -gen.u(ds, id, 1)
            WHEN gen.u(ds, id, 3) < 0.3 THEN 1e-300
            ELSE gen.u(ds, id, 1) * 10 ^ (floor(gen.u(ds, id, 2) * 600) - 300) END AS v
FROM generate_series(60001, 60040) ds
CROSS JOIN LATERAL generate_series(1, 2 + floor(gen.u(ds, 0, 0) * 40)::int) id;
ANALYZE cab.wide;

SELECT gen.no_rows($$
  SELECT ds, id, v, t0, t1, t2, c, abc_classify(v, c) AS classified, prev_t
  FROM (SELECT ds, id, v, t0, t1, t2, c, lag(t0) OVER (PARTITION BY ds ORDER BY v DESC NULLS LAST, id) AS prev_t
        FROM (SELECT ds, id, v, abc_tier_computed(v) OVER (PARTITION BY ds) AS t0,
                     abc_tier_computed(v) OVER (PARTITION BY ds ORDER BY rk) AS t1,
                     abc_tier_computed(v) OVER (PARTITION BY ds ORDER BY v) AS t2
              FROM cab.wide) w
        JOIN (SELECT ds, abc_cutoffs_computed(v) AS c FROM cab.wide GROUP BY ds) c USING (ds)) x
  WHERE t0 IS DISTINCT FROM t1 OR t0 IS DISTINCT FROM t2 OR abc_classify(v, c) IS DISTINCT FROM t0
     OR (v > 0 AND t0 < prev_t) OR (v <= 0 AND t0 <> 'C')
  ORDER BY ds, id LIMIT 20
$$, 'float8 over 600 orders of magnitude: order-independent, monotone, and abc_classify reproduces the tiers');

SELECT gen.no_rows($$
  SELECT ds, n, p FROM (SELECT ds, count(v) AS n, abc_points(v) AS p FROM cab.wide GROUP BY ds) x
  WHERE NOT ((p).pareto_k BETWEEN 1 AND n AND (p).break_even_k BETWEEN 1 AND n AND (p).submarginal_k <= n
             AND (p).submarginal_k >= greatest((p).pareto_k, (p).break_even_k) AND (p).a_min > 0)
  ORDER BY ds LIMIT 20
$$, 'float8 over 600 orders of magnitude: abc_points stays within its bounds');

-- Scaling every value by one power of two (float8) or of ten (numeric) is
-- exact and changes no point: the tiers and kP, kB, kC stay, the limits
-- scale.  On the datasets of up to 100 rows (float8: the exact ones), for
-- exponents from near the bottom of the double range (the smallest value of
-- these datasets times 2^-1000 is still a normal double) to near its top,
-- and for numerics with 70 to 150 decimals.
CREATE TABLE cab.scales (radix text, s int);
INSERT INTO cab.scales VALUES ('2', -1000), ('2', -600), ('2', -503), ('2', -100), ('2', 300), ('2', 900),
                              ('10', -150), ('10', -70), ('10', -40), ('10', 60);

SELECT gen.no_rows($$
  WITH got AS MATERIALIZED (
    SELECT d.ds, sc.s, abc_points(d.v::float8 * 2::float8 ^ sc.s) AS p,
           abc_cutoffs_computed(d.v::float8 * 2::float8 ^ sc.s) AS c
    FROM ref.data d JOIN cab.part pt USING (ds), cab.scales sc
    WHERE pt.exact AND pt.n BETWEEN 1 AND 100 AND sc.radix = '2'
    GROUP BY d.ds, sc.s)
  SELECT e.shape, g.ds, g.s, e.points AS unscaled, g.p AS got
  FROM got g JOIN cab.limits e USING (ds)
  WHERE ((g.p).pareto_k, (g.p).break_even_k, (g.p).submarginal_k)
        IS DISTINCT FROM ((e.points).pareto_k, (e.points).break_even_k, (e.points).submarginal_k)
     OR (g.p).a_min::float8 IS DISTINCT FROM (e.points).a_min::float8 * 2::float8 ^ g.s
     OR (g.p).b_min::float8 IS DISTINCT FROM (e.points).b_min::float8 * 2::float8 ^ g.s
     OR g.c IS DISTINCT FROM ROW((g.p).a_min, (g.p).b_min)::cutoffs
  ORDER BY g.s, g.ds LIMIT 20
$$, 'float8 values times 2^-1000 .. 2^900: abc_points and abc_cutoffs_computed are the reference''s, scaled');

SELECT gen.no_rows($$
  WITH got AS MATERIALIZED (
    SELECT d.ds, d.id, sc.s, abc_tier_computed(d.v::float8 * 2::float8 ^ sc.s) OVER (PARTITION BY d.ds, sc.s) AS t
    FROM ref.data d JOIN cab.part pt USING (ds), cab.scales sc
    WHERE pt.exact AND pt.n <= 100 AND sc.radix = '2')
  SELECT e.shape, g.ds, g.id, g.s, e.v, e.tier AS expected, g.t AS got
  FROM got g JOIN cab.expect e USING (ds, id)
  WHERE g.t IS DISTINCT FROM e.tier
  ORDER BY g.s, g.ds, g.id LIMIT 20
$$, 'float8 values times 2^-1000 .. 2^900: abc_tier_computed equals the reference');

SELECT gen.no_rows($$
  WITH got AS MATERIALIZED (
    SELECT d.ds, sc.s, abc_points(d.v * ('1e' || sc.s)::numeric) AS p, abc_cutoffs_computed(d.v * ('1e' || sc.s)::numeric) AS c
    FROM ref.data d JOIN cab.part pt USING (ds), cab.scales sc
    WHERE pt.n BETWEEN 1 AND 100 AND sc.radix = '10'
    GROUP BY d.ds, sc.s)
  SELECT e.shape, g.ds, g.s, e.points AS unscaled, g.p AS got
  FROM got g JOIN cab.limits e USING (ds)
  WHERE ((g.p).pareto_k, (g.p).break_even_k, (g.p).submarginal_k)
        IS DISTINCT FROM ((e.points).pareto_k, (e.points).break_even_k, (e.points).submarginal_k)
     OR (g.p).a_min IS DISTINCT FROM (e.points).a_min * ('1e' || g.s)::numeric
     OR (g.p).b_min IS DISTINCT FROM (e.points).b_min * ('1e' || g.s)::numeric
     OR g.c IS DISTINCT FROM ROW((g.p).a_min, (g.p).b_min)::cutoffs
  ORDER BY g.s, g.ds LIMIT 20
$$, 'numeric values times 10^-150 .. 10^60: abc_points and abc_cutoffs_computed are the reference''s, scaled');

SELECT gen.no_rows($$
  WITH got AS MATERIALIZED (
    SELECT d.ds, d.id, sc.s, abc_tier_computed(d.v * ('1e' || sc.s)::numeric) OVER (PARTITION BY d.ds, sc.s) AS t
    FROM ref.data d JOIN cab.part pt USING (ds), cab.scales sc
    WHERE pt.n <= 100 AND sc.radix = '10')
  SELECT e.shape, g.ds, g.id, g.s, e.v, e.tier AS expected, g.t AS got
  FROM got g JOIN cab.expect e USING (ds, id)
  WHERE g.t IS DISTINCT FROM e.tier
  ORDER BY g.s, g.ds, g.id LIMIT 20
$$, 'numeric values times 10^-150 .. 10^60: abc_tier_computed equals the reference');

-- Small cases -----------------------------------------------------------------------
SELECT gen.same($$
  SELECT abc_points(v) IS NULL, abc_cutoffs_computed(v) IS NULL,
         abc_points(v::float8) IS NULL, abc_cutoffs_computed(v::float8) IS NULL
  FROM ref.data WHERE false
$$, $$ VALUES (true, true, true, true) $$,
'abc_points and abc_cutoffs_computed over no rows are NULL');

SELECT gen.no_rows($$
  SELECT v, abc_tier_computed(v) OVER () FROM ref.data WHERE false
$$, 'abc_tier_computed over no rows returns no rows');

-- Integers resolve to an overload without a cast, and agree with numeric.
SELECT gen.no_rows($$
  SELECT ds, id FROM (
    SELECT ds, id, abc_tier_computed(v::int) OVER w AS ti, abc_tier_computed(v::bigint) OVER w AS tb,
           abc_tier_computed(v) OVER w AS tn
    FROM ref.data WHERE shape IN ('random_int', 'ties', 'limit_ties', 'two_clusters')
    WINDOW w AS (PARTITION BY ds)) x
  WHERE ti IS DISTINCT FROM tn OR tb IS DISTINCT FROM tn
  UNION ALL
  SELECT ds, NULL FROM ref.data WHERE shape IN ('random_int', 'ties', 'limit_ties', 'two_clusters')
  GROUP BY ds
  HAVING abc_points(v::int) IS DISTINCT FROM abc_points(v)
      OR abc_cutoffs_computed(v::bigint) IS DISTINCT FROM abc_cutoffs_computed(v)
  ORDER BY 1, 2 LIMIT 20
$$, 'integer values resolve without a cast and give the numeric results');

-- Two cases that a double-precision evaluation of the distances gets wrong
-- (found by an exact search over small books): 9, 3, 1, 1, 1 has level
-- Pareto distances at k = 1 and 2 (D = 1125 both) and 11, 2, 2, 1 level
-- submarginal distances at k = 1 and 2 (D' = 400 both); the smallest k
-- wins.  Scaled by factors that keep them exact in float8 too.
SELECT gen.same($$
  SELECT b, s, (pn).pareto_k, (pn).break_even_k, (pn).submarginal_k, (pn).a_min, (pn).b_min,
         (pf).pareto_k, (pf).break_even_k, (pf).submarginal_k, (pf).a_min, (pf).b_min
  FROM (SELECT b, s, abc_points(v * s) AS pn, abc_points((v * s)::float8) AS pf
        FROM (VALUES (1, 9), (1, 3), (1, 1), (1, 1), (1, 1), (2, 11), (2, 2), (2, 2), (2, 1)) t(b, v),
             (VALUES (1), (0.0009765625), (1e15), (7)) sc(s)
        GROUP BY b, s) x
  ORDER BY b, s
$$, $$ VALUES (1, 0.0009765625, 1::bigint, 2::bigint, 2::bigint, 0.0087890625, 0.0029296875, 1::bigint, 2::bigint, 2::bigint, 0.0087890625, 0.0029296875),
              (1, 1, 1, 2, 2, 9, 3, 1, 2, 2, 9, 3),
              (1, 7, 1, 2, 2, 63, 21, 1, 2, 2, 63, 21),
              (1, 1e15, 1, 2, 2, 9e15, 3e15, 1, 2, 2, 9e15, 3e15),
              (2, 0.0009765625, 1, 1, 1, 0.0107421875, NULL, 1, 1, 1, 0.0107421875, NULL),
              (2, 1, 1, 1, 1, 11, NULL, 1, 1, 1, 11, NULL),
              (2, 7, 1, 1, 1, 77, NULL, 1, 1, 1, 77, NULL),
              (2, 1e15, 1, 1, 1, 11e15, NULL, 1, 1, 1, 11e15, NULL) $$,
'level distances (9, 3, 1, 1, 1 at k = 1, 2; 11, 2, 2, 1 at kC = 1, 2), both types, four scales: the smallest k wins');

-- Values at numeric's smallest scale: the test's products need twice the
-- 16383 decimals a numeric holds, so the terms are made whole first (before,
-- rounded to that scale, the products of the tiny values vanished and the
-- Pareto point fell on the first rank).  The three values of 1e-16000 hold
-- all of T but less than 1e-16378 of it: the curve reaches its top at k = 3,
-- and A ends there with B empty.
SELECT is((SELECT format('%s %s %s %s %s', (p).pareto_k, (p).break_even_k, (p).submarginal_k,
                          (p).a_min = 1e-16000, (p).b_min IS NULL)
           FROM (SELECT abc_points(v) AS p
                 FROM (VALUES (3e-16383), (1e-16000), (1e-16383), (1e-16383), (1e-16000),
                              (('0.' || repeat('0', 16378) || '60846')::numeric), (1e-16000)) AS t(v)) AS x),
          '3 3 3 t t',
          'abc_points of values at numeric''s smallest scale: the products are exact');

SELECT * FROM finish();
ROLLBACK;
