-- states.sql: the aggregates' states as SQL values (account_tier.values_state,
-- account_tier.sales_totals_state).  Every aggregate's state goes to text and
-- back, and to binary and back, unchanged, on the generated datasets of
-- lib/datasets.psql (ties, NULLs, negatives, decimals float sums get wrong,
-- huge and tiny numerics, one row, no value) as numeric and as float8, and
-- on a few precise ones; the states of parts of a dataset, read back from
-- text and combined by the aggregate's combine function, give the
-- aggregate's own answer over the whole; input refuses every malformed
-- state, from text with 22P02 and from binary with 22P03, with a detail
-- saying what is wrong; the combine and final functions refuse a state they
-- cannot use (22000).
--
-- The states are reached with aggregates made here: st.*_state run an
-- aggregate's transition function without a final function (their result is
-- the state), st.*_of combine states with the aggregate's combine function
-- and finish with its final function.  Binary input is reached through COPY
-- (FORMAT binary) and a file in the data directory: the binary form of a
-- bytea is its bytes, which COPY FROM hands to the state type's receive
-- function.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
SET LOCAL client_min_messages = warning;

\ir lib/helpers.psql
\ir lib/datasets.psql

SELECT plan(147);

CREATE SCHEMA st;

-- The states, and the answers from states ---------------------------------------------
CREATE AGGREGATE st.cutoffs_state(numeric, numeric, numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.cutoffs_state(float8, numeric, numeric) (
  SFUNC = account_tier.value_cutoffs_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.by_count_state(numeric, numeric, numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.by_count_state(float8, numeric, numeric) (
  SFUNC = account_tier.count_cutoffs_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.values_state(numeric) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.values_state(float8) (
  SFUNC = account_tier.values_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.lorenz_state(numeric, int) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.lorenz_state(float8, int) (
  SFUNC = account_tier.lorenz_sfunc, STYPE = account_tier.values_state);
CREATE AGGREGATE st.totals_state(date, numeric, numeric, boolean, date) (
  SFUNC = account_tier.sales_totals_sfunc, STYPE = account_tier.sales_totals_state);

DO $$
DECLARE
  f record;
BEGIN
  FOR f IN SELECT * FROM (VALUES ('cutoffs', 'abc_cutoffs_final'), ('by_count', 'abc_cutoffs_by_count_final'),
                                 ('computed', 'abc_cutoffs_computed_final'), ('points', 'abc_points_final'),
                                 ('summary', 'pareto_summary_final'), ('lorenz', 'lorenz_curve_final')) x(name, final)
  LOOP
    EXECUTE format('CREATE AGGREGATE st.%s_of(account_tier.values_state) ('
                   'SFUNC = account_tier.state_combine, STYPE = account_tier.values_state, '
                   'FINALFUNC = account_tier.%s)', f.name, f.final);
  END LOOP;
END
$$;
CREATE AGGREGATE st.totals_of(account_tier.sales_totals_state) (
  SFUNC = account_tier.sales_totals_combine, STYPE = account_tier.sales_totals_state,
  FINALFUNC = account_tier.sales_totals_final);

-- The data ------------------------------------------------------------------------
-- The shared datasets, and precise ones: numerics of 38 and more digits,
-- numeric's largest display scale, 1e-16383-like tininess, the extremes of
-- float8.  f is v as float8 where it is one; each row has a part (for
-- states of parts), a day either side of the window start, a margin, a kind,
-- and each dataset thresholds and a number of Lorenz points of its own.
INSERT INTO ref.sets VALUES ('precise', 99001, false), ('precise', 99002, false), ('precise', 99003, false);
INSERT INTO ref.data (shape, ds, id, v, exact)
SELECT 'precise', 99000 + ds, id, v, false
FROM (VALUES (1, 1, 12345678901234567890123456789012345678.9), (1, 2, -0.00000000000000000000000000000000000001),
             (1, 3, 1e40), (1, 4, 1e40), (1, 5, 7),
             (2, 1, ('0.' || repeat('0', 16381) || '15')::numeric), (2, 2, ('3.' || repeat('0', 16382) || '1')::numeric),
             (2, 3, 2.5),
             (3, 1, 1e300), (3, 2, 1e-300), (3, 3, 170141183460469231731687303715884105727),
             (3, 4, -170141183460469231731687303715884105728), (3, 5, 0)) AS p(ds, id, v);
ALTER TABLE ref.data ADD COLUMN f float8, ADD COLUMN part int, ADD COLUMN d date, ADD COLUMN m numeric,
                     ADD COLUMN inc boolean;
UPDATE ref.data
SET f = CASE WHEN v = 0 OR abs(v) BETWEEN 1e-300 AND 1e300 THEN v::float8 END,
    part = id % 3,
    d = date '2025-06-30' + (id * 37 % 200 - 100),
    m = round(v / 3, 4),
    inc = id % 4 = 0;
-- 5e-324, the smallest denormal, and the largest double (float8 only)
INSERT INTO ref.data (shape, ds, id, f, part, d, inc)
VALUES ('precise', 99003, 10, 5e-324, 1, date '2025-07-01', true),
       ('precise', 99003, 11, 1.7976931348623157e308, 2, date '2025-07-01', false);
CREATE TABLE st.params AS
SELECT s.ds, (0.05 + (s.ds % 17) * 0.05)::numeric(4, 2) AS a, (0.90 + (s.ds % 3) * 0.05)::numeric(4, 2) AS b,
       2 + s.ds % 40 AS points
FROM ref.sets AS s;

-- The kinds of state: the aggregate, its state and the aggregates from states,
-- each over v (numeric) or f (float8); sales_totals over v.
CREATE TABLE st.kinds (kind text PRIMARY KEY, type regtype, state text, answer text, from_states text);
INSERT INTO st.kinds
SELECT format('%s(%s)', k.agg, c.type), 'account_tier.values_state',
       format(k.state, c.col), format(k.direct, c.col), k.from_states
FROM (VALUES ('abc_cutoffs', 'st.cutoffs_state(%s, p.a, p.b)', 'abc_cutoffs(%s, p.a, p.b)', 'st.cutoffs_of'),
             ('abc_cutoffs_by_count', 'st.by_count_state(%s, p.a, p.b)', 'abc_cutoffs_by_count(%s, p.a, p.b)',
              'st.by_count_of'),
             ('abc_cutoffs_computed', 'st.values_state(%s)', 'abc_cutoffs_computed(%s)', 'st.computed_of'),
             ('abc_points', 'st.values_state(%s)', 'abc_points(%s)', 'st.points_of'),
             ('pareto_summary', 'st.values_state(%s)', 'pareto_summary(%s)', 'st.summary_of'),
             ('lorenz_curve', 'st.lorenz_state(%s, p.points)', 'lorenz_curve(%s, p.points)', 'st.lorenz_of'))
       AS k(agg, state, direct, from_states),
     (VALUES ('v', 'numeric'), ('f', 'float8')) AS c(col, type)
UNION ALL
VALUES ('sales_totals', 'account_tier.sales_totals_state'::regtype,
        'st.totals_state(d, v, m, inc, date ''2025-06-30'')', 'sales_totals(d, v, m, inc, date ''2025-06-30'')',
        'st.totals_of');

-- Every kind's state of every dataset, its text, and the text read back and
-- written again; the state of each part of it, as text; the aggregate's
-- answer over the dataset, and from the parts' states read back from text.
CREATE TABLE st.states (kind text, ds int, state_text text, again text, answer text, from_parts text);
DO $$
DECLARE
  k record;
BEGIN
  FOR k IN SELECT * FROM st.kinds LOOP
    EXECUTE format($q$
      INSERT INTO st.states
      SELECT %1$L, w.ds, w.s, w.s::%2$s::text, w.answer, pa.answer
      FROM (SELECT d.ds, %3$s::text AS s, %4$s::text AS answer
            FROM ref.data AS d JOIN st.params AS p USING (ds) GROUP BY d.ds) AS w
      LEFT JOIN (SELECT x.ds, %5$s(x.s::%2$s)::text AS answer
                 FROM (SELECT d.ds, d.part, %3$s::text AS s
                       FROM ref.data AS d JOIN st.params AS p USING (ds) GROUP BY d.ds, d.part) AS x
                 GROUP BY x.ds) AS pa USING (ds)$q$,
      k.kind, k.type, k.state, k.answer, k.from_states);
  END LOOP;
END
$$;

-- Text ------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM st.states AS s WHERE s.kind = k.kind AND s.state_text IS NOT NULL),
          (SELECT count(DISTINCT d.ds) FROM ref.data AS d
           WHERE CASE WHEN k.kind = 'sales_totals' THEN d.d IS NOT NULL
                      WHEN k.kind LIKE '%(float8)' THEN d.f IS NOT NULL ELSE d.v IS NOT NULL END),
          k.kind || ': every dataset with a value has a state')
FROM st.kinds AS k ORDER BY k.kind;

SELECT gen.no_rows(format($q$SELECT ds, state_text, again FROM st.states
                             WHERE kind = %L AND again IS DISTINCT FROM state_text$q$, k.kind),
                   k.kind || ': every state read back from its text is written the same')
FROM st.kinds AS k ORDER BY k.kind;

SELECT gen.no_rows(format($q$SELECT ds, answer, from_parts FROM st.states
                             WHERE kind = %L AND from_parts IS DISTINCT FROM answer$q$, k.kind),
                   k.kind || ': the states of three parts, read back from text and combined, give the aggregate''s answer')
FROM st.kinds AS k ORDER BY k.kind;

-- the header says what the state holds
SELECT is(split_part((SELECT state_text FROM st.states WHERE kind = 'abc_cutoffs(numeric)' AND ds = 99001), ' \x', 1),
          format('numeric n=5 a=%s b=%s', (SELECT a FROM st.params WHERE ds = 99001),
                 (SELECT b FROM st.params WHERE ds = 99001)),
          'the header of a values_state: the values'' type and number, the thresholds');
SELECT is(split_part((SELECT state_text FROM st.states WHERE kind = 'lorenz_curve(float8)' AND ds = 99003), ' \x', 1),
          format('float8 n=7 points=%s', (SELECT points FROM st.params WHERE ds = 99003)),
          'the header of a lorenz_curve state: float8, the number of values, the points');
SELECT is(split_part((SELECT state_text FROM st.states WHERE kind = 'sales_totals' AND ds = 99001), ' \x', 1),
          'window_start=2025-06-30 sums=revenue,prior_revenue,margin,incremental_revenue',
          'the header of a sales_totals_state: the window start, the sums with values');
SELECT is(split_part(st.totals_state(date '2025-01-01', NULL, NULL, NULL, date '0044-03-15 BC')::text, ' \x', 1),
          'window_start=0044-03-15 BC sums=none', 'a sales_totals_state without sums, its window start BC');

-- A state of 500,000 amounts below 100,003.00: its text holds 8 hexadecimal
-- digits a value (4 bytes of cents each), and reads back to the same answer.
CREATE TABLE st.big AS
SELECT st.cutoffs_state(round(g * 1.37 % 100003, 2), 0.8, 0.95)::text AS s FROM generate_series(1, 500000) AS g;
SELECT cmp_ok((SELECT length(s) FROM st.big), '<=', 8 * 500000 + 200,
              'a state of 500,000 amounts in cents below 21 million: its text holds 8 digits a value');
SELECT is((SELECT st.cutoffs_of(s::account_tier.values_state)::text FROM st.big),
          (SELECT abc_cutoffs(round(g * 1.37 % 100003, 2), 0.8, 0.95)::text FROM generate_series(1, 500000) AS g),
          'a state of 500,000 values read back from text gives abc_cutoffs''s answer');

-- Binary ----------------------------------------------------------------------------
-- COPY ... (FORMAT binary) writes each state with its send function and reads
-- it back with its receive function.
CREATE FUNCTION st.file() RETURNS text
LANGUAGE sql AS $$ SELECT current_setting('data_directory') || '/account_tier_states_test.bin' $$;
CREATE TABLE st.received_values (kind text, ds int, s account_tier.values_state);
CREATE TABLE st.received_totals (kind text, ds int, s account_tier.sales_totals_state);
DO $$
DECLARE
  k record;
BEGIN
  FOR k IN SELECT * FROM st.kinds LOOP
    EXECUTE format('COPY (SELECT kind, ds, state_text::%s FROM st.states WHERE kind = %L) TO %L WITH (FORMAT binary)',
                   k.type, k.kind, st.file());
    EXECUTE format('COPY %s FROM %L WITH (FORMAT binary)',
                   CASE WHEN k.kind = 'sales_totals' THEN 'st.received_totals' ELSE 'st.received_values' END,
                   st.file());
  END LOOP;
END
$$;
SELECT gen.no_rows(format($q$SELECT s.ds FROM st.states AS s
                             FULL JOIN (SELECT kind, ds, s::text AS t FROM st.received_values
                                        UNION ALL SELECT kind, ds, s::text FROM st.received_totals) AS r
                               USING (kind, ds)
                             WHERE coalesce(s.kind, r.kind) = %L AND r.t IS DISTINCT FROM s.state_text$q$, k.kind),
                   k.kind || ': every state written and read back in binary is the same')
FROM st.kinds AS k ORDER BY k.kind;

-- Malformed states -------------------------------------------------------------------
-- The SQLSTATE, message and detail of a statement's error, or 'no error'.
CREATE FUNCTION st.error_of(statement text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
  detail text;
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN format('%s: %s: %s', SQLSTATE, SQLERRM, detail);
END
$f$;

-- The bytes of a state's text form, and the text form of bytes under a header.
CREATE FUNCTION st.bytes(state text) RETURNS bytea
LANGUAGE sql AS $$ SELECT decode(split_part(state, ' \x', 2), 'hex') $$;
CREATE FUNCTION st.text(header text, bytes bytea) RETURNS text
LANGUAGE sql AS $$ SELECT header || ' \x' || encode(bytes, 'hex') $$;

-- Reads bytes as the binary form of a state of `type' (COPY FROM).
CREATE FUNCTION st.from_binary(type regtype, bytes bytea) RETURNS text
LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('COPY (SELECT %L::text, 0, %L::bytea) TO %L WITH (FORMAT binary)', 'binary', bytes, st.file());
  EXECUTE format('COPY %s FROM %L WITH (FORMAT binary)',
                 CASE WHEN type = 'account_tier.sales_totals_state'::regtype
                      THEN 'st.received_totals' ELSE 'st.received_values' END, st.file());
  RETURN 'no error';
END
$f$;

-- The first bytes of every state: the format's version, the byte order.
CREATE FUNCTION st.begin() RETURNS bytea
LANGUAGE sql AS $$ SELECT substring(st.bytes(st.values_state(1.5)::text) FROM 1 FOR 2) $$;

-- The bytes of a numeric as a numeric state holds them (its first value).
CREATE FUNCTION st.disk(x numeric) RETURNS bytea
LANGUAGE sql AS $$
  SELECT substring(b FROM 28 FOR ('x' || encode(substring(b FROM 24 FOR 4), 'hex'))::bit(32)::int)
  FROM (SELECT st.bytes(st.values_state(v ORDER BY k)::text) AS b FROM (VALUES (1, x), (2, 1e40)) AS t(k, v)) AS s
$$;

-- Whether the server is little-endian (its byte order byte).
CREATE FUNCTION st.little() RETURNS boolean
LANGUAGE sql AS $$ SELECT get_byte(st.begin(), 1) = 1 $$;

CREATE FUNCTION st.native16(v int) RETURNS bytea
LANGUAGE sql AS $$ SELECT CASE WHEN st.little() THEN set_byte(set_byte('\x0000'::bytea, 0, v & 255), 1, (v >> 8) & 255)
                               ELSE substring(int4send(v) FROM 3) END $$;

CREATE FUNCTION st.native32(v int) RETURNS bytea
LANGUAGE sql AS $$ SELECT CASE WHEN st.little()
                               THEN st.native16(v & 65535) || st.native16((v >> 16) & 65535)
                               ELSE int4send(v) END $$;

-- A numeric's bytes: a 4-byte varlena header with the stated length, then
-- the 16-bit header, the weight (long form, when given) and the digits.
CREATE FUNCTION st.raw(header int, weight int, digits int[]) RETURNS bytea
LANGUAGE sql AS $$
  SELECT st.native32((4 + 2 + CASE WHEN weight IS NULL THEN 0 ELSE 2 END + 2 * coalesce(cardinality(digits), 0)) << 2)
         || st.native16(header) || coalesce(st.native16(weight), '')
         || coalesce((SELECT string_agg(st.native16(d), '' ORDER BY k) FROM unnest(digits) WITH ORDINALITY AS u(d, k)), '')
$$;

-- An optional numeric: a flag, then length and bytes.
CREATE FUNCTION st.opt(num bytea) RETURNS bytea
LANGUAGE sql AS $$ SELECT CASE WHEN num IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int4send(length(num)) || num END $$;

-- A value set: kind (0 fixed, 1 numeric), radix, scale, display scale,
-- count, width of an item, items.
CREATE FUNCTION st.vs(kind int, radix int, scale int, dscale int, n bigint, width int, items bytea) RETURNS bytea
LANGUAGE sql AS $$ SELECT set_byte('\x00'::bytea, 0, kind) || set_byte('\x00'::bytea, 0, radix)
                          || substring(int4send(scale) FROM 3) || substring(int4send(dscale) FROM 3) || int8send(n)
                          || set_byte('\x00'::bytea, 0, width) || items $$;

-- The items of a numeric value set.
CREATE FUNCTION st.nums(VARIADIC nums bytea[]) RETURNS bytea
LANGUAGE sql AS $$ SELECT coalesce(string_agg(int4send(length(x)) || x, '' ORDER BY k), '') FROM unnest(nums) WITH ORDINALITY AS u(x, k) $$;

-- A fixed-point item in `width' bytes: two's complement, least significant
-- byte first.
CREATE FUNCTION st.item(v bigint, width int) RETURNS bytea
LANGUAGE sql AS $$
  SELECT string_agg(set_byte('\x00'::bytea, 0, CASE WHEN k < 8 THEN ((v >> (8 * k)) & 255)::int
                                                    WHEN v < 0 THEN 255 ELSE 0 END), '' ORDER BY k)
  FROM generate_series(0, width - 1) AS k
$$;

-- A whole values_state: version and byte order, thresholds, points, value set.
CREATE FUNCTION st.state(a bytea, b bytea, points int, vs bytea) RETURNS bytea
LANGUAGE sql AS $$ SELECT st.begin() || st.opt(a) || st.opt(b) || int4send(points) || vs $$;

-- Numerics made by hand, and with each thing wrong.  0.8 is short-form
-- 0x80FF (weight -1, display scale 1) with the digit 8000.
CREATE TABLE st.num (what text, bytes bytea);
INSERT INTO st.num VALUES
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
INSERT INTO st.num SELECT 'compressed', set_byte(bytes, 0, get_byte(bytes, 0) | CASE WHEN st.little() THEN 2 ELSE 64 END)
FROM st.num WHERE what = '1.5';
INSERT INTO st.num SELECT 'a 1-byte header', set_byte(bytes, 0, get_byte(bytes, 0) | CASE WHEN st.little() THEN 1 ELSE 128 END)
FROM st.num WHERE what = '1.5';
INSERT INTO st.num SELECT 'too short for its header', substring(bytes FROM 1 FOR 5) FROM st.num WHERE what = '1.5';

CREATE FUNCTION st.n(what text) RETURNS bytea LANGUAGE sql AS $$ SELECT bytes FROM st.num WHERE num.what = $1 $$;

-- The helpers build states byte for byte as the server does.
SELECT is(st.n('0.8'), st.disk(0.8), 'helper: 0.8 built by hand is the server''s 0.8');
SELECT is(st.n('1.5'), st.disk(1.5), 'helper: 1.5 built by hand is the server''s 1.5');
SELECT is(st.state(st.n('0.8'), st.n('0.95'), 0, st.vs(0, 10, 1, 1, 3, 1, st.item(15, 1) || st.item(20, 1) || st.item(-30, 1))),
          st.bytes(st.cutoffs_state(v, 0.8, 0.95)::text),
          'helper: a state built by hand is the server''s state')
FROM (VALUES (1.5), (2.0), (-3)) AS t(v);

-- States made by hand are accepted: a numeric one with a value in the long
-- form, an empty one (which combines as nothing).
SELECT is(st.cutoffs_of(st.text('numeric n=2 a=0.8 b=0.95',
                                st.state(st.n('0.8'), st.n('0.95'), 0,
                                         st.vs(1, 10, 0, 0, 2, 0, st.nums(st.n('1.5 long form'), st.n('0.95')))))
                        ::account_tier.values_state)::text,
          '(0.95,)', 'a numeric state made by hand, one value in the long form, is accepted');
SELECT is(st.text('float8 n=0', st.state(NULL, NULL, 0, st.vs(0, 2, 0, 0, 0, 1, '')))::account_tier.values_state::text,
          st.text('float8 n=0', st.state(NULL, NULL, 0, st.vs(0, 2, 0, 0, 0, 1, ''))),
          'an empty float8 state reads back to itself');
SELECT is((SELECT st.summary_of(s)::text
           FROM (VALUES (st.text('float8 n=0', st.state(NULL, NULL, 0, st.vs(0, 2, 0, 0, 0, 1, '')))::account_tier.values_state),
                        ((SELECT st.values_state(2.5::float8))), ((SELECT st.values_state(-1::float8)))) AS x(s)),
          pareto_summary(v)::text, 'an empty state combines as no values')
FROM (VALUES (2.5::float8), (-1)) AS t(v);

-- Malformed values_states: each refused from text with 22P02 and from binary
-- with 22P03, the detail speaking of what is wrong.
CREATE TABLE st.bad (what text, bytes bytea, detail text);
INSERT INTO st.bad VALUES
  ('no bytes', '', 'truncated'),
  ('a format of version 2', set_byte(st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 0, 2), 'version'),
  ('an unknown byte order', set_byte(st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 1, 9), 'byte order'),
  ('the other byte order', set_byte(st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 1,
                                    CASE WHEN st.little() THEN 2 ELSE 1 END), 'other byte order'),
  ('truncated in the parameters', substring(st.state(st.n('0.8'), st.n('0.95'), 0, st.vs(0, 10, 0, 0, 0, 1, '')) FROM 1 FOR 30),
   'truncated'),
  ('truncated in the values', substring(st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 2, 1, st.item(5, 1) || st.item(6, 1)))
                                        FROM 1 FOR 24), 'number of values'),
  ('a count of 2^62 values', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 4611686018427387904, 1, st.item(5, 1))), 'number of values'),
  ('a numeric of length 2^31 - 1', st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 1, 0,
                                   int4send(2147483647) || st.n('1.5'))), 'length'),
  ('a threshold of length 2^31 - 1', st.begin() || '\x01'::bytea || int4send(2147483647) || st.n('0.8'), 'length'),
  ('bytes after the last value', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1) || '\x00'::bytea)), 'after'),
  ('bytes after the last numeric value', st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 1, 0, st.nums(st.n('1.5')) || '\x00'::bytea)),
   'after'),
  ('a threshold flag of 2', set_byte(st.state(st.n('0.8'), st.n('0.95'), 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 2, 2), 'flag'),
  ('a but no b', st.state(st.n('0.8'), NULL, 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 'threshold'),
  ('a threshold of 1.5', st.state(st.n('1.5'), st.n('1.5'), 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 'threshold'),
  ('a > b', st.state(st.n('0.95'), st.n('0.8'), 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 'threshold'),
  ('a NaN threshold', st.state(st.n('NaN'), st.n('0.95'), 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 'finite'),
  ('a compressed threshold', st.state(st.n('compressed'), st.n('compressed'), 0, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))),
   'compressed'),
  ('points 1', st.state(NULL, NULL, 1, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 'points'),
  ('points 100001', st.state(NULL, NULL, 100001, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 'points'),
  ('thresholds and points', st.state(st.n('0.8'), st.n('0.95'), 11, st.vs(0, 10, 0, 0, 1, 1, st.item(5, 1))), 'points'),
  ('kind 2', st.state(NULL, NULL, 0, st.vs(2, 10, 0, 0, 1, 1, st.item(5, 1))), 'kind'),
  ('radix 3', st.state(NULL, NULL, 0, st.vs(0, 3, 0, 0, 1, 1, st.item(5, 1))), 'kind'),
  ('a decimal scale of 16384', st.state(NULL, NULL, 0, st.vs(0, 10, 16384, 0, 1, 1, st.item(5, 1))), 'scale'),
  ('a negative scale', st.state(NULL, NULL, 0, st.vs(0, 10, -1, 0, 1, 1, st.item(5, 1))), 'scale'),
  ('a binary scale of 1075', st.state(NULL, NULL, 0, st.vs(0, 2, 1075, 0, 1, 1, st.item(5, 1))), 'scale'),
  ('a binary set with a display scale', st.state(NULL, NULL, 0, st.vs(0, 2, 0, 3, 1, 1, st.item(5, 1))), 'scale'),
  ('a numeric set with a scale', st.state(NULL, NULL, 0, st.vs(1, 10, 2, 0, 1, 0, st.nums(st.n('1.5')))), 'scale'),
  ('a negative count', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, -1, 1, '')), 'number of values'),
  ('a fixed value missing', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 2, 1, st.item(5, 1))), 'number of values'),
  ('a numeric value missing', st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 2, 0, st.nums(st.n('1.5')))), 'number of values'),
  ('a float8 value of 54 significant bits', st.state(NULL, NULL, 0, st.vs(0, 2, 3, 0, 1, 8, st.item(9007199254740993, 8))),
   'double'),
  ('a float8 set''s numeric value above every double',
   st.state(NULL, NULL, 0, st.vs(1, 2, 0, 0, 1, 0, st.nums(st.disk(1e400)))), 'double'),
  ('a float8 set''s numeric value between two doubles',
   st.state(NULL, NULL, 0, st.vs(1, 2, 0, 0, 1, 0, st.nums(st.disk(0.1)))), 'double'),
  ('positive values overflowing 128 bits',
   st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 2, 16,
            '\xffffffffffffffffffffffffffffff7f'::bytea || '\xffffffffffffffffffffffffffffff7f'::bytea)), 'overflow'),
  ('an item width of 0', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, 0, st.item(5, 1))), 'width'),
  ('an item width of 17', st.state(NULL, NULL, 0, st.vs(0, 10, 0, 0, 1, 17, st.item(5, 17))), 'width'),
  ('a numeric set with an item width', st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 1, 1, st.nums(st.n('1.5')))), 'width');
INSERT INTO st.bad
SELECT 'a numeric value: ' || n.what, st.state(NULL, NULL, 0, st.vs(1, 10, 0, 0, 2, 0, st.nums(st.n('1.5'), n.bytes))), d.detail
FROM st.num AS n
JOIN (VALUES ('NaN', 'finite'), ('Infinity', 'finite'), ('a digit of 10000', 'digit'),
             ('a negative digit', 'digit'), ('a leading zero digit', 'digit'),
             ('a trailing zero digit', 'digit'), ('a negative zero', 'zero'),
             ('a zero of weight 3', 'zero'), ('compressed', 'compressed'), ('a 1-byte header', 'header'),
             ('too short for its header', 'length')) AS d(w, detail) ON d.w = n.what;

CREATE TABLE st.refused AS
SELECT b.what, b.detail,
       st.error_of(format('SELECT %L::account_tier.values_state', st.text('numeric n=1', b.bytes))) AS from_text,
       st.error_of(format('SELECT st.from_binary(%L, %L)', 'account_tier.values_state', b.bytes)) AS from_binary
FROM st.bad AS b;

SELECT ok(from_text LIKE '22P02: invalid account_tier aggregate state: %'
          AND from_binary LIKE '22P03: invalid account_tier aggregate state: %'
          AND position(lower(detail) IN lower(substring(from_text FROM 45))) > 0
          AND position(lower(detail) IN lower(substring(from_binary FROM 45))) > 0,
          format('values_state refused, from text with 22P02 and from binary with 22P03 (%s): %s', detail, what))
       || CASE WHEN from_text LIKE '22P02: invalid account_tier aggregate state: %'
                    AND from_binary LIKE '22P03: invalid account_tier aggregate state: %'
                    AND position(lower(detail) IN lower(substring(from_text FROM 45))) > 0
                    AND position(lower(detail) IN lower(substring(from_binary FROM 45))) > 0 THEN ''
               ELSE E'\n' || diag('    text: ' || left(from_text, 300) || E'\n    binary: ' || left(from_binary, 300)) END
FROM st.refused ORDER BY what;

-- The text form itself.
SELECT is(st.error_of(format('SELECT %L::account_tier.values_state', t.text)),
          '22P02: invalid account_tier aggregate state: ' || t.detail, 'values_state text refused: ' || t.what)
FROM (VALUES ('no \x', 'numeric n=1 0101',
              'The state has no " \x" between its header and its bytes.'),
             ('an odd number of digits', 'numeric n=1 \x010',
              'The state''s bytes have an odd number of hexadecimal digits.'),
             ('a letter that is no digit', 'numeric n=1 \x01g1',
              'The state''s bytes have "g", which is not a hexadecimal digit.'),
             ('a header that the bytes do not give',
              'numeric n=2 ' || split_part((SELECT st.values_state(1.5))::text, ' ', 3),
              'The state''s header is "numeric n=2", but its bytes say "numeric n=1".'),
             ('a float8 state called numeric',
              'numeric n=1 ' || split_part((SELECT st.values_state(1.5::float8))::text, ' ', 3),
              'The state''s header is "numeric n=1", but its bytes say "float8 n=1".')) AS t(what, text, detail)
ORDER BY t.what;

-- Malformed sales_totals_states (the flat state: version, byte order, 2
-- unused bytes, the window start, 4 unused bytes, then 24 bytes a sum:
-- units, scale, display scale, flags any and wide, 2 unused bytes).
CREATE TABLE st.totals AS
SELECT st.bytes(st.totals_state(date '2025-07-01', 1.5, 0.25, true, date '2025-06-30')::text) AS plain,
       st.bytes(st.totals_state(d, a, NULL, NULL, date '2025-06-30')::text) AS wide
FROM (VALUES (date '2025-07-01', 1e40)) AS x(d, a);
CREATE TABLE st.bad_totals (what text, bytes bytea, detail text);
INSERT INTO st.bad_totals
SELECT 'no bytes', '', 'truncated' FROM st.totals
UNION ALL SELECT 'a format of version 2', set_byte(plain, 0, 2), 'version' FROM st.totals
UNION ALL SELECT 'the other byte order', set_byte(plain, 1, CASE WHEN st.little() THEN 2 ELSE 1 END), 'byte order' FROM st.totals
UNION ALL SELECT 'truncated in the sums', substring(plain FROM 1 FOR 60), 'truncated' FROM st.totals
UNION ALL SELECT 'bytes after the last sum', plain || '\x00'::bytea, 'after' FROM st.totals
UNION ALL SELECT 'an unused byte not 0', set_byte(plain, 3, 1), 'must be 0' FROM st.totals
UNION ALL SELECT 'an unused byte of a sum not 0', set_byte(plain, 12 + 22, 1), 'must be 0' FROM st.totals
UNION ALL SELECT 'a window start past the last date',
                 overlay(plain PLACING st.native32(2147483000) FROM 5 FOR 4), 'date' FROM st.totals
UNION ALL SELECT 'a sum flag of 2', set_byte(plain, 12 + 20, 2), 'flag' FROM st.totals
UNION ALL SELECT 'a wide flag of 2', set_byte(plain, 12 + 21, 2), 'flag' FROM st.totals
UNION ALL SELECT 'a scale of 16384', overlay(plain PLACING st.native16(16384) FROM 12 + 17 FOR 2), 'scale' FROM st.totals
UNION ALL SELECT 'units in a sum without values', set_byte(plain, 12 + 24 + 1, 7), 'units' FROM st.totals
UNION ALL SELECT 'a wide sum without its numeric', set_byte(plain, 12 + 21, 1), 'units' FROM st.totals
UNION ALL SELECT 'a wide sum''s numeric missing', substring(wide FROM 1 FOR 108), 'truncated' FROM st.totals
UNION ALL SELECT 'a wide sum''s numeric of length 2^31 - 1',
                 overlay(wide PLACING int4send(2147483647) FROM 109 FOR 4), 'length' FROM st.totals
UNION ALL SELECT 'a wide sum: ' || n.what, substring(wide FROM 1 FOR 108) || int4send(length(n.bytes)) || n.bytes, d.detail
FROM st.totals, st.num AS n
JOIN (VALUES ('NaN', 'finite'), ('a digit of 10000', 'digit'), ('compressed', 'compressed'),
             ('a 1-byte header', 'header'), ('a trailing zero digit', 'digit')) AS d(w, detail) ON d.w = n.what;

CREATE TABLE st.refused_totals AS
SELECT b.what, b.detail,
       st.error_of(format('SELECT %L::account_tier.sales_totals_state', st.text('window_start=2025-06-30 sums=revenue', b.bytes)))
         AS from_text,
       st.error_of(format('SELECT st.from_binary(%L, %L)', 'account_tier.sales_totals_state', b.bytes)) AS from_binary
FROM st.bad_totals AS b;

SELECT ok(from_text LIKE '22P02: invalid account_tier aggregate state: %'
          AND from_binary LIKE '22P03: invalid account_tier aggregate state: %'
          AND position(lower(detail) IN lower(substring(from_text FROM 45))) > 0
          AND position(lower(detail) IN lower(substring(from_binary FROM 45))) > 0,
          format('sales_totals_state refused, from text with 22P02 and from binary with 22P03 (%s): %s', detail, what))
       || CASE WHEN from_text LIKE '22P02: invalid account_tier aggregate state: %'
                    AND from_binary LIKE '22P03: invalid account_tier aggregate state: %'
                    AND position(lower(detail) IN lower(substring(from_text FROM 45))) > 0
                    AND position(lower(detail) IN lower(substring(from_binary FROM 45))) > 0 THEN ''
               ELSE E'\n' || diag('    text: ' || left(from_text, 300) || E'\n    binary: ' || left(from_binary, 300)) END
FROM st.refused_totals ORDER BY what;

-- States a function cannot use --------------------------------------------------------
SELECT is(st.error_of($$SELECT st.cutoffs_of(s) FROM (VALUES ((SELECT st.values_state(1.5)))) AS x(s)$$),
          '22000: invalid account_tier aggregate state: The state has no thresholds.',
          'abc_cutoffs''s final function refuses a state without thresholds');
SELECT is(st.error_of($$SELECT st.lorenz_of(s) FROM (VALUES ((SELECT st.values_state(1.5)))) AS x(s)$$),
          '22000: invalid account_tier aggregate state: The state has no lorenz_curve points.',
          'lorenz_curve''s final function refuses a state without points');
SELECT is(st.error_of($$SELECT st.summary_of(s) FROM (VALUES ((SELECT st.values_state(1.5))), ((SELECT st.values_state(2::float8)))) AS x(s)$$),
          '22000: invalid account_tier aggregate state: The states combined hold values of different types, numeric and float8.',
          'the combine function refuses states of numeric and float8 values together');
SELECT alike(st.error_of($$SELECT st.cutoffs_of(s) FROM (VALUES ((SELECT st.cutoffs_state(1.5, 0.8, 0.95))),
                                                              ((SELECT st.cutoffs_state(2, 0.7, 0.95)))) AS x(s)$$),
            '22023: parameters differ between rows of one aggregate: %',
            'the combine function refuses states of different thresholds');
SELECT alike(st.error_of($$SELECT st.totals_of(s) FROM (VALUES ((SELECT st.totals_state(date '2025-07-01', 1, NULL, NULL, date '2025-06-30'))),
                                                             ((SELECT st.totals_state(date '2025-07-01', 1, NULL, NULL, date '2025-05-31')))) AS x(s)$$),
            '22023: window_start must be the same for every line of a group: %',
            'sales_totals''s combine function refuses states of different window starts');

-- A state given as an aggregate's initial value (flat, read from text) is
-- expanded by the transition function: thresholds of one's own.
SELECT format('CREATE AGGREGATE st.cutoffs_70_90(numeric) (SFUNC = account_tier.values_sfunc, '
              'STYPE = account_tier.values_state, FINALFUNC = account_tier.abc_cutoffs_final, INITCOND = %L)',
              st.text('numeric n=0 a=0.7 b=0.9', st.state(st.disk(0.70), st.disk(0.90), 0, st.vs(0, 10, 0, 0, 0, 1, ''))))
\gexec
SELECT format('CREATE AGGREGATE st.float8_started(numeric) (SFUNC = account_tier.values_sfunc, '
              'STYPE = account_tier.values_state, FINALFUNC = account_tier.pareto_summary_final, INITCOND = %L)',
              st.text('float8 n=1', st.bytes(st.values_state(2.5::float8)::text)))
\gexec
SELECT gen.no_rows($$SELECT ds FROM ref.data GROUP BY ds
                     HAVING st.cutoffs_70_90(v)::text IS DISTINCT FROM abc_cutoffs(v, 0.70, 0.90)::text$$,
                   'an aggregate whose initial state holds thresholds gives abc_cutoffs at those thresholds');
SELECT is((SELECT st.float8_started(v) FROM ref.data WHERE false)::text, pareto_summary(2.5::float8)::text,
          'over no rows, the final function reads the initial state itself');
SELECT is(st.error_of($$SELECT st.float8_started(v) FROM (VALUES (1.5)) AS x(v)$$),
          '22000: invalid account_tier aggregate state: The state holds float8 values; this aggregate takes numeric values.',
          'a transition function refuses an initial state of the other value type');

-- Random damage: real states of every kind, each with 1 to 3 of its bytes
-- replaced by random ones (seeded), read as binary (no header to agree
-- with, so every check is reached), then written as text and combined and
-- finished by the aggregate's own functions.  Each is refused by input
-- (22P03) or ends with an answer or a data exception (class 22): never
-- another error, nor a crash, which would end this suite.
SELECT setseed(0.2026);
CREATE FUNCTION st.damage(bytes bytea, times int) RETURNS bytea
LANGUAGE plpgsql AS $f$
BEGIN
  FOR i IN 1 .. times LOOP
    bytes := set_byte(bytes, floor(random() * length(bytes))::int, floor(random() * 256)::int);
  END LOOP;
  RETURN bytes;
END
$f$;
CREATE FUNCTION st.outcome(type regtype, from_states text, bytes bytea) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
  input text;
  received text := CASE WHEN type = 'account_tier.sales_totals_state'::regtype
                        THEN 'st.received_totals' ELSE 'st.received_values' END;
BEGIN
  EXECUTE 'TRUNCATE ' || received;
  input := st.error_of(format('SELECT st.from_binary(%L, %L)', type, bytes));
  IF input <> 'no error' THEN
    RETURN 'input ' || input;
  END IF;
  RETURN 'used ' || st.error_of(format('SELECT %s(s)::text, string_agg(s::text, %L) FROM %s',
                                       from_states, '', received));
END
$f$;
CREATE TABLE st.damaged AS
SELECT d.kind, split_part(d.outcome, ':', 1) AS class, d.outcome
FROM (SELECT k.kind, st.outcome(k.type, k.from_states,
                                st.damage(st.bytes(s.state_text), 1 + floor(random() * 3)::int)) AS outcome
      FROM st.states AS s JOIN st.kinds AS k USING (kind), generate_series(1, 4)
      WHERE s.state_text IS NOT NULL AND length(s.state_text) < 4000) AS d;
SELECT diag(format('%s damaged states: %s', (SELECT count(*) FROM st.damaged),
                   (SELECT string_agg(format('%s %s', class, n), ', ' ORDER BY class)
                    FROM (SELECT class, count(*) AS n FROM st.damaged GROUP BY class) AS c)));
SELECT gen.no_rows($$SELECT kind, outcome FROM st.damaged
                     WHERE outcome !~ '^input 22P03: invalid account_tier aggregate state: '
                       AND outcome !~ '^used (no error|22[0-9A-Z]{3}: )'$$,
                   'randomly damaged states: refused by input (22P03), or used with an answer or a data exception');
SELECT ok((SELECT count(*) FILTER (WHERE class = 'input 22P03') > 0 AND count(*) FILTER (WHERE class = 'used no error') > 0
           FROM st.damaged), 'randomly damaged states: some refused by input, some used');

SELECT * FROM finish();
ROLLBACK;
