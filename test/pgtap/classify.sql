-- classify.sql: abc_classify applied to the cutoffs of an aggregate reproduces
-- the window function's tiers, for numeric and float8 values; hand-made
-- cutoffs give absolute thresholds.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
-- Window output is joined back on (dataset, row): no quadratic merge join.
SET LOCAL enable_mergejoin = off;
SET LOCAL work_mem = '64MB';

SELECT plan(18);

CREATE SCHEMA cls;

\ir lib/helpers.psql

-- 40 datasets per shape; rows are (ds, id) with one numeric and one float8
-- value column (each shape fills the one it is for).
CREATE TABLE cls.sets AS
SELECT s.shape, s.no * 1000 + i AS ds, s.n_max
FROM (VALUES (1, 'num_decimal', 60), (2, 'num_ties', 50), (3, 'num_nulls_neg', 50),
             (4, 'num_zero_total', 10), (5, 'num_only_nulls', 4), (6, 'num_single', 1),
             (7, 'num_huge_tiny', 30), (8, 'num_tenths', 20), (9, 'num_large', 1500),
             (21, 'f8_random', 60), (22, 'f8_ties', 50), (23, 'f8_nulls_neg', 50),
             (24, 'f8_zero_total', 10), (25, 'f8_only_nulls', 4), (26, 'f8_single', 1),
             (27, 'f8_wide', 40), (28, 'f8_tiny', 30), (29, 'f8_large', 1500)) s(no, shape, n_max),
     generate_series(1, 40) i;

CREATE TABLE cls.rows AS
SELECT s.shape, s.ds, id, gen.u(s.ds, id, 1) AS r1, gen.u(s.ds, id, 2) AS r2, gen.u(s.ds, id, 3) AS r3
FROM cls.sets s, generate_series(1, 1 + floor(gen.u(s.ds, 0, 0) * s.n_max)::int) id;

CREATE TABLE cls.num AS
SELECT shape, ds, id, gen.u(ds, id, 99) AS rk,
       CASE shape
         WHEN 'num_decimal' THEN round(((r1 - 0.15) * 10 ^ floor(r2 * 6))::numeric, floor(r3 * 7)::int)
         WHEN 'num_ties' THEN gen.pick('{0.1,0.2,0.2,0.7,1.5,1.5,1.5}'::numeric[], r1)
         WHEN 'num_nulls_neg' THEN CASE WHEN r1 < 0.2 THEN NULL WHEN r1 < 0.4 THEN -round((r2 * 100)::numeric, 2)
                                        WHEN r1 < 0.5 THEN 0 ELSE round((r2 * 1000)::numeric, 1) END
         WHEN 'num_zero_total' THEN CASE WHEN r1 < 0.3 THEN NULL WHEN r1 < 0.6 THEN 0 ELSE -round((r2 * 10)::numeric, 3) END
         WHEN 'num_only_nulls' THEN NULL
         WHEN 'num_single' THEN (ARRAY[5, 0, -3, NULL, 0.001]::numeric[])[1 + ds % 5]
         WHEN 'num_huge_tiny' THEN gen.pick('{1e30,1e30,2e30,1e-30,3e-30,5,17,100,-1e35,0,1e40,2.5e-40}'::numeric[], r1)
         WHEN 'num_tenths' THEN gen.pick('{0.1,0.2,0.3,0.7,0.1,0.05}'::numeric[], r1)
         WHEN 'num_large' THEN round(((r1 - 0.1) * 10 ^ floor(r2 * 9))::numeric, (ds % 4)::int)
       END AS v
FROM cls.rows WHERE shape LIKE 'num%';

-- Non-round doubles (random() * 1000 style), so that the cutoffs must carry
-- all 17 significant digits to give the same tiers.
CREATE TABLE cls.f8 AS
SELECT shape, ds, id, gen.u(ds, id, 99) AS rk,
       CASE shape
         WHEN 'f8_random' THEN r1 * 1000
         WHEN 'f8_ties' THEN gen.pick(ARRAY[0.1, 0.2, 0.30000000000000004, 1 / 3.0, 1 / 3.0, 2 / 3.0, 100.1]::float8[], r1)
         WHEN 'f8_nulls_neg' THEN CASE WHEN r1 < 0.2 THEN NULL WHEN r1 < 0.4 THEN -r2 * 100
                                       WHEN r1 < 0.5 THEN 0 ELSE r2 * 1000 END
         WHEN 'f8_zero_total' THEN CASE WHEN r1 < 0.3 THEN NULL WHEN r1 < 0.6 THEN 0 ELSE -r2 END
         WHEN 'f8_only_nulls' THEN NULL
         WHEN 'f8_single' THEN (ARRAY[5.5, 0, -3, NULL, 0.1]::float8[])[1 + ds % 5]
         WHEN 'f8_wide' THEN r1 * 10 ^ (floor(r2 * 600) - 300)
         WHEN 'f8_tiny' THEN gen.pick(ARRAY[5e-324, 1e-323, 2.5e-320, 1e-310, 2.2250738585072014e-308, 1e-300]::float8[], r1)
                             * CASE WHEN r2 < 0.1 THEN -1 ELSE 1 END
         WHEN 'f8_large' THEN (r1 - 0.1) * 10 ^ floor(r2 * 9)
       END AS v
FROM cls.rows WHERE shape LIKE 'f8%';

-- Thresholds cycle through the datasets.
CREATE TABLE cls.th (k int, a numeric, b numeric);
INSERT INTO cls.th VALUES
  (0, 0.80, 0.95), (1, 0.5, 0.5), (2, 1, 1), (3, 0.2, 0.8),
  (4, 0.3333333333333333333333333333, 0.6666666666666666666666666667),
  (5, 0.7, 0.9), (6, 0.95, 1), (7, 0.01, 0.02);

CREATE TABLE cls.params AS
SELECT s.ds, tv.a, tv.b, tc.a AS ca, tc.b AS cb
FROM cls.sets s JOIN cls.th tv ON tv.k = s.ds % 8 JOIN cls.th tc ON tc.k = (s.ds + 3) % 8;

CREATE TABLE cls.numv AS SELECT * FROM cls.num JOIN cls.params USING (ds);
CREATE TABLE cls.f8v AS SELECT * FROM cls.f8 JOIN cls.params USING (ds) WHERE shape <> 'f8_tiny';
-- values from 5e-324 to 1e-300 on their own, so that their failures cannot
-- hide those of the other shapes
CREATE TABLE cls.f8tiny AS SELECT * FROM cls.f8 JOIN cls.params USING (ds) WHERE shape = 'f8_tiny';
ANALYZE cls.numv;
ANALYZE cls.f8v;

SELECT ok((SELECT count(DISTINCT ds) FROM cls.numv) >= 360 AND (SELECT count(DISTINCT ds) FROM cls.f8v) >= 320
      AND (SELECT count(*) FROM cls.numv) > 10000 AND (SELECT count(*) FROM cls.f8v) > 10000,
          'hundreds of numeric and float8 datasets');

-- abc_classify(v, abc_cutoffs(v, a, b)) = abc_tier(v, a, b) --------------------------
SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id, w.v, c.c AS cutoffs, abc_classify(w.v, c.c) AS classified, w.t AS window_tier
  FROM (SELECT shape, ds, id, v, abc_tier(v, a, b) OVER (PARTITION BY ds) AS t FROM cls.numv) w
  JOIN (SELECT ds, abc_cutoffs(v, a, b) AS c FROM cls.numv GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.id LIMIT 20
$$, 'numeric: abc_classify(v, abc_cutoffs(v, a, b)) = abc_tier(v, a, b) on every dataset');

SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id, w.v, c.c AS cutoffs, abc_classify(w.v, c.c) AS classified, w.t AS window_tier
  FROM (SELECT shape, ds, id, v, abc_tier_by_count(v, ca, cb) OVER (PARTITION BY ds) AS t FROM cls.numv) w
  JOIN (SELECT ds, abc_cutoffs_by_count(v, ca, cb) AS c FROM cls.numv GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.id LIMIT 20
$$, 'numeric: abc_classify(v, abc_cutoffs_by_count(v, a, b)) = abc_tier_by_count(v, a, b) on every dataset');

SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id, w.v, (c.c).a_min::float8 AS a_min, (c.c).b_min::float8 AS b_min,
         abc_classify(w.v, c.c) AS classified, w.t AS window_tier
  FROM (SELECT shape, ds, id, v, abc_tier(v, a, b) OVER (PARTITION BY ds) AS t FROM cls.f8v) w
  JOIN (SELECT ds, abc_cutoffs(v, a, b) AS c FROM cls.f8v GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.id LIMIT 20
$$, 'float8: abc_classify(v, abc_cutoffs(v, a, b)) = abc_tier(v, a, b) on every dataset');

SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id, w.v, (c.c).a_min::float8 AS a_min, (c.c).b_min::float8 AS b_min,
         abc_classify(w.v, c.c) AS classified, w.t AS window_tier
  FROM (SELECT shape, ds, id, v, abc_tier_by_count(v, ca, cb) OVER (PARTITION BY ds) AS t FROM cls.f8v) w
  JOIN (SELECT ds, abc_cutoffs_by_count(v, ca, cb) AS c FROM cls.f8v GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY w.ds, w.id LIMIT 20
$$, 'float8: abc_classify(v, abc_cutoffs_by_count(v, a, b)) = abc_tier_by_count(v, a, b) on every dataset');

SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id FROM
    (SELECT shape, ds, id, v, abc_tier(v) OVER (PARTITION BY ds) AS t,
            abc_tier_by_count(v) OVER (PARTITION BY ds) AS tc FROM cls.numv) w
  JOIN (SELECT ds, abc_cutoffs(v) AS c, abc_cutoffs_by_count(v) AS cc FROM cls.numv GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t OR abc_classify(w.v, c.cc) IS DISTINCT FROM w.tc
  UNION ALL
  SELECT w.shape, w.ds, w.id FROM
    (SELECT shape, ds, id, v, abc_tier(v) OVER (PARTITION BY ds) AS t,
            abc_tier_by_count(v) OVER (PARTITION BY ds) AS tc FROM cls.f8v) w
  JOIN (SELECT ds, abc_cutoffs(v) AS c, abc_cutoffs_by_count(v) AS cc FROM cls.f8v GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t OR abc_classify(w.v, c.cc) IS DISTINCT FROM w.tc
  ORDER BY 2, 3 LIMIT 20
$$, 'with default thresholds too, for numeric and float8');

SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id, w.v, c.c, abc_classify(w.v, c.c), w.t, c.cc, abc_classify(w.v, c.cc), w.tc
  FROM (SELECT shape, ds, id, v, abc_tier(v, a, b) OVER (PARTITION BY ds) AS t,
               abc_tier_by_count(v, ca, cb) OVER (PARTITION BY ds) AS tc FROM cls.f8tiny) w
  JOIN (SELECT ds, abc_cutoffs(v, a, b) AS c, abc_cutoffs_by_count(v, ca, cb) AS cc FROM cls.f8tiny GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t OR abc_classify(w.v, c.cc) IS DISTINCT FROM w.tc
  ORDER BY w.ds, w.id LIMIT 20
$$, 'float8 from 5e-324 (denormals) to 1e-300: both pairs hold');

-- The float8 cutoffs are the boundary values themselves, to the last bit.
SELECT gen.no_rows($$
  SELECT w.ds, (c.c).a_min::float8 AS got_a_min, (c.c).b_min::float8 AS got_b_min, w.a_min, w.b_min
  FROM (SELECT ds, min(v) FILTER (WHERE t = 'A') AS a_min, min(v) FILTER (WHERE t = 'B') AS b_min
        FROM (SELECT ds, v, abc_tier(v, a, b) OVER (PARTITION BY ds) AS t FROM cls.f8v) x GROUP BY ds) w
  JOIN (SELECT ds, abc_cutoffs(v, a, b) AS c FROM cls.f8v GROUP BY ds) c USING (ds)
  WHERE (c.c).a_min::float8 IS DISTINCT FROM w.a_min OR (c.c).b_min::float8 IS DISTINCT FROM w.b_min
  ORDER BY w.ds LIMIT 20
$$, 'float8 cutoffs round-trip: a_min and b_min are exactly the smallest A and B values');

-- The same pairs hold with the window's ORDER BY and the aggregate's input
-- in another order.
SELECT gen.no_rows($$
  SELECT w.shape, w.ds, w.id FROM
    (SELECT shape, ds, id, v, abc_tier(v, a, b) OVER (PARTITION BY ds ORDER BY rk) AS t FROM cls.f8v) w
  JOIN (SELECT ds, abc_cutoffs(v, a, b ORDER BY rk DESC) AS c FROM cls.f8v GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  UNION ALL
  SELECT w.shape, w.ds, w.id FROM
    (SELECT shape, ds, id, v, abc_tier(v, a, b) OVER (PARTITION BY ds ORDER BY rk) AS t FROM cls.numv) w
  JOIN (SELECT ds, abc_cutoffs(v, a, b ORDER BY rk DESC) AS c FROM cls.numv GROUP BY ds) c USING (ds)
  WHERE abc_classify(w.v, c.c) IS DISTINCT FROM w.t
  ORDER BY 2, 3 LIMIT 20
$$, 'the pairs hold whatever the order of rows');

-- Hand-made cutoffs: absolute thresholds -----------------------------------------------
SELECT gen.same($$
  SELECT v, abc_classify(v, ROW(37000, 1000))
  FROM (VALUES (50000::numeric), (37000), (37000.00), (36999.99), (1000), (999.999), (1), (0), (-40000)) t(v)
$$, $$ VALUES (50000::numeric, 'A'::tier), (37000, 'A'), (37000.00, 'A'), (36999.99, 'B'), (1000, 'B'),
              (999.999, 'C'), (1, 'C'), (0, 'C'), (-40000, 'C') $$,
'numeric: abc_classify(v, ROW(37000, 1000)): A from 37000, B from 1000, else C');

SELECT gen.same($$
  SELECT v, abc_classify(v, ROW(37000, 1000))
  FROM (VALUES (50000::float8), (37000), (36999.999999999993), (1000), (999.99999999999989), (0), (-0.0::float8), (-40000)) t(v)
$$, $$ VALUES (50000::float8, 'A'::tier), (37000, 'A'), (36999.999999999993, 'B'), (1000, 'B'),
              (999.99999999999989, 'C'), (0, 'C'), (-0.0::float8, 'C'), (-40000, 'C') $$,
'float8: abc_classify(v, ROW(37000, 1000)) at and just below each limit');

SELECT gen.same($$
  SELECT abc_classify(40000::numeric, '(37000,1000)'), abc_classify(5000::float8, '(37000,1000)'::cutoffs),
         abc_classify(40000, ROW(37000, 1000)::cutoffs), abc_classify(0.5, ROW(0.25, 0.125))
$$, $$ VALUES ('A'::tier, 'B'::tier, 'A'::tier, 'A'::tier) $$,
'cutoffs as a text literal, a cast row, and integer or decimal values without a cast');

SELECT gen.same($$
  SELECT v, abc_classify(v, ROW(NULL, NULL)), abc_classify(v, ROW(NULL, 1000)), abc_classify(v, ROW(37000, NULL)),
         abc_classify(v::float8, ROW(NULL, NULL)), abc_classify(v::float8, ROW(NULL, 1000)),
         abc_classify(v::float8, ROW(37000, NULL))
  FROM (VALUES (1e9::numeric), (37000), (5000), (1000), (1)) t(v) ORDER BY v DESC
$$, $$ VALUES (1e9::numeric, 'C'::tier, 'B'::tier, 'A'::tier, 'C'::tier, 'B'::tier, 'A'::tier),
              (37000, 'C', 'B', 'A', 'C', 'B', 'A'),
              (5000, 'C', 'B', 'C', 'C', 'B', 'C'),
              (1000, 'C', 'B', 'C', 'C', 'B', 'C'),
              (1, 'C', 'C', 'C', 'C', 'C', 'C') $$,
'a NULL limit admits no value');

SELECT gen.same($$
  SELECT abc_classify(0::numeric, ROW(0, 0)), abc_classify(-1::numeric, ROW(-5, -10)),
         abc_classify(-0.000001::numeric, ROW(NULL, -1)), abc_classify(0::numeric, ROW(-1e30, NULL)),
         abc_classify(0::float8, ROW(0, 0)), abc_classify(-1::float8, ROW(-5, -10)),
         abc_classify(-0.0::float8, ROW(-1, -1)), abc_classify(-5e-324::float8, ROW(-1e300, -1))
$$, $$ VALUES ('C'::tier, 'C'::tier, 'C'::tier, 'C'::tier, 'C'::tier, 'C'::tier, 'C'::tier, 'C'::tier) $$,
'a value <= 0 is always C, whatever the cutoffs');

SELECT gen.same($$
  SELECT abc_classify(5e-324::float8, ROW(0, 0)), abc_classify(0.0000000001::numeric, ROW(-1, -1)),
         abc_classify(1e300::float8, ROW(1e301, 1)), abc_classify(1e300::numeric, ROW(1e301, 1e300)),
         abc_classify(1e300::numeric, ROW(1e301, 1e300 + 1e-300))
$$, $$ VALUES ('A'::tier, 'A'::tier, 'B'::tier, 'B'::tier, 'C'::tier) $$,
'any positive value reaches a limit <= 0; limits compare exactly');

SELECT gen.same($$
  SELECT v, abc_classify(v, ROW(1000, 37000)), abc_classify(v::float8, ROW(1000, 37000)),
         abc_classify(v, ROW(1000, 1000)), abc_classify(v::float8, ROW(1000, 1000)),
         abc_classify(v, ROW(1000.0000000000000000000000000000000000000000001,
                             999.9999999999999999999999999999999999999999999))
  FROM (VALUES (50000::numeric), (5000), (1000), (999.99), (500)) t(v) ORDER BY v DESC
$$, $$ VALUES (50000::numeric, 'A'::tier, 'A'::tier, 'A'::tier, 'A'::tier, 'A'::tier),
              (5000, 'A', 'A', 'A', 'A', 'A'),
              (1000, 'A', 'A', 'A', 'A', 'B'),
              (999.99, 'C', 'C', 'C', 'C', 'C'),
              (500, 'C', 'C', 'C', 'C', 'C') $$,
'b_min above or equal to a_min leaves B empty; limits finer than the values compare exactly');

SELECT gen.same($$
  SELECT abc_classify(NULL::numeric, ROW(37000, 1000)) IS NULL, abc_classify(NULL::float8, ROW(37000, 1000)) IS NULL,
         abc_classify(NULL::numeric, ROW(NULL, NULL)) IS NULL, abc_classify(NULL::float8, '(1,1)') IS NULL
$$, $$ VALUES (true, true, true, true) $$,
'a NULL value gives NULL');

-- cutoffs over no non-NULL values are NULL; over T = 0 both limits are NULL.
SELECT gen.same($$
  SELECT abc_cutoffs(v) IS NULL, abc_cutoffs_by_count(v) IS NULL, abc_cutoffs(v::float8) IS NULL
  FROM (VALUES (NULL::numeric), (NULL)) t(v)
  UNION ALL
  SELECT (abc_cutoffs(v)).a_min IS NULL AND (abc_cutoffs(v)).b_min IS NULL,
         (abc_cutoffs_by_count(v)).a_min IS NULL AND (abc_cutoffs_by_count(v)).b_min IS NULL,
         (abc_cutoffs(v::float8)).a_min IS NULL AND (abc_cutoffs(v::float8)).b_min IS NULL
  FROM (VALUES (0::numeric), (-3), (NULL)) t(v)
$$, $$ VALUES (true, true, true), (true, true, true) $$,
'cutoffs are NULL over no values, and (NULL, NULL) when no value is positive');

SELECT * FROM finish();
ROLLBACK;
