-- abc_tier_by_count(value, a, b): with n non-NULL rows and above(row) rows
-- of strictly greater value, a positive row is A if above < a*n, else B if
-- above < b*n, else C.
SET search_path = account_tier, public;

-- Defaults a = 0.20, b = 0.80 on ten accounts: 2 A, 6 B, 2 C.
SELECT v, abc_tier_by_count(v) OVER () FROM generate_series(1, 10) v ORDER BY v DESC;

-- Ties straddling a limit go to the upper tier: n = 5, a*n = 1, yet all
-- three 5s have above = 0.
SELECT v, abc_tier_by_count(v, 0.2, 0.4) OVER ()
FROM (VALUES (5), (5), (5), (1), (1)) t(v) ORDER BY v DESC;

-- Rows <= 0 count in n but are always C; NULLs are not counted.
SELECT v, abc_tier_by_count(v, 0.25, 0.75) OVER ()
FROM (VALUES (40.0), (30.0), (20.0), (0.0), (-10.0), (NULL)) t(v)
ORDER BY v DESC NULLS LAST;

-- Per owner, float8 input.
SELECT owner, v, abc_tier_by_count(v, 0.5, 0.5) OVER (PARTITION BY owner)
FROM (VALUES ('ann', 3.5::float8), ('ann', 2.5), ('ann', 1.5), ('ann', 0.5),
             ('bob', 7.0), ('bob', 1.0)) t(owner, v)
ORDER BY owner, v DESC;
