-- pareto_share(value): cum(G)/T of the row's tie group; 1 for values <= 0;
-- NULL when no value is positive.
SET search_path = account_tier, public;

-- Ties share a result: both 1s get cum = 10.
SELECT v, pareto_share(v) OVER () FROM (VALUES (8), (1), (1)) t(v) ORDER BY v DESC;

-- Exact for numeric: 0.7 + 0.1 + 0.1 + 0.1 is exactly 1.
SELECT v, pareto_share(v) OVER ()
FROM (VALUES (0.7), (0.1), (0.1), (0.1)) t(v) ORDER BY v DESC;

-- Zero and negative values (credit notes) count for nothing and get 1;
-- NULL values get NULL.
SELECT v, pareto_share(v) OVER ()
FROM (VALUES (50.00), (30.00), (20.00), (0.00), (-5.00), (NULL)) t(v)
ORDER BY v DESC NULLS LAST;

-- No positive value: every share is NULL.
SELECT v, pareto_share(v) OVER () FROM (VALUES (0), (-1), (NULL)) t(v) ORDER BY v;

-- One row.
SELECT pareto_share(v) OVER () FROM (VALUES (42.5)) t(v);

-- Per owner, and the window's ORDER BY changes nothing.
SELECT owner, v,
       pareto_share(v) OVER (PARTITION BY owner) AS share,
       pareto_share(v) OVER (PARTITION BY owner ORDER BY v) AS ordered
FROM (VALUES ('ann', 60), ('ann', 30), ('ann', 10), ('bob', 5), ('bob', 5)) t(owner, v)
ORDER BY owner, v DESC;

-- float8 input.
SELECT v, pareto_share(v) OVER ()
FROM (VALUES (0.5::float8), (0.25), (0.125), (0.125)) t(v) ORDER BY v DESC;
