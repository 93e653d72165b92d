-- states.sql: the deserialize functions refuse every malformed state with
-- 22000 and a detail saying what is wrong, and accept every state the
-- serialize functions write.
--
-- A superuser reaches them with states made by hand: st.state_of() and its
-- siblings are aggregates whose final function is the serialize function (a
-- real state's bytes, to start from); st.replay_*() are parallel-only
-- aggregates whose workers pass on a bytea unchanged (string_agg's state,
-- "serialized" by string_agg's final function), so that the leader
-- deserializes, combines and finishes exactly the bytes given.  A replay
-- aggregate must never run without its partial step: st.replay() checks the
-- plan first and refuses to run otherwise.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;

SELECT plan(52);

CREATE SCHEMA st;

-- Real states ----------------------------------------------------------------------
CREATE AGGREGATE st.state_of(numeric, numeric, numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = internal, FINALFUNC = account_tier.state_serialize);
CREATE AGGREGATE st.state_of(numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, FINALFUNC = account_tier.state_serialize);
CREATE AGGREGATE st.state_of(float8) (
  SFUNC = account_tier.values_sfunc, STYPE = internal, FINALFUNC = account_tier.state_serialize);
CREATE AGGREGATE st.lorenz_state_of(numeric, int) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = internal, FINALFUNC = account_tier.state_serialize);
CREATE AGGREGATE st.totals_state_of(date, numeric, numeric, boolean, date) (
  SFUNC = account_tier.sales_totals_sfunc, STYPE = internal, FINALFUNC = account_tier.sales_totals_serialize);

-- Replays ---------------------------------------------------------------------------
DO $$
DECLARE
  f record;
BEGIN
  FOR f IN SELECT * FROM (VALUES ('cutoffs', 'abc_cutoffs_final', 'state'),
                                 ('by_count', 'abc_cutoffs_by_count_final', 'state'),
                                 ('computed', 'abc_cutoffs_computed_final', 'state'),
                                 ('points', 'abc_points_final', 'state'),
                                 ('summary', 'pareto_summary_final', 'state'),
                                 ('lorenz', 'lorenz_curve_final', 'state'),
                                 ('totals', 'sales_totals_final', 'sales_totals')) x(name, final, prefix)
  LOOP
    EXECUTE format('CREATE AGGREGATE st.replay_%s(bytea, bytea) ('
                   'SFUNC = pg_catalog.bytea_string_agg_transfn, STYPE = internal, '
                   'SERIALFUNC = pg_catalog.bytea_string_agg_finalfn, '
                   'DESERIALFUNC = account_tier.%s_deserialize, COMBINEFUNC = account_tier.%s_combine, '
                   'FINALFUNC = account_tier.%s, PARALLEL = SAFE)', f.name, f.prefix, f.prefix, f.final);
  END LOOP;
END
$$;

CREATE TABLE st.input (s bytea);

-- The result of replay aggregate `agg' over one state, as text; an error as
-- "ERROR sqlstate: message: detail".
CREATE FUNCTION st.replay(agg text, state bytea) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
  q text := format('SELECT st.replay_%s(s, ''''::bytea)::text FROM st.input', agg);
  plan text := '';
  line text;
  result text;
  detail text;
BEGIN
  PERFORM set_config('parallel_setup_cost', '0', true);
  PERFORM set_config('parallel_tuple_cost', '0', true);
  PERFORM set_config('min_parallel_table_scan_size', '0', true);
  PERFORM set_config('max_parallel_workers_per_gather', '2', true);
  TRUNCATE st.input;
  INSERT INTO st.input VALUES (state);
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    plan := plan || line || E'\n';
  END LOOP;
  IF plan !~ 'Finalize Aggregate' OR plan !~ 'Partial Aggregate' THEN
    RETURN 'NOT RUN: no partial aggregate in ' || plan;
  END IF;
  BEGIN
    EXECUTE q INTO result;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN format('ERROR %s: %s: %s', SQLSTATE, SQLERRM, detail);
  END;
  RETURN coalesce(result, 'NULL');
END
$f$;

-- Byte helpers --------------------------------------------------------------------
-- Numerics travel in the server's byte order, the rest in network order.

-- The bytes of a numeric as a numeric state holds them (its first item).
CREATE FUNCTION st.disk(x numeric) RETURNS bytea LANGUAGE sql
AS $$
  SELECT substring(s FROM 25 FOR ('x' || encode(substring(s FROM 21 FOR 4), 'hex'))::bit(32)::int)
  FROM (SELECT st.state_of(v ORDER BY k) AS s FROM (VALUES (1, x), (2, 1e40)) t(k, v)) x
$$;

-- Whether numerics are little-endian: the first byte of a 4-byte varlena
-- header holds the low bits of the length then.
CREATE FUNCTION st.little() RETURNS boolean LANGUAGE sql
AS $$ SELECT get_byte(st.disk(0.5), 0) <> 0 $$;

CREATE FUNCTION st.native16(v int) RETURNS bytea LANGUAGE sql
AS $$ SELECT CASE WHEN st.little() THEN set_byte(set_byte('\x0000'::bytea, 0, v & 255), 1, (v >> 8) & 255)
                  ELSE substring(int4send(v) FROM 3) END $$;

CREATE FUNCTION st.native32(v int) RETURNS bytea LANGUAGE sql
AS $$ SELECT CASE WHEN st.little()
                  THEN st.native16(v & 65535) || st.native16((v >> 16) & 65535)
                  ELSE int4send(v) END $$;

-- A numeric's bytes: a 4-byte varlena header with the stated length, then
-- the 16-bit header, the weight (long form, when given) and the digits.
CREATE FUNCTION st.raw(header int, weight int, digits int[]) RETURNS bytea LANGUAGE sql
AS $$
  SELECT st.native32((4 + 2 + CASE WHEN weight IS NULL THEN 0 ELSE 2 END + 2 * coalesce(cardinality(digits), 0)) << 2)
         || st.native16(header) || coalesce(st.native16(weight), '')
         || coalesce((SELECT string_agg(st.native16(d), '' ORDER BY k) FROM unnest(digits) WITH ORDINALITY u(d, k)), '')
$$;

-- An optional numeric: a flag, then length and bytes.
CREATE FUNCTION st.opt(num bytea) RETURNS bytea LANGUAGE sql
AS $$ SELECT CASE WHEN num IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int4send(length(num)) || num END $$;

-- A value set: kind (0 fixed, 1 numeric), radix, scale, display scale, count, items.
CREATE FUNCTION st.vs(kind int, radix int, scale int, dscale int, n bigint, items bytea) RETURNS bytea LANGUAGE sql
AS $$ SELECT set_byte('\x00'::bytea, 0, kind) || set_byte('\x00'::bytea, 0, radix)
             || substring(int4send(scale) FROM 3) || substring(int4send(dscale) FROM 3) || int8send(n) || items $$;

-- The items of a numeric value set.
CREATE FUNCTION st.nums(VARIADIC nums bytea[]) RETURNS bytea LANGUAGE sql
AS $$ SELECT coalesce(string_agg(int4send(length(x)) || x, '' ORDER BY k), '') FROM unnest(nums) WITH ORDINALITY u(x, k) $$;

-- A 128-bit item.
CREATE FUNCTION st.i128(v bigint) RETURNS bytea LANGUAGE sql
AS $$
  SELECT CASE WHEN st.little()
              THEN (SELECT string_agg(substring(b FROM k FOR 1), '' ORDER BY k DESC) FROM generate_series(1, 16) k)
              ELSE b END
  FROM (SELECT CASE WHEN v < 0 THEN '\xffffffffffffffff'::bytea ELSE '\x0000000000000000'::bytea END || int8send(v) AS b) x
$$;

-- A whole state: thresholds, points, value set.
CREATE FUNCTION st.state(a bytea, b bytea, points int, vs bytea) RETURNS bytea LANGUAGE sql
AS $$ SELECT st.opt(a) || st.opt(b) || int4send(points) || vs $$;

-- Numerics made by hand, and with each thing wrong.  0.8 is short-form
-- 0x80FF (weight -1, display scale 1) with the digit 8000.
CREATE TEMP TABLE num (what text, bytes bytea);
INSERT INTO num VALUES
  ('0.8', st.raw(x'80FF'::int, NULL, '{8000}')),
  ('0.95', st.raw(x'817F'::int, NULL, '{9500}')),
  ('1.5', st.raw(x'8080'::int, NULL, '{1,5000}')),
  ('1.5 long form', st.raw(1, 0, '{1,5000}')),
  ('NaN', st.raw(x'C000'::int, NULL, NULL)),
  ('Infinity', st.raw(x'D000'::int, NULL, NULL)),
  ('a digit of 10000', st.raw(x'8080'::int, NULL, '{1,10000}')),
  ('a negative digit', st.raw(x'8080'::int, NULL, '{1,-5000}')),
  ('a leading zero digit', st.raw(x'8081'::int, NULL, '{0,1,5000}')),
  ('a trailing zero digit', st.raw(x'8080'::int, NULL, '{1,5000,0}')),
  ('a negative zero', st.raw(x'A000'::int, NULL, NULL)),
  ('a zero of weight 3', st.raw(x'8003'::int, NULL, NULL));
INSERT INTO num SELECT 'compressed', set_byte(bytes, 0, get_byte(bytes, 0) | CASE WHEN st.little() THEN 2 ELSE 64 END)
FROM num WHERE what = '1.5';
INSERT INTO num SELECT 'a 1-byte header', set_byte(bytes, 0, get_byte(bytes, 0) | CASE WHEN st.little() THEN 1 ELSE 128 END)
FROM num WHERE what = '1.5';
INSERT INTO num SELECT 'too short for its header', substring(bytes FROM 1 FOR 5) FROM num WHERE what = '1.5';

CREATE FUNCTION st.n(what text) RETURNS bytea LANGUAGE sql AS $$ SELECT bytes FROM num WHERE num.what = $1 $$;

-- The helpers build numerics byte for byte as the server does.
SELECT is(st.n('0.8'), st.disk(0.8), 'helper: 0.8 built by hand is the server''s 0.8');
SELECT is(st.n('1.5'), st.disk(1.5), 'helper: 1.5 built by hand is the server''s 1.5');
SELECT is(st.state(st.n('0.8'), st.n('0.95'), 0, st.vs(0, 10, 1, 1, 3, st.i128(15) || st.i128(20) || st.i128(-30))),
          st.state_of(v, 0.8, 0.95),
          'helper: a state built by hand is the server''s state')
FROM (VALUES (1.5), (2.0), (-3)) t(v);

-- Well-formed states are accepted -----------------------------------------------------
SELECT is(st.replay('cutoffs', st.state_of(v, 0.8, 0.95)), abc_cutoffs(v, 0.8, 0.95)::text,
          'a real abc_cutoffs state replays to abc_cutoffs')
FROM (VALUES (1.5), (2.0), (-3), (1e40), (1e-40)) t(v);
SELECT is(st.replay('summary', st.state_of(v)), pareto_summary(v)::text,
          'a real float8 pareto_summary state replays to pareto_summary')
FROM (VALUES (1.5::float8), (2.0), (-3), (1e300), (5e-324)) t(v);
SELECT is(st.replay('lorenz', st.lorenz_state_of(v, 5)), lorenz_curve(v, 5)::text,
          'a real lorenz_curve state replays to lorenz_curve')
FROM (VALUES (1.5), (2.0), (-3)) t(v);
SELECT is(st.replay('cutoffs', st.state(st.n('0.8'), st.n('0.95'), 0,
                                        st.vs(1, 10, 0, 0, 2, st.nums(st.n('1.5 long form'), st.n('0.95'))))),
          '(0.95,)', 'a numeric state made by hand, one value in the long form, is accepted');
SELECT is(st.replay('totals', st.totals_state_of(d, a, m, i, w)),
          sales_totals(d, a, m, i, w)::text, 'a real sales_totals state replays to sales_totals')
FROM (VALUES ('2025-01-01'::date, 10.5, 1, true, '2024-12-31'::date), ('2024-01-01', 1e40, NULL, false, '2024-12-31')) t(d, a, m, i, w);

-- Malformed values states ---------------------------------------------------------------
CREATE TEMP TABLE bad (what text, agg text, state bytea, detail text);
INSERT INTO bad VALUES
  ('no thresholds, given to abc_cutoffs', 'cutoffs',
   st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'threshold'),
  ('no thresholds, given to abc_cutoffs_by_count', 'by_count',
   st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'threshold'),
  ('no points, given to lorenz_curve', 'lorenz',
   st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'points'),
  ('points, given to abc_cutoffs', 'cutoffs',
   st.state(st.n('0.8'), st.n('0.95'), 11, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'points'),
  ('a but no b', 'cutoffs',
   st.state(st.n('0.8'), NULL, 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'threshold'),
  ('a flag of 2', 'cutoffs',
   set_byte(st.state(st.n('0.8'), st.n('0.95'), 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 0, 2), 'flag'),
  ('a threshold of 1.5', 'cutoffs',
   st.state(st.n('1.5'), st.n('1.5'), 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'threshold'),
  ('a > b', 'cutoffs',
   st.state(st.n('0.95'), st.n('0.8'), 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'threshold'),
  ('a NaN threshold', 'cutoffs',
   st.state(st.n('NaN'), st.n('0.95'), 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'finite'),
  ('a compressed threshold', 'cutoffs',
   st.state(st.n('compressed'), st.n('compressed'), 0, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'compressed'),
  ('points 1', 'lorenz', st.state(NULL, NULL, 1, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'points'),
  ('points 100001', 'lorenz', st.state(NULL, NULL, 100001, st.vs(0, 10, 0, 0, 1, st.i128(5))), 'points'),
  ('kind 2', 'summary', st.state(NULL, NULL, 0, st.vs(2, 10, 0, 0, 1, st.i128(5))), 'kind'),
  ('radix 3', 'summary', st.state(NULL, NULL, 0, st.vs(0, 3, 0, 0, 1, st.i128(5))), 'kind'),
  ('a decimal scale of 16384', 'summary', st.state(NULL, NULL, 0, st.vs(0, 10, 16384, 0, 1, st.i128(5))), 'scale'),
  ('a binary scale of 1075', 'summary', st.state(NULL, NULL, 0, st.vs(0, 2, 1075, 0, 1, st.i128(5))), 'scale'),
  ('a binary set with a display scale', 'summary', st.state(NULL, NULL, 0, st.vs(0, 2, 0, 3, 1, st.i128(5))), 'scale'),
  ('a negative count', 'summary', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, -1, '')), 'number of values'),
  ('a fixed item missing', 'summary', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 2, st.i128(5))), 'number of values'),
  ('a numeric item missing', 'summary', st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 2, st.nums(st.n('1.5')))), 'length'),
  ('bytes after the last numeric item', 'summary',
   st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 1, st.nums(st.n('1.5')) || '\x00'::bytea)), 'after'),
  ('a float8 value of 54 significant bits', 'summary',
   st.state(NULL, NULL, 0, st.vs(0, 2, 3, 0, 1, st.i128(9007199254740993))), 'double'),
  ('positive values overflowing 128 bits', 'summary',
   st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 2,
            '\xffffffffffffffffffffffffffffff7f'::bytea || '\xffffffffffffffffffffffffffffff7f'::bytea)), 'overflow');
INSERT INTO bad
SELECT 'a numeric item: ' || what, 'summary', st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 2, st.nums(st.n('1.5'), bytes))), detail
FROM num JOIN (VALUES ('NaN', 'finite'), ('Infinity', 'finite'), ('a digit of 10000', 'digit'),
                      ('a negative digit', 'digit'), ('a leading zero digit', 'digit'),
                      ('a trailing zero digit', 'digit'), ('a negative zero', 'zero'),
                      ('a zero of weight 3', 'zero'),
                      ('compressed', 'compressed'), ('a 1-byte header', 'header'),
                      ('too short for its header', 'length')) d(w, detail) ON d.w = num.what;

-- Each is refused with 22000, and a detail that speaks of what is wrong.
SELECT ok(r LIKE 'ERROR 22000: invalid account_tier aggregate state: %'
          AND position(lower(detail) IN lower(substring(r FROM 52))) > 0,
          format('refused with 22000 (%s): %s', detail, what))
       || CASE WHEN r LIKE 'ERROR 22000: invalid account_tier aggregate state: %'
                    AND position(lower(detail) IN lower(substring(r FROM 52))) > 0 THEN ''
               ELSE E'\n' || diag('    got: ' || left(r, 300)) END
FROM (SELECT what, detail, st.replay(agg, state) AS r FROM bad) x
ORDER BY what;

-- Malformed sales_totals states --------------------------------------------------------
CREATE TEMP TABLE bad_totals (what text, state bytea);
INSERT INTO bad_totals
SELECT 'a sum flag of 2', set_byte(s, 4, 2) FROM (SELECT st.totals_state_of('2025-01-01'::date, 1.5, NULL, NULL, '2024-12-31'::date) s) x
UNION ALL
SELECT 'a truncated sum', substring(s FROM 1 FOR length(s) - 1)
FROM (SELECT st.totals_state_of('2025-01-01'::date, 1.5, NULL, NULL, '2024-12-31'::date) s) x
UNION ALL
SELECT 'bytes after the last sum', s || '\x00'::bytea
FROM (SELECT st.totals_state_of('2025-01-01'::date, 1.5, NULL, NULL, '2024-12-31'::date) s) x
UNION ALL
SELECT 'a window start past the last date', int4send(2147483000) || '\x00000000'::bytea
UNION ALL
SELECT 'a sum: ' || what, int4send(0) || st.opt(bytes) || '\x000000'::bytea
FROM num WHERE what IN ('NaN', 'a digit of 10000', 'compressed', 'a 1-byte header', 'a trailing zero digit',
                        'too short for its header');

SELECT is(substring(st.replay('totals', state) FROM '^ERROR 22000: invalid account_tier aggregate state: '),
          'ERROR 22000: invalid account_tier aggregate state: ',
          'sales_totals refused with 22000: ' || what)
FROM bad_totals ORDER BY what;

SELECT * FROM finish();
ROLLBACK;
