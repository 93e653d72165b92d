-- escalation.sql: a database owner who is not a superuser cannot become one
-- through the extension.  The extension is trusted, so CREATE EXTENSION and
-- ALTER EXTENSION ... UPDATE run its scripts as a superuser, with
-- search_path set to schema account_tier, which the installing user owns.
-- That user plants look-alikes of every function and operator the scripts
-- name (found mechanically by tools/sql-references.pl: overloads with the
-- argument types a call could pass) and of the operators that IN, CASE x
-- WHEN, USING, IS DISTINCT FROM... pick by name, each of which logs its call
-- and tries ALTER ROLE ... SUPERUSER.  Then:
--   * a fresh install (of every version) into the planted schema is refused;
--   * an update from every earlier version succeeds with the plants in place,
--     runs none of them and binds no extension object to one;
--   * a superuser then reading every view, taking a snapshot and writing the
--     book runs none of them either;
--   * the attacker's role has gained no attribute and no membership.
-- A canary proves the plants are potent: the same names looked up with the
-- search_path a script is given do run them.
--
-- The suite works in a database of its own, in autocommit: thousands of
-- planted objects dropped in one transaction would exhaust the lock table,
-- so they are dropped by a procedure that commits every few hundred.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP DATABASE IF EXISTS account_tier_escalation;
DROP ROLE IF EXISTS tier_attacker;
CREATE DATABASE account_tier_escalation;
\c account_tier_escalation
SET client_min_messages = warning;
CREATE EXTENSION pgtap;
CREATE ROLE tier_attacker;
SELECT format('GRANT CREATE ON DATABASE %I TO tier_attacker', current_database()) \gexec

-- What the install and update scripts name, one tab-separated line each.
\set refs `perl tools/sql-references.pl sql/account_tier--1.0.sql sql/account_tier--*--*.sql`

CREATE SCHEMA esc;
CREATE TABLE esc.refs AS
SELECT split_part(l, E'\t', 1) AS kind, split_part(l, E'\t', 2) AS name,
       nullif(split_part(l, E'\t', 3), '-') AS arity, split_part(l, E'\t', 4) AS qualifier,
       split_part(l, E'\t', 5) AS place
FROM regexp_split_to_table(:'refs', E'\n') AS l
WHERE l <> '';
-- The scripts proper (not the bodies they hold).
CREATE TABLE esc.scripts AS
SELECT DISTINCT split_part(place, ':', 1) AS file FROM esc.refs
WHERE kind = 'statement' AND place NOT LIKE '%(body%';
-- Every version but the newest: each is installed, planted and updated.
CREATE TABLE esc.versions AS
SELECT v.version FROM pg_available_extension_versions AS v
WHERE v.name = 'account_tier'
  AND v.version <> (SELECT default_version FROM pg_available_extensions WHERE name = 'account_tier');

SELECT plan(14 + 4 * (SELECT count(*)::int FROM esc.versions)
              + 2 * (SELECT count(*)::int FROM esc.scripts));

-- Each call of a planted object, whoever made it.
CREATE TABLE esc.hits (what text, run_by name DEFAULT current_user);
GRANT USAGE ON SCHEMA esc TO PUBLIC;
GRANT SELECT ON esc.refs TO PUBLIC;
GRANT INSERT ON esc.hits TO PUBLIC;
-- How many objects the last planting made.
CREATE TABLE esc.planted (n int);
GRANT ALL ON esc.planted TO PUBLIC;
-- What each update from an earlier version gave.
CREATE TABLE esc.updates (version text, planted int, error text, captured text[]);

-- The attacker's role attributes and memberships, to compare before and after.
CREATE FUNCTION esc.privileges() RETURNS text
LANGUAGE sql AS $$
  SELECT format('%s %s %s %s %s %s', r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication,
                r.rolbypassrls,
                (SELECT array_agg(m.roleid::regrole ORDER BY m.roleid) FROM pg_auth_members AS m
                 WHERE m.member = r.oid))
  FROM pg_roles AS r WHERE r.rolname = 'tier_attacker'
$$;
CREATE TABLE esc.before AS SELECT esc.privileges() AS privileges;

-- Runs a statement as the attacker (the role is back afterwards, also on error).
CREATE FUNCTION esc.as_attacker(statement text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  SET LOCAL ROLE tier_attacker;
  EXECUTE statement;
  RESET ROLE;
EXCEPTION WHEN OTHERS THEN
  RESET ROLE;
  RAISE;
END
$$;

-- The body of every planted object: log the call, try to take superuser.
CREATE FUNCTION esc.trap_body(what text, result text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($b$BEGIN
  INSERT INTO esc.hits (what) VALUES (%L);
  BEGIN
    ALTER ROLE tier_attacker SUPERUSER;
  EXCEPTION WHEN insufficient_privilege THEN NULL;
  END;
  RETURN %s;
END$b$, what, result)
$$;

-- The argument types a planted overload may take: the base types the scripts
-- work with, and the extension's own enum and composite types once they exist.
CREATE FUNCTION esc.types() RETURNS SETOF regtype
LANGUAGE sql AS $$
  SELECT t::regtype FROM unnest(ARRAY['bool', 'int2', 'int4', 'int8', 'numeric', 'float4', 'float8',
                                      'text', 'varchar', 'name', 'char', 'bytea', 'date', 'timestamptz',
                                      'interval', 'oid', 'regclass', 'regtype', 'regproc',
                                      'regprocedure', 'regnamespace', 'regrole']) AS t
  UNION
  SELECT t.oid::regtype FROM pg_type AS t
  WHERE t.typnamespace = to_regnamespace('account_tier')
    AND (t.typtype = 'e' OR t.typtype = 'c' AND (SELECT c.relkind FROM pg_class AS c WHERE c.oid = t.typrelid) = 'c')
$$;

-- The operand types of planted operators: those of the scripts' expressions.
CREATE FUNCTION esc.operand_types() RETURNS SETOF regtype
LANGUAGE sql AS $$
  SELECT t FROM esc.types() AS t
  WHERE t NOT IN ('float4', 'varchar', 'char', 'bytea', 'regtype', 'regproc', 'regprocedure', 'regrole')
$$;

-- The types a call could pass where an existing overload takes type p:
-- p itself, the types implicitly cast to it, and any type (or any array
-- type) for a polymorphic p.  Pseudo-types such as internal take none.
CREATE FUNCTION esc.passable(p regtype) RETURNS SETOF regtype
LANGUAGE sql AS $$
  SELECT p WHERE (SELECT typtype FROM pg_type WHERE oid = p) <> 'p'
  UNION
  SELECT s FROM esc.types() AS s
  WHERE EXISTS (SELECT FROM pg_cast AS c WHERE c.castsource = s AND c.casttarget = p AND c.castcontext = 'i')
     OR p IN ('anyelement', 'anynonarray', 'anycompatible', 'anycompatiblenonarray', '"any"')
     OR p = 'anyenum'::regtype AND (SELECT typtype FROM pg_type WHERE oid = s) = 'e'
  UNION
  SELECT (SELECT typarray FROM pg_type WHERE oid = s)::regtype FROM esc.types() AS s
  WHERE p IN ('anyarray', 'anycompatiblearray')
$$;

-- The signatures to plant for the scripts' calls: for every overload in
-- pg_catalog or account_tier that a call with that many arguments could
-- reach, the argument types a call could pass, with at most two of them
-- other than the declared ones (a polymorphic argument takes any type), at
-- most 100 per overload, fewest changes first.
CREATE FUNCTION esc.signatures() RETURNS TABLE (name text, types regtype[])
LANGUAGE sql AS $$
  WITH RECURSIVE calls AS (
    SELECT DISTINCT r.name, r.arity::int AS arity FROM esc.refs AS r WHERE r.kind = 'function'
  ), overloads AS (
    SELECT c.name, c.arity, p.oid, p.pronargs, p.proargtypes, p.provariadic
    FROM calls AS c
    JOIN pg_proc AS p ON p.proname = c.name
     AND p.pronamespace IN ('pg_catalog'::regnamespace, coalesce(to_regnamespace('account_tier'), 0))
     AND (c.arity BETWEEN p.pronargs - p.pronargdefaults AND p.pronargs
          OR p.provariadic <> 0 AND c.arity >= p.pronargs - 1)
  ), positions AS (
    SELECT o.name, o.arity, o.oid, i,
           CASE WHEN o.provariadic <> 0 AND i >= o.pronargs THEN o.provariadic
                ELSE o.proargtypes[i - 1] END::regtype AS declared
    FROM overloads AS o, generate_series(1, o.arity) AS i
  ), choices AS (
    SELECT p.oid, p.arity, p.i, t.t,
           CASE WHEN t.t = p.declared
                  OR (SELECT typtype FROM pg_type WHERE oid = p.declared) = 'p' THEN 0 ELSE 1 END AS change
    FROM positions AS p, LATERAL esc.passable(p.declared) AS t(t)
  ), combos AS (
    SELECT o.name, o.arity, o.oid, 0 AS i, ARRAY[]::regtype[] AS types, 0 AS changes
    FROM overloads AS o
    UNION ALL
    SELECT co.name, co.arity, co.oid, co.i + 1, co.types || ch.t, co.changes + ch.change
    FROM combos AS co
    JOIN choices AS ch ON ch.oid = co.oid AND ch.arity = co.arity AND ch.i = co.i + 1
    WHERE co.changes + ch.change <= 2
  ), ranked AS (
    SELECT co.name, co.types,
           row_number() OVER (PARTITION BY co.oid, co.arity ORDER BY co.changes, co.types) AS n
    FROM combos AS co WHERE co.i = co.arity
  )
  SELECT DISTINCT r.name, r.types FROM ranked AS r WHERE r.n <= 100
$$;

-- Plants look-alikes of every function and operator the scripts name, in
-- schema account_tier (run as the attacker, who owns it).  Returns how many.
CREATE FUNCTION esc.plant() RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  planted int := 0;
  r record;
  sig text;
  fn text;
BEGIN
  -- (no subtransaction per object: thousands of them would exhaust the lock table)
  FOR r IN SELECT * FROM esc.signatures() LOOP
    sig := format('account_tier.%I(%s)', r.name, array_to_string(r.types::text[], ', '));
    CONTINUE WHEN to_regprocedure(sig) IS NOT NULL;
    EXECUTE format('CREATE FUNCTION %s RETURNS text LANGUAGE plpgsql AS %L',
                   sig, esc.trap_body('function ' || sig, 'NULL'));
    planted := planted + 1;
  END LOOP;

  -- operators: every symbol, infix over every pair of types, prefix over each
  FOR r IN
    SELECT DISTINCT o.name AS symbol, l.t AS l, rt.t AS r
    FROM esc.refs AS o
    CROSS JOIN LATERAL (SELECT t FROM esc.operand_types() AS t WHERE o.arity = '2'
                        UNION ALL SELECT NULL WHERE o.arity = '1') AS l(t)
    CROSS JOIN esc.operand_types() AS rt(t)
    WHERE o.kind = 'operator'
  LOOP
    sig := format('account_tier.%s(%s, %s)', r.symbol, coalesce(r.l::text, 'NONE'), r.r);
    CONTINUE WHEN to_regoperator(sig) IS NOT NULL;
    fn := 'trap_' || left(md5(sig), 16);
    EXECUTE format('CREATE FUNCTION account_tier.%I(%s) RETURNS boolean LANGUAGE plpgsql AS %L',
                   fn, concat_ws(', ', r.l, r.r), esc.trap_body('operator ' || sig, 'true'));
    EXECUTE format('CREATE OPERATOR account_tier.%s (%s RIGHTARG = %s, FUNCTION = account_tier.%I)',
                   r.symbol, CASE WHEN r.l IS NOT NULL THEN format('LEFTARG = %s,', r.l) ELSE '' END,
                   r.r, fn);
    planted := planted + 1;
  END LOOP;
  RETURN planted;
END
$$;

-- Extension objects that depend on a function or operator of schema
-- account_tier that is not the extension's own: captured references.
CREATE FUNCTION esc.captured() RETURNS SETOF text
LANGUAGE sql AS $$
  WITH member AS (
    SELECT d.classid, d.objid FROM pg_depend AS d
    JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'account_tier'
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  ), owned AS (
    -- rewrite rules, column defaults and constraints belong to their relation
    SELECT 'pg_rewrite'::regclass AS classid, r.oid AS objid FROM pg_rewrite AS r
    WHERE r.ev_class IN (SELECT objid FROM member WHERE classid = 'pg_class'::regclass)
    UNION ALL
    SELECT 'pg_attrdef'::regclass, a.oid FROM pg_attrdef AS a
    WHERE a.adrelid IN (SELECT objid FROM member WHERE classid = 'pg_class'::regclass)
    UNION ALL
    SELECT 'pg_constraint'::regclass, c.oid FROM pg_constraint AS c
    WHERE c.conrelid IN (SELECT objid FROM member WHERE classid = 'pg_class'::regclass)
    UNION ALL
    SELECT 'pg_trigger'::regclass, t.oid FROM pg_trigger AS t
    WHERE t.tgrelid IN (SELECT objid FROM member WHERE classid = 'pg_class'::regclass)
    UNION ALL
    SELECT classid, objid FROM member
  )
  SELECT pg_describe_object(d.classid, d.objid, d.objsubid) || ' uses '
         || pg_describe_object(d.refclassid, d.refobjid, 0)
  FROM pg_depend AS d
  JOIN owned AS o ON o.classid = d.classid AND o.objid = d.objid
  WHERE (d.refclassid = 'pg_proc'::regclass
         AND (SELECT pronamespace FROM pg_proc WHERE oid = d.refobjid) = to_regnamespace('account_tier')
         OR d.refclassid = 'pg_operator'::regclass
         AND (SELECT oprnamespace FROM pg_operator WHERE oid = d.refobjid) = to_regnamespace('account_tier'))
    AND NOT EXISTS (SELECT FROM member AS m WHERE m.classid = d.refclassid AND m.objid = d.refobjid)
$$;

-- Removes the extension, its schema and everything planted there,
-- committing every 500 objects.
CREATE PROCEDURE esc.clear()
LANGUAGE plpgsql AS $$
DECLARE
  o record;
  n int := 0;
BEGIN
  FOR o IN
    SELECT format('DROP OPERATOR %s', oid::regoperator) AS stmt FROM pg_operator
    WHERE oprnamespace = to_regnamespace('account_tier') AND oprowner = 'tier_attacker'::regrole
    UNION ALL
    SELECT format('DROP FUNCTION %s', oid::regprocedure) FROM pg_proc
    WHERE pronamespace = to_regnamespace('account_tier') AND proowner = 'tier_attacker'::regrole
      AND NOT EXISTS (SELECT FROM pg_depend AS d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = pg_proc.oid AND d.deptype = 'e')
    ORDER BY 1 DESC  -- operators before the functions they call
  LOOP
    EXECUTE o.stmt;
    n := n + 1;
    IF n % 500 = 0 THEN
      COMMIT;
    END IF;
  END LOOP;
  COMMIT;
  DROP EXTENSION IF EXISTS account_tier;
  DROP SCHEMA IF EXISTS account_tier;
  COMMIT;
END
$$;

-- Installs version, plants, updates to the newest as the attacker, and
-- records how it went.
CREATE PROCEDURE esc.update_from(version text)
LANGUAGE plpgsql AS $$
DECLARE
  failed text;
BEGIN
  CALL esc.clear();
  PERFORM esc.as_attacker(format('CREATE EXTENSION account_tier VERSION %L', version));
  PERFORM esc.as_attacker('UPDATE esc.planted SET n = esc.plant()');
  COMMIT;
  BEGIN
    PERFORM esc.as_attacker('ALTER EXTENSION account_tier UPDATE');
  EXCEPTION WHEN OTHERS THEN
    failed := SQLSTATE || ': ' || SQLERRM;
  END;
  INSERT INTO esc.updates
  SELECT version, (SELECT n FROM esc.planted), failed, ARRAY(SELECT esc.captured());
  COMMIT;
END
$$;

-- The scripts, read as text ---------------------------------------------------------

SELECT cmp_ok((SELECT count(*)::int FROM esc.refs WHERE kind = 'function'), '>', 100,
              'the scripts'' function calls are found');
SELECT cmp_ok((SELECT count(*)::int FROM esc.refs WHERE kind = 'operator'), '>', 100,
              'the scripts'' operators are found');

-- Every script (not the bodies it holds) starts by searching pg_catalog only.
SELECT is((SELECT s.name FROM esc.refs AS s
           WHERE s.kind = 'statement' AND split_part(s.place, ':', 1) = f.file
           ORDER BY split_part(s.place, ':', 2)::int LIMIT 1),
          'set local search_path = pg_catalog , pg_temp',
          f.file || ': the first statement sets search_path to pg_catalog, pg_temp')
FROM esc.scripts AS f ORDER BY f.file;

-- No CREATE ... IF NOT EXISTS (it would adopt an object planted beforehand),
-- and CREATE OR REPLACE only in update scripts (PostgreSQL refuses it there
-- on an object that is not already the extension's).
SELECT is_empty(format($q$SELECT place FROM esc.refs WHERE kind = 'statement'
                          AND split_part(place, ':', 1) = %L
                          AND (name ~ '\mif not exists\M'
                               OR name ~ '^create or replace' AND %L !~ '--.*--')$q$, f.file, f.file),
                f.file || ': no CREATE ... IF NOT EXISTS, no CREATE OR REPLACE in an install script')
FROM esc.scripts AS f ORDER BY f.file;

-- A fresh install into a planted schema ---------------------------------------------

SELECT esc.as_attacker('CREATE SCHEMA account_tier');
SELECT esc.as_attacker('INSERT INTO esc.planted SELECT esc.plant()');
SELECT cmp_ok((SELECT n FROM esc.planted), '>', 1000, 'the attacker plants look-alikes in schema account_tier');
SELECT throws_ok('SELECT esc.as_attacker(''CREATE EXTENSION account_tier'')', '42P06', NULL,
                 'CREATE EXTENSION refuses a schema that holds objects');
SELECT throws_ok(format('SELECT esc.as_attacker(%L)',
                        format('CREATE EXTENSION account_tier VERSION %L', v.version)),
                 '42P06', NULL, format('CREATE EXTENSION ... VERSION %L refuses it too', v.version))
FROM esc.versions AS v ORDER BY v.version;
SELECT is_empty('SELECT * FROM esc.hits', 'no planted object ran during the refused installs');
SELECT is(esc.privileges(), (SELECT privileges FROM esc.before), 'the attacker gained no privilege');

-- An empty schema made beforehand is fine.
CALL esc.clear();
SELECT esc.as_attacker('CREATE SCHEMA account_tier');
SELECT lives_ok('SELECT esc.as_attacker(''CREATE EXTENSION account_tier'')',
                'CREATE EXTENSION installs into an empty schema made beforehand');

-- Updates from every earlier version, planted --------------------------------------

SELECT format('CALL esc.update_from(%L)', version) FROM esc.versions ORDER BY version \gexec
SELECT t FROM esc.updates AS u,
LATERAL (VALUES
  (1, cmp_ok(u.planted, '>', 1000, format('from %s: look-alikes planted beside the extension', u.version))),
  (2, is(u.error, NULL, format('from %s: ALTER EXTENSION account_tier UPDATE succeeds', u.version))),
  (3, is(u.captured, '{}',
         format('from %s: no extension object uses a planted function or operator', u.version)))) AS c(n, t)
ORDER BY u.version, c.n;
SELECT is((SELECT count(*)::int FROM esc.updates), (SELECT count(*)::int FROM esc.versions),
          'an update was tried from every earlier version');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'account_tier'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'account_tier'),
          'the last update reached the newest version');
SELECT is_empty('SELECT * FROM esc.hits', 'no planted object ran during the updates');
SELECT is(esc.privileges(), (SELECT privileges FROM esc.before), 'the attacker gained no privilege');

-- A superuser uses the updated extension, the plants still in place -----------------

INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential)
VALUES ('K-1', 'Key', 'ann', 'customer', 2000), ('K-2', 'Middle', 'ann', 'customer', NULL),
       ('K-3', 'Small', 'bob', 'customer', 90), ('P-1', 'Prospect', 'ann', 'prospect', 5000),
       ('L-1', 'Lead', 'bob', 'lead', NULL);
INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
VALUES ('K-1', '2026-06-01', 800, 200, 'incremental'), ('K-2', '2026-06-01', 150, 30, 'baseline'),
       ('K-3', '2026-06-01', 50, 5, 'baseline'), ('K-1', '2025-06-01', 900, 250, 'baseline');
INSERT INTO account_tier.visits (account_id, owner, visited_on)
VALUES ('K-1', 'ann', '2026-05-01'), ('K-3', 'bob', '2026-05-02'), ('P-1', NULL, '2026-05-03');
UPDATE account_tier.policy SET as_of = '2026-10-31', enforce_lead_cap = true;
CALL account_tier.snapshot();
UPDATE account_tier.policy SET method = 'count';
DO $$
DECLARE
  v regclass;
BEGIN
  FOR v IN
    SELECT c.oid FROM pg_class AS c
    JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'account_tier'
    WHERE c.relkind = 'v'
  LOOP
    EXECUTE format('SELECT count(*) FROM (SELECT * FROM %s) AS v', v);
  END LOOP;
END
$$;
SELECT is_empty('SELECT * FROM esc.hits',
                'no planted object ran while a superuser read every view and wrote the book');
SELECT is(esc.privileges(), (SELECT privileges FROM esc.before), 'the attacker gained no privilege');

-- The canary: names the scripts use, looked up with the search_path a
-- script is given, do reach the plants.
BEGIN;
SET LOCAL search_path = account_tier, pg_temp;
DO $$
BEGIN
  PERFORM col_description('account_tier.accounts'::regclass, 1::int2), 'A'::account_tier.tier = 'A';
END
$$;
COMMIT;
SELECT isnt_empty('SELECT * FROM esc.hits',
                  'canary: with search_path = account_tier the same names run the plants');

SELECT * FROM finish();

CALL esc.clear();
\c postgres
DROP DATABASE account_tier_escalation;
DROP ROLE tier_attacker;
