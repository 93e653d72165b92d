-- account_tier 1.1 -> 1.2: the account book inside the database (tables,
-- policy, snapshots) and the views BI tools read.

\echo Use "ALTER EXTENSION account_tier UPDATE TO '1.2'" to load this file. \quit

-- Security: a trusted install runs this script as a superuser, with
-- search_path set to this schema, which the installing user may have made
-- beforehand.  So every script starts by searching pg_catalog only (undone
-- when the script ends): a function or operator planted in the schema can
-- then never capture a name used below.  The extension's own objects are
-- named with their schema, and called with arguments of exactly their
-- declared types, so that no look-alike overload is a better match.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Sales totals ----------------------------------------------------------------------
-- The one pass over sales lines the views make: per account, revenue in the
-- revenue window and in the window before it, margin and incremental
-- revenue, summed exactly in one aggregate.

CREATE TYPE account_tier.sales_totals AS (
  revenue             numeric,
  prior_revenue       numeric,
  margin              numeric,
  incremental_revenue numeric
);
COMMENT ON TYPE account_tier.sales_totals IS
  'Result of sales_totals(): sums of the lines after window_start (revenue, margin, incremental_revenue) and up to it (prior_revenue)';

CREATE FUNCTION account_tier.sales_totals_sfunc(internal, date, numeric, numeric, boolean, date)
RETURNS internal AS 'MODULE_PATHNAME', 'sales_totals_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sales_totals_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sales_totals_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sales_totals_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION account_tier.sales_totals_final(internal)
RETURNS account_tier.sales_totals AS 'MODULE_PATHNAME', 'sales_totals_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.sales_totals_sfunc(internal, date, numeric, numeric, boolean, date) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_combine(internal, internal) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_serialize(internal) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_deserialize(bytea, internal) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';
COMMENT ON FUNCTION account_tier.sales_totals_final(internal) IS
  'Support function of the sales_totals aggregate; not meant to be called directly';

CREATE AGGREGATE account_tier.sales_totals(booked_on date, amount numeric, margin numeric,
                                           incremental boolean, window_start date) (
  SFUNC = account_tier.sales_totals_sfunc, STYPE = internal, SSPACE = 208,
  FINALFUNC = account_tier.sales_totals_final,
  COMBINEFUNC = account_tier.sales_totals_combine,
  SERIALFUNC = account_tier.sales_totals_serialize,
  DESERIALFUNC = account_tier.sales_totals_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE account_tier.sales_totals(date, numeric, numeric, boolean, date) IS
  'Exact sums of sales lines: revenue, margin and incremental revenue of the lines booked after window_start, prior_revenue of the others';

-- Tables --------------------------------------------------------------------------
-- Every table is dumped with its data by pg_dump (pg_extension_config_dump),
-- and refuses bad rows with a constraint named after what it checks.

CREATE TABLE account_tier.accounts (
  account_id    text PRIMARY KEY,
  account_name  text NOT NULL,
  owner         text,
  status        text NOT NULL DEFAULT 'customer'
                CONSTRAINT accounts_status_known CHECK (status IN ('customer', 'prospect', 'lead')),
  potential     numeric
                -- numeric NaN sorts above every number, so < 'Infinity' refuses it too
                CONSTRAINT accounts_potential_not_negative CHECK (potential >= 0 AND potential < 'Infinity'),
  tier_override account_tier.tier,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_owner_status ON account_tier.accounts (owner, status);
COMMENT ON TABLE account_tier.accounts IS
  'The book: one row per customer, prospect or lead';
COMMENT ON COLUMN account_tier.accounts.account_id IS 'The account''s key';
COMMENT ON COLUMN account_tier.accounts.account_name IS 'The account''s name';
COMMENT ON COLUMN account_tier.accounts.owner IS 'The sales rep who owns the account (NULL = unassigned)';
COMMENT ON COLUMN account_tier.accounts.status IS 'customer, prospect (qualified, worth winning) or lead (unqualified)';
COMMENT ON COLUMN account_tier.accounts.potential IS 'Estimated yearly wallet: what the account could buy in a year';
COMMENT ON COLUMN account_tier.accounts.tier_override IS 'A manager''s pin: this tier wins over the computed one (e.g. a strategic account kept as key)';
COMMENT ON COLUMN account_tier.accounts.created_at IS 'When the account was entered; leads are worked oldest first';

CREATE TABLE account_tier.sales (
  sale_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id text NOT NULL REFERENCES account_tier.accounts ON UPDATE CASCADE ON DELETE RESTRICT,
  booked_on  date NOT NULL,
  amount     numeric NOT NULL
             CONSTRAINT sales_amount_finite CHECK (amount > '-Infinity' AND amount < 'Infinity'),
  margin     numeric
             CONSTRAINT sales_margin_finite CHECK (margin > '-Infinity' AND margin < 'Infinity'),
  kind       text NOT NULL DEFAULT 'baseline'
             CONSTRAINT sales_kind_known CHECK (kind IN ('baseline', 'incremental'))
);
-- For the foreign key (deleting an account looks its sales up).  No index
-- leads with booked_on on purpose: the views read both revenue windows in one
-- sequential pass, and the planner, which cannot see the window's dates when
-- it plans a view, would take such an index for a cheap path.
CREATE INDEX sales_account ON account_tier.sales (account_id);
COMMENT ON TABLE account_tier.sales IS
  'Sales lines; returns and credit notes are negative amounts. An account with sales cannot be deleted';
COMMENT ON COLUMN account_tier.sales.sale_id IS 'The line''s key';
COMMENT ON COLUMN account_tier.sales.account_id IS 'The account that bought';
COMMENT ON COLUMN account_tier.sales.booked_on IS 'The day the sale was booked';
COMMENT ON COLUMN account_tier.sales.amount IS 'Net amount; negative for returns and credit notes';
COMMENT ON COLUMN account_tier.sales.margin IS 'Gross margin of the line, if known';
COMMENT ON COLUMN account_tier.sales.kind IS 'baseline (would have come anyway) or incremental (new accounts, growth)';

CREATE TABLE account_tier.visits (
  visit_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id text NOT NULL REFERENCES account_tier.accounts ON UPDATE CASCADE ON DELETE RESTRICT,
  owner      text,
  visited_on date NOT NULL
);
CREATE INDEX visits_visited_on ON account_tier.visits (visited_on, account_id);
CREATE INDEX visits_account ON account_tier.visits (account_id);
COMMENT ON TABLE account_tier.visits IS 'Field visits made';
COMMENT ON COLUMN account_tier.visits.visit_id IS 'The visit''s key';
COMMENT ON COLUMN account_tier.visits.account_id IS 'The account visited';
COMMENT ON COLUMN account_tier.visits.owner IS 'The rep who visited (NULL = the account''s owner)';
COMMENT ON COLUMN account_tier.visits.visited_on IS 'The day of the visit';

CREATE TABLE account_tier.tier_history (
  as_of      date NOT NULL,
  account_id text NOT NULL REFERENCES account_tier.accounts ON UPDATE CASCADE ON DELETE RESTRICT,
  owner      text,
  revenue    numeric,
  tier       account_tier.tier,
  PRIMARY KEY (as_of, account_id)
);
CREATE INDEX tier_history_account ON account_tier.tier_history (account_id, as_of);
COMMENT ON TABLE account_tier.tier_history IS
  'Snapshots of every customer''s tier, one per as_of date, written by CALL account_tier.snapshot()';
COMMENT ON COLUMN account_tier.tier_history.as_of IS 'The day the snapshot describes';
COMMENT ON COLUMN account_tier.tier_history.account_id IS 'The account';
COMMENT ON COLUMN account_tier.tier_history.owner IS 'The account''s owner on that day';
COMMENT ON COLUMN account_tier.tier_history.revenue IS 'Revenue in the window ending that day';
COMMENT ON COLUMN account_tier.tier_history.tier IS 'The tier on that day (the override where one was set)';

CREATE TABLE account_tier.policy (
  singleton          boolean PRIMARY KEY DEFAULT true
                     CONSTRAINT policy_one_row CHECK (singleton),
  method             text NOT NULL DEFAULT 'value'
                     CONSTRAINT policy_method_known CHECK (method IN ('value', 'count', 'computed', 'absolute')),
  value_a            numeric NOT NULL DEFAULT 0.80,
  value_b            numeric NOT NULL DEFAULT 0.95,
  count_a            numeric NOT NULL DEFAULT 0.20,
  count_b            numeric NOT NULL DEFAULT 0.80,
  absolute_a         numeric,
  absolute_b         numeric,
  scope              text NOT NULL DEFAULT 'company'
                     CONSTRAINT policy_scope_known CHECK (scope IN ('company', 'owner')),
  revenue_window     interval NOT NULL DEFAULT '12 months'
                     CONSTRAINT policy_revenue_window_positive CHECK (revenue_window > interval '0'),
  as_of              date,
  visit_capacity     float8 NOT NULL DEFAULT 480
                     CONSTRAINT policy_visit_capacity_not_negative CHECK (visit_capacity >= 0 AND visit_capacity < 'Infinity'),
  a_time             float8 NOT NULL DEFAULT 0.80,
  b_time             float8 NOT NULL DEFAULT 0.20,
  c_time             float8 NOT NULL DEFAULT 0.00,
  max_visits         float8 NOT NULL DEFAULT 52
                     CONSTRAINT policy_max_visits_positive CHECK (max_visits > 0 AND max_visits <> 'NaN'),
  lead_cap           int NOT NULL DEFAULT 10
                     CONSTRAINT policy_lead_cap_not_negative CHECK (lead_cap >= 0),
  at_risk_drop       numeric NOT NULL DEFAULT 0.20
                     CONSTRAINT policy_at_risk_drop_share CHECK (at_risk_drop > 0 AND at_risk_drop <= 1),
  incremental_target numeric NOT NULL DEFAULT 0.90
                     CONSTRAINT policy_incremental_target_share CHECK (incremental_target >= 0 AND incremental_target <= 1),
  enforce_lead_cap   boolean NOT NULL DEFAULT false,
  CONSTRAINT policy_value_thresholds CHECK (0 < value_a AND value_a <= value_b AND value_b <= 1),
  CONSTRAINT policy_count_thresholds CHECK (0 < count_a AND count_a <= count_b AND count_b <= 1),
  CONSTRAINT policy_absolute_thresholds CHECK (method <> 'absolute'
                                               OR coalesce(absolute_a > 0 AND absolute_b > 0
                                                           AND absolute_b <= absolute_a, false)),
  -- float8 shares: NaN is greater than every number, so < 'NaN' refuses it;
  -- a sum above 1 by float8 rounding alone is taken as 1, as recommended_visits does
  CONSTRAINT policy_time_shares CHECK (a_time >= 0 AND b_time >= 0 AND c_time >= 0
                                       AND a_time < 'NaN' AND b_time < 'NaN' AND c_time < 'NaN'
                                       AND a_time + b_time + c_time <= 1 + 1e-12)
);
INSERT INTO account_tier.policy DEFAULT VALUES;
-- one row, known to the planner (the views join it)
ANALYZE account_tier.policy;
COMMENT ON TABLE account_tier.policy IS
  'How the views tier and plan: exactly one row; change it with UPDATE, the views follow at once';
COMMENT ON COLUMN account_tier.policy.singleton IS 'Always true: the table holds one row';
COMMENT ON COLUMN account_tier.policy.method IS 'value (share of revenue), count (share of accounts), computed (limits from the data) or absolute (revenue floors)';
COMMENT ON COLUMN account_tier.policy.value_a IS 'method value: A = the fewest top accounts holding this share of revenue';
COMMENT ON COLUMN account_tier.policy.value_b IS 'method value: A and B together hold this share';
COMMENT ON COLUMN account_tier.policy.count_a IS 'method count: A = this share of accounts, from the top';
COMMENT ON COLUMN account_tier.policy.count_b IS 'method count: A and B together are this share';
COMMENT ON COLUMN account_tier.policy.absolute_a IS 'method absolute: revenue in the revenue window (a year by default) from which an account is A';
COMMENT ON COLUMN account_tier.policy.absolute_b IS 'method absolute: revenue in the revenue window (a year by default) from which an account is B';
COMMENT ON COLUMN account_tier.policy.scope IS 'company (tier the whole book) or owner (each owner''s book on its own)';
COMMENT ON COLUMN account_tier.policy.revenue_window IS 'Revenue counts the sales in this window, ending at as_of';
COMMENT ON COLUMN account_tier.policy.as_of IS 'The day the views describe (NULL = today)';
COMMENT ON COLUMN account_tier.policy.visit_capacity IS 'Field visits a year per owner';
COMMENT ON COLUMN account_tier.policy.a_time IS 'Share of visit capacity for A accounts';
COMMENT ON COLUMN account_tier.policy.b_time IS 'Share of visit capacity for B accounts';
COMMENT ON COLUMN account_tier.policy.c_time IS 'Share of visit capacity for C accounts';
COMMENT ON COLUMN account_tier.policy.max_visits IS 'At most this many visits a year for one account';
COMMENT ON COLUMN account_tier.policy.lead_cap IS 'At most this many leads per owner at any one time';
COMMENT ON COLUMN account_tier.policy.at_risk_drop IS 'A key account whose revenue fell by this share or more is at risk';
COMMENT ON COLUMN account_tier.policy.incremental_target IS 'Target share of revenue from incremental business';
COMMENT ON COLUMN account_tier.policy.enforce_lead_cap IS 'true: assigning an owner more than lead_cap leads fails';

SELECT pg_catalog.pg_extension_config_dump('account_tier.accounts', '');
SELECT pg_catalog.pg_extension_config_dump('account_tier.sales', '');
SELECT pg_catalog.pg_extension_config_dump('account_tier.sales_sale_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('account_tier.visits', '');
SELECT pg_catalog.pg_extension_config_dump('account_tier.visits_visit_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('account_tier.tier_history', '');
SELECT pg_catalog.pg_extension_config_dump('account_tier.policy', '');

-- The policy row cannot be removed, only changed.
CREATE FUNCTION account_tier.keep_policy_row() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'the policy row cannot be removed'
    USING ERRCODE = 'integrity_constraint_violation',
          HINT = 'Change it with UPDATE account_tier.policy SET ...; every column has a default.';
END
$$;
COMMENT ON FUNCTION account_tier.keep_policy_row() IS
  'Trigger: refuses to delete or truncate the one policy row';
CREATE TRIGGER policy_keep_row BEFORE DELETE ON account_tier.policy
  FOR EACH ROW EXECUTE FUNCTION account_tier.keep_policy_row();
CREATE TRIGGER policy_keep_row_truncate BEFORE TRUNCATE ON account_tier.policy
  FOR EACH STATEMENT EXECUTE FUNCTION account_tier.keep_policy_row();

-- A second row is refused, with one exception that makes pg_dump work:
-- restoring a dump runs CREATE EXTENSION, which writes the default row, and
-- then copies the dumped row in.  While the row still holds every column's
-- default, an inserted row replaces it; once it was changed, an insert fails.
CREATE FUNCTION account_tier.insert_policy_row() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cols     text;
  defaults text;
  pristine boolean;
BEGIN
  IF NOT EXISTS (SELECT FROM account_tier.policy) THEN
    RETURN NEW;
  END IF;
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
         string_agg(coalesce(pg_get_expr(d.adbin, d.adrelid), 'NULL') || '::' ||
                    format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
    INTO cols, defaults
  FROM pg_attribute AS a
  LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'singleton';
  EXECUTE format('SELECT ROW(%s) IS NOT DISTINCT FROM ROW(%s) FROM account_tier.policy', cols, defaults)
    INTO pristine;
  IF NOT pristine THEN
    RAISE EXCEPTION 'the policy has exactly one row'
      USING ERRCODE = 'unique_violation',
            HINT = 'Change it with UPDATE account_tier.policy SET ...';
  END IF;
  EXECUTE format('UPDATE account_tier.policy SET (%s) = (SELECT %s FROM (SELECT ($1).*) AS n)', cols, cols)
    USING NEW;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION account_tier.insert_policy_row() IS
  'Trigger: refuses a second policy row, but lets a restored row replace the untouched default row';
CREATE TRIGGER policy_insert_row BEFORE INSERT ON account_tier.policy
  FOR EACH ROW EXECUTE FUNCTION account_tier.insert_policy_row();

-- The lead cap ----------------------------------------------------------------------

CREATE FUNCTION account_tier.check_lead_cap() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cap   int;
  leads bigint;
BEGIN
  SELECT p.lead_cap INTO cap FROM account_tier.policy p WHERE p.enforce_lead_cap;
  IF cap IS NULL OR NEW.status <> 'lead' OR NEW.owner IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT count(*) INTO leads FROM account_tier.accounts a
  WHERE a.owner = NEW.owner AND a.status = 'lead';
  IF leads > cap THEN
    RAISE EXCEPTION 'owner % would have % leads, more than the lead cap of %', NEW.owner, leads, cap
      USING ERRCODE = 'check_violation',
            HINT = 'Qualify or drop a lead first, or raise policy.lead_cap.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION account_tier.check_lead_cap() IS
  'Trigger: with policy.enforce_lead_cap, refuses to give an owner more than policy.lead_cap leads';
CREATE CONSTRAINT TRIGGER accounts_lead_cap
  AFTER INSERT OR UPDATE OF owner, status ON account_tier.accounts
  FOR EACH ROW EXECUTE FUNCTION account_tier.check_lead_cap();

-- Views -------------------------------------------------------------------------------
-- All follow the one policy row at query time and run with the reader's
-- privileges (security_invoker), so row-level security on the tables holds.

-- The policy, with as_of resolved and the revenue windows spelled out.
CREATE VIEW account_tier.current_policy WITH (security_invoker = true) AS
SELECT p.*,
       coalesce(p.as_of, current_date) AS day,
       -- a sale's day is after a time of day D hh:mm exactly when it is after D
       (coalesce(p.as_of, current_date) - p.revenue_window)::date AS window_start,
       (coalesce(p.as_of, current_date) - 2 * p.revenue_window)::date AS prior_window_start
FROM account_tier.policy AS p;
COMMENT ON VIEW account_tier.current_policy IS
  'The policy row with its dates resolved: day (as_of or today) and the starts of the revenue window and of the window before it';
COMMENT ON COLUMN account_tier.current_policy.day IS 'The day the views describe: as_of, or today';
COMMENT ON COLUMN account_tier.current_policy.window_start IS 'Revenue counts sales booked after this and up to day';
COMMENT ON COLUMN account_tier.current_policy.prior_window_start IS 'Prior revenue counts sales booked after this and up to window_start';

CREATE VIEW account_tier.account_tiers WITH (security_invoker = true) AS
WITH p AS (
  SELECT * FROM account_tier.current_policy
), sold AS (
  -- sales per account in the two windows, summed in one pass before any
  -- join; the window's dates are read once (uncorrelated subqueries)
  SELECT s.account_id,
         account_tier.sales_totals(s.booked_on, s.amount, s.margin, s.kind = 'incremental',
                                   (SELECT window_start FROM account_tier.current_policy)) AS totals
  FROM account_tier.sales AS s
  WHERE s.booked_on > (SELECT prior_window_start FROM account_tier.current_policy)
    AND s.booked_on <= (SELECT day FROM account_tier.current_policy)
  GROUP BY s.account_id
), book AS (
  SELECT a.account_id, a.account_name, a.owner, a.potential, a.tier_override,
         coalesce((sold.totals).revenue, 0) AS revenue,
         coalesce((sold.totals).prior_revenue, 0) AS prior_revenue,
         coalesce((sold.totals).margin, 0) AS margin,
         coalesce((sold.totals).incremental_revenue, 0) AS incremental_revenue,
         CASE WHEN p.scope = 'owner' THEN a.owner END AS scope_key
  FROM account_tier.accounts AS a
  CROSS JOIN p
  LEFT JOIN sold ON sold.account_id = a.account_id
  WHERE a.status = 'customer'
), limits AS (
  -- the tier limits of each scope: only the policy's method is computed
  SELECT b.scope_key,
         sum(greatest(b.revenue, 0)) AS positive_total,
         CASE p.method
           WHEN 'value' THEN account_tier.abc_cutoffs(b.revenue, p.value_a, p.value_b) FILTER (WHERE p.method = 'value')
           WHEN 'count' THEN account_tier.abc_cutoffs_by_count(b.revenue, p.count_a, p.count_b) FILTER (WHERE p.method = 'count')
           WHEN 'computed' THEN account_tier.abc_cutoffs_computed(b.revenue) FILTER (WHERE p.method = 'computed')
           ELSE ROW(p.absolute_a, p.absolute_b)::account_tier.cutoffs END AS revenue_cutoffs,
         CASE p.method
           WHEN 'value' THEN account_tier.abc_cutoffs(b.margin, p.value_a, p.value_b) FILTER (WHERE p.method = 'value')
           WHEN 'count' THEN account_tier.abc_cutoffs_by_count(b.margin, p.count_a, p.count_b) FILTER (WHERE p.method = 'count')
           WHEN 'computed' THEN account_tier.abc_cutoffs_computed(b.margin) FILTER (WHERE p.method = 'computed')
           ELSE ROW(p.absolute_a, p.absolute_b)::account_tier.cutoffs END AS margin_cutoffs
  FROM book AS b CROSS JOIN p
  GROUP BY b.scope_key, p.method, p.absolute_a, p.absolute_b
), tiered AS (
  SELECT b.*, l.positive_total, (l.revenue_cutoffs).a_min AS a_min,
         account_tier.abc_classify(b.revenue, l.revenue_cutoffs) AS computed_tier,
         account_tier.abc_classify(b.margin, l.margin_cutoffs) AS margin_tier
  FROM book AS b
  JOIN limits AS l ON l.scope_key IS NOT DISTINCT FROM b.scope_key
), planned AS (
  SELECT t.*, coalesce(t.tier_override, t.computed_tier) AS tier,
         account_tier.pareto_share(t.revenue) OVER (PARTITION BY t.scope_key) AS cumulative_share
  FROM tiered AS t
)
SELECT x.account_id, x.account_name, x.owner,
       x.revenue, x.prior_revenue, x.revenue - x.prior_revenue AS revenue_change, x.margin,
       CASE WHEN x.positive_total > 0 THEN greatest(x.revenue, 0) / x.positive_total END AS share,
       x.cumulative_share,
       x.tier,
       x.tier = 'A' AS key_account,
       x.recommended_visits,
       account_tier.visit_cadence(x.recommended_visits) AS cadence,
       x.potential,
       CASE WHEN x.potential > 0 THEN x.revenue / x.potential END AS share_of_wallet,
       x.tier <> 'A' AND x.potential >= x.a_min AS growth_candidate,
       x.tier = 'A' AND x.prior_revenue > 0
         AND x.revenue <= x.prior_revenue * (1 - x.at_risk_drop) AS at_risk,
       x.computed_tier,
       CASE WHEN x.tier_override IS NOT NULL THEN 'override' ELSE 'computed' END AS tier_source,
       x.margin_tier,
       x.incremental_revenue
FROM (SELECT pl.*, p.at_risk_drop,
             -- each owner's capacity is planned over the owner's customers;
             -- customers without an owner have no one to visit them
             CASE WHEN pl.owner IS NOT NULL THEN
               account_tier.recommended_visits(pl.tier, p.visit_capacity, p.a_time, p.b_time, p.c_time, p.max_visits)
                 OVER (PARTITION BY pl.owner) END AS recommended_visits
      FROM planned AS pl CROSS JOIN p) AS x;

CREATE VIEW account_tier.key_accounts WITH (security_invoker = true) AS
SELECT t.*
FROM account_tier.account_tiers AS t
WHERE t.tier = 'A'
ORDER BY t.revenue DESC, t.account_id;

CREATE VIEW account_tier.secondary_accounts WITH (security_invoker = true) AS
SELECT t.*,
       CASE WHEN t.recommended_visits > 0 THEN 'field' ELSE 'customer service' END AS service_channel
FROM account_tier.account_tiers AS t
WHERE t.tier IN ('B', 'C')
ORDER BY t.tier, t.revenue DESC, t.account_id;

CREATE VIEW account_tier.prospects WITH (security_invoker = true) AS
-- the A cutoff is that of the method, not lowered by accounts pinned to A
WITH limits AS (
  SELECT t.owner, min(t.revenue) FILTER (WHERE t.computed_tier = 'A') AS owner_a_min
  FROM account_tier.account_tiers AS t GROUP BY t.owner
), company AS (
  SELECT min(t.revenue) FILTER (WHERE t.computed_tier = 'A') AS company_a_min
  FROM account_tier.account_tiers AS t
)
SELECT a.account_id, a.account_name, a.owner, a.potential,
       rank() OVER (PARTITION BY a.owner ORDER BY a.potential DESC NULLS LAST) AS potential_rank,
       a.potential >= CASE WHEN p.method = 'absolute' THEN p.absolute_a
                           WHEN p.scope = 'owner' THEN l.owner_a_min
                           ELSE c.company_a_min END AS high_potential,
       a.created_at
FROM account_tier.accounts AS a
CROSS JOIN account_tier.policy AS p
CROSS JOIN company AS c
LEFT JOIN limits AS l ON l.owner IS NOT DISTINCT FROM a.owner
WHERE a.status = 'prospect';

CREATE VIEW account_tier.leads WITH (security_invoker = true) AS
SELECT a.account_id, a.account_name, a.owner, a.created_at,
       row_number() OVER (PARTITION BY a.owner ORDER BY a.created_at, a.account_id) AS position,
       row_number() OVER (PARTITION BY a.owner ORDER BY a.created_at, a.account_id) <= p.lead_cap
         AS within_cap
FROM account_tier.accounts AS a
CROSS JOIN account_tier.policy AS p
WHERE a.status = 'lead';

CREATE VIEW account_tier.tier_summary WITH (security_invoker = true) AS
WITH t AS (
  SELECT CASE WHEN p.scope = 'owner' THEN t.owner END AS owner, p.scope, t.tier, t.revenue,
         t.recommended_visits
  FROM account_tier.account_tiers AS t CROSS JOIN account_tier.policy AS p
), per_tier AS (
  SELECT t.scope, t.owner, t.tier, count(*) AS accounts, sum(t.revenue) AS revenue,
         -- to the hundredth of a visit: a float sum's last digits mean nothing
         round(sum(t.recommended_visits)::numeric, 2) AS planned_visits
  FROM t GROUP BY t.scope, t.owner, t.tier
)
SELECT s.scope, s.owner, s.tier, s.accounts,
       s.accounts::numeric / sum(s.accounts) OVER w AS account_share,
       s.revenue,
       s.revenue / nullif(sum(s.revenue) OVER w, 0) AS revenue_share,
       s.planned_visits,
       s.planned_visits / nullif(sum(s.planned_visits) OVER w, 0) AS time_share
FROM per_tier AS s
WINDOW w AS (PARTITION BY s.scope, s.owner)
ORDER BY s.owner NULLS FIRST, s.tier;

CREATE VIEW account_tier.pareto_curve WITH (security_invoker = true) AS
WITH t AS (
  SELECT CASE WHEN p.scope = 'owner' THEN t.owner END AS owner, p.scope, t.revenue
  FROM account_tier.account_tiers AS t CROSS JOIN account_tier.policy AS p
), curve AS (
  SELECT t.scope, t.owner, account_tier.lorenz_curve(t.revenue, 101) AS shares
  FROM t GROUP BY t.scope, t.owner
)
SELECT c.scope, c.owner, k - 1 AS point, (k - 1) / 100.0 AS account_share,
       c.shares[k] AS revenue_share
FROM curve AS c CROSS JOIN generate_series(1, 101) AS k
WHERE c.shares IS NOT NULL
ORDER BY c.owner NULLS FIRST, k;

CREATE VIEW account_tier.owner_scorecard WITH (security_invoker = true) AS
WITH p AS (
  SELECT * FROM account_tier.current_policy
), owners AS (
  SELECT DISTINCT a.owner FROM account_tier.accounts AS a
), tiers AS MATERIALIZED (
  -- computed once, read by both the plan and the visits made
  SELECT t.account_id, t.owner, t.revenue, t.incremental_revenue, t.tier, t.key_account,
         t.at_risk, t.recommended_visits
  FROM account_tier.account_tiers AS t
), book AS (
  SELECT t.owner, sum(t.revenue) AS revenue, sum(t.incremental_revenue) AS incremental_revenue,
         count(*) FILTER (WHERE t.key_account) AS key_accounts,
         count(*) FILTER (WHERE t.at_risk) AS key_accounts_at_risk,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier = 'A'), 0) AS planned_key_visits,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier <> 'A'), 0) AS planned_secondary_visits,
         sum(t.recommended_visits) AS planned_visits
  FROM tiers AS t GROUP BY t.owner
), visited AS (
  SELECT coalesce(v.owner, a.owner) AS owner,
         count(*) AS visits,
         count(*) FILTER (WHERE t.tier = 'A') AS key_visits,
         count(*) FILTER (WHERE t.tier IN ('B', 'C')) AS secondary_visits,
         count(*) FILTER (WHERE a.status = 'prospect') AS prospect_visits,
         count(*) FILTER (WHERE a.status = 'lead') AS lead_visits
  FROM account_tier.visits AS v
  JOIN account_tier.accounts AS a USING (account_id)
  LEFT JOIN tiers AS t USING (account_id)
  CROSS JOIN p
  WHERE v.visited_on > p.window_start AND v.visited_on <= p.day
  GROUP BY 1
), leads AS (
  SELECT l.owner, count(*) AS leads, count(*) FILTER (WHERE NOT l.within_cap) AS leads_over_cap
  FROM account_tier.leads AS l GROUP BY l.owner
)
SELECT o.owner, coalesce(b.revenue, 0) AS revenue,
       b.incremental_revenue / nullif(b.revenue, 0) AS incremental_share, p.incremental_target,
       coalesce(b.key_accounts, 0) AS key_accounts, coalesce(b.key_accounts_at_risk, 0) AS key_accounts_at_risk,
       b.planned_key_visits / nullif(b.planned_visits, 0) AS planned_key_share,
       b.planned_secondary_visits / nullif(b.planned_visits, 0) AS planned_secondary_share,
       coalesce(v.visits, 0) AS actual_visits,
       v.key_visits::float8 / nullif(v.visits, 0) AS actual_key_share,
       v.secondary_visits::float8 / nullif(v.visits, 0) AS actual_secondary_share,
       v.prospect_visits::float8 / nullif(v.visits, 0) AS actual_prospect_share,
       v.lead_visits::float8 / nullif(v.visits, 0) AS actual_lead_share,
       coalesce(l.leads, 0) AS leads,
       coalesce(l.leads_over_cap, 0) AS leads_over_cap
FROM owners AS o
CROSS JOIN p
LEFT JOIN book AS b ON b.owner IS NOT DISTINCT FROM o.owner
LEFT JOIN visited AS v ON v.owner IS NOT DISTINCT FROM o.owner
LEFT JOIN leads AS l ON l.owner IS NOT DISTINCT FROM o.owner
ORDER BY o.owner NULLS LAST;

CREATE VIEW account_tier.tier_changes WITH (security_invoker = true) AS
SELECT h.account_id, h.owner, h.prev_as_of AS from_as_of, h.as_of AS to_as_of,
       h.prev_tier AS old_tier, h.tier AS new_tier
FROM (SELECT th.*,
             lag(th.as_of) OVER w AS prev_as_of,
             lag(th.tier) OVER w AS prev_tier
      FROM account_tier.tier_history AS th
      WINDOW w AS (PARTITION BY th.account_id ORDER BY th.as_of)) AS h
WHERE h.prev_as_of IS NOT NULL AND h.tier IS DISTINCT FROM h.prev_tier;

-- Snapshots ---------------------------------------------------------------------------

CREATE PROCEDURE account_tier.snapshot()
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  DELETE FROM account_tier.tier_history
  WHERE as_of = (SELECT day FROM account_tier.current_policy);
  INSERT INTO account_tier.tier_history (as_of, account_id, owner, revenue, tier)
  SELECT p.day, t.account_id, t.owner, t.revenue, t.tier
  FROM account_tier.account_tiers AS t CROSS JOIN account_tier.current_policy AS p;
END;
COMMENT ON PROCEDURE account_tier.snapshot() IS
  'Writes every customer''s current tier into tier_history for the policy''s as_of (or today), replacing an earlier snapshot of that day';

-- What every view and column means, for BI tools ----------------------------------------

COMMENT ON VIEW account_tier.account_tiers IS
  'One row per customer: revenue in the policy''s window, tier by the policy''s method and scope (a manager''s override wins), planned visits and the signals a sales manager acts on';
COMMENT ON COLUMN account_tier.account_tiers.account_id IS 'The account''s key';
COMMENT ON COLUMN account_tier.account_tiers.account_name IS 'The account''s name';
COMMENT ON COLUMN account_tier.account_tiers.owner IS 'The sales rep who owns the account';
COMMENT ON COLUMN account_tier.account_tiers.revenue IS 'Net sales in the revenue window ending at as_of (policy)';
COMMENT ON COLUMN account_tier.account_tiers.prior_revenue IS 'Net sales in the window of the same length before it';
COMMENT ON COLUMN account_tier.account_tiers.revenue_change IS 'revenue - prior_revenue';
COMMENT ON COLUMN account_tier.account_tiers.margin IS 'Gross margin in the revenue window';
COMMENT ON COLUMN account_tier.account_tiers.share IS 'The account''s share of its scope''s positive revenue';
COMMENT ON COLUMN account_tier.account_tiers.cumulative_share IS 'Share of the scope''s revenue held by this account and every larger one (Pareto curve)';
COMMENT ON COLUMN account_tier.account_tiers.tier IS 'A (key), B (secondary) or C (customer service): the override where set, else the computed tier';
COMMENT ON COLUMN account_tier.account_tiers.key_account IS 'tier = A';
COMMENT ON COLUMN account_tier.account_tiers.recommended_visits IS 'Field visits a year the owner''s capacity and the time shares give this account (NULL without an owner)';
COMMENT ON COLUMN account_tier.account_tiers.cadence IS 'recommended_visits as a cadence: weekly, monthly, quarterly, ..., service only';
COMMENT ON COLUMN account_tier.account_tiers.potential IS 'Estimated yearly wallet';
COMMENT ON COLUMN account_tier.account_tiers.share_of_wallet IS 'revenue / potential';
COMMENT ON COLUMN account_tier.account_tiers.growth_candidate IS 'Not a key account, but its potential reaches the A cutoff: worth growing';
COMMENT ON COLUMN account_tier.account_tiers.at_risk IS 'A key account whose revenue fell by at_risk_drop (policy) or more';
COMMENT ON COLUMN account_tier.account_tiers.computed_tier IS 'The tier the policy''s method gives, before any override';
COMMENT ON COLUMN account_tier.account_tiers.tier_source IS 'computed, or override when a manager pinned the tier';
COMMENT ON COLUMN account_tier.account_tiers.margin_tier IS 'The policy''s method applied to margin instead of revenue';
COMMENT ON COLUMN account_tier.account_tiers.incremental_revenue IS 'The part of revenue booked as incremental business';

COMMENT ON VIEW account_tier.key_accounts IS 'The A rows of account_tiers, largest first';
COMMENT ON VIEW account_tier.secondary_accounts IS 'The B and C rows of account_tiers, with how each is served';
COMMENT ON COLUMN account_tier.secondary_accounts.service_channel IS 'field when the plan gives it visits, else customer service';
COMMENT ON VIEW account_tier.prospects IS 'Qualified prospects, ranked by potential within owner';
COMMENT ON COLUMN account_tier.prospects.account_id IS 'The prospect''s key';
COMMENT ON COLUMN account_tier.prospects.account_name IS 'The prospect''s name';
COMMENT ON COLUMN account_tier.prospects.owner IS 'The rep working it';
COMMENT ON COLUMN account_tier.prospects.potential IS 'Estimated yearly wallet';
COMMENT ON COLUMN account_tier.prospects.potential_rank IS 'Rank by potential within the owner''s prospects (1 = largest)';
COMMENT ON COLUMN account_tier.prospects.high_potential IS 'Its potential reaches the A cutoff of its scope: a future key account';
COMMENT ON COLUMN account_tier.prospects.created_at IS 'When the prospect was entered';
COMMENT ON VIEW account_tier.leads IS 'Unqualified leads per owner, oldest first, and whether each is within the lead cap';
COMMENT ON COLUMN account_tier.leads.account_id IS 'The lead''s key';
COMMENT ON COLUMN account_tier.leads.account_name IS 'The lead''s name';
COMMENT ON COLUMN account_tier.leads.owner IS 'The rep holding it';
COMMENT ON COLUMN account_tier.leads.created_at IS 'When the lead was entered';
COMMENT ON COLUMN account_tier.leads.position IS 'Position in the owner''s list, oldest first';
COMMENT ON COLUMN account_tier.leads.within_cap IS 'position <= lead_cap (policy)';
COMMENT ON VIEW account_tier.tier_summary IS 'The 80/20 picture: per scope and tier, accounts, revenue and planned visits with their shares';
COMMENT ON COLUMN account_tier.tier_summary.scope IS 'company or owner (policy)';
COMMENT ON COLUMN account_tier.tier_summary.owner IS 'The owner (scope owner), or NULL for the whole company';
COMMENT ON COLUMN account_tier.tier_summary.tier IS 'A, B or C';
COMMENT ON COLUMN account_tier.tier_summary.accounts IS 'Customers in the tier';
COMMENT ON COLUMN account_tier.tier_summary.account_share IS 'Share of the scope''s customers';
COMMENT ON COLUMN account_tier.tier_summary.revenue IS 'Revenue of the tier';
COMMENT ON COLUMN account_tier.tier_summary.revenue_share IS 'Share of the scope''s revenue';
COMMENT ON COLUMN account_tier.tier_summary.planned_visits IS 'Visits a year the plan gives the tier, to the hundredth';
COMMENT ON COLUMN account_tier.tier_summary.time_share IS 'Share of the scope''s planned visits';
COMMENT ON VIEW account_tier.pareto_curve IS 'Per scope, 101 points of the Pareto (Lorenz) curve, ready to plot';
COMMENT ON COLUMN account_tier.pareto_curve.scope IS 'company or owner (policy)';
COMMENT ON COLUMN account_tier.pareto_curve.owner IS 'The owner (scope owner), or NULL for the whole company';
COMMENT ON COLUMN account_tier.pareto_curve.point IS '0 to 100';
COMMENT ON COLUMN account_tier.pareto_curve.account_share IS 'Share of accounts, largest first: point / 100';
COMMENT ON COLUMN account_tier.pareto_curve.revenue_share IS 'Share of revenue those accounts hold';
COMMENT ON VIEW account_tier.owner_scorecard IS 'Per owner: revenue, incremental business, key accounts, and where the time really goes against the plan';
COMMENT ON COLUMN account_tier.owner_scorecard.owner IS 'The sales rep';
COMMENT ON COLUMN account_tier.owner_scorecard.revenue IS 'Revenue of the owner''s customers in the window';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_share IS 'Share of that revenue booked as incremental business';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_target IS 'The target share of incremental business (policy)';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts IS 'The owner''s A accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts_at_risk IS 'Of them, those at risk';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_key_share IS 'Share of planned visits for key accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_secondary_share IS 'Share of planned visits for B and C accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_visits IS 'Visits made in the window';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_key_share IS 'Share of visits made to key accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_secondary_share IS 'Share of visits made to B and C accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_prospect_share IS 'Share of visits made to prospects';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_lead_share IS 'Share of visits made to leads';
COMMENT ON COLUMN account_tier.owner_scorecard.leads IS 'Leads the owner holds';
COMMENT ON COLUMN account_tier.owner_scorecard.leads_over_cap IS 'Leads beyond the lead cap';
COMMENT ON VIEW account_tier.tier_changes IS 'Every move of an account''s tier between two consecutive snapshots of tier_history';
COMMENT ON COLUMN account_tier.tier_changes.account_id IS 'The account';
COMMENT ON COLUMN account_tier.tier_changes.owner IS 'Its owner at the later snapshot';
COMMENT ON COLUMN account_tier.tier_changes.from_as_of IS 'The earlier snapshot';
COMMENT ON COLUMN account_tier.tier_changes.to_as_of IS 'The later snapshot';
COMMENT ON COLUMN account_tier.tier_changes.old_tier IS 'The tier at the earlier snapshot';
COMMENT ON COLUMN account_tier.tier_changes.new_tier IS 'The tier at the later snapshot';

-- Columns that key_accounts and secondary_accounts take from account_tiers, and
-- current_policy from policy, mean the same there: they get the same comments.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT v.view, a.attname, col_description(v.source, a.attnum) AS comment
    FROM (VALUES ('account_tier.key_accounts'::regclass, 'account_tier.account_tiers'::regclass),
                 ('account_tier.secondary_accounts', 'account_tier.account_tiers'),
                 ('account_tier.current_policy', 'account_tier.policy')) AS v(view, source)
    JOIN pg_attribute AS a ON a.attrelid = v.source AND a.attnum > 0 AND NOT a.attisdropped
    WHERE col_description(v.source, a.attnum) IS NOT NULL
  LOOP
    EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', c.view, c.attname, c.comment);
  END LOOP;
END
$$;

-- Ownership: the user who ran CREATE EXTENSION (a database owner, for a
-- trusted install) owns the book, so that it can grant access, enable
-- row-level security and load data.
ALTER TABLE account_tier.accounts OWNER TO @extowner@;
ALTER TABLE account_tier.sales OWNER TO @extowner@;
ALTER TABLE account_tier.visits OWNER TO @extowner@;
ALTER TABLE account_tier.tier_history OWNER TO @extowner@;
ALTER TABLE account_tier.policy OWNER TO @extowner@;
ALTER VIEW account_tier.current_policy OWNER TO @extowner@;
ALTER VIEW account_tier.account_tiers OWNER TO @extowner@;
ALTER VIEW account_tier.key_accounts OWNER TO @extowner@;
ALTER VIEW account_tier.secondary_accounts OWNER TO @extowner@;
ALTER VIEW account_tier.prospects OWNER TO @extowner@;
ALTER VIEW account_tier.leads OWNER TO @extowner@;
ALTER VIEW account_tier.tier_summary OWNER TO @extowner@;
ALTER VIEW account_tier.pareto_curve OWNER TO @extowner@;
ALTER VIEW account_tier.owner_scorecard OWNER TO @extowner@;
ALTER VIEW account_tier.tier_changes OWNER TO @extowner@;
