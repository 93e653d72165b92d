-- abc_tier(value, a, b): a positive tie group G is A if before(G) < a*T,
-- else B if before(G) < b*T, else C; values <= 0 are C.
SET search_path = account_tier, public;

-- README.md "Exact definitions": 8, 1, 1 at a = 0.8: before(1s) = 8 is not < 8, so the 1s are B.
SELECT v, abc_tier(v, 0.8) OVER () FROM (VALUES (8), (1), (1)) t(v) ORDER BY v DESC;

-- README.md "Exact definitions": 0.7, 0.1, 0.1, 0.1 at a = 0.8: 0.7 < 0.8 * 1.0 exactly, so the 0.1
-- group joins A (a float sum of these values is 0.9999999999999999).
SELECT v, abc_tier(v, 0.8) OVER ()
FROM (VALUES (0.7), (0.1), (0.1), (0.1)) t(v) ORDER BY v DESC;

-- A boundary hit exactly: T = 10, before(3) = 5 is not < 0.5 * 10.
SELECT v, abc_tier(v, 0.5, 0.8) OVER () FROM (VALUES (5), (3), (2)) t(v) ORDER BY v DESC;

-- Defaults a = 0.80, b = 0.95, on 1..10 (T = 55): A while before < 44,
-- B while before < 52.25.
SELECT v, abc_tier(v) OVER () FROM generate_series(1, 10) v ORDER BY v DESC;

-- Zeros, negatives and NULLs; tiers compare as A < B < C.
SELECT v, abc_tier(v) OVER () AS tier, abc_tier(v) OVER () <= 'B' AS field
FROM (VALUES (900.00), (80.00), (15.00), (5.00), (0.00), (-20.00), (NULL)) t(v)
ORDER BY v DESC NULLS LAST;

-- a = b = 1: every positive value is A.
SELECT v, abc_tier(v, 1, 1) OVER () FROM (VALUES (3), (2), (1), (0)) t(v) ORDER BY v DESC;

-- No positive value: every non-NULL row is C.
SELECT v, abc_tier(v) OVER () FROM (VALUES (0), (-3), (NULL)) t(v) ORDER BY v DESC NULLS LAST;

-- Per owner; the window's ORDER BY and the row order change nothing.
SELECT owner, v,
       abc_tier(v) OVER (PARTITION BY owner) AS tier,
       abc_tier(v) OVER (PARTITION BY owner ORDER BY v) AS ordered
FROM (VALUES ('ann', 700), ('ann', 200), ('ann', 60), ('ann', 40),
             ('bob', 10), ('bob', 10), ('bob', 1)) t(owner, v)
ORDER BY owner, v DESC;

-- Values too wide for 128-bit fixed point take exact numeric arithmetic.
SELECT v, abc_tier(v, 0.5) OVER (), pareto_share(v) OVER ()
FROM (VALUES (1e40), (1e40), (1e-40), (3)) t(v) ORDER BY v DESC;
