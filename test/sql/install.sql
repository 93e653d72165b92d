-- Installs the oldest version and updates through every later one, so that
-- every later test runs on an upgraded install.
DROP EXTENSION account_tier;
CREATE EXTENSION account_tier VERSION '1.0';
ALTER EXTENSION account_tier UPDATE;
SELECT extversion, extrelocatable, extnamespace::regnamespace
FROM pg_extension WHERE extname = 'account_tier';

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
