-- abc_tier_computed, abc_points and abc_cutoffs_computed: computed ABC
-- (README.md "Exact definitions"), on small books worked by hand.  With x = max(v, 0)
-- over the n non-NULL rows sorted descending, T = sum of x, p_k = k/n and
-- y_k = (x_(1) + ... + x_(k)) / T:
--   kP = the smallest k minimising d_k = p_k^2 + (1 - y_k)^2 (Pareto point);
--   kB = rows with x >= T/n (break-even point);
--   kA = min(kP, kB), kX = max(kP, kB);
--   kC = the smallest k minimising d'_k = (p_k - p_kX)^2 + (1 - y_k)^2;
--   A = positive rows with x >= x_(kA), B = the other positive rows with
--   x >= x_(kC), C = the rest.
-- abc_points gives (kP, kB, kC, a_min, b_min); abc_cutoffs_computed gives
-- (a_min, b_min), and abc_classify with them must give back every tier.
SET search_path = account_tier, public;

CREATE TEMP TABLE book (name text, v numeric);
INSERT INTO book VALUES
  ('uniform', 100), ('uniform', 100), ('uniform', 100),
  ('dominant', 1000), ('dominant', 10), ('dominant', 10), ('dominant', 10), ('dominant', 10),
  ('clusters', 90), ('clusters', 80), ('clusters', 70),
  ('clusters', 3), ('clusters', 2), ('clusters', 2), ('clusters', 2), ('clusters', 1),
  ('pareto', 50), ('pareto', 25), ('pareto', 12), ('pareto', 6),
  ('pareto', 3), ('pareto', 2), ('pareto', 1), ('pareto', 1),
  ('ties', 40), ('ties', 40), ('ties', 40), ('ties', 20), ('ties', 20),
  ('signs', 60), ('signs', 30), ('signs', 10), ('signs', 0), ('signs', 0), ('signs', -20),
  ('positive', 60), ('positive', 30), ('positive', 10),
  ('zero', 0), ('zero', 0), ('zero', -5),
  ('nulls', 50), ('nulls', 25), ('nulls', NULL), ('nulls', 12), ('nulls', 6),
  ('nulls', 3), ('nulls', 2), ('nulls', NULL), ('nulls', 1), ('nulls', 1),
  ('only_nulls', NULL), ('only_nulls', NULL),
  ('level', 9), ('level', 3), ('level', 1), ('level', 1), ('level', 1),
  ('level_c', 11), ('level_c', 2), ('level_c', 2), ('level_c', 1),
  ('tenths', 0.3), ('tenths', 0.2), ('tenths', 0.1);

-- Uniform: 100, 100, 100.  n = 3, T = 300, y_k = p_k = k/3.
--   d_1 = 1/9 + 4/9 = 5/9, d_2 = 4/9 + 1/9 = 5/9, d_3 = 1 + 0 = 1:
--   level at k = 1 and 2, the smallest wins: kP = 1.
--   T/n = 100 and every x = 100 >= 100: kB = 3.  kA = 1, kX = 3, p_kX = 1.
--   d'_k = (k/3 - 1)^2 + (1 - k/3)^2 = 8/9, 2/9, 0: kC = 3.
--   A = x >= x_(1) = 100: every row.  Points (1, 3, 3, 100, NULL).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'uniform' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'uniform';

-- One dominant account: 1000, 10, 10, 10, 10.  n = 5, T = 1040, T/n = 208.
--   k = 1: p = 0.2, y = 1000/1040, 1 - y = 1/26:
--          d_1 = 0.04 + 0.001479 = 0.041479;
--   k = 2: p = 0.4, 1 - y = 30/1040: d_2 = 0.16 + 0.000832 = 0.160832;
--   further k only grow (p_k^2 >= 0.36): kP = 1.
--   Only 1000 >= 208: kB = 1.  kA = kX = 1, p_kX = 0.2.
--   d'_1 = 0 + 0.001479, d'_2 = 0.04 + 0.000832 = 0.040832, ...: kC = 1.
--   A = x >= 1000; B = other positive rows with x >= x_(1) = 1000: none.
--   Points (1, 1, 1, 1000, NULL).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'dominant' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'dominant';

-- Two clusters: 90, 80, 70 and 3, 2, 2, 2, 1.  n = 8, T = 250, T/n = 31.25.
--   C_k = 90, 170, 240, 243, ...; p_k = k/8.
--   d_1 = 0.015625 + 0.64^2  = 0.015625 + 0.4096 = 0.425225
--   d_2 = 0.0625   + 0.32^2  = 0.0625   + 0.1024 = 0.1649
--   d_3 = 0.140625 + 0.04^2  = 0.140625 + 0.0016 = 0.142225
--   d_4 = 0.25     + 0.028^2 = 0.25 + 0.000784  = 0.250784, then larger: kP = 3.
--   90, 80, 70 >= 31.25: kB = 3.  kA = kX = 3, p_kX = 0.375.
--   d'_2 = 0.015625 + 0.1024 = 0.118025, d'_3 = 0 + 0.0016 = 0.0016,
--   d'_4 = 0.015625 + 0.000784 = 0.016409: kC = 3.
--   A = the large cluster (x >= 70), B empty, C = the small cluster.
--   Points (3, 3, 3, 70, NULL).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'clusters' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'clusters';

-- A Pareto-like book: 50, 25, 12, 6, 3, 2, 1, 1.  n = 8, T = 100, T/n = 12.5.
--   C_k = 50, 75, 87, 93, 96, 98, 99, 100; p_k = k/8.
--   d_1 = 0.015625 + 0.25   = 0.265625
--   d_2 = 0.0625   + 0.0625 = 0.125
--   d_3 = 0.140625 + 0.0169 = 0.157525
--   d_4 = 0.25     + 0.0049 = 0.2549, then larger: kP = 2.
--   50, 25 >= 12.5: kB = 2.  kA = kX = 2, p_kX = 0.25.
--   d'_1 = 0.015625 + 0.25   = 0.265625
--   d'_2 = 0        + 0.0625 = 0.0625
--   d'_3 = 0.015625 + 0.0169 = 0.032525
--   d'_4 = 0.0625   + 0.0049 = 0.0674, then larger: kC = 3.
--   A = x >= 25, B = x >= 12, C = the rest.  Points (2, 2, 3, 25, 12).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'pareto' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'pareto';

-- Ties straddling both limits: 40, 40, 40, 20, 20.  n = 5, T = 160, T/n = 32.
--   p_k = 0.2, 0.4, 0.6, 0.8, 1; y_k = 0.25, 0.5, 0.75, 0.875, 1.
--   d_k = 0.04 + 0.5625 = 0.6025, 0.16 + 0.25 = 0.41, 0.36 + 0.0625 = 0.4225,
--         0.64 + 0.015625 = 0.655625, 1: kP = 2, inside the group of 40s.
--   40, 40, 40 >= 32: kB = 3.  kA = 2, kX = 3, p_kX = 0.6.
--   d'_k = 0.16 + 0.5625 = 0.7225, 0.04 + 0.25 = 0.29, 0 + 0.0625 = 0.0625,
--          0.04 + 0.015625 = 0.055625, 0.16 + 0 = 0.16: kC = 4, inside the 20s.
--   A = x >= x_(2) = 40: all three 40s; B = x >= x_(4) = 20: both 20s.
--   Points (2, 3, 4, 40, 20).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'ties' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'ties';

-- Zeros and negatives count in n, as x = 0, and are always C.
-- 60, 30, 10, 0, 0, -20: n = 6, T = 100, T/n = 16.67.
--   C_k = 60, 90, 100, 100, 100, 100; p_k = k/6.
--   d_1 = 1/36 + 0.16 = 0.18778, d_2 = 1/9 + 0.01 = 0.12111,
--   d_3 = 0.25 + 0 = 0.25, then larger: kP = 2.
--   60, 30 >= 16.67: kB = 2.  kA = kX = 2, p_kX = 1/3.
--   d'_1 = 1/36 + 0.16 = 0.18778, d'_2 = 0 + 0.01 = 0.01,
--   d'_3 = 1/36 + 0 = 0.02778, then larger: kC = 2.
--   A = x >= 30, B empty.  Points (2, 2, 2, 30, NULL).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'signs' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'signs';

-- The same positive values alone: 60, 30, 10.  n = 3, T = 100, T/n = 33.33.
--   d_1 = 1/9 + 0.16 = 0.27111, d_2 = 4/9 + 0.01 = 0.45444, d_3 = 1: kP = 1.
--   Only 60 >= 33.33: kB = 1.  kA = kX = 1, p_kX = 1/3.
--   d'_1 = 0 + 0.16 = 0.16, d'_2 = 1/9 + 0.01 = 0.12111, d'_3 = 4/9: kC = 2.
--   A = x >= 60, B = x >= 30, C = 10.  Points (1, 1, 2, 60, 30).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'positive' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'positive';

-- No positive value (T = 0): every row C, every point and limit NULL.
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'zero' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'zero';

-- NULL values get a NULL tier and count neither in n nor in T: the
-- Pareto-like book with two NULL rows gives its points (2, 2, 3, 25, 12).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'nulls' ORDER BY v DESC NULLS LAST;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'nulls';

-- No rows, or only NULLs: the aggregates are NULL (like sum), the window
-- function returns a NULL tier for each row.
SELECT abc_points(v) IS NULL AS no_points, abc_cutoffs_computed(v) IS NULL AS no_cutoffs
FROM book WHERE name = 'none';
SELECT abc_points(v) IS NULL AS no_points, abc_cutoffs_computed(v) IS NULL AS no_cutoffs
FROM book WHERE name = 'only_nulls';
SELECT v, abc_tier_computed(v) OVER () AS tier FROM book WHERE name = 'none';
SELECT v, abc_tier_computed(v) OVER () AS tier FROM book WHERE name = 'only_nulls';

-- Level Pareto distances: 9, 3, 1, 1, 1.  n = 5, T = 15, T/n = 3.
--   C_k = 9, 12, 13, 14, 15; p_k = k/5.
--   d_1 = 0.04 + 0.16 = 0.2, d_2 = 0.16 + 0.04 = 0.2 (exactly: D_k = k^2 T^2
--   + n^2 (T - C_k)^2 = 225 + 900 = 1125 = 900 + 225), d_3 = 0.36 + 0.017778:
--   the smallest k wins, kP = 1 (in double precision 1 - 12/15 is not 0.2,
--   and the two sums need not come out equal).
--   9, 3 >= 3 (3 * 5 = 15 >= 15): kB = 2.  kA = 1, kX = 2, p_kX = 0.4.
--   d'_1 = 0.04 + 0.16 = 0.2, d'_2 = 0 + 0.04 = 0.04,
--   d'_3 = 0.04 + 0.017778 = 0.057778: kC = 2.
--   A = 9, B = 3, C = the 1s.  Points (1, 2, 2, 9, 3).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'level' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'level';

-- Level submarginal distances: 11, 2, 2, 1.  n = 4, T = 16, T/n = 4.
--   C_k = 11, 13, 15, 16; p_k = k/4; 1 - y_k = 5/16, 3/16, 1/16, 0.
--   d_1 = 1/16 + 25/256 = 41/256, d_2 = 1/4 + 9/256 = 73/256: kP = 1.
--   Only 11 >= 4: kB = 1.  kA = kX = 1, p_kX = 1/4.
--   d'_1 = 0 + 25/256 = 25/256, d'_2 = 1/16 + 9/256 = 25/256,
--   d'_3 = 1/4 + 1/256 = 65/256: level at 1 and 2, kC = 1.
--   A = 11, B = other positive rows with x >= x_(1) = 11: none.
--   Points (1, 1, 1, 11, NULL).
SELECT v, abc_tier_computed(v) OVER () AS tier,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'level_c' ORDER BY v DESC;
SELECT abc_points(v), abc_cutoffs_computed(v) FROM book WHERE name = 'level_c';

-- A row exactly at the mean: 0.3, 0.2, 0.1.  n = 3, T = 0.6, T/n = 0.2
-- exactly (a float sum of the three is 0.6000000000000001, whose third is
-- above 0.2).  y_k = 0.5, 0.8333, 1.
--   d_1 = 1/9 + 1/4 = 0.36111, d_2 = 4/9 + 1/36 = 0.47222, d_3 = 1: kP = 1.
--   0.3 and 0.2 >= 0.2 (0.2 * 3 = 0.6 >= 0.6): kB = 2.  kA = 1, kX = 2.
--   d'_1 = 1/9 + 1/4 = 0.36111, d'_2 = 0 + 1/36 = 0.02778, d'_3 = 1/9: kC = 2.
--   A = 0.3, B = 0.2, C = 0.1.  Points (1, 2, 2, 0.3, 0.2); as float8, the
--   same points with the limits as the shortest decimals not above the doubles.
SELECT v, abc_tier_computed(v) OVER () AS tier, abc_tier_computed(v::float8) OVER () AS tier_float8,
       abc_classify(v, abc_cutoffs_computed(v) OVER ()) AS classified
FROM book WHERE name = 'tenths' ORDER BY v DESC;
SELECT abc_points(v), abc_points(v::float8) AS points_float8 FROM book WHERE name = 'tenths';

-- Every book at once, with GROUP BY: the points worked out above.
SELECT name, abc_points(v), abc_cutoffs_computed(v) FROM book GROUP BY name ORDER BY name;
