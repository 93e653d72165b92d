-- An upgraded install and a fresh one have the same objects, definitions
-- and comments: the objects of a fresh install (pg_regress made it) are
-- compared with those of the oldest version updated through every later
-- one, on which every later test then runs.
CREATE TEMP VIEW extension_objects AS
SELECT pg_describe_object(classid, objid, objsubid) AS object,
       obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) AS comment,
       CASE WHEN classid = 'pg_proc'::regclass THEN
         (SELECT row(p.prorettype::regtype, p.prokind, p.proparallel, p.provolatile, p.prosrc,
                     pg_get_function_arguments(p.oid))::text
          FROM pg_proc p WHERE p.oid = objid) END AS definition
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'account_tier');
CREATE TEMP TABLE fresh AS TABLE extension_objects;

DROP EXTENSION account_tier;
CREATE EXTENSION account_tier VERSION '1.0';
ALTER EXTENSION account_tier UPDATE;
SELECT extversion, extrelocatable, extnamespace::regnamespace
FROM pg_extension WHERE extname = 'account_tier';

CREATE TEMP TABLE upgraded AS TABLE extension_objects;
SELECT (SELECT count(*) FROM fresh) AS objects,
       (SELECT count(*) FROM ((TABLE upgraded EXCEPT TABLE fresh) UNION ALL
                              (TABLE fresh EXCEPT TABLE upgraded)) d) AS differences;

-- Trusted: a database owner who is not a superuser can install it.
BEGIN;
DROP EXTENSION account_tier;
CREATE ROLE tier_installer;
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO tier_installer', current_database()); END $$;
SET ROLE tier_installer;
CREATE EXTENSION account_tier;
RESET ROLE;
SELECT extowner::regrole FROM pg_extension WHERE extname = 'account_tier';
ROLLBACK;

-- Nothing is SECURITY DEFINER; every function says it is parallel safe.
SELECT count(*) AS security_definer
FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace AND prosecdef;
SELECT proparallel, provolatile, prokind, count(*)
FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
