-- abc_classify(value, cutoffs): A if value > 0 and value >= a_min, B if
-- value > 0 and value >= b_min, else C.
SET search_path = account_tier, public;

-- Absolute thresholds: key account = at least 37,000 a year.
SELECT v, abc_classify(v, ROW(37000, 1000))
FROM (VALUES (120000.00), (37000.00), (36999.99), (1000.00), (999.99), (0.00), (-50.00)) t(v)
ORDER BY v DESC;

-- A NULL limit admits no value; a NULL value gives NULL.
SELECT abc_classify(50.0, ROW(NULL, 10)) AS no_a, abc_classify(50.0, ROW(NULL, NULL)) AS none,
       abc_classify(NULL::numeric, ROW(1, 1)) AS null_value;

-- Cutoffs from the aggregate reproduce the window function.
WITH book(v) AS (SELECT (x * 37 % 101)::numeric / 4 FROM generate_series(1, 60) x),
     c AS (SELECT abc_cutoffs(v) AS c, abc_cutoffs_by_count(v) AS cc FROM book)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE abc_classify(v, c) = tier) AS same_by_value,
       count(*) FILTER (WHERE abc_classify(v, cc) = tier_by_count) AS same_by_count
FROM (SELECT v, abc_tier(v) OVER () AS tier, abc_tier_by_count(v) OVER () AS tier_by_count
      FROM book) t, c;

-- float8 values against limits taken from float8 data.
WITH book(v) AS (SELECT sqrt(x)::float8 FROM generate_series(1, 50) x),
     c AS (SELECT abc_cutoffs(v) AS c FROM book)
SELECT count(*) AS rows, count(*) FILTER (WHERE abc_classify(v, c) = tier) AS same
FROM (SELECT v, abc_tier(v) OVER () AS tier FROM book) t, c;

-- Values with more (or fewer) decimals than the limits, and far beyond them,
-- compare exactly.
SELECT v, abc_classify(v, ROW(100, 10.5))
FROM (VALUES (100.000000000000000000000000000000000000000001), (99.99999999999999999999),
             (10.5), (10.49999999999999999999999999999), (1e60), (1e-60), (-1e60)) t(v)
ORDER BY v DESC;

-- Hand-made limits where b_min exceeds a_min admit nothing to B.
SELECT v, abc_classify(v, ROW(10, 50)) FROM (VALUES (60), (20), (5)) t(v) ORDER BY v DESC;
SELECT abc_classify(1.0, ROW('Infinity', 1));
