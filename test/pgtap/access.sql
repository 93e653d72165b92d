-- access.sql: who reads and writes the book, as three real roles: two reps,
-- each given one owner's book (grant_reader / grant_writer with an owner),
-- and an analyst given every owner's (grant_reader with none); a role given
-- nothing reads nothing.  Each role's rows in every table and view are
-- compared with what the superuser sees of that owner's book (row counts and
-- sums, the views' rows); writes are refused where not granted; and a rep
-- who plants look-alike functions and operators earlier on the search_path
-- gets the same answers and no privilege.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS account_tier;
SET LOCAL jit = off;

SELECT plan(43);

\ir lib/helpers.psql
CREATE SCHEMA ac;

-- A book of two owners (ann, bob), a customer without owner, prospects,
-- leads, sales, visits and a snapshot; as the superuser, who sees it all.
DELETE FROM account_tier.tier_history;
DELETE FROM account_tier.visits;
DELETE FROM account_tier.sales;
DELETE FROM account_tier.accounts;
DELETE FROM account_tier.book_access;
UPDATE account_tier.policy SET as_of = '2026-10-31', enforce_lead_cap = false;
INSERT INTO account_tier.accounts (account_id, account_name, owner, status, potential)
SELECT format('A%s', lpad(i::text, 3, '0')), 'Account ' || i,
       CASE WHEN i % 40 = 0 THEN NULL WHEN i % 3 = 0 THEN 'bob' ELSE 'ann' END,
       CASE WHEN i % 17 = 0 THEN 'prospect' WHEN i % 23 = 0 THEN 'lead' ELSE 'customer' END,
       round((1000 + 50000 * gen.u(7, i, 1))::numeric, -2)
FROM generate_series(1, 200) i;
INSERT INTO account_tier.sales (account_id, booked_on, amount, margin, kind)
SELECT a.account_id, date '2025-01-01' + (j * 37 + length(a.account_id)) % 660,
       round((100 + 9000 * gen.u(8, j * 1000 + substr(a.account_id, 2)::int, 2))::numeric, 2),
       NULL, CASE WHEN j % 4 = 0 THEN 'incremental' ELSE 'baseline' END
FROM account_tier.accounts a, generate_series(1, 6) j
WHERE a.status = 'customer';
INSERT INTO account_tier.visits (account_id, owner, visited_on, purpose)
SELECT a.account_id, NULL, date '2025-11-03' + j * 11 % 360,
       CASE WHEN j % 3 = 0 THEN 'baseline' ELSE 'incremental' END
FROM account_tier.accounts a, generate_series(1, 4) j
WHERE substr(a.account_id, 2)::int % 2 = 0;
CALL account_tier.snapshot();

-- The roles --------------------------------------------------------------------------
CREATE ROLE access_t_ann NOLOGIN;
CREATE ROLE access_t_bob NOLOGIN;
CREATE ROLE access_t_analyst NOLOGIN;
CREATE ROLE access_t_nobody NOLOGIN;
CREATE ROLE access_t_ann_login NOLOGIN IN ROLE access_t_ann;   -- a member of ann's role

SELECT lives_ok($$CALL account_tier.grant_writer('access_t_ann', 'ann')$$,
                'grant_writer gives ann''s role her book to load');
SELECT lives_ok($$CALL account_tier.grant_reader('access_t_bob', 'bob')$$,
                'grant_reader gives bob''s role his book to read');
SELECT lives_ok($$CALL account_tier.grant_reader('access_t_analyst')$$,
                'grant_reader without an owner gives the analyst every owner''s book');
SELECT lives_ok($$CALL account_tier.grant_reader('access_t_analyst')$$,
                'granting the same again changes nothing');

-- What each role sees ----------------------------------------------------------------
-- As the superuser: per relation, the rows and a checksum of the book of a
-- set of owners ({} = none), computed from the tables.
CREATE FUNCTION ac.expected(owners text[], analyst boolean) RETURNS TABLE (relation text, fingerprint text)
LANGUAGE sql AS $$
  WITH a AS (SELECT * FROM account_tier.accounts WHERE analyst OR owner = ANY (owners))
  SELECT 'accounts', count(*) || ' ' || coalesce(sum(potential), 0) FROM a
  UNION ALL
  SELECT 'sales', count(*) || ' ' || coalesce(sum(s.amount), 0)
  FROM account_tier.sales s WHERE s.account_id IN (SELECT account_id FROM a)
  UNION ALL
  SELECT 'visits', count(*)::text FROM account_tier.visits v WHERE v.account_id IN (SELECT account_id FROM a)
  UNION ALL
  SELECT 'tier_history', count(*)::text FROM account_tier.tier_history h WHERE h.account_id IN (SELECT account_id FROM a)
  UNION ALL
  SELECT 'customers', count(*)::text FROM a WHERE a.status = 'customer'
  UNION ALL
  SELECT 'prospects', count(*)::text FROM a WHERE a.status = 'prospect'
  UNION ALL
  SELECT 'leads', count(*)::text FROM a WHERE a.status = 'lead'
$$;
-- The same, read by the current role from the tables and views.
CREATE FUNCTION ac.seen() RETURNS TABLE (relation text, fingerprint text)
LANGUAGE sql AS $$
  SELECT 'accounts', count(*) || ' ' || coalesce(sum(potential), 0) FROM account_tier.accounts
  UNION ALL
  SELECT 'sales', count(*) || ' ' || coalesce(sum(amount), 0) FROM account_tier.sales
  UNION ALL
  SELECT 'visits', count(*)::text FROM account_tier.visits
  UNION ALL
  SELECT 'tier_history', count(*)::text FROM account_tier.tier_history
  UNION ALL
  SELECT 'customers', count(*)::text FROM account_tier.account_tiers
  UNION ALL
  SELECT 'prospects', count(*)::text FROM account_tier.prospects
  UNION ALL
  SELECT 'leads', count(*)::text FROM account_tier.leads
$$;
CREATE TABLE ac.seen_by (role_name name, relation text, fingerprint text);
CREATE TABLE ac.rows_by (role_name name, view_name text, j jsonb);
CREATE TABLE ac.errors (role_name name, what text, error text);
GRANT USAGE, CREATE ON SCHEMA ac TO PUBLIC;
GRANT USAGE ON SCHEMA gen TO PUBLIC;
GRANT INSERT ON ac.seen_by, ac.rows_by, ac.errors TO PUBLIC;

-- Reads everything as a role: the fingerprints, every view's rows, and the
-- error (SQLSTATE) of each read that fails.
CREATE FUNCTION ac.read_as(r name) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v text;
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  BEGIN
    INSERT INTO ac.seen_by SELECT r, s.* FROM ac.seen() s;
  EXCEPTION WHEN OTHERS THEN
    INSERT INTO ac.errors VALUES (r, 'tables', SQLSTATE);
  END;
  FOREACH v IN ARRAY ARRAY['account_tiers', 'key_accounts', 'secondary_accounts', 'prospects', 'leads',
                           'tier_summary', 'pareto_curve', 'owner_scorecard', 'tier_changes',
                           'owner_capacity', 'current_policy']
  LOOP
    BEGIN
      EXECUTE format('INSERT INTO ac.rows_by SELECT %L, %L, to_jsonb(t) FROM account_tier.%I t', r, v, v);
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO ac.errors VALUES (r, v, SQLSTATE);
    END;
  END LOOP;
  RESET ROLE;
END
$$;
DO $$
BEGIN
  PERFORM ac.read_as(r) FROM unnest(ARRAY['access_t_ann', 'access_t_ann_login', 'access_t_bob',
                                          'access_t_analyst', 'access_t_nobody']::name[]) r;
END
$$;

SELECT set_eq($$SELECT relation, fingerprint FROM ac.seen_by WHERE role_name = 'access_t_ann'$$,
              $$SELECT * FROM ac.expected('{ann}', false)$$,
              'ann''s role sees exactly ann''s accounts, sales, visits, history, customers, prospects and leads');
SELECT set_eq($$SELECT relation, fingerprint FROM ac.seen_by WHERE role_name = 'access_t_ann_login'$$,
              $$SELECT * FROM ac.expected('{ann}', false)$$,
              'a member of ann''s role sees ann''s book too');
SELECT set_eq($$SELECT relation, fingerprint FROM ac.seen_by WHERE role_name = 'access_t_bob'$$,
              $$SELECT * FROM ac.expected('{bob}', false)$$,
              'bob''s role sees exactly bob''s book');
SELECT set_eq($$SELECT relation, fingerprint FROM ac.seen_by WHERE role_name = 'access_t_analyst'$$,
              $$SELECT * FROM ac.expected('{}', true)$$,
              'the analyst sees every owner''s book, the customer without owner included');
SELECT ok((SELECT count(*) FROM ac.expected('{ann}', false) e JOIN ac.expected('{bob}', false) f USING (relation)
           WHERE e.fingerprint <> f.fingerprint AND e.fingerprint !~ '^0 ') = 7,
          'the two books differ in every relation and neither is empty (a check of the test)');
SELECT is_empty($$SELECT * FROM ac.errors WHERE role_name <> 'access_t_nobody'$$,
                'the granted roles read every table and view without an error');
SELECT set_eq($$SELECT what, error FROM ac.errors WHERE role_name = 'access_t_nobody'$$,
              $$SELECT v, '42501' FROM unnest(ARRAY['tables', 'account_tiers', 'key_accounts', 'secondary_accounts',
                    'prospects', 'leads', 'tier_summary', 'pareto_curve', 'owner_scorecard', 'tier_changes',
                    'owner_capacity', 'current_policy']) v$$,
              'a role given nothing reads nothing: every table and view refuses it (42501)');

-- The views of a rep show the rep's book tiered on its own: the same rows as
-- the superuser's views over a book holding only the rep's accounts.
SELECT gen.no_rows($$
  SELECT j FROM ac.rows_by WHERE role_name = 'access_t_ann'
    AND view_name IN ('account_tiers', 'key_accounts', 'secondary_accounts', 'prospects', 'leads',
                      'owner_scorecard', 'tier_changes', 'owner_capacity')
    AND j ->> 'owner' IS DISTINCT FROM 'ann'
$$, 'every row of ann''s views belongs to ann');
SELECT gen.no_rows($$
  SELECT j FROM ac.rows_by WHERE role_name = 'access_t_bob'
    AND view_name IN ('account_tiers', 'key_accounts', 'secondary_accounts', 'prospects', 'leads',
                      'owner_scorecard', 'tier_changes', 'owner_capacity')
    AND j ->> 'owner' IS DISTINCT FROM 'bob'
$$, 'every row of bob''s views belongs to bob');
SELECT is((SELECT count(DISTINCT coalesce(j ->> 'owner', '(none)')) FROM ac.rows_by
           WHERE role_name = 'access_t_analyst' AND view_name = 'account_tiers'),
          3::bigint, 'the analyst''s account_tiers holds ann''s, bob''s and the unowned customers');
SELECT set_eq($$SELECT j FROM ac.rows_by WHERE role_name = 'access_t_analyst' AND view_name = 'owner_scorecard'$$,
              $$SELECT to_jsonb(t) FROM account_tier.owner_scorecard t$$,
              'the analyst''s owner_scorecard is the superuser''s');
SELECT set_eq($$SELECT j FROM ac.rows_by WHERE role_name = 'access_t_analyst' AND view_name = 'key_accounts'$$,
              $$SELECT to_jsonb(t) FROM account_tier.key_accounts t$$,
              'the analyst''s key_accounts are the superuser''s');

-- Writes ---------------------------------------------------------------------------------
CREATE FUNCTION ac.try_as(r name, q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  st text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION 'no error' USING ERRCODE = 'P0099';
  EXCEPTION WHEN OTHERS THEN
    st := SQLSTATE;
  END;
  RESET ROLE;
  RETURN CASE WHEN st = 'P0099' THEN 'no error' ELSE st END;
END
$$;

SELECT is(ac.try_as('access_t_ann', $$INSERT INTO account_tier.accounts (account_id, account_name, owner)
                                     VALUES ('N1', 'New of ann', 'ann')$$),
          'no error', 'ann (a writer) adds an account of her own');
SELECT is(ac.try_as('access_t_ann', $$INSERT INTO account_tier.sales (account_id, booked_on, amount)
                                     VALUES ('A001', '2026-10-01', 10)$$),
          'no error', 'ann adds a sale to her account');
SELECT is(ac.try_as('access_t_ann', $$INSERT INTO account_tier.visits (account_id, visited_on, purpose)
                                     VALUES ('A001', '2026-10-01', 'incremental')$$),
          'no error', 'ann records a visit to her account');
SELECT is(ac.try_as('access_t_ann', $$CALL account_tier.snapshot()$$), 'no error',
          'ann takes a snapshot of her book');
SELECT is(ac.try_as('access_t_ann', $$INSERT INTO account_tier.accounts (account_id, account_name, owner)
                                     VALUES ('N2', 'New of bob', 'bob')$$),
          '42501', 'ann cannot add an account to bob''s book (row-level security, 42501)');
SELECT is(ac.try_as('access_t_ann', $$INSERT INTO account_tier.sales (account_id, booked_on, amount)
                                     VALUES ('A003', '2026-10-01', 10)$$),
          '42501', 'ann cannot add a sale to bob''s account (42501)');
SELECT is(ac.try_as('access_t_ann', $$UPDATE account_tier.accounts SET owner = 'bob' WHERE account_id = 'A001'$$),
          '42501', 'ann cannot hand her account to bob (42501)');
SELECT is(ac.try_as('access_t_ann', $$UPDATE account_tier.accounts SET potential = 1 WHERE owner = 'bob'
                                     RETURNING account_id$$),
          'no error', 'ann''s update of bob''s accounts reaches none of them');
SELECT is((SELECT count(*) FROM account_tier.accounts WHERE owner = 'bob' AND potential = 1), 0::bigint,
          'bob''s accounts are unchanged');
SELECT is(ac.try_as('access_t_ann', $$UPDATE account_tier.policy SET a_time = 0.5$$),
          '42501', 'a writer cannot change the policy (42501)');
SELECT is(ac.try_as('access_t_bob', $$INSERT INTO account_tier.accounts (account_id, account_name, owner)
                                     VALUES ('N3', 'New', 'bob')$$),
          '42501', 'bob (a reader) cannot add an account, not even his own (42501)');
SELECT is(ac.try_as('access_t_bob', $$DELETE FROM account_tier.sales$$),
          '42501', 'bob cannot delete sales (42501)');
SELECT is(ac.try_as('access_t_analyst', $$UPDATE account_tier.accounts SET owner = 'ann'$$),
          '42501', 'the analyst (a reader) cannot change accounts (42501)');
SELECT is(ac.try_as('access_t_bob', $$INSERT INTO account_tier.book_access VALUES ('access_t_bob', NULL)$$),
          '42501', 'a reader cannot give itself every owner''s book (42501)');
SELECT is(ac.try_as('access_t_ann', $$CALL account_tier.grant_reader('access_t_ann')$$),
          '42501', 'a writer cannot widen its own access with grant_reader (42501)');
SELECT is(ac.try_as('access_t_nobody', $$INSERT INTO account_tier.accounts (account_id, account_name) VALUES ('N4', 'x')$$),
          '42501', 'a role given nothing writes nothing (42501)');

-- A rep plants look-alikes earlier on the search_path ----------------------------------
-- (as the schema's owner: a rep who may create objects somewhere)
CREATE SCHEMA ac_rep AUTHORIZATION access_t_bob;
SET LOCAL ROLE access_t_bob;
SET LOCAL search_path = ac_rep, account_tier, public;
CREATE FUNCTION ac_rep.sees_every_owner() RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION ac_rep.visible_owners() RETURNS SETOF text LANGUAGE sql AS $$ VALUES ('ann'), ('bob') $$;
CREATE FUNCTION ac_rep.pg_has_role(oid, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION ac_rep.texteq_any(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR ac_rep.= (LEFTARG = text, RIGHTARG = text, FUNCTION = ac_rep.texteq_any);
CREATE FUNCTION ac_rep.tier_eq(account_tier.tier, account_tier.tier) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR ac_rep.= (LEFTARG = account_tier.tier, RIGHTARG = account_tier.tier, FUNCTION = ac_rep.tier_eq);
CREATE FUNCTION ac_rep.abc_classify(numeric, account_tier.cutoffs) RETURNS account_tier.tier
LANGUAGE sql AS $$ SELECT 'A'::account_tier.tier $$;
CREATE TABLE ac_rep.book_access (role_name name, owner text);
INSERT INTO ac_rep.book_access VALUES ('access_t_bob', NULL);
CREATE TABLE ac.bob_planted AS SELECT * FROM ac.seen();
CREATE TABLE ac.bob_key_accounts AS SELECT account_id, tier FROM key_accounts;
RESET search_path;
RESET ROLE;
SELECT set_eq('SELECT * FROM ac.bob_planted', $$SELECT * FROM ac.expected('{bob}', false)$$,
              'with look-alikes of sees_every_owner, visible_owners, pg_has_role, = and book_access first '
              'on its search_path, bob still sees exactly his book');
SELECT set_eq('SELECT * FROM ac.bob_key_accounts',
              $$SELECT j ->> 'account_id', (j ->> 'tier')::account_tier.tier FROM ac.rows_by
                WHERE role_name = 'access_t_bob' AND view_name = 'key_accounts'$$,
              'and the same key accounts as without them');
SELECT ok(NOT (SELECT rolsuper OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = 'access_t_bob')
          AND NOT EXISTS (SELECT FROM account_tier.book_access WHERE role_name = 'access_t_bob' AND owner IS NULL),
          'and gains no privilege and no access');

-- Taking access back -----------------------------------------------------------------------
SELECT lives_ok($$CALL account_tier.revoke_access('access_t_bob')$$, 'revoke_access takes bob''s access back');
SELECT is(ac.try_as('access_t_bob', 'SELECT count(*) FROM account_tier.key_accounts'), '42501',
          'bob then reads nothing (42501)');
SELECT is_empty($$SELECT * FROM account_tier.book_access WHERE role_name = 'access_t_bob'$$,
                'and book_access forgets him');

-- A role dropped after being given access does not break anyone's reads.
CREATE ROLE access_t_gone NOLOGIN;
CALL account_tier.grant_reader('access_t_gone', 'ann');
CALL account_tier.revoke_access('access_t_gone');
INSERT INTO account_tier.book_access VALUES ('access_t_gone', 'ann');
DROP ROLE access_t_gone;
SELECT is(ac.try_as('access_t_ann', 'SELECT count(*) FROM account_tier.accounts'), 'no error',
          'a grant of access to a role since dropped is ignored');

-- The catalog ----------------------------------------------------------------------------
SELECT ok((SELECT bool_and(relrowsecurity) FROM pg_class
           WHERE oid IN ('account_tier.accounts'::regclass, 'account_tier.sales'::regclass,
                         'account_tier.visits'::regclass, 'account_tier.tier_history'::regclass,
                         'account_tier.book_access'::regclass)),
          'row-level security is on for accounts, sales, visits, tier_history and book_access');
SELECT is((SELECT count(*) FROM pg_policy p
           WHERE p.polrelid IN ('account_tier.accounts'::regclass, 'account_tier.sales'::regclass,
                                'account_tier.visits'::regclass, 'account_tier.tier_history'::regclass)
             AND p.polname = 'owner_book'), 4::bigint,
          'each of the four tables has the owner_book policy');
SELECT ok(EXISTS (SELECT FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'account_tier'
                  AND c = 'account_tier.book_access'::regclass),
          'book_access is dumped with its data, so pg_dump keeps who sees what');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace AND prosecdef),
          0::bigint, 'no function or procedure is SECURITY DEFINER');

SELECT * FROM finish();
ROLLBACK;
