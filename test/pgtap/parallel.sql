-- parallel.sql: the aggregates run as partial aggregates under parallel query
-- (serialize in the workers, deserialize and combine in the leader) and give
-- exactly what the serial plan gives, over a table of 200,000 rows.
--
-- The table is created inside the suite's transaction.  That is sound:
-- parallel workers share the leader's transaction and snapshot, so they see
-- its uncommitted rows (the suite asserts that workers were launched), and
-- ROLLBACK leaves nothing behind.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;

SELECT plan(90);

\ir lib/helpers.psql

CREATE SCHEMA par;

-- A deterministic uniform number in [0, 1).
CREATE FUNCTION par.u(g int, salt int) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (hashint8($1::bigint * 1009 + $2) & 2147483647)::float8 / 2147483648 $$;

-- 200,000 accounts of 50 owners.  vn: amounts in cents, some negative, zero
-- or NULL, many ties (128-bit fixed point).  vf: non-round doubles.  vx: vn,
-- but for five rows in one narrow range of the table too wide for fixed point
-- (1e40, 1e-40): the worker that scans them holds a numeric state, the others
-- fixed-point states, and the leader combines both kinds.  vd: vn, but for
-- three rows shown with numeric's largest display scale, 16383 decimals,
-- which a fixed-point state keeps through the workers.
CREATE TABLE par.book AS
SELECT id, owner, vn, vf,
       CASE id WHEN 150001 THEN 1e40 WHEN 150002 THEN 1e-40 WHEN 150003 THEN -1e40
               WHEN 150004 THEN 2e40 WHEN 150005 THEN 3e-40 ELSE vn END AS vx,
       CASE WHEN id BETWEEN 120001 AND 120003
            THEN (vn::text || CASE WHEN scale(vn) = 0 THEN '.' ELSE '' END
                  || repeat('0', 16383 - scale(vn)))::numeric
            ELSE vn END AS vd
FROM (SELECT g AS id, g % 50 AS owner,
             CASE WHEN g % 97 = 0 THEN NULL
                  ELSE round(((par.u(g, 1) - 0.05) * 10 ^ floor(par.u(g, 2) * 6))::numeric, 2) END AS vn,
             CASE WHEN g % 89 = 0 THEN NULL
                  ELSE (par.u(g, 3) - 0.05) * 10 ^ (par.u(g, 4) * 6) END AS vf
      FROM generate_series(1, 200000) g) b
ORDER BY id;
ANALYZE par.book;


SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL client_min_messages = warning;

-- The aggregates (each overload shape once) and the three kinds of column.
CREATE TEMP TABLE aggs (agg text);
INSERT INTO aggs VALUES ('abc_cutoffs(%s, 0.7, 0.9)'), ('abc_cutoffs_by_count(%s)'),
                        ('pareto_summary(%s)'), ('lorenz_curve(%s, 21)'),
                        ('abc_cutoffs_computed(%s)'), ('abc_points(%s)');
CREATE TEMP TABLE cols (col text, what text);
INSERT INTO cols VALUES ('vn', 'numeric'), ('vf', 'float8'), ('vx', 'numeric with 1e40 and 1e-40');

CREATE TEMP TABLE queries AS
SELECT format(a.agg, c.col) || ' on ' || c.what AS name, false AS grouped,
       format('SELECT %s AS r FROM par.book', format(a.agg, c.col)) AS q
FROM aggs a, cols c
UNION ALL
SELECT format(a.agg, c.col) || ' on ' || c.what || ', GROUP BY owner', true,
       format('SELECT string_agg(owner || '': '' || r::text, E''\n'' ORDER BY owner) AS r '
              'FROM (SELECT owner, %s AS r FROM par.book GROUP BY owner) s', format(a.agg, c.col))
FROM aggs a, cols c;

-- pareto_summary (which shows its total with the largest display scale)
-- on the column with 16383 decimals.
INSERT INTO queries VALUES
  ('pareto_summary(vd) on numeric with 16383 decimals', false,
   'SELECT pareto_summary(vd) AS r FROM par.book'),
  ('pareto_summary(vd) on numeric with 16383 decimals, GROUP BY owner', true,
   'SELECT string_agg(owner || '': '' || r::text, E''\n'' ORDER BY owner) AS r '
   'FROM (SELECT owner, pareto_summary(vd) AS r FROM par.book GROUP BY owner) s');

-- sales_totals, over lines dated across the window start, on the exact, the
-- too-wide and the 16383-decimal column.
INSERT INTO queries
SELECT 'sales_totals on ' || c.what || CASE WHEN g THEN ', GROUP BY owner' ELSE '' END, g,
       CASE WHEN g THEN
         format('SELECT string_agg(owner || '': '' || r::text, E''\n'' ORDER BY owner) AS r '
                'FROM (SELECT owner, %s AS r FROM par.book GROUP BY owner) s', t.agg)
       ELSE format('SELECT %s AS r FROM par.book', t.agg) END
FROM (VALUES ('vn', 'numeric'), ('vx', 'numeric with 1e40 and 1e-40'),
             ('vd', 'numeric with 16383 decimals')) AS c(col, what),
     LATERAL (SELECT format('sales_totals(date ''2025-01-01'' + id %% 365, %s, %s / 4, id %% 3 = 0, '
                            'date ''2025-06-30'')', c.col, c.col) AS agg) AS t,
     (VALUES (false), (true)) AS grouping(g);

CREATE TEMP TABLE runs (name text, grouped bool, par gen.run, ser gen.run);
DO $$
DECLARE
  q record;
  p gen.run;
  s gen.run;
BEGIN
  FOR q IN SELECT * FROM queries ORDER BY name LOOP
    p := gen.run(q.q, 2);
    s := gen.run(q.q, 0);
    INSERT INTO runs VALUES (q.name, q.grouped, p, s);
  END LOOP;
END
$$;
RESET max_parallel_workers_per_gather;

SELECT is((SELECT count(*) FROM runs WHERE (par).plan ~ 'Workers Launched: [12]'), 44::bigint,
          'parallel workers were launched for every query, and scanned the table of this transaction');

SELECT CASE WHEN (par).plan ~ CASE WHEN grouped THEN 'Partial (Hash|Group)?Aggregate' ELSE 'Partial Aggregate' END
            THEN pass(name || ': the parallel plan has a partial aggregate')
            ELSE fail(name || ': the parallel plan has a partial aggregate') || E'\n' || diag((par).plan) END
FROM runs ORDER BY grouped, name;

SELECT is((par).result, (ser).result, name || ': the parallel result equals the serial one')
FROM runs ORDER BY grouped, name;

SELECT ok((SELECT bool_and((ser).plan !~ 'Gather') FROM runs), 'the serial runs had no Gather');

SELECT * FROM finish();
ROLLBACK;
