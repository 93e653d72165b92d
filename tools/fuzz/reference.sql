-- tools/fuzz/reference.sql: the tables make fuzz fills, and the exact
-- reference it checks every call against, written in plain SQL numeric
-- straight from SPEC.md ("Definitions", "Computed ABC", "Visit planning").
-- Nothing here calls the extension: only its types are named, to compare.
--
-- Sums and products are taken on whole numbers (each value times 10^S, S the
-- largest scale of its partition), so that no product's scale reaches
-- numeric's limit of 16383 decimals and every comparison stays exact.
CREATE SCHEMA fuzz;

-- The values of one case: both input types side by side, two partition keys
-- and an order key for the window clauses.  Rows of id <= 0 pad the table
-- (for parallel plans) and are no part of it.
CREATE TABLE fuzz.data (id int, g1 int, g2 int, o1 float8, v numeric, f float8);
-- One rep's book per partition, for the visit planning functions.
CREATE TABLE fuzz.book (id int, g1 int, o1 float8, t account_tier.tier, w float8);
-- Sales lines, for sales_totals.
CREATE TABLE fuzz.lines (id int, g1 int, booked_on date, amount numeric, margin numeric,
                         incremental boolean, ws date);

-- 10^e, exactly (e may be negative).
CREATE FUNCTION fuzz.pow10(e int) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ('1e' || e)::numeric $$;

-- The exact value of a double: mantissa * 2^e, from its bits (NULL for NaN
-- and infinities).  float8::numeric would round to 15 digits.
CREATE FUNCTION fuzz.exact(d float8) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN biased = 2047 THEN NULL
              ELSE trim_scale(sign * CASE WHEN e >= 0 THEN m * 2::numeric ^ e
                                          ELSE m * 5::numeric ^ (-e) * fuzz.pow10(e) END) END
  FROM (SELECT CASE WHEN b < 0 THEN -1 ELSE 1 END AS sign,
               (b >> 52) & 2047 AS biased,
               CASE WHEN (b >> 52) & 2047 = 0 THEN b & 4503599627370495
                    ELSE (b & 4503599627370495) + 4503599627370496 END AS m,
               CASE WHEN (b >> 52) & 2047 = 0 THEN -1074
                    ELSE ((b >> 52) & 2047)::int - 1075 END AS e
        FROM (SELECT ('x' || encode(float8send(d), 'hex'))::bit(64)::bigint AS b) bits) parts
$$;

-- lhs < frac * rhs, exactly, for whole numbers lhs and rhs.
CREATE FUNCTION fuzz.lt_frac(lhs numeric, frac numeric, rhs numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lhs * fuzz.pow10(scale(frac)) < trunc(frac * fuzz.pow10(scale(frac))) * rhs $$;

-- The partition a row belongs to, for PARTITION BY / GROUP BY none, g1, g2 or
-- g1, g2 (NULL keys form a partition of their own, as in SQL).
CREATE FUNCTION fuzz.part_key(part text, g1 int, g2 int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE part WHEN 'none' THEN 0
                   WHEN 'g1' THEN coalesce(g1, -1)
                   WHEN 'g2' THEN coalesce(g2, -1)
                   ELSE coalesce(g1, -1)::bigint * 1000003 + coalesce(g2, -1) END
$$;

-- Every row of fuzz.data as one call sees it: its partition, its exact value
-- x (the numeric column, or the exact value of the float8 one), x as a whole
-- number xi at the partition's scale, and SPEC's quantities at that scale:
-- n, T, above (rows strictly greater), before(G) and cum(G).  (A frame that
-- excludes the current group would say it more directly, but PostgreSQL
-- recomputes such a frame for every row.)
CREATE FUNCTION fuzz.ranked(kind text, part text)
RETURNS TABLE (id int, p bigint, x numeric, xi numeric, n bigint, t numeric,
               above bigint, before numeric, cum numeric)
LANGUAGE sql STABLE AS $$
  WITH i AS (SELECT d.id, fuzz.part_key(part, d.g1, d.g2) AS p,
                    CASE kind WHEN 'numeric' THEN d.v ELSE fuzz.exact(d.f) END AS x
             FROM fuzz.data d WHERE d.id > 0),
       sc AS (SELECT i.p, coalesce(max(scale(i.x)), 0) AS s FROM i GROUP BY i.p),
       u AS (SELECT i.id, i.p, i.x, trunc(i.x * fuzz.pow10(sc.s)) AS xi
             FROM i JOIN sc ON sc.p = i.p)
  SELECT w.id, w.p, w.x, w.xi, w.n, w.t, w.at_least - w.peers, w.cum - greatest(w.xi, 0) * w.peers, w.cum
  FROM (SELECT u.id, u.p, u.x, u.xi,
               count(u.xi) OVER whole AS n,
               coalesce(sum(greatest(u.xi, 0)) OVER whole, 0) AS t,
               count(u.xi) OVER through_me AS at_least,
               count(u.xi) OVER (PARTITION BY u.p, u.xi) AS peers,
               coalesce(sum(greatest(u.xi, 0)) OVER through_me, 0) AS cum
        FROM u
        WINDOW whole AS (PARTITION BY u.p),
               through_me AS (PARTITION BY u.p ORDER BY u.xi DESC NULLS LAST
                              RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) w
$$;

-- Value share tiers: A if before(G) < a*T, else B if before(G) < b*T.
CREATE FUNCTION fuzz.value_tier(kind text, part text, a numeric, b numeric)
RETURNS TABLE (id int, p bigint, x numeric, tier text)
LANGUAGE sql STABLE AS $$
  SELECT r.id, r.p, r.x,
         CASE WHEN r.x IS NULL THEN NULL
              WHEN r.x <= 0 THEN 'C'
              WHEN fuzz.lt_frac(r.before, a, r.t) THEN 'A'
              WHEN fuzz.lt_frac(r.before, b, r.t) THEN 'B'
              ELSE 'C' END
  FROM fuzz.ranked(kind, part) r
$$;

-- Count share tiers: A if above < a*n, else B if above < b*n.
CREATE FUNCTION fuzz.count_tier(kind text, part text, a numeric, b numeric)
RETURNS TABLE (id int, p bigint, x numeric, tier text)
LANGUAGE sql STABLE AS $$
  SELECT r.id, r.p, r.x,
         CASE WHEN r.x IS NULL THEN NULL
              WHEN r.x <= 0 THEN 'C'
              WHEN fuzz.lt_frac(r.above, a, r.n) THEN 'A'
              WHEN fuzz.lt_frac(r.above, b, r.n) THEN 'B'
              ELSE 'C' END
  FROM fuzz.ranked(kind, part) r
$$;

-- pareto_share: cum(G)/T; 1 for values <= 0; NULL when T = 0.
CREATE FUNCTION fuzz.share(kind text, part text)
RETURNS TABLE (id int, p bigint, x numeric, share numeric)
LANGUAGE sql STABLE AS $$
  SELECT r.id, r.p, r.x,
         CASE WHEN r.x IS NULL OR r.t = 0 THEN NULL
              WHEN r.x <= 0 THEN 1
              ELSE r.cum / r.t END
  FROM fuzz.ranked(kind, part) r
$$;

-- Computed ABC, steps 1 to 7, with the distances multiplied by n^2 T^2 (and
-- T at the partition's scale) so that they are whole numbers compared exactly:
-- D_k = k^2 T^2 + n^2 (T - C_k)^2 and D'_k = (k - kX)^2 T^2 + n^2 (T - C_k)^2.
CREATE FUNCTION fuzz.computed(kind text, part text)
RETURNS TABLE (id int, p bigint, x numeric, tier text, kp bigint, kb bigint, kc bigint)
LANGUAGE sql STABLE AS $$
  WITH r AS (SELECT * FROM fuzz.ranked(kind, part)),
       c AS (SELECT z.p, z.n, z.t, z.k, z.xk,
                    sum(z.xk) OVER (PARTITION BY z.p ORDER BY z.k) AS ck
             FROM (SELECT r.p, r.n, r.t, greatest(r.xi, 0) AS xk,
                          row_number() OVER (PARTITION BY r.p ORDER BY greatest(r.xi, 0) DESC) AS k
                   FROM r WHERE r.xi IS NOT NULL AND r.t > 0) z),
       kp AS (SELECT DISTINCT ON (c.p) c.p, c.k AS kp FROM c
              ORDER BY c.p, c.k * c.k * c.t * c.t + c.n * c.n * (c.t - c.ck) * (c.t - c.ck), c.k),
       kb AS (SELECT c.p, count(*) FILTER (WHERE c.xk * c.n >= c.t) AS kb FROM c GROUP BY c.p),
       kx AS (SELECT kp.p, kp.kp, kb.kb, least(kp.kp, kb.kb) AS ka, greatest(kp.kp, kb.kb) AS kx
              FROM kp JOIN kb ON kb.p = kp.p),
       kc AS (SELECT DISTINCT ON (c.p) c.p, c.k AS kc FROM c JOIN kx ON kx.p = c.p
              ORDER BY c.p, (c.k - kx.kx) * (c.k - kx.kx) * c.t * c.t
                            + c.n * c.n * (c.t - c.ck) * (c.t - c.ck), c.k),
       lim AS (SELECT kx.p, kx.kp, kx.kb, kc.kc, xa.xk AS x_ka, xc.xk AS x_kc
               FROM kx JOIN kc ON kc.p = kx.p
               JOIN c xa ON xa.p = kx.p AND xa.k = kx.ka
               JOIN c xc ON xc.p = kx.p AND xc.k = kc.kc)
  SELECT r.id, r.p, r.x,
         CASE WHEN r.x IS NULL THEN NULL
              WHEN r.xi > 0 AND r.xi >= l.x_ka THEN 'A'
              WHEN r.xi > 0 AND r.xi >= l.x_kc THEN 'B'
              ELSE 'C' END,
         l.kp, l.kb, l.kc
  FROM r LEFT JOIN lim l ON l.p = r.p
$$;

-- Cutoffs of a tiering: per partition, the smallest A and B values, and n
-- (an aggregate over no non-NULL value is NULL).
CREATE FUNCTION fuzz.cutoffs_of(tiers text)
RETURNS TABLE (p bigint, n bigint, a_min numeric, b_min numeric)
LANGUAGE plpgsql STABLE AS $f$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT t.p, count(t.x), min(t.x) FILTER (WHERE t.tier = ''A''),
            min(t.x) FILTER (WHERE t.tier = ''B'') FROM %s t GROUP BY t.p', tiers);
END
$f$;

-- pareto_summary: n, T, Gini = sum over ascending ranks r of
-- (2r - n - 1) x_(r) / (n T), top20 = share of the ceil(n/5) largest,
-- accounts_for_80 = rows in A at a = 0.8 (b = 1), over n.
CREATE FUNCTION fuzz.summary(kind text, part text)
RETURNS TABLE (p bigint, accounts bigint, positive_total numeric, gini numeric,
               top20_share numeric, accounts_for_80 numeric)
LANGUAGE sql STABLE AS $$
  WITH r AS (SELECT * FROM fuzz.ranked(kind, part)),
       o AS (SELECT r.p, r.n, r.t, greatest(r.xi, 0) AS xk,
                    row_number() OVER (PARTITION BY r.p ORDER BY greatest(r.xi, 0)) AS asc_rank,
                    row_number() OVER (PARTITION BY r.p ORDER BY greatest(r.xi, 0) DESC) AS desc_rank
             FROM r WHERE r.xi IS NOT NULL),
       g AS (SELECT o.p, min(o.n) AS n, min(o.t) AS t,
                    sum((2 * o.asc_rank - o.n - 1) * o.xk) AS rank_sum,
                    sum(o.xk) FILTER (WHERE o.desc_rank <= (o.n + 4) / 5) AS top
             FROM o GROUP BY o.p),
       a80 AS (SELECT v.p, count(*) FILTER (WHERE v.tier = 'A') AS a,
                      sum(greatest(v.x, 0)) AS total
               FROM fuzz.value_tier(kind, part, 0.8, 1) v WHERE v.x IS NOT NULL GROUP BY v.p)
  SELECT g.p, g.n, a80.total,
         CASE WHEN g.t > 0 THEN g.rank_sum / (g.n * g.t) END,
         CASE WHEN g.t > 0 THEN g.top / g.t END,
         CASE WHEN g.t > 0 THEN a80.a::numeric / g.n END
  FROM g JOIN a80 ON a80.p = g.p
$$;

-- lorenz_curve: element k is the share of T of the top (k-1)/(points-1) of
-- the n accounts (whole accounts, then a fraction of the next); NULL when T = 0.
CREATE FUNCTION fuzz.lorenz(kind text, part text, points int)
RETURNS TABLE (p bigint, k int, share numeric)
LANGUAGE sql STABLE AS $$
  WITH o AS (SELECT r.p, r.n, r.t, greatest(r.xi, 0) AS xk,
                    row_number() OVER (PARTITION BY r.p ORDER BY greatest(r.xi, 0) DESC) AS j
             FROM fuzz.ranked(kind, part) r WHERE r.xi IS NOT NULL AND r.t > 0),
       s AS (SELECT o.p, o.n, o.t, o.j, o.xk, sum(o.xk) OVER (PARTITION BY o.p ORDER BY o.j) AS cum FROM o),
       parts AS (SELECT DISTINCT s.p, s.n, s.t FROM s)
  SELECT pt.p, kk::int,
         (coalesce(whole.cum, 0) + coalesce(nxt.xk * q.rem / (points - 1), 0)) / pt.t
  FROM parts pt
  CROSS JOIN generate_series(1, points) kk
  CROSS JOIN LATERAL (SELECT ((kk - 1)::bigint * pt.n) / (points - 1) AS whole,
                             ((kk - 1)::bigint * pt.n) % (points - 1) AS rem) q
  LEFT JOIN s whole ON whole.p = pt.p AND whole.j = q.whole
  LEFT JOIN s nxt ON nxt.p = pt.p AND nxt.j = q.whole + 1
$$;

-- visit_cadence: the most frequent cadence a number of visits sustains.
CREATE FUNCTION fuzz.cadence(visits float8) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN visits >= 52 THEN 'weekly' WHEN visits >= 26 THEN 'every two weeks'
              WHEN visits >= 12 THEN 'monthly' WHEN visits >= 6 THEN 'every two months'
              WHEN visits >= 4 THEN 'quarterly' WHEN visits >= 2 THEN 'twice a year'
              WHEN visits >= 1 THEN 'yearly' WHEN visits > 0 THEN 'less than yearly'
              ELSE 'service only' END
$$;

-- Visit planning (SPEC "Visit planning"), per partition of fuzz.book, in
-- exact numeric from the exact values of the float8 arguments.  Tiers are
-- planned from A down: tier t's budget is capacity * share(t) plus what the
-- tiers above could not use; a tier with share 0 gets nothing and passes
-- what reaches it on to the next tier down.  Equal form: budget / accounts,
-- capped.  Weighted form: clamp(level * w, floor, cap), the level making the
-- tier use its whole budget; budget / accounts each when the floors alone do
-- not fit; NULL or negative weights count as 0 (such accounts get the floor).
-- Shares whose sum exceeds 1 (by the slack the caller allowed) are scaled
-- to sum to 1.  A cap of +Infinity binds no account.
CREATE FUNCTION fuzz.visits(part text, weighted boolean, capacity float8, shares float8[],
                            cap float8, floors float8[])
RETURNS TABLE (id int, visits numeric)
LANGUAGE plpgsql VOLATILE AS $f$
DECLARE
  cap_x numeric := CASE WHEN cap = 'Infinity' THEN NULL ELSE fuzz.exact(cap) END;
  cap_n numeric;
  share_x numeric[] := ARRAY[fuzz.exact(shares[1]), fuzz.exact(shares[2]), fuzz.exact(shares[3])];
  share_sum numeric := fuzz.exact(shares[1]) + fuzz.exact(shares[2]) + fuzz.exact(shares[3]);
  tiers account_tier.tier[] := ARRAY['A', 'B', 'C']::account_tier.tier[];
  pk bigint;
  carry numeric;
  budget numeric;
  floor_x numeric;
  k bigint;
  kpos bigint;
  usable numeric;
  level numeric;
  lc numeric;
  ld numeric;
  fixed numeric;
  free_w numeric;
BEGIN
  IF share_sum > 1 THEN
    FOR i IN 1..3 LOOP share_x[i] := share_x[i] / share_sum; END LOOP;
  END IF;
  -- no account can use more than the whole capacity: an infinite cap is this one
  cap_n := coalesce(cap_x, fuzz.exact(capacity) + 1);
  CREATE TEMP TABLE IF NOT EXISTS fuzz_visit_rows (id int, p bigint, t account_tier.tier, w numeric);
  TRUNCATE fuzz_visit_rows;
  INSERT INTO fuzz_visit_rows
  SELECT b.id, fuzz.part_key(part, b.g1, NULL), b.t, greatest(coalesce(fuzz.exact(b.w), 0), 0)
  FROM fuzz.book b;
  CREATE TEMP TABLE IF NOT EXISTS fuzz_visit_out (id int, visits numeric);
  TRUNCATE fuzz_visit_out;
  INSERT INTO fuzz_visit_out SELECT r.id, NULL FROM fuzz_visit_rows r WHERE r.t IS NULL;

  FOR pk IN SELECT DISTINCT r.p FROM fuzz_visit_rows r LOOP
    carry := 0;
    FOR ti IN 1..3 LOOP
      SELECT count(*), count(*) FILTER (WHERE r.w > 0) INTO k, kpos
      FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti];
      IF share_x[ti] = 0 THEN
        INSERT INTO fuzz_visit_out SELECT r.id, 0 FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti];
        CONTINUE;
      END IF;
      budget := fuzz.exact(capacity) * share_x[ti] + carry;
      carry := 0;
      IF k = 0 THEN
        carry := budget;
        CONTINUE;
      END IF;
      IF NOT weighted THEN
        INSERT INTO fuzz_visit_out
        SELECT r.id, least(budget / k, cap_n) FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti];
        carry := greatest(budget - k * cap_n, 0);
        CONTINUE;
      END IF;
      floor_x := fuzz.exact(floors[ti]);
      IF floor_x * k > budget THEN
        INSERT INTO fuzz_visit_out
        SELECT r.id, budget / k FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti];
        CONTINUE;
      END IF;
      usable := kpos * cap_n + (k - kpos) * floor_x;
      IF budget >= usable THEN
        INSERT INTO fuzz_visit_out
        SELECT r.id, CASE WHEN r.w > 0 THEN cap_n ELSE floor_x END
        FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti];
        carry := budget - usable;
        CONTINUE;
      END IF;
      -- f(level) = sum of clamp(level * w, floor, cap) is piecewise linear and
      -- increasing, with breaks at level = floor / w and cap / w.  Take the
      -- last break c / d where f <= budget (f(c / d) * d compared exactly),
      -- then the accounts between floor and cap just above it take up the
      -- rest of the budget in proportion to their weights.
      SELECT bp.c, bp.d INTO lc, ld
      FROM (SELECT 0::numeric AS c, 1::numeric AS d
            UNION ALL SELECT floor_x, r.w FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti] AND r.w > 0
            UNION ALL SELECT cap_n, r.w FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti] AND r.w > 0) bp
      WHERE (SELECT sum(CASE WHEN r.w > 0 THEN least(greatest(bp.c * r.w, floor_x * bp.d), cap_n * bp.d)
                             ELSE floor_x * bp.d END)
             FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti]) <= budget * bp.d
      ORDER BY bp.c / bp.d DESC LIMIT 1;
      SELECT sum(r.w) FILTER (WHERE r.w > 0 AND floor_x * ld <= lc * r.w AND lc * r.w < cap_n * ld),
             sum(CASE WHEN r.w > 0 AND lc * r.w >= cap_n * ld THEN cap_n
                      WHEN r.w > 0 AND floor_x * ld <= lc * r.w THEN 0
                      ELSE floor_x END)
      INTO free_w, fixed
      FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti];
      level := CASE WHEN free_w IS NULL THEN lc / ld ELSE (budget - fixed) / free_w END;
      INSERT INTO fuzz_visit_out
      SELECT r.id, CASE WHEN r.w > 0 THEN least(greatest(level * r.w, floor_x), cap_n) ELSE floor_x END
      FROM fuzz_visit_rows r WHERE r.p = pk AND r.t = tiers[ti];
    END LOOP;
  END LOOP;
  RETURN QUERY SELECT o.id, o.visits FROM fuzz_visit_out o;
END
$f$;
