-- reference.sql: the window functions and aggregates against an exact
-- reference written in plain SQL numeric, straight from README.md "Exact definitions",
-- over many generated datasets of many shapes (one PARTITION BY dataset each).
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
-- The comparisons join window output (sorted by dataset only) back to the
-- reference on (dataset, row): a merge join on the dataset alone would be
-- quadratic in the partition size.
SET LOCAL enable_mergejoin = off;
SET LOCAL work_mem = '64MB';

SELECT plan(34);

\ir lib/helpers.psql
\ir lib/datasets.psql

-- Each dataset's thresholds and lorenz_curve points.
ALTER TABLE ref.data
  ADD COLUMN a numeric, ADD COLUMN b numeric,     -- value-share thresholds
  ADD COLUMN ca numeric, ADD COLUMN cb numeric,   -- count-share thresholds
  ADD COLUMN points int;                          -- lorenz_curve points

-- Thresholds and points cycle through the datasets.
CREATE TABLE ref.th (k int, a numeric, b numeric);
INSERT INTO ref.th VALUES
  (0, 0.80, 0.95), (1, 0.5, 0.5), (2, 1, 1), (3, 0.2, 0.8),
  (4, 0.3333333333333333333333333333, 0.6666666666666666666666666667),
  (5, 0.7, 0.9), (6, 0.95, 1), (7, 0.01, 0.02);

UPDATE ref.data d
SET a = tv.a, b = tv.b, ca = tc.a, cb = tc.b,
    points = (ARRAY[2, 3, 5, 11, 101, 7, 4, 1000])[1 + d.ds % 8]
FROM ref.th tv, ref.th tc
WHERE tv.k = d.ds % 8 AND tc.k = (d.ds + 3) % 8;

-- On half of the boundary datasets, put a and b exactly on a cumulative sum:
-- a = cum(G_k)/T and b = cum(G_m)/T (T is 10, 20, 100, 1000, 1.0 or 2.0, so
-- the quotients are exact), so that before(G_k+1) = a*T exactly.
UPDATE ref.data d
SET a = x.a, b = x.b
FROM (SELECT ds,
             min(cum) FILTER (WHERE k = ka) / min(t) AS a,
             min(cum) FILTER (WHERE k = kb) / min(t) AS b
      FROM (SELECT ds, cum, t, k, 1 + ds % greatest(ngroups - 1, 1) AS ka,
                   least(1 + ds % greatest(ngroups - 1, 1) + (ds / 4) % 2, ngroups) AS kb
            FROM (SELECT ds, val, sum(val * cnt) OVER w AS cum,
                         sum(val * cnt) OVER (PARTITION BY ds) AS t,
                         row_number() OVER w AS k, count(*) OVER (PARTITION BY ds) AS ngroups
                  FROM (SELECT ds, v AS val, count(*) AS cnt FROM ref.data
                        WHERE shape IN ('int_boundary', 'decimal_boundary') AND v > 0 AND ds % 4 IN (1, 2)
                        GROUP BY ds, v) g
                  WINDOW w AS (PARTITION BY ds ORDER BY val DESC)) c) kk
      GROUP BY ds) x
WHERE d.ds = x.ds;

ANALYZE ref.data;
ANALYZE ref.sets;

-- Reference -------------------------------------------------------------------
-- Per partition: n = non-NULL rows, T = sum of max(v, 0).
CREATE TABLE ref.part AS
SELECT ds, min(shape) AS shape, bool_and(exact) AS exact,
       count(v) AS n, coalesce(sum(greatest(v, 0)), 0) AS t,
       min(a) AS a, min(b) AS b, min(ca) AS ca, min(cb) AS cb, min(points) AS points
FROM ref.data GROUP BY ds;
ANALYZE ref.part;

-- Per row: cum = sum of the positive values >= v, that is cum(G) of the row's
-- tie group (a RANGE frame takes in every peer of the current row);
-- peers = rows of the same value; before = cum - the group = before(G);
-- above = non-NULL rows with a strictly greater value.
CREATE TABLE ref.expect AS
WITH x AS (
  SELECT ds, id,
         coalesce(sum(greatest(v, 0)) OVER w, 0) AS cum,
         count(v) OVER w AS at_least,
         count(v) OVER (PARTITION BY ds, v) AS peers
  FROM ref.data
  WINDOW w AS (PARTITION BY ds ORDER BY v DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
SELECT d.shape, d.ds, d.id, d.v, x.at_least - x.peers AS above,
       CASE WHEN d.v > 0 THEN x.cum - d.v * x.peers END AS before, x.cum,
       CASE WHEN d.v IS NULL THEN NULL
            WHEN d.v <= 0 THEN 'C'
            WHEN x.cum - d.v * x.peers < p.a * p.t THEN 'A'
            WHEN x.cum - d.v * x.peers < p.b * p.t THEN 'B'
            ELSE 'C' END::account_tier.tier AS value_tier,
       CASE WHEN d.v IS NULL THEN NULL
            WHEN d.v <= 0 THEN 'C'
            WHEN x.at_least - x.peers < p.ca * p.n THEN 'A'
            WHEN x.at_least - x.peers < p.cb * p.n THEN 'B'
            ELSE 'C' END::account_tier.tier AS count_tier,
       CASE WHEN d.v IS NULL OR p.t = 0 THEN NULL
            WHEN d.v <= 0 THEN 1
            ELSE x.cum / p.t END AS share,
       d.v > 0 AND x.cum - d.v * x.peers < 0.8 * p.t AS in_a80
FROM ref.data d JOIN x USING (ds, id) JOIN ref.part p USING (ds);
ANALYZE ref.expect;

-- The same three numbers by brute force (every pair of rows), on the
-- partitions small enough for it: a check of the reference itself.
CREATE TABLE ref.brute AS
SELECT d.ds, d.id,
       count(w.v) FILTER (WHERE w.v > d.v) AS above,
       coalesce(sum(w.v) FILTER (WHERE w.v > d.v AND w.v > 0), 0) AS before,
       coalesce(sum(w.v) FILTER (WHERE w.v >= d.v AND w.v > 0), 0) AS cum
FROM ref.data d JOIN ref.data w ON w.ds = d.ds
WHERE d.shape NOT LIKE 'large%' AND d.v > 0
GROUP BY d.ds, d.id;
ANALYZE ref.brute;

-- Cutoffs: the smallest value of each tier; NULL over no non-NULL values.
CREATE TABLE ref.cutoffs AS
SELECT p.ds, p.shape, p.exact,
       CASE WHEN p.n > 0 THEN ROW(min(e.v) FILTER (WHERE e.value_tier = 'A'),
                                  min(e.v) FILTER (WHERE e.value_tier = 'B'))::account_tier.cutoffs END AS by_value,
       CASE WHEN p.n > 0 THEN ROW(min(e.v) FILTER (WHERE e.count_tier = 'A'),
                                  min(e.v) FILTER (WHERE e.count_tier = 'B'))::account_tier.cutoffs END AS by_count
FROM ref.part p JOIN ref.expect e USING (ds)
GROUP BY p.ds, p.shape, p.exact, p.n;
ANALYZE ref.cutoffs;

-- x = max(v, 0) of the non-NULL rows, ranked largest first, with running sums.
CREATE TABLE ref.ranked AS
SELECT ds, j, x, sum(x) OVER (PARTITION BY ds ORDER BY j) AS s
FROM (SELECT ds, greatest(v, 0) AS x,
             row_number() OVER (PARTITION BY ds ORDER BY greatest(v, 0) DESC) AS j
      FROM ref.data WHERE v IS NOT NULL) r;
ANALYZE ref.ranked;

-- pareto_summary: gini = sum over ascending ranks r of (2r - n - 1) x_(r),
-- over n T (equal to sum |x_i - x_j| / (2 n T), checked below on the small
-- partitions); top20 = share of the ceil(0.2 n) largest; accounts_for_80 =
-- rows in A at a = 0.8, over n.
CREATE TABLE ref.summary AS
SELECT p.ds, p.shape, p.exact,
       CASE WHEN p.n > 0 THEN p.n END AS accounts,
       CASE WHEN p.n > 0 THEN p.t END AS positive_total,
       CASE WHEN p.t > 0 THEN r.rank_sum / (p.n * p.t) END AS gini,
       CASE WHEN p.t > 0 THEN r.top20 / p.t END AS top20_share,
       CASE WHEN p.t > 0 THEN e.a80::numeric / p.n END AS accounts_for_80
FROM ref.part p
LEFT JOIN (SELECT r.ds, sum((2 * (p.n + 1 - r.j) - p.n - 1) * r.x) AS rank_sum,
                  sum(r.x) FILTER (WHERE r.j <= ceil(0.2 * p.n)) AS top20
           FROM ref.ranked r JOIN ref.part p USING (ds) GROUP BY r.ds) r USING (ds)
LEFT JOIN (SELECT ds, count(*) FILTER (WHERE in_a80) AS a80 FROM ref.expect GROUP BY ds) e USING (ds);
ANALYZE ref.summary;

-- lorenz_curve: element k holds the share of the top (k-1)/(points-1) of the n
-- accounts, that is of whole = floor((k-1) n / (points-1)) accounts and the
-- fraction rem/(points-1) of the next one.
CREATE TABLE ref.lorenz AS
SELECT p.ds, p.shape, p.exact, k,
       (coalesce(s.s, 0) + coalesce(nx.x * r.rem / (p.points - 1), 0)) / p.t AS share
FROM ref.part p
CROSS JOIN LATERAL generate_series(1, p.points) k
CROSS JOIN LATERAL (SELECT ((k - 1)::bigint * p.n) / (p.points - 1) AS whole,
                           ((k - 1)::bigint * p.n) % (p.points - 1) AS rem) r
LEFT JOIN ref.ranked s ON s.ds = p.ds AND s.j = r.whole
LEFT JOIN ref.ranked nx ON nx.ds = p.ds AND nx.j = r.whole + 1
WHERE p.t > 0;
ANALYZE ref.lorenz;

-- The suite's own sanity ----------------------------------------------------------
SELECT gen.no_rows($$
  SELECT shape, count(*) FROM ref.part GROUP BY shape HAVING count(*) < 40
$$, 'every shape has at least 40 datasets');

SELECT gen.no_rows($$
  SELECT e.ds, e.id, e.v, e.above, b.above, e.before, b.before, e.cum, b.cum
  FROM ref.expect e JOIN ref.brute b USING (ds, id)
  WHERE (e.above, e.before, e.cum) IS DISTINCT FROM (b.above, b.before, b.cum)
  UNION ALL
  SELECT s.ds, NULL, NULL, NULL, NULL, NULL, NULL, s.gini, g.gini
  FROM ref.summary s
  JOIN (SELECT r1.ds, sum(abs(r1.x - r2.x)) / (2 * min(p.n) * min(p.t)) AS gini
        FROM ref.ranked r1 JOIN ref.ranked r2 USING (ds) JOIN ref.part p USING (ds)
        WHERE p.shape NOT LIKE 'large%' AND p.t > 0
        GROUP BY r1.ds) g USING (ds)
  WHERE abs(s.gini - g.gini) > 1e-15
  LIMIT 20
$$, 'the reference agrees with brute force over every pair of rows on the small partitions');

SELECT ok((SELECT count(*) FROM ref.expect WHERE value_tier = 'A') > 500
      AND (SELECT count(*) FROM ref.expect WHERE value_tier = 'B') > 300
      AND (SELECT count(*) FROM ref.expect WHERE value_tier = 'C') > 1000
      AND (SELECT count(*) FROM ref.expect WHERE v IS NULL) > 100
      AND (SELECT count(*) FROM ref.part WHERE t = 0) >= 40
      AND (SELECT count(DISTINCT ds) FROM ref.expect e JOIN ref.part p USING (ds)
           WHERE e.before = p.a * p.t AND e.v > 0) >= 40
      AND (SELECT count(DISTINCT ds) FROM ref.expect e JOIN ref.part p USING (ds)
           WHERE e.before = p.b * p.t AND e.before > p.a * p.t AND e.v > 0) >= 15
      AND (SELECT count(DISTINCT ds) FROM ref.expect e JOIN ref.part p USING (ds)
           WHERE e.above = p.ca * p.n AND e.v > 0) >= 15,
          'the datasets reach every tier, NULLs, T = 0 and rows exactly at a*T, b*T and a*n');

-- numeric input -----------------------------------------------------------------
SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.before, e.value_tier AS expected, g.got
  FROM ref.expect e
  JOIN (SELECT ds, id, abc_tier(v, a, b) OVER (PARTITION BY ds) AS got FROM ref.data) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.value_tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier(numeric) equals the reference on every dataset');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.above, e.count_tier AS expected, g.got
  FROM ref.expect e
  JOIN (SELECT ds, id, abc_tier_by_count(v, ca, cb) OVER (PARTITION BY ds) AS got FROM ref.data) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.count_tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_by_count(numeric) equals the reference on every dataset');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.share AS expected, g.got
  FROM ref.expect e
  JOIN (SELECT ds, id, pareto_share(v) OVER (PARTITION BY ds) AS got FROM ref.data) g USING (ds, id)
  WHERE (g.got IS NULL) <> (e.share IS NULL) OR abs(g.got - e.share::float8) > 1e-12
  ORDER BY e.ds, e.id LIMIT 20
$$, 'pareto_share(numeric) equals cum(G)/T of the reference (within 1e-12)');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.by_value AS expected, g.got
  FROM ref.cutoffs e
  JOIN (SELECT ds, abc_cutoffs(v, a, b) AS got FROM ref.data GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.by_value
  ORDER BY e.ds LIMIT 20
$$, 'abc_cutoffs(numeric) are the smallest A and B values of the reference');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.by_count AS expected, g.got
  FROM ref.cutoffs e
  JOIN (SELECT ds, abc_cutoffs_by_count(v, ca, cb) AS got FROM ref.data GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.by_count
  ORDER BY e.ds LIMIT 20
$$, 'abc_cutoffs_by_count(numeric) are the smallest A and B values of the reference');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.accounts, e.positive_total, e.gini, e.top20_share, e.accounts_for_80, g.s AS got
  FROM ref.summary e
  JOIN (SELECT ds, pareto_summary(v) AS s FROM ref.data GROUP BY ds) g USING (ds)
  WHERE (g.s).accounts IS DISTINCT FROM e.accounts
     OR (g.s).positive_total IS DISTINCT FROM e.positive_total
     OR ((g.s).gini IS NULL) <> (e.gini IS NULL) OR abs((g.s).gini - e.gini::float8) > 1e-9
     OR ((g.s).top20_share IS NULL) <> (e.top20_share IS NULL)
     OR abs((g.s).top20_share - e.top20_share::float8) > 1e-12
     OR ((g.s).accounts_for_80 IS NULL) <> (e.accounts_for_80 IS NULL)
     OR abs((g.s).accounts_for_80 - e.accounts_for_80::float8) > 1e-12
  ORDER BY e.ds LIMIT 20
$$, 'pareto_summary(numeric) equals the reference (gini within 1e-9, shares within 1e-12)');

SELECT gen.no_rows($$
  WITH g AS (SELECT ds, lorenz_curve(v, points) AS curve FROM ref.data GROUP BY ds),
       gk AS (SELECT ds, k, x FROM g, unnest(g.curve) WITH ORDINALITY u(x, k))
  SELECT p.shape, ds, k, e.share AS expected, gk.x AS got
  FROM ref.lorenz e FULL JOIN gk USING (ds, k) JOIN ref.part p USING (ds)
  WHERE e.share IS NULL OR gk.x IS NULL OR abs(gk.x - e.share::float8) > 1e-12
  UNION ALL
  SELECT p.shape, ds, NULL, NULL, NULL
  FROM g JOIN ref.part p USING (ds)
  WHERE (g.curve IS NULL) <> (p.t = 0)
  ORDER BY 2, 3 LIMIT 20
$$, 'lorenz_curve(numeric, points) equals the reference (within 1e-12), NULL when T = 0');

-- float8 input, on the datasets where float8 is exact -----------------------------
SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.before, e.value_tier AS expected, g.got
  FROM ref.expect e
  JOIN (SELECT ds, id, abc_tier(v::float8, a, b) OVER (PARTITION BY ds) AS got
        FROM ref.data WHERE exact) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.value_tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier(float8) equals the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.above, e.count_tier AS expected, g.got
  FROM ref.expect e
  JOIN (SELECT ds, id, abc_tier_by_count(v::float8, ca, cb) OVER (PARTITION BY ds) AS got
        FROM ref.data WHERE exact) g USING (ds, id)
  WHERE g.got IS DISTINCT FROM e.count_tier
  ORDER BY e.ds, e.id LIMIT 20
$$, 'abc_tier_by_count(float8) equals the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.id, e.v, e.share AS expected, g.got
  FROM ref.expect e
  JOIN (SELECT ds, id, pareto_share(v::float8) OVER (PARTITION BY ds) AS got
        FROM ref.data WHERE exact) g USING (ds, id)
  WHERE (g.got IS NULL) <> (e.share IS NULL) OR abs(g.got - e.share::float8) > 1e-12
  ORDER BY e.ds, e.id LIMIT 20
$$, 'pareto_share(float8) equals the reference on exact datasets (within 1e-12)');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.by_value AS expected, g.got
  FROM ref.cutoffs e
  JOIN (SELECT ds, abc_cutoffs(v::float8, a, b) AS got FROM ref.data WHERE exact GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.by_value
  ORDER BY e.ds LIMIT 20
$$, 'abc_cutoffs(float8) equal the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.by_count AS expected, g.got
  FROM ref.cutoffs e
  JOIN (SELECT ds, abc_cutoffs_by_count(v::float8, ca, cb) AS got FROM ref.data WHERE exact GROUP BY ds) g USING (ds)
  WHERE g.got IS DISTINCT FROM e.by_count
  ORDER BY e.ds LIMIT 20
$$, 'abc_cutoffs_by_count(float8) equal the reference on exact datasets');

SELECT gen.no_rows($$
  SELECT e.shape, e.ds, e.accounts, e.positive_total, e.gini, e.top20_share, e.accounts_for_80, g.s AS got
  FROM ref.summary e
  JOIN (SELECT ds, pareto_summary(v::float8) AS s FROM ref.data WHERE exact GROUP BY ds) g USING (ds)
  WHERE (g.s).accounts IS DISTINCT FROM e.accounts
     OR (g.s).positive_total IS DISTINCT FROM e.positive_total
     OR ((g.s).gini IS NULL) <> (e.gini IS NULL) OR abs((g.s).gini - e.gini::float8) > 1e-9
     OR ((g.s).top20_share IS NULL) <> (e.top20_share IS NULL)
     OR abs((g.s).top20_share - e.top20_share::float8) > 1e-12
     OR ((g.s).accounts_for_80 IS NULL) <> (e.accounts_for_80 IS NULL)
     OR abs((g.s).accounts_for_80 - e.accounts_for_80::float8) > 1e-12
  ORDER BY e.ds LIMIT 20
$$, 'pareto_summary(float8) equals the reference on exact datasets');

SELECT gen.no_rows($$
  WITH g AS (SELECT ds, lorenz_curve(v::float8, points) AS curve FROM ref.data WHERE exact GROUP BY ds),
       gk AS (SELECT ds, k, x FROM g, unnest(g.curve) WITH ORDINALITY u(x, k))
  SELECT p.shape, ds, k, e.share AS expected, gk.x AS got
  FROM (SELECT * FROM ref.lorenz WHERE exact) e FULL JOIN gk USING (ds, k) JOIN ref.part p USING (ds)
  WHERE e.share IS NULL OR gk.x IS NULL OR abs(gk.x - e.share::float8) > 1e-12
  UNION ALL
  SELECT p.shape, ds, NULL, NULL, NULL
  FROM g JOIN ref.part p USING (ds)
  WHERE (g.curve IS NULL) <> (p.t = 0)
  ORDER BY 2, 3 LIMIT 20
$$, 'lorenz_curve(float8, points) equals the reference on exact datasets');

-- Neither the window's ORDER BY (or frame) nor the physical order matters ----------
CREATE TABLE ref.shuffled AS SELECT * FROM ref.data ORDER BY rk;
ANALYZE ref.shuffled;

SELECT gen.no_rows($$
  WITH plain AS (
    SELECT ds, id, pareto_share(v) OVER (PARTITION BY ds) AS s,
           abc_tier(v, a, b) OVER (PARTITION BY ds) AS t,
           abc_tier_by_count(v, ca, cb) OVER (PARTITION BY ds) AS c
    FROM ref.data),
  ordered AS (
    SELECT ds, id,
           pareto_share(v) OVER (PARTITION BY ds ORDER BY rk) AS s1,
           abc_tier(v, a, b) OVER (PARTITION BY ds ORDER BY rk) AS t1,
           abc_tier_by_count(v, ca, cb) OVER (PARTITION BY ds ORDER BY rk) AS c1,
           pareto_share(v) OVER w2 AS s2, abc_tier(v, a, b) OVER w2 AS t2,
           abc_tier_by_count(v, ca, cb) OVER w2 AS c2
    FROM ref.data
    WINDOW w2 AS (PARTITION BY ds ORDER BY v DESC NULLS FIRST, rk ROWS BETWEEN CURRENT ROW AND CURRENT ROW)),
  shuffled AS (
    SELECT ds, id, pareto_share(v) OVER (PARTITION BY ds) AS s3,
           abc_tier(v, a, b) OVER (PARTITION BY ds) AS t3,
           abc_tier_by_count(v, ca, cb) OVER (PARTITION BY ds) AS c3
    FROM ref.shuffled)
  SELECT * FROM plain JOIN ordered USING (ds, id) JOIN shuffled USING (ds, id)
  WHERE s IS DISTINCT FROM s1 OR s IS DISTINCT FROM s2 OR s IS DISTINCT FROM s3
     OR t IS DISTINCT FROM t1 OR t IS DISTINCT FROM t2 OR t IS DISTINCT FROM t3
     OR c IS DISTINCT FROM c1 OR c IS DISTINCT FROM c2 OR c IS DISTINCT FROM c3
  ORDER BY ds, id LIMIT 20
$$, 'numeric window results do not depend on the window ORDER BY, frame or row order');

SELECT gen.no_rows($$
  WITH plain AS (
    SELECT ds, id, pareto_share(v::float8) OVER (PARTITION BY ds) AS s,
           abc_tier(v::float8, a, b) OVER (PARTITION BY ds) AS t,
           abc_tier_by_count(v::float8, ca, cb) OVER (PARTITION BY ds) AS c
    FROM ref.data),
  ordered AS (
    SELECT ds, id,
           pareto_share(v::float8) OVER (PARTITION BY ds ORDER BY rk) AS s1,
           abc_tier(v::float8, a, b) OVER (PARTITION BY ds ORDER BY rk) AS t1,
           abc_tier_by_count(v::float8, ca, cb) OVER (PARTITION BY ds ORDER BY rk) AS c1,
           pareto_share(v::float8) OVER w2 AS s2, abc_tier(v::float8, a, b) OVER w2 AS t2,
           abc_tier_by_count(v::float8, ca, cb) OVER w2 AS c2
    FROM ref.data
    WINDOW w2 AS (PARTITION BY ds ORDER BY v ASC NULLS LAST, rk ROWS BETWEEN CURRENT ROW AND CURRENT ROW)),
  shuffled AS (
    SELECT ds, id, pareto_share(v::float8) OVER (PARTITION BY ds) AS s3,
           abc_tier(v::float8, a, b) OVER (PARTITION BY ds) AS t3,
           abc_tier_by_count(v::float8, ca, cb) OVER (PARTITION BY ds) AS c3
    FROM ref.shuffled)
  SELECT * FROM plain JOIN ordered USING (ds, id) JOIN shuffled USING (ds, id)
  WHERE s IS DISTINCT FROM s1 OR s IS DISTINCT FROM s2 OR s IS DISTINCT FROM s3
     OR t IS DISTINCT FROM t1 OR t IS DISTINCT FROM t2 OR t IS DISTINCT FROM t3
     OR c IS DISTINCT FROM c1 OR c IS DISTINCT FROM c2 OR c IS DISTINCT FROM c3
  ORDER BY ds, id LIMIT 20
$$, 'float8 window results do not depend on the window ORDER BY, frame or row order');

-- Aggregates do not depend on the order of their input either.
SELECT gen.no_rows($$
  SELECT * FROM
    (SELECT ds, abc_cutoffs(v, a, b) AS c1, abc_cutoffs_by_count(v, ca, cb) AS k1,
            pareto_summary(v) AS s1, lorenz_curve(v, points) AS l1
     FROM ref.data GROUP BY ds) x
  JOIN
    (SELECT ds, abc_cutoffs(v, a, b ORDER BY rk) AS c2, abc_cutoffs_by_count(v, ca, cb ORDER BY rk) AS k2,
            pareto_summary(v ORDER BY rk DESC) AS s2, lorenz_curve(v, points ORDER BY rk) AS l2
     FROM ref.shuffled GROUP BY ds) y USING (ds)
  WHERE c1 IS DISTINCT FROM c2 OR k1 IS DISTINCT FROM k2 OR s1 IS DISTINCT FROM s2 OR l1 IS DISTINCT FROM l2
  ORDER BY ds LIMIT 20
$$, 'aggregate results do not depend on the order of their input');

-- float8 values spread over 10^-300 .. 10^300: no sum of them is exact in
-- double-double, but what the definitions imply whatever the rounding must
-- hold: with b = 1 every positive row is A or B (before(G) < T always); a
-- larger value never gets a lower tier or a larger share; the smallest
-- positive value has share 1; nothing depends on the order of rows; and the
-- cutoffs reproduce the tiers.
CREATE TABLE ref.wide AS
SELECT ds, id, gen.u(ds, id, 99) AS rk, th.a, th.b,
       CASE WHEN gen.u(ds, id, 3) < 0.1 THEN NULL
            WHEN gen.u(ds, id, 3) < 0.2 THEN -gen.u(ds, id, 1)
            ELSE gen.u(ds, id, 1) * 10 ^ (floor(gen.u(ds, id, 2) * 600) - 300) END AS v
FROM generate_series(50001, 50040) ds
CROSS JOIN LATERAL generate_series(1, 2 + floor(gen.u(ds, 0, 0) * 40)::int) id
JOIN ref.th ON th.k = ds % 8;
ANALYZE ref.wide;

SELECT gen.no_rows($$
  SELECT ds, id, v, t FROM (SELECT ds, id, v, abc_tier(v, a, 1) OVER (PARTITION BY ds) AS t FROM ref.wide) x
  WHERE v > 0 AND t = 'C'
  ORDER BY ds, id LIMIT 20
$$, 'float8 over 600 orders of magnitude: with b = 1 no positive value is C');

SELECT gen.no_rows($$
  SELECT ds, id, v, t, prev_t, s, prev_s
  FROM (SELECT ds, id, v, t, s, lag(t) OVER w AS prev_t, lag(s) OVER w AS prev_s,
               min(v) FILTER (WHERE v > 0) OVER (PARTITION BY ds) AS smallest
        FROM (SELECT ds, id, v, abc_tier(v, a, b) OVER (PARTITION BY ds) AS t,
                     pareto_share(v) OVER (PARTITION BY ds) AS s
              FROM ref.wide WHERE v IS NOT NULL) y
        WINDOW w AS (PARTITION BY ds ORDER BY v DESC)) x
  WHERE t < prev_t OR s < prev_s OR NOT s BETWEEN 0 AND 1 OR (v = smallest AND s <> 1)
  ORDER BY ds, id LIMIT 20
$$, 'float8 over 600 orders of magnitude: tiers and shares are monotone in value, shares in [0, 1]');

SELECT gen.no_rows($$
  SELECT ds, id, v, t0, t1, t2, s0, s1 FROM (
    SELECT ds, id, v,
           abc_tier(v, a, b) OVER (PARTITION BY ds) AS t0,
           abc_tier(v, a, b) OVER (PARTITION BY ds ORDER BY rk) AS t1,
           abc_tier(v, a, b) OVER (PARTITION BY ds ORDER BY v) AS t2,
           pareto_share(v) OVER (PARTITION BY ds ORDER BY rk DESC) AS s0,
           pareto_share(v) OVER (PARTITION BY ds ORDER BY v DESC) AS s1
    FROM ref.wide) x
  WHERE t0 IS DISTINCT FROM t1 OR t0 IS DISTINCT FROM t2 OR s0 IS DISTINCT FROM s1
  ORDER BY ds, id LIMIT 20
$$, 'float8 over 600 orders of magnitude: results do not depend on the order of rows');

SELECT gen.no_rows($$
  SELECT w.ds, w.id, w.v, c.c, w.t
  FROM (SELECT ds, id, v, abc_tier(v, a, b) OVER (PARTITION BY ds) AS t FROM ref.wide) w
  JOIN (SELECT ds, abc_cutoffs(v, a, b) AS c FROM ref.wide GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.id LIMIT 20
$$, 'float8 over 600 orders of magnitude: abc_classify(v, abc_cutoffs(v, a, b)) = abc_tier(v, a, b)');

-- As window aggregates (a running frame), where final functions see a state
-- that grows again after them: each row's result is the plain aggregate over
-- the rows up to it.
SELECT gen.no_rows($$
  WITH running AS (
    SELECT ds, id,
           abc_cutoffs(v, a, b) OVER w AS c, abc_cutoffs_by_count(v, ca, cb) OVER w AS k,
           pareto_summary(v) OVER w AS s, lorenz_curve(v, points) OVER w AS l,
           abc_cutoffs(v::float8, a, b) OVER w AS fc, pareto_summary(v::float8) OVER w AS fs,
           lorenz_curve(v::float8, points) OVER w AS fl
    FROM ref.data WHERE shape NOT LIKE 'large%'
    WINDOW w AS (PARTITION BY ds ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
  prefix AS (
    SELECT p.ds, p.id,
           abc_cutoffs(d.v, d.a, d.b) AS c, abc_cutoffs_by_count(d.v, d.ca, d.cb) AS k,
           pareto_summary(d.v) AS s, lorenz_curve(d.v, d.points) AS l,
           abc_cutoffs(d.v::float8, d.a, d.b) AS fc, pareto_summary(d.v::float8) AS fs,
           lorenz_curve(d.v::float8, d.points) AS fl
    FROM ref.data p JOIN ref.data d ON d.ds = p.ds AND d.id <= p.id
    WHERE p.shape NOT LIKE 'large%'
    GROUP BY p.ds, p.id)
  SELECT r.ds, r.id FROM running r JOIN prefix x USING (ds, id)
  WHERE r.c IS DISTINCT FROM x.c OR r.k IS DISTINCT FROM x.k OR r.s IS DISTINCT FROM x.s
     OR r.l IS DISTINCT FROM x.l OR r.fc IS DISTINCT FROM x.fc OR r.fs IS DISTINCT FROM x.fs
     OR r.fl IS DISTINCT FROM x.fl
  ORDER BY r.ds, r.id LIMIT 20
$$, 'as running window aggregates, every aggregate equals the plain aggregate over the rows so far');

-- Defaults ----------------------------------------------------------------------------
SELECT gen.no_rows($$
  SELECT ds, id FROM (
    SELECT ds, id,
           abc_tier(v) OVER w AS t0, abc_tier(v, 0.80, 0.95) OVER w AS t1,
           abc_tier(v, 0.5) OVER w AS t2, abc_tier(v, 0.5, 0.95) OVER w AS t3,
           abc_tier_by_count(v) OVER w AS c0, abc_tier_by_count(v, 0.20, 0.80) OVER w AS c1,
           abc_tier_by_count(v, 0.5) OVER w AS c2, abc_tier_by_count(v, 0.5, 0.80) OVER w AS c3,
           abc_tier(v::float8) OVER w AS f0, abc_tier(v::float8, 0.8, 0.95) OVER w AS f1,
           abc_tier_by_count(v::float8) OVER w AS g0, abc_tier_by_count(v::float8, 0.2, 0.8) OVER w AS g1
    FROM ref.data WINDOW w AS (PARTITION BY ds)) x
  WHERE t0 IS DISTINCT FROM t1 OR t2 IS DISTINCT FROM t3 OR c0 IS DISTINCT FROM c1
     OR c2 IS DISTINCT FROM c3 OR f0 IS DISTINCT FROM f1 OR g0 IS DISTINCT FROM g1
  ORDER BY ds, id LIMIT 20
$$, 'window functions default to a = 0.80, b = 0.95 (value) and a = 0.20, b = 0.80 (count)');

SELECT gen.no_rows($$
  SELECT ds FROM (
    SELECT ds,
           abc_cutoffs(v) AS c0, abc_cutoffs(v, 0.80, 0.95) AS c1,
           abc_cutoffs(v, 0.5) AS c2, abc_cutoffs(v, 0.5, 0.95) AS c3,
           abc_cutoffs_by_count(v) AS k0, abc_cutoffs_by_count(v, 0.20, 0.80) AS k1,
           abc_cutoffs_by_count(v, 0.5) AS k2, abc_cutoffs_by_count(v, 0.5, 0.80) AS k3,
           abc_cutoffs(v::float8) AS f0, abc_cutoffs(v::float8, 0.8, 0.95) AS f1,
           abc_cutoffs(v::float8, 0.5) AS f2, abc_cutoffs(v::float8, 0.5, 0.95) AS f3,
           abc_cutoffs_by_count(v::float8) AS g0, abc_cutoffs_by_count(v::float8, 0.2, 0.8) AS g1,
           abc_cutoffs_by_count(v::float8, 0.5) AS g2, abc_cutoffs_by_count(v::float8, 0.5, 0.8) AS g3,
           lorenz_curve(v) AS l0, lorenz_curve(v, 101) AS l1,
           lorenz_curve(v::float8) AS m0, lorenz_curve(v::float8, 101) AS m1
    FROM ref.data GROUP BY ds) x
  WHERE c0 IS DISTINCT FROM c1 OR c2 IS DISTINCT FROM c3 OR k0 IS DISTINCT FROM k1
     OR k2 IS DISTINCT FROM k3 OR f0 IS DISTINCT FROM f1 OR f2 IS DISTINCT FROM f3
     OR g0 IS DISTINCT FROM g1 OR g2 IS DISTINCT FROM g3
     OR l0 IS DISTINCT FROM l1 OR m0 IS DISTINCT FROM m1
  ORDER BY ds LIMIT 20
$$, 'aggregates default to the same thresholds, and lorenz_curve to 101 points');

-- Over no rows at all every aggregate returns NULL, like sum.
SELECT gen.same($$
  SELECT abc_cutoffs(v) IS NULL, abc_cutoffs_by_count(v) IS NULL, pareto_summary(v) IS NULL,
         lorenz_curve(v) IS NULL, abc_cutoffs(v::float8) IS NULL, pareto_summary(v::float8) IS NULL,
         lorenz_curve(v::float8, 5) IS NULL
  FROM ref.data WHERE false
$$, $$ VALUES (true, true, true, true, true, true, true) $$,
'every aggregate over no rows is NULL');

-- Small cases of the same: the float8 results must be those of numeric.
SELECT gen.same($$
  SELECT v, abc_tier(v, 0.5, 1) OVER (), abc_tier(v::numeric, 0.5, 1) OVER ()
  FROM (VALUES (1e300::float8), (1e200), (1)) t(v) ORDER BY v DESC
$$, $$ VALUES (1e300::float8, 'A'::tier, 'A'::tier), (1e200, 'B', 'B'), (1, 'B', 'B') $$,
'float8 1e300, 1e200, 1 at a = 0.5, b = 1: 1 is B, as for numeric');

SELECT gen.no_rows($$
  SELECT id, v, t0, t1, t2, t3 FROM (
    SELECT id, v, abc_tier(v, 0.95, 1) OVER () AS t0, abc_tier(v, 0.95, 1) OVER (ORDER BY v) AS t1,
           abc_tier(v, 0.95, 1) OVER (ORDER BY v DESC) AS t2, abc_tier(v, 0.95, 1) OVER (ORDER BY id % 3, id) AS t3
    FROM (VALUES (1, 4.781364034861326e+276::float8), (2, 8.208979992195963e+272), (3, 4.088129089213908e+250),
                 (4, 8.067513471469283e+244), (5, 8.331358572468162e+230), (6, 2.6670442707836625e+224),
                 (7, 3.434381769038737e+183), (8, 1)) t(id, v)) x
  WHERE t0 IS DISTINCT FROM t1 OR t0 IS DISTINCT FROM t2 OR t0 IS DISTINCT FROM t3
$$, 'float8 from 1 to 4.8e276: abc_tier does not depend on the window ORDER BY');

-- The example of README.md "Exact definitions", and a float8 total beyond DBL_MAX -------------------
SELECT gen.same($$
  SELECT v, abc_tier(v, 0.8, 0.95) OVER (), abc_tier(v, 0.7, 0.8) OVER (), pareto_share(v) OVER ()
  FROM (VALUES (0.7), (0.1), (0.1), (0.1)) t(v) ORDER BY v DESC
$$, $$ VALUES (0.7, 'A'::tier, 'A'::tier, 0.7::float8), (0.1, 'A', 'B', 1), (0.1, 'A', 'B', 1), (0.1, 'A', 'B', 1) $$,
'0.7, 0.1, 0.1, 0.1 at a = 0.8: the 0.1 group is A (0.7 < 0.8 exactly); at a = 0.7 it is B');

SELECT gen.same($$
  SELECT v, abc_tier(v) OVER (), abc_tier(v, 0.5, 0.99) OVER (), pareto_share(v) OVER ()
  FROM (VALUES (1e308::float8), (1e308), (1)) t(v) ORDER BY v DESC
$$, $$ VALUES (1e308::float8, 'A'::tier, 'A'::tier, 1::float8), (1e308, 'A', 'A', 1), (1, 'C', 'C', 1) $$,
'float8 values whose total exceeds DBL_MAX: the two largest are A, shares are 1');

SELECT gen.same($$
  SELECT (s).accounts, round((s).gini::numeric, 9), (s).top20_share, round((s).accounts_for_80::numeric, 12)
  FROM (SELECT pareto_summary(v) AS s FROM (VALUES (1e308::float8), (1e308), (1)) t(v)) x
$$, $$ VALUES (3::bigint, 0.333333333, 0.5::float8, 0.666666666667) $$,
'pareto_summary of float8 values whose total exceeds DBL_MAX');

-- 3u and u for u = 2^-1000 (a normal double near the bottom of the range) and
-- u = 2^-1074 (the smallest denormal): T = 4u exactly, and at a = 0.75 the
-- second group starts exactly at a*T.
SELECT gen.same($$
  SELECT s, m, abc_tier(v, 0.75, 0.9) OVER w, abc_tier(v, 0.8, 0.95) OVER w, pareto_share(v) OVER w
  FROM (SELECT s, m, m * power(2::float8, s) AS v
        FROM (VALUES (-1000), (-1074)) e(s), (VALUES (3), (1)) k(m)) t
  WINDOW w AS (PARTITION BY s)
  ORDER BY s DESC, m DESC
$$, $$ VALUES (-1000, 3, 'A'::tier, 'A'::tier, 0.75::float8), (-1000, 1, 'B', 'A', 1),
              (-1074, 3, 'A', 'A', 0.75), (-1074, 1, 'B', 'A', 1) $$,
'float8 values near the bottom of the double range, down to denormals');


SELECT * FROM finish();
ROLLBACK;
