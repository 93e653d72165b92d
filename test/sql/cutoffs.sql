-- abc_cutoffs and abc_cutoffs_by_count: the smallest A value and the
-- smallest B value (NULL where that tier is empty), for abc_classify.
SET search_path = account_tier, public;

SELECT abc_cutoffs(v) AS by_value, abc_cutoffs_by_count(v) AS by_count
FROM generate_series(1, 10) v;

SELECT abc_cutoffs(v, 0.8) FROM (VALUES (8), (1), (1)) t(v);
SELECT abc_cutoffs(v, 0.8, 0.8) FROM (VALUES (8), (1), (1)) t(v);
SELECT abc_cutoffs(v, 0.8) FROM (VALUES (0.7), (0.1), (0.1), (0.1)) t(v);
SELECT abc_cutoffs_by_count(v, 0.2, 0.4) FROM (VALUES (5), (5), (5), (1), (1)) t(v);

-- Per owner.
SELECT owner, abc_cutoffs(v) AS by_value, abc_cutoffs_by_count(v) AS by_count
FROM (VALUES ('ann', 700), ('ann', 200), ('ann', 60), ('ann', 40),
             ('bob', 10), ('bob', 10), ('bob', 1)) t(owner, v)
GROUP BY owner ORDER BY owner;

-- No non-NULL value: NULL, like sum(). No positive value: both limits NULL.
SELECT abc_cutoffs(v) IS NULL AS no_rows FROM (SELECT 1.0 WHERE false) t(v);
SELECT abc_cutoffs(v) IS NULL AS all_null FROM (VALUES (NULL::numeric)) t(v);
SELECT abc_cutoffs(v) FROM (VALUES (0), (-4)) t(v);

-- float8 limits are the shortest decimals not above the boundary values that
-- convert back to them: 0.3::float8 is a little below 0.3, 0.1::float8 above 0.1.
SELECT abc_cutoffs(v, 0.5, 0.9) FROM (VALUES (0.1::float8), (0.2), (0.3), (0.4)) t(v);
