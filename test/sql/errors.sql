-- Bad input is refused with a clear message and its SQLSTATE.
SET search_path = account_tier, public;
\set VERBOSITY default

SELECT abc_tier(v, 0) OVER () FROM (VALUES (1)) t(v);
SELECT abc_tier(v, 0.8, 1.2) OVER () FROM (VALUES (1)) t(v);
SELECT abc_tier(v, 0.9, 0.8) OVER () FROM (VALUES (1)) t(v);
SELECT abc_tier(v, NULL) OVER () FROM (VALUES (1)) t(v);
SELECT abc_tier_by_count(v, -0.2) OVER () FROM (VALUES (1)) t(v);
SELECT abc_cutoffs(v, 0.5, 0.4) FROM (VALUES (1)) t(v);
SELECT abc_cutoffs_by_count(v, 1.5) FROM (VALUES (1)) t(v);

SELECT pareto_share(v) OVER () FROM (VALUES (1::numeric), ('NaN')) t(v);
SELECT abc_tier(v) OVER () FROM (VALUES (1::float8), ('Infinity')) t(v);
SELECT abc_cutoffs(v) FROM (VALUES ('-Infinity'::numeric)) t(v);
SELECT abc_classify('NaN'::float8, ROW(1, 1));

SELECT lorenz_curve(v, 1) FROM (VALUES (1)) t(v);
SELECT lorenz_curve(v, 100001) FROM (VALUES (1)) t(v);

\set VERBOSITY sqlstate
SELECT abc_tier(v, 2) OVER () FROM (VALUES (1)) t(v);
SELECT abc_tier(v, NULL) OVER () FROM (VALUES (1)) t(v);
SELECT pareto_summary(v) FROM (VALUES ('NaN'::numeric)) t(v);
SELECT lorenz_curve(v, 0) FROM (VALUES (1)) t(v);
