-- numeric_layout.sql: account_tier reads numeric's on-disk format directly
-- (src/decode.h) and builds its numeric results in it (src/decode.c).  This
-- suite fails when that format is not what they assume on the server it runs
-- on: it predicts each value's stored size from the assumed layout, and
-- compares what the decoder reads (and the encoder writes back) with
-- numeric's own text output and arithmetic, on generated values of every
-- shape: short and long headers, display scales and weights at the short
-- format's limits and at numeric's, 38 and 39 digits (the edge of 128-bit
-- units), zeros, values read packed, compressed and out of line, and the
-- NaN and infinity headers.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;
\ir lib/helpers.psql

SELECT plan(16);

CREATE SCHEMA lay;

-- "SQLSTATE: message" of the error a query raises, NULL when it raises none.
CREATE FUNCTION lay.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE query;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END
$f$;

-- The text of (-1 if neg) * d * 10^e shown with z more decimals than d
-- needs: d is a string of digits without leading zeros, e any exponent.
CREATE FUNCTION lay.text_of(neg bool, d text, e int, z int) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
AS $$
  SELECT CASE WHEN neg THEN '-' ELSE '' END ||
         CASE WHEN e >= 0 THEN d || repeat('0', e) || CASE WHEN z > 0 THEN '.' || repeat('0', z) ELSE '' END
              WHEN length(d) > -e THEN left(d, length(d) + e) || '.' || right(d, -e) || repeat('0', z)
              ELSE '0.' || repeat('0', -e - length(d)) || d || repeat('0', z) END
$$;

-- The shapes.  d has 1 to 40 digits (some ending in zeros), e is mostly
-- near the point, else far from it on either side (display scales and
-- weights past the short format's 63), z mostly 0 to 3, else 40 to 90.
CREATE TABLE lay.shape (id int PRIMARY KEY, neg bool, d text, e int, z int);
INSERT INTO lay.shape
SELECT id, gen.u(1, id, 1) < 0.5,
       (SELECT string_agg(CASE WHEN k = 1 THEN 1 + floor(gen.u(2, id, k) * 9)::int
                               WHEN k > len - zeros THEN 0
                               ELSE floor(gen.u(2, id, k) * 10)::int END::text, '' ORDER BY k)
        FROM generate_series(1, len) AS k),
       CASE WHEN r < 0.7 THEN floor(gen.u(1, id, 5) * 60)::int - 45
            WHEN r < 0.85 THEN -floor(gen.u(1, id, 5) * 300)::int
            ELSE floor(gen.u(1, id, 5) * 300)::int END,
       CASE WHEN gen.u(1, id, 6) < 0.9 THEN floor(gen.u(1, id, 7) * 4)::int
            ELSE 40 + floor(gen.u(1, id, 7) * 50)::int END
FROM (SELECT id, 1 + floor(gen.u(1, id, 2) * 40)::int AS len, gen.u(1, id, 4) AS r,
             CASE WHEN gen.u(1, id, 3) < 0.3 THEN floor(gen.u(1, id, 8) * 6)::int ELSE 0 END AS zeros
      FROM generate_series(1, 6000) AS id) AS s
WHERE zeros < len;

-- The edges, each given as (d, e, z), both signs.
INSERT INTO lay.shape
SELECT 100000 + 2 * edge.n + s.neg::int, s.neg, edge.d, edge.e, edge.z
FROM (SELECT row_number() OVER () AS n, * FROM (VALUES
  ('1', 0, 0), ('1', -4, 0), ('1', -5, 0), ('1', 3, 0), ('1', 4, 0), ('1', 8, 0),
  ('11', -1, 0), ('112', -2, 0), ('1123', -3, 0),       -- trailing decimal zeros in the last digit
  ('5', -63, 0), ('5', -64, 0), ('5', 0, 63), ('5', 0, 64),  -- display scale at the short limit
  ('123456789', -60, 3), ('123456789', -60, 4),
  ('9', 255, 0), ('1', 256, 0), ('9999', 252, 0), ('1', 252, 2),  -- weight 63 and 64
  ('1', -256, 0), ('1', -257, 0), ('1', -260, 0),        -- weight -64 and -65
  ('9999', 131068, 0), ('1', 131071, 0),                 -- numeric's largest weight, 32767
  ('1', -16383, 0), ('123', 0, 16380), ('7', -100, 16283),  -- its largest display scale, 16383
  (repeat('9', 38), 0, 0), (repeat('9', 38), -38, 0),   -- 38 digits: 128-bit units
  ('170141183460469231731687303715884105727', 0, 0),     -- 2^127 - 1
  ('170141183460469231731687303715884105728', 0, 0),     -- 2^127
  ('17014118346046923173168730371588410572', -2, 1),
  ('12' || repeat('3', 35), -35, 0),                     -- 10 base-10000 digits
  ('1' || repeat('0', 38) || '1', 0, 0),                  -- 11 of them
  ('1', 38, 0), ('1', 39, 0), ('1', -38, 0), ('1', -39, 0),
  (repeat('1234', 1200), -2400, 0), (repeat('9876', 2000), 10, 3),  -- kilobytes of digits
  (repeat('5', 6000), -9000, 0)
) AS l(d, e, z)) AS edge,
  (VALUES (false), (true)) AS s(neg);

-- Zeros of several display scales; numeric has no negative zero.
INSERT INTO lay.shape VALUES (200001, false, '0', 0, 0), (200002, true, '0', -2, 0),
                             (200003, false, '0', 0, 63), (200004, false, '0', 0, 64),
                             (200005, true, '0', 0, 300);

-- Each value, stored (values of up to 126 bytes then have a 1-byte header),
-- its display scale, and the layout's prediction of its size as a datum
-- built in memory: a 4-byte length, a 2-byte header when the display scale is
-- at most 63 and the weight (that of its first base-10000 digit) between -64
-- and 63, else a 4-byte one, then 2 bytes per base-10000 digit from the
-- first nonzero one to the last.
CREATE TABLE lay.val AS
SELECT id, v, dscale, short, 4 + CASE WHEN short THEN 2 ELSE 4 END + 2 * ndigits AS size
FROM (SELECT id, v, dscale, ndigits, dscale <= 63 AND weight BETWEEN -64 AND 63 AS short
      FROM (SELECT id, lay.text_of(neg, d, e, z)::numeric AS v,
                   greatest(-e, 0) + z AS dscale,
                   CASE WHEN d = '0' THEN 0 ELSE floor((length(d) - 1 + e) / 4.0)::int END AS weight,
                   CASE WHEN d = '0' THEN 0
                        ELSE floor((length(d) - 1 + e) / 4.0)::int
                             - floor((e + length(d) - length(rtrim(d, '0'))) / 4.0)::int + 1 END AS ndigits
            FROM lay.shape) AS s) AS l;

-- The same values in columns that keep large ones compressed, and out of
-- line uncompressed.
CREATE TABLE lay.toasted (id int, compressed numeric, external numeric);
ALTER TABLE lay.toasted ALTER COLUMN external SET STORAGE EXTERNAL;
INSERT INTO lay.toasted SELECT id, v, v FROM lay.val;

SELECT cmp_ok((SELECT count(*) FROM lay.val WHERE short AND v <> 0), '>', 3000::bigint,
              'the values include thousands in the short format');
SELECT cmp_ok((SELECT count(*) FROM lay.val WHERE dscale > 63), '>', 300::bigint,
              'hundreds in the long format for their display scale');
SELECT cmp_ok((SELECT count(*) FROM lay.val WHERE dscale <= 63 AND NOT short), '>', 100::bigint,
              'and more than a hundred for their weight alone');
SELECT cmp_ok((SELECT count(*) FROM lay.toasted WHERE pg_column_compression(compressed) IS NOT NULL),
              '>=', 6::bigint, 'some values are stored compressed');

-- 1. The server stores every value as the layout says.
SELECT gen.no_rows($$
  SELECT id, v, pg_column_size(v + 0) AS stored, size AS predicted FROM lay.val
  WHERE pg_column_size(v + 0) <> size OR scale(v) <> dscale
$$, 'every value, built in memory, has the size and display scale the on-disk layout predicts');

-- 2. One value decoded and built back: sales_totals of a single line is
-- that value, digit for digit and decimal for decimal, as long as numeric's
-- own datum.  The value comes from a table (packed), from an expression (a
-- 4-byte header), compressed and out of line.
CREATE TABLE lay.one AS
SELECT id, v,
       (SELECT (sales_totals(date '2025-01-02', x, NULL, NULL, date '2025-01-01')).revenue
        FROM lay.val AS l(lid, x) WHERE l.lid = val.id) AS from_table,
       (SELECT (sales_totals(date '2025-01-02', x, NULL, NULL, date '2025-01-01')).revenue
        FROM (VALUES (v + 0)) AS l(x)) AS from_expression,
       v + 0 AS numeric_own
FROM lay.val;
SELECT gen.no_rows($$SELECT id, v, from_table FROM lay.one WHERE from_table::text IS DISTINCT FROM v::text$$,
                   'a value read from a table (packed) comes back as numeric shows it');
SELECT gen.no_rows($$SELECT id, v, from_expression FROM lay.one WHERE from_expression::text IS DISTINCT FROM v::text$$,
                   'a value from an expression (4-byte header) comes back as numeric shows it');
SELECT gen.no_rows($$
  SELECT id, v, pg_column_size(from_table), pg_column_size(numeric_own) FROM lay.one
  WHERE pg_column_size(from_table) <> pg_column_size(numeric_own)
$$, 'the numeric built back has the header and digits numeric itself writes (the same size)');
SELECT gen.no_rows($$
  SELECT t.id FROM lay.toasted t JOIN lay.val USING (id)
  WHERE (SELECT (sales_totals(date '2025-01-02', x, NULL, NULL, date '2025-01-01')).revenue
         FROM (VALUES (t.compressed)) AS l(x))::text IS DISTINCT FROM v::text
     OR (SELECT (sales_totals(date '2025-01-02', x, NULL, NULL, date '2025-01-01')).revenue
         FROM (VALUES (t.external)) AS l(x))::text IS DISTINCT FROM v::text
$$, 'a value stored compressed or out of line comes back as numeric shows it');

-- 3. Two values, decoded and summed in 128-bit units (or as numerics past
-- them): every value with the next one, against numeric's +.
SELECT gen.no_rows($$
  SELECT a.id, a.v, b.v FROM lay.val a
  JOIN LATERAL (SELECT v FROM lay.val WHERE id > a.id ORDER BY id LIMIT 1) b ON true
  WHERE (SELECT (sales_totals(date '2025-01-02', x, NULL, NULL, date '2025-01-01')).revenue
         FROM (VALUES (a.v), (b.v)) AS l(x))::text IS DISTINCT FROM (a.v + b.v)::text
$$, 'the sum of two values equals numeric''s +, digit for digit and decimal for decimal');

-- 4. Many values: groups of about 60 against sum(), through the aggregate
-- of the book and through the value set (pareto_summary's positive total).
SELECT gen.no_rows($$
  SELECT id % 97 AS g FROM lay.val GROUP BY 1
  HAVING (sales_totals(date '2025-01-02', v, NULL, NULL, date '2025-01-01')).revenue::text
         IS DISTINCT FROM sum(v)::text
$$, 'sales_totals over groups of values equals sum(), digit for digit');
SELECT gen.no_rows($$
  SELECT id % 97 AS g FROM lay.val GROUP BY 1
  HAVING (pareto_summary(v)).positive_total <> coalesce(sum(v) FILTER (WHERE v > 0), 0)
$$, 'the value set''s total of positive values equals sum() of them');
SELECT gen.no_rows($$
  SELECT id, v FROM lay.val
  WHERE (SELECT (pareto_summary(x)).positive_total FROM (VALUES (v)) AS l(x)) <> greatest(v, 0)
     OR (SELECT (abc_cutoffs(x)).a_min FROM (VALUES (v)) AS l(x)) IS DISTINCT FROM CASE WHEN v > 0 THEN v END
$$, 'a value alone in the value set is read back as itself');

-- 5. Probing: abc_classify decodes a value against limits of other scales.
SELECT gen.no_rows($$
  SELECT a.id, a.v, b.v FROM lay.val a
  JOIN LATERAL (SELECT v FROM lay.val WHERE id > a.id AND v > 0 ORDER BY id LIMIT 1) b ON true
  WHERE abc_classify(a.v, ROW(b.v, NULL)::cutoffs)::text
        <> CASE WHEN a.v > 0 AND a.v >= b.v THEN 'A' ELSE 'C' END
$$, 'abc_classify compares each value with a limit of another shape exactly');

-- 6. NaN and the infinities are told from their headers, stored or not.
CREATE TABLE lay.special (label text, v numeric);
INSERT INTO lay.special VALUES ('NaN', 'NaN'), ('Infinity', 'Infinity'), ('-Infinity', '-Infinity');
SELECT gen.no_rows($$
  SELECT label, entry, got FROM lay.special,
  LATERAL (VALUES
    ('sales_totals', lay.error_of(format('SELECT sales_totals(date %L, %L::numeric, NULL, NULL, date %L)',
                                         '2025-01-02', label, '2025-01-01'))),
    ('stored', lay.error_of(format('SELECT sales_totals(date %L, v, NULL, NULL, date %L) FROM lay.special WHERE label = %L',
                                   '2025-01-02', '2025-01-01', label))),
    ('value set', lay.error_of(format('SELECT pareto_summary(v) FROM lay.special WHERE label = %L', label))),
    ('window', lay.error_of(format('SELECT abc_tier(v) OVER () FROM lay.special WHERE label = %L', label))),
    ('probe', lay.error_of(format('SELECT abc_classify(%L::numeric, ROW(1, 1))', label)))
  ) AS e(entry, got)
  WHERE got IS DISTINCT FROM '22023: value must be a finite number, got ' || label
$$, 'NaN, Infinity and -Infinity are refused by name wherever a value is decoded');
SELECT is((SELECT count(*) FROM lay.special WHERE pg_column_size(v) = 3), 3::bigint,
          'a stored NaN or infinity is its 2-byte header alone (after a 1-byte length)');

SELECT * FROM finish();
ROLLBACK;
