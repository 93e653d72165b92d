-- data/bench_book.sql — the book `make bench` times: public.t(id, owner, v,
-- tier), 2,000,000 accounts of 50 owners with yearly revenue v in
-- numeric(14,2) and the tier each account has in its owner's book (stored,
-- as a planning table would hold it: needs the extension installed).
--
-- Deterministic, like data/sample_book.sql: no random(), only closed-form
-- arithmetic.  2000003 is prime, so i -> (i * m) % 2000003 permutes the
-- indexes; each column uses its own multiplier.
--   * v = 120.00 + 5,000 * (u^(-1/1.4) - 1), u = (k - 0.5)/2000003: a Pareto
--     (Lomax) long tail, about a fifth of the accounts holding 80% of the
--     revenue, rounded to cents, so the small values repeat (many ties);
--   * as in a real book: ~2.5% dormant accounts (0.00), ~1% net credit notes
--     (negative), ~0.4% without data (NULL).
-- The size can be changed with psql -v rows=N (default 2000000, at most
-- 2000002).

\if :{?rows}
\else
\set rows 2000000
\endif

DROP TABLE IF EXISTS public.t;
CREATE TABLE public.t (
  id    int PRIMARY KEY,
  owner text NOT NULL,
  v     numeric(14,2),
  tier  account_tier.tier
);

INSERT INTO public.t (id, owner, v, tier)
SELECT id, owner, v, account_tier.abc_tier(v) OVER (PARTITION BY owner)
FROM (
SELECT i AS id,
       'rep-' || lpad((1 + o)::text, 2, '0') AS owner,
       CASE
         WHEN s % 250 = 7 THEN NULL
         WHEN s % 97 = 1 THEN -round(40 + (s % 61) * 23.17, 2)
         WHEN s % 40 = 0 THEN 0.00
         ELSE round((120.0 + 5000.0 * (power((k - 0.5) / 2000003.0, -1.0 / 1.4) - 1.0))::numeric, 2)
       END AS v
FROM generate_series(1, :rows) AS i,
     LATERAL (SELECT (i::bigint * 1234577) % 2000003       AS k,  -- revenue rank
                     (i::bigint * 7919) % 2000003 % 50     AS o,  -- owner
                     (i::bigint * 611953) % 2000003        AS s   -- special cases
             ) AS h
) AS book
ORDER BY id;
