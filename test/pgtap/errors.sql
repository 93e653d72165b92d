-- errors.sql: every error path of README.md "Errors", with its SQLSTATE and
-- exact message, for every function it applies to and both value types.
BEGIN;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET search_path = account_tier, public;

SELECT plan(223);

-- The calls that take thresholds: %1$s is the value type, %2$s and %3$s the
-- thresholds.  Window functions over two rows, aggregates over two rows.
CREATE TEMP TABLE threshold_calls (fn text, call text);
INSERT INTO threshold_calls VALUES
  ('abc_tier',             'SELECT abc_tier(v, %2$s, %3$s) OVER () FROM (VALUES (1::%1$s), (2)) t(v)'),
  ('abc_tier_by_count',    'SELECT abc_tier_by_count(v, %2$s, %3$s) OVER () FROM (VALUES (1::%1$s), (2)) t(v)'),
  ('abc_cutoffs',          'SELECT abc_cutoffs(v, %2$s, %3$s) FROM (VALUES (1::%1$s), (2)) t(v)'),
  ('abc_cutoffs_by_count', 'SELECT abc_cutoffs_by_count(v, %2$s, %3$s) FROM (VALUES (1::%1$s), (2)) t(v)');

CREATE TEMP TABLE value_types (typ text);
INSERT INTO value_types VALUES ('numeric'), ('float8');

-- Thresholds outside (0, 1]: 22023, naming the argument and the value.
CREATE TEMP TABLE bad_thresholds (a text, b text, message text);
INSERT INTO bad_thresholds VALUES
  ('0',           '0.9',  'threshold a must be greater than 0 and at most 1, got 0'),
  ('-0.1',        '0.9',  'threshold a must be greater than 0 and at most 1, got -0.1'),
  ('1.01',        '1',    'threshold a must be greater than 0 and at most 1, got 1.01'),
  ('''NaN''',     '0.9',  'threshold a must be greater than 0 and at most 1, got NaN'),
  ('0.5',         '0',    'threshold b must be greater than 0 and at most 1, got 0'),
  ('0.5',         '-0.1', 'threshold b must be greater than 0 and at most 1, got -0.1'),
  ('0.5',         '1.01', 'threshold b must be greater than 0 and at most 1, got 1.01'),
  ('0.5',  '''Infinity''', 'threshold b must be greater than 0 and at most 1, got Infinity'),
  ('0.9',         '0.8',  'threshold a must not exceed threshold b, got a = 0.9 and b = 0.8'),
  ('1',           '0.99', 'threshold a must not exceed threshold b, got a = 1 and b = 0.99');

SELECT throws_ok(format(c.call, t.typ, x.a, x.b), '22023', x.message,
                 format('%s(%s, a => %s, b => %s): 22023 %s', c.fn, t.typ, x.a, x.b, x.message))
FROM threshold_calls c, value_types t, bad_thresholds x
ORDER BY c.fn, t.typ, x.message, x.a, x.b;

-- NULL thresholds: 22004.
SELECT throws_ok(format(c.call, t.typ, x.a, x.b), '22004', x.message,
                 format('%s(%s, a => %s, b => %s): 22004 %s', c.fn, t.typ, x.a, x.b, x.message))
FROM threshold_calls c, value_types t,
     (VALUES ('NULL', '0.9', 'threshold a must not be null'),
             ('0.5', 'NULL', 'threshold b must not be null'),
             ('NULL', 'NULL', 'threshold a must not be null')) x(a, b, message)
ORDER BY c.fn, t.typ, x.message, x.a, x.b;

-- A threshold left out takes its default, and is checked against the one given.
SELECT throws_ok('SELECT abc_tier(v, 0.99) OVER () FROM (VALUES (1::numeric)) t(v)', '22023',
                 'threshold a must not exceed threshold b, got a = 0.99 and b = 0.95',
                 'abc_tier(v, 0.99): a exceeds the default b');
SELECT throws_ok('SELECT abc_cutoffs(v, 0.99) FROM (VALUES (1::float8)) t(v)', '22023',
                 'threshold a must not exceed threshold b, got a = 0.99 and b = 0.95',
                 'abc_cutoffs(v, 0.99): a exceeds the default b');
SELECT throws_ok('SELECT abc_tier_by_count(v, 0.81) OVER () FROM (VALUES (1::float8)) t(v)', '22023',
                 'threshold a must not exceed threshold b, got a = 0.81 and b = 0.80',
                 'abc_tier_by_count(v, 0.81): a exceeds the default b');
SELECT throws_ok('SELECT abc_cutoffs_by_count(v, 0) FROM (VALUES (1::numeric)) t(v)', '22023',
                 'threshold a must be greater than 0 and at most 1, got 0',
                 'abc_cutoffs_by_count(v, 0): a out of range');

-- NaN and infinite values: 22023 in every function, for both types.  The bad
-- value sits between ordinary ones.
CREATE TEMP TABLE value_calls (fn text, call text);
INSERT INTO value_calls VALUES
  ('pareto_share',         'SELECT pareto_share(v) OVER () FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_tier',             'SELECT abc_tier(v) OVER () FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_tier_by_count',    'SELECT abc_tier_by_count(v) OVER () FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_cutoffs',          'SELECT abc_cutoffs(v) FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_cutoffs_by_count', 'SELECT abc_cutoffs_by_count(v) FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('pareto_summary',       'SELECT pareto_summary(v) FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('lorenz_curve',         'SELECT lorenz_curve(v) FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_tier_computed',    'SELECT abc_tier_computed(v) OVER () FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_cutoffs_computed', 'SELECT abc_cutoffs_computed(v) FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_points',           'SELECT abc_points(v) FROM (VALUES (1::%1$s), (%2$s::%1$s), (2)) t(v)'),
  ('abc_classify',         'SELECT abc_classify(%2$s::%1$s, ROW(10, 1))');

SELECT throws_ok(format(c.call, t.typ, quote_literal(x.v)), '22023', 'value must be a finite number, got ' || x.v,
                 format('%s(%s %s): 22023 value must be a finite number, got %s', c.fn, t.typ, x.v, x.v))
FROM value_calls c, value_types t, (VALUES ('NaN'), ('Infinity'), ('-Infinity')) x(v)
ORDER BY c.fn, t.typ, x.v;

-- A bad value is refused even as the first row, or among NULLs.
SELECT throws_ok('SELECT abc_cutoffs(v, 0.5, 0.9) FROM (VALUES (NULL), (''NaN''::numeric), (1)) t(v)', '22023',
                 'value must be a finite number, got NaN', 'abc_cutoffs: NaN after a NULL');
SELECT throws_ok('SELECT pareto_share(v) OVER (ORDER BY v) FROM (VALUES (''-Infinity''::float8), (NULL)) t(v)', '22023',
                 'value must be a finite number, got -Infinity', 'pareto_share: -Infinity as the first row');
SELECT throws_ok('SELECT abc_points(v) FROM (VALUES (NULL), (''NaN''::float8), (1)) t(v)', '22023',
                 'value must be a finite number, got NaN', 'abc_points: NaN after a NULL');
SELECT throws_ok('SELECT abc_tier_computed(v) OVER (ORDER BY v DESC) FROM (VALUES (''Infinity''::numeric), (0), (NULL)) t(v)', '22023',
                 'value must be a finite number, got Infinity', 'abc_tier_computed: Infinity as the first row');

-- lorenz_curve points outside [2, 100000]: 22023; NULL points: 22004.
SELECT throws_ok(format('SELECT lorenz_curve(v, %s) FROM (VALUES (1::%s), (2)) t(v)', p, t.typ), '22023',
                 format('points must be between 2 and 100000, got %s', p),
                 format('lorenz_curve(%s, %s): 22023 points must be between 2 and 100000, got %s', t.typ, p, p))
FROM value_types t, unnest(ARRAY[1, 0, -5, 100001, 2147483647]) p
ORDER BY t.typ, p;

SELECT throws_ok(format('SELECT lorenz_curve(v, NULL) FROM (VALUES (1::%s), (2)) t(v)', t.typ), '22004',
                 'points must not be null', format('lorenz_curve(%s, NULL): 22004 points must not be null', t.typ))
FROM value_types t ORDER BY t.typ;

SELECT lives_ok('SELECT lorenz_curve(v, 2), lorenz_curve(v, 100000) FROM (VALUES (1::numeric), (2)) t(v)',
                'lorenz_curve accepts 2 and 100000 points');

-- abc_classify: cutoffs must be finite numbers (a NULL limit is fine).
SELECT throws_ok(format('SELECT abc_classify(5::%s, ROW(%s, %s))', t.typ, x.a, x.b), '22023', x.message,
                 format('abc_classify(%s, ROW(%s, %s)): 22023 %s', t.typ, x.a, x.b, x.message))
FROM value_types t,
     (VALUES ('''NaN''::numeric', '1', 'cutoff a_min must be a finite number, got NaN'),
             ('10', '''NaN''::numeric', 'cutoff b_min must be a finite number, got NaN'),
             ('''Infinity''::numeric', '1', 'cutoff a_min must be a finite number, got Infinity'),
             ('NULL', '''-Infinity''::numeric', 'cutoff b_min must be a finite number, got -Infinity')) x(a, b, message)
ORDER BY t.typ, x.message, x.a;

-- Thresholds at the edges of (0, 1] are accepted.
SELECT lives_ok(format(c.call, t.typ, x.a, x.b), format('%s(%s, a => %s, b => %s) is accepted', c.fn, t.typ, x.a, x.b))
FROM threshold_calls c, value_types t,
     (VALUES ('1', '1'), ('0.0000000000000000000001', '0.0000000000000000000001'), ('0.5', '0.5')) x(a, b)
ORDER BY c.fn, t.typ, x.a;

SELECT * FROM finish();
ROLLBACK;
