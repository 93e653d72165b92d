-- pareto_summary and lorenz_curve.
SET search_path = account_tier, public;

-- 1..10: Gini 0.3, top 20% (two accounts) hold 19/55, 6 of 10 accounts in A.
SELECT (pareto_summary(v)).* FROM generate_series(1, 10) v;

-- Perfect equality, and one account holding everything.
SELECT (pareto_summary(v)).* FROM (VALUES (5.0), (5.0), (5.0), (5.0)) t(v);
SELECT (pareto_summary(v)).* FROM (VALUES (100), (0), (0), (0)) t(v);

-- Negatives count as accounts with nothing; no positive value: no shares.
SELECT (pareto_summary(v)).* FROM (VALUES (10.00), (-10.00), (NULL)) t(v);
SELECT (pareto_summary(v)).* FROM (VALUES (0), (-1)) t(v);
SELECT pareto_summary(v) IS NULL AS no_rows FROM (SELECT 1.0 WHERE false) t(v);

-- Lorenz curve: share of the total held by the top 0%, 25%, ... of accounts,
-- linear within an account.
SELECT lorenz_curve(v, 5) FROM generate_series(1, 10) v;
SELECT lorenz_curve(v, 3) FROM (VALUES (3.0), (1.0)) t(v);
SELECT array_length(lorenz_curve(v), 1), (lorenz_curve(v))[1], (lorenz_curve(v))[101]
FROM generate_series(1, 1000) v;
SELECT lorenz_curve(v, 5) FROM (VALUES (0), (0)) t(v);

-- A set that widens its scale twice, the second time past 128 bits, moves
-- to exact numeric arithmetic without losing a value.
SELECT (pareto_summary(v)).positive_total FROM (VALUES (17.0), (17), (1e-30), (2.5e-40)) t(v);
