-- An upgraded install and a fresh one have the same objects, definitions
-- and comments: the objects of a fresh install (pg_regress made it) are
-- compared with those of the oldest version updated to the newest in one
-- command, and with those of version 1.1 updated to 1.2 and then to the
-- newest, on which every later test then runs.
--
-- An object is a member of the extension (function, aggregate, procedure,
-- type, table, view, sequence) or belongs to one: a column (type, NOT NULL,
-- default, identity, comment), a constraint, a trigger, an index, a
-- row-level security policy; and the
-- list of tables pg_dump dumps with their data.  The view reads the catalogs
-- only, so that it does not depend on the extension it describes.
CREATE TEMP VIEW extension_objects AS
WITH ext AS (
  SELECT e.oid, e.extowner, e.extconfig, e.extcondition
  FROM pg_extension AS e WHERE e.extname = 'account_tier'
), member AS (
  SELECT d.classid, d.objid, d.objsubid
  FROM pg_depend AS d JOIN ext ON d.refobjid = ext.oid
  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
), rel AS (
  -- member tables, views and sequences, and the row types of member types
  SELECT m.objid AS oid FROM member AS m WHERE m.classid = 'pg_class'::regclass
  UNION
  SELECT t.typrelid FROM member AS m JOIN pg_type AS t ON t.oid = m.objid
  WHERE m.classid = 'pg_type'::regclass AND t.typrelid <> 0
)
SELECT pg_describe_object(m.classid, m.objid, m.objsubid) AS object,
       obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid)) AS comment,
       CASE m.classid
         WHEN 'pg_proc'::regclass THEN
           (SELECT row(p.prorettype::regtype, p.prokind, p.proparallel, p.provolatile, p.prosecdef,
                       p.proconfig, p.prosrc, pg_get_function_arguments(p.oid),
                       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END)::text
            FROM pg_proc AS p WHERE p.oid = m.objid)
         WHEN 'pg_class'::regclass THEN
           (SELECT row(c.relkind, c.relpersistence, c.relowner = ext.extowner, c.relacl, c.reloptions,
                       c.relrowsecurity, pg_get_viewdef(c.oid),
                       (SELECT row(s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                                   s.seqcache, s.seqcycle)
                        FROM pg_sequence AS s WHERE s.seqrelid = c.oid))::text
            FROM pg_class AS c, ext WHERE c.oid = m.objid)
         WHEN 'pg_type'::regclass THEN
           (SELECT row(t.typtype, t.typowner = ext.extowner,
                       (SELECT array_agg(en.enumlabel ORDER BY en.enumsortorder)
                        FROM pg_enum AS en WHERE en.enumtypid = t.oid))::text
            FROM pg_type AS t, ext WHERE t.oid = m.objid)
       END AS definition
FROM member AS m
UNION ALL
SELECT pg_describe_object('pg_class'::regclass, a.attrelid, a.attnum),
       col_description(a.attrelid, a.attnum),
       row(format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid),
           a.attidentity, a.attgenerated, a.attcollation)::text
FROM rel
JOIN pg_attribute AS a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_class AS c ON c.oid = rel.oid AND c.relkind <> 'S'
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
UNION ALL
SELECT pg_describe_object('pg_constraint'::regclass, co.oid, 0),
       obj_description(co.oid, 'pg_constraint'), pg_get_constraintdef(co.oid)
FROM pg_constraint AS co
WHERE co.conrelid IN (SELECT oid FROM rel)
   OR co.contypid IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass)
UNION ALL
SELECT pg_describe_object('pg_trigger'::regclass, tg.oid, 0),
       obj_description(tg.oid, 'pg_trigger'), pg_get_triggerdef(tg.oid) || ' ' || tg.tgenabled::text
FROM pg_trigger AS tg
WHERE tg.tgrelid IN (SELECT oid FROM rel) AND NOT tg.tgisinternal
UNION ALL
SELECT pg_describe_object('pg_class'::regclass, i.indexrelid, 0),
       obj_description(i.indexrelid, 'pg_class'), pg_get_indexdef(i.indexrelid)
FROM pg_index AS i
WHERE i.indrelid IN (SELECT oid FROM rel)
UNION ALL
SELECT pg_describe_object('pg_policy'::regclass, po.oid, 0), obj_description(po.oid, 'pg_policy'),
       row(po.polcmd, po.polpermissive, po.polroles::regrole[], pg_get_expr(po.polqual, po.polrelid),
           pg_get_expr(po.polwithcheck, po.polrelid))::text
FROM pg_policy AS po
WHERE po.polrelid IN (SELECT oid FROM rel)
UNION ALL
SELECT 'dumped with its data: ' || cfg.relid::regclass, NULL, cfg.condition
FROM ext, unnest(ext.extconfig, ext.extcondition) AS cfg(relid, condition);

-- How many objects of each kind a fresh install has.
CREATE TEMP TABLE fresh AS TABLE extension_objects;
SELECT CASE WHEN object LIKE 'dumped with its data:%' THEN 'dumped with its data'
            ELSE split_part(object, ' ', 1) END AS kind,
       count(*) AS objects,
       count(comment) AS with_comment
FROM fresh GROUP BY 1 ORDER BY 1;
-- The policy row the install writes.
CREATE TEMP TABLE fresh_policy AS SELECT * FROM account_tier.policy;

-- The oldest version, updated to the newest in one command.
DROP EXTENSION account_tier;
CREATE EXTENSION account_tier VERSION '1.0';
ALTER EXTENSION account_tier UPDATE;
SELECT extversion, extrelocatable, extnamespace::regnamespace
FROM pg_extension WHERE extname = 'account_tier';
SELECT 'upgraded only' AS side, * FROM (TABLE extension_objects EXCEPT TABLE fresh) AS d
UNION ALL
SELECT 'fresh only', * FROM (TABLE fresh EXCEPT TABLE extension_objects) AS d
ORDER BY 2, 1;
SELECT (SELECT count(*) FROM account_tier.policy) AS policy_rows,
       (SELECT count(*) FROM (TABLE account_tier.policy EXCEPT TABLE fresh_policy) AS d) AS not_as_fresh;

-- Version 1.1, in use, updated to 1.2 and then to the newest: the updates
-- leave the user's objects that depend on 1.0 and 1.1 in place.
DROP EXTENSION account_tier;
CREATE EXTENSION account_tier VERSION '1.0';
ALTER EXTENSION account_tier UPDATE TO '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'account_tier';
CREATE TABLE public.plan_1_1 (account text, revenue numeric, tier account_tier.tier);
INSERT INTO public.plan_1_1 VALUES ('x', 900, 'A'), ('y', 100, 'B');
CREATE VIEW public.plan_1_1_visits AS
SELECT account, account_tier.abc_tier(revenue) OVER () AS computed,
       account_tier.recommended_visits(tier, 100) OVER () AS visits
FROM public.plan_1_1;
ALTER EXTENSION account_tier UPDATE TO '1.2';
SELECT extversion FROM pg_extension WHERE extname = 'account_tier';
SELECT * FROM public.plan_1_1_visits ORDER BY account;
ALTER EXTENSION account_tier UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'account_tier';
SELECT * FROM public.plan_1_1_visits ORDER BY account;
DROP VIEW public.plan_1_1_visits;
DROP TABLE public.plan_1_1;
SELECT 'upgraded only' AS side, * FROM (TABLE extension_objects EXCEPT TABLE fresh) AS d
UNION ALL
SELECT 'fresh only', * FROM (TABLE fresh EXCEPT TABLE extension_objects) AS d
ORDER BY 2, 1;
SELECT (SELECT count(*) FROM account_tier.policy) AS policy_rows,
       (SELECT count(*) FROM (TABLE account_tier.policy EXCEPT TABLE fresh_policy) AS d) AS not_as_fresh;

-- Trusted: a database owner who is not a superuser can install it, and owns
-- the book: loads accounts and sales, sets the policy, takes a snapshot and
-- reads the views.  As in a new database, the schema does not exist yet:
-- CREATE EXTENSION makes it, owned by the installer.
BEGIN;
DROP EXTENSION account_tier;
DROP SCHEMA account_tier;
CREATE ROLE tier_installer;
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO tier_installer', current_database()); END $$;
SET ROLE tier_installer;
CREATE EXTENSION account_tier;
SELECT extowner::regrole, extnamespace::regnamespace,
       (SELECT nspowner::regrole FROM pg_namespace WHERE oid = extnamespace) AS schema_owner
FROM pg_extension WHERE extname = 'account_tier';
SELECT relkind, relowner = 'tier_installer'::regrole AS owned_by_installer, count(*)
FROM pg_class WHERE relnamespace = 'account_tier'::regnamespace AND relkind IN ('r', 'v', 'S')
GROUP BY 1, 2 ORDER BY 1, 2;
INSERT INTO account_tier.accounts (account_id, account_name, owner)
VALUES ('K-1', 'Key', 'Ann'), ('K-2', 'Middle', 'Ann'), ('K-3', 'Small', 'Ann');
INSERT INTO account_tier.sales (account_id, booked_on, amount)
VALUES ('K-1', '2026-06-01', 800), ('K-2', '2026-06-01', 150), ('K-3', '2026-06-01', 50);
UPDATE account_tier.policy SET as_of = '2026-10-31';
CALL account_tier.snapshot();
SELECT account_id, revenue, tier, key_account FROM account_tier.account_tiers ORDER BY account_id;
SELECT account_id FROM account_tier.key_accounts;
SELECT owner, tier, accounts, revenue FROM account_tier.tier_summary;
SELECT as_of, count(*) FROM account_tier.tier_history GROUP BY 1;
RESET ROLE;
ROLLBACK;

-- Nothing is SECURITY DEFINER.  The computations are immutable and parallel
-- safe; the book's trigger functions and snapshot() write or raise: volatile,
-- parallel unsafe.
SELECT count(*) AS security_definer
FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace AND prosecdef;
SELECT proparallel, provolatile, prokind, count(*)
FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT proname, prokind, provolatile, proparallel
FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace AND proparallel <> 's'
ORDER BY 1;
