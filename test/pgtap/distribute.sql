-- distribute.sql: the book as Citus can distribute it, seen on one server
-- (the distribution itself is test/citus/run.sh, make test-citus): every
-- key of the tables distributed by account_id holds account_id, no foreign
-- key carries a change of an account's key along (a distributed table
-- cannot change its distribution column; here the change is refused, 23503,
-- while the account has sales, visits or history), distribute_book refuses
-- without Citus, and one owner's book cannot be given once row-level
-- security is gone (as distribute_book leaves it).
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS account_tier;

SELECT plan(11);

CREATE SCHEMA dt;
-- The SQLSTATE, message and hint of a statement that fails, or 'no error'.
CREATE FUNCTION dt.error_of(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  state text;
  message text;
  hint text;
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  RETURN state || ': ' || message || ' / ' || hint;
END
$$;

DELETE FROM account_tier.tier_history;
DELETE FROM account_tier.visits;
DELETE FROM account_tier.sales;
DELETE FROM account_tier.accounts;
INSERT INTO account_tier.accounts (account_id, account_name, owner)
VALUES ('K1', 'Sold to', 'ann'), ('K2', 'Visited', 'ann'), ('K3', 'In the history', 'ann'), ('K4', 'Nothing yet', 'ann');
INSERT INTO account_tier.sales (account_id, booked_on, amount) VALUES ('K1', '2026-01-02', 10);
INSERT INTO account_tier.visits (account_id, visited_on) VALUES ('K2', '2026-01-02');
INSERT INTO account_tier.tier_history (as_of, account_id, tier) VALUES ('2026-01-02', 'K3', 'A');

-- Keys and constraints Citus accepts ------------------------------------------------
SELECT is((SELECT string_agg(format('%s %s', c.conrelid::regclass, pg_get_constraintdef(c.oid)), '; '
                             ORDER BY c.conrelid::regclass::text, c.conname)
           FROM pg_constraint AS c
           WHERE c.contype IN ('p', 'u', 'x')
             AND c.conrelid IN ('account_tier.accounts'::regclass, 'account_tier.sales'::regclass,
                                'account_tier.visits'::regclass, 'account_tier.tier_history'::regclass)),
          'account_tier.accounts PRIMARY KEY (account_id); account_tier.sales PRIMARY KEY (account_id, sale_id); '
          'account_tier.tier_history PRIMARY KEY (as_of, account_id); account_tier.visits PRIMARY KEY (account_id, visit_id)',
          'every key of the tables distributed by account_id holds account_id');
SELECT is((SELECT count(*) FROM pg_constraint AS c
           WHERE c.contype = 'f' AND c.confrelid = 'account_tier.accounts'::regclass
             AND c.confupdtype = 'a' AND c.confdeltype = 'r'),
          3::bigint, 'sales, visits and history refer to their account: no action on update, restrict on delete');
SELECT is((SELECT count(*) FROM pg_index AS i
           WHERE i.indrelid IN ('account_tier.sales'::regclass, 'account_tier.visits'::regclass)
             AND i.indkey[0] = (SELECT a.attnum FROM pg_attribute AS a
                                WHERE a.attrelid = i.indrelid AND a.attname = 'account_id')),
          2::bigint, 'one index of sales and one of visits leads with account_id: their keys');
SELECT is(dt.error_of($$UPDATE account_tier.accounts SET account_id = 'K1x' WHERE account_id = 'K1'$$) ~ '^23503',
          true, 'the key of an account with sales is not changed');
SELECT is(dt.error_of($$UPDATE account_tier.accounts SET account_id = 'K2x' WHERE account_id = 'K2'$$) ~ '^23503',
          true, 'the key of an account with visits is not changed');
SELECT is(dt.error_of($$UPDATE account_tier.accounts SET account_id = 'K3x' WHERE account_id = 'K3'$$) ~ '^23503',
          true, 'the key of an account with history is not changed');
SELECT is(dt.error_of($$UPDATE account_tier.accounts SET account_id = 'K4x' WHERE account_id = 'K4'$$),
          'no error', 'the key of an account with nothing booked yet is changed');
SELECT is((SELECT string_agg(s.account_id, ',' ORDER BY s.account_id) FROM account_tier.sales AS s),
          'K1', 'the sale stays with its account');

-- distribute_book -----------------------------------------------------------------------
SELECT is(dt.error_of('CALL account_tier.distribute_book()'),
          '55000: the citus extension is not installed in this database / On a Citus coordinator '
          '(shared_preload_libraries = citus, worker nodes added with citus_add_node): CREATE EXTENSION citus, '
          'then CALL account_tier.distribute_book() again.',
          'distribute_book without Citus is refused, with what to do');
SELECT is((SELECT count(*) FROM pg_policy AS p WHERE p.polname = 'owner_book'), 4::bigint,
          'the refused call changed nothing: the owner_book policies are all there');

-- Without row-level security (a distributed book), one owner's book cannot be given.
CREATE ROLE dt_rep NOLOGIN;
DROP POLICY owner_book ON account_tier.accounts;
SELECT is(dt.error_of($$CALL account_tier.grant_reader('dt_rep', 'ann')$$) ~ '^0A000: the account book has no row-level security',
          true, 'grant_reader of one owner''s book is refused without the owner_book policy');

SELECT * FROM finish();
ROLLBACK;
