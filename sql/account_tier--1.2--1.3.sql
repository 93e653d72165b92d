-- account_tier 1.2 -> 1.3: the account book's plan as a sales manager reads it
-- (visit planning with per-tier floors, surplus only to tiers with time).

\echo Use "ALTER EXTENSION account_tier UPDATE TO '1.3'" to load this file. \quit

-- Security: a trusted install runs this script as a superuser, with
-- search_path set to this schema, which the installing user may have made
-- beforehand.  So every script starts by searching pg_catalog only (undone
-- when the script ends): a function or operator planted in the schema can
-- then never capture a name used below.  The extension's own objects are
-- named with their schema, and called with arguments of exactly their
-- declared types, so that no look-alike overload is a better match.
SET LOCAL search_path = pg_catalog, pg_temp;

-- Visit planning ----------------------------------------------------------------
-- recommended_visits_weighted gains per-tier floors (default 0, so the 1.2
-- calls keep their answers).  A function's arguments cannot be altered, and
-- a 7-argument function beside the 10-argument one with defaults would make
-- every call ambiguous: the old one is replaced.

DROP FUNCTION account_tier.recommended_visits_weighted(
  account_tier.tier, float8, float8, float8, float8, float8, float8);

CREATE FUNCTION account_tier.recommended_visits_weighted(
  t account_tier.tier, weight float8, capacity float8,
  a_share float8 DEFAULT 0.80, b_share float8 DEFAULT 0.20, c_share float8 DEFAULT 0.0,
  max_per_account float8 DEFAULT 52,
  min_a float8 DEFAULT 0, min_b float8 DEFAULT 0, min_c float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'recommended_visits_weighted_window'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION account_tier.recommended_visits_weighted(account_tier.tier, float8, float8, float8, float8, float8, float8, float8, float8, float8) IS
  'Window function: recommended_visits with each tier''s visits split in proportion to weight (NULL or negative = 0) between the tier''s floor (min_a, min_b, min_c) and max_per_account, what a tier cannot use flowing to the next tier down whose share is > 0';

-- The book's plan, as a sales manager reads it -----------------------------------------
-- The views are rebuilt: shares become exact numerics, planned visits follow
-- each owner's real field time, split by value with floors, and the
-- scorecard measures the 90/10 rule on time.  Every view is dropped first
-- (their columns change type); a view of yours built on one of them stops
-- this update with an error naming it: drop it, update, create it again.

DROP PROCEDURE account_tier.snapshot();
DROP VIEW account_tier.owner_scorecard;
DROP VIEW account_tier.tier_summary;
DROP VIEW account_tier.pareto_curve;
DROP VIEW account_tier.prospects;
DROP VIEW account_tier.key_accounts;
DROP VIEW account_tier.secondary_accounts;
DROP VIEW account_tier.account_tiers;
DROP VIEW account_tier.current_policy;

-- The policy: time shares, capacity and caps as exact numerics (they were
-- float8), capacity from each owner's own visits by default, how a tier's
-- time is split, the floors of that split, and when an account has room to
-- grow.  A policy still at 1.2's default capacity of 480 gets 1.3's default
-- (NULL: each owner's own visits); every other value is kept.
ALTER TABLE account_tier.policy
  DROP CONSTRAINT policy_visit_capacity_not_negative,
  DROP CONSTRAINT policy_max_visits_positive,
  DROP CONSTRAINT policy_time_shares,
  ALTER COLUMN visit_capacity DROP NOT NULL,
  ALTER COLUMN visit_capacity DROP DEFAULT,
  ALTER COLUMN a_time DROP DEFAULT,
  ALTER COLUMN b_time DROP DEFAULT,
  ALTER COLUMN c_time DROP DEFAULT,
  ALTER COLUMN max_visits DROP DEFAULT;
ALTER TABLE account_tier.policy
  ALTER COLUMN visit_capacity TYPE numeric
    USING CASE WHEN visit_capacity = 480 THEN NULL ELSE visit_capacity::numeric END,
  ALTER COLUMN a_time TYPE numeric USING a_time::numeric,
  ALTER COLUMN b_time TYPE numeric USING b_time::numeric,
  ALTER COLUMN c_time TYPE numeric USING c_time::numeric,
  ALTER COLUMN max_visits TYPE numeric USING max_visits::numeric,
  ALTER COLUMN visit_capacity SET DEFAULT NULL,
  ALTER COLUMN a_time SET DEFAULT 0.80,
  ALTER COLUMN b_time SET DEFAULT 0.20,
  ALTER COLUMN c_time SET DEFAULT 0.00,
  ALTER COLUMN max_visits SET DEFAULT 52,
  ADD COLUMN visit_weighting text NOT NULL DEFAULT 'revenue'
    CONSTRAINT policy_visit_weighting_known CHECK (visit_weighting IN ('equal', 'revenue', 'potential')),
  ADD COLUMN min_visits_a numeric NOT NULL DEFAULT 4,
  ADD COLUMN min_visits_b numeric NOT NULL DEFAULT 1,
  ADD COLUMN growth_wallet_share numeric NOT NULL DEFAULT 0.50
    CONSTRAINT policy_growth_wallet_share_share CHECK (growth_wallet_share > 0 AND growth_wallet_share <= 1),
  -- numeric NaN sorts above every number, Infinity above every finite one
  ADD CONSTRAINT policy_visit_capacity_not_negative
    CHECK (visit_capacity >= 0 AND visit_capacity < 'Infinity'),
  ADD CONSTRAINT policy_max_visits_positive CHECK (max_visits > 0 AND max_visits <> 'NaN'),
  ADD CONSTRAINT policy_time_shares
    CHECK (a_time >= 0 AND b_time >= 0 AND c_time >= 0 AND a_time + b_time + c_time <= 1),
  ADD CONSTRAINT policy_visit_floors
    CHECK (min_visits_a >= 0 AND min_visits_b >= 0
           AND min_visits_a <= max_visits AND min_visits_b <= max_visits);
COMMENT ON COLUMN account_tier.policy.visit_capacity IS
  'Field visits a year per owner; NULL (the default) = each owner''s own visits made in the revenue window, scaled to a year (480 for an owner with none recorded)';
COMMENT ON COLUMN account_tier.policy.incremental_target IS
  'Target share of a rep''s visits spent on incremental business (new accounts, growth), the rest being baseline business customer service can secure';
COMMENT ON COLUMN account_tier.policy.visit_weighting IS
  'How a tier''s visits are split among its accounts: equal, revenue (in proportion to revenue) or potential (to potential, or revenue where it is unknown)';
COMMENT ON COLUMN account_tier.policy.min_visits_a IS
  'Floor of the split: every key (A) account gets at least this many visits a year, when the A time allows';
COMMENT ON COLUMN account_tier.policy.min_visits_b IS
  'Floor of the split: every B account gets at least this many visits a year, when the B time allows';
COMMENT ON COLUMN account_tier.policy.growth_wallet_share IS
  'An account whose share of wallet (revenue / potential) is below this has room to grow';

-- Visits: what the time was spent on.
ALTER TABLE account_tier.visits
  ADD COLUMN purpose text
    CONSTRAINT visits_purpose_known CHECK (purpose IN ('incremental', 'baseline'));
COMMENT ON COLUMN account_tier.visits.purpose IS
  'incremental (new business, growth, price) or baseline (securing orders that would come anyway); NULL = not recorded. Visits to prospects and leads count as incremental';

-- The policy, with its dates resolved.
CREATE VIEW account_tier.current_policy WITH (security_invoker = true) AS
SELECT p.method, p.value_a, p.value_b, p.count_a, p.count_b, p.absolute_a, p.absolute_b, p.scope,
       p.revenue_window, p.as_of, p.visit_capacity, p.visit_weighting, p.a_time, p.b_time, p.c_time,
       p.max_visits, p.min_visits_a, p.min_visits_b, p.lead_cap, p.enforce_lead_cap, p.at_risk_drop,
       p.incremental_target, p.growth_wallet_share,
       coalesce(p.as_of, current_date) AS day,
       -- a sale's day is after a time of day D hh:mm exactly when it is after D
       (coalesce(p.as_of, current_date) - p.revenue_window)::date AS window_start,
       (coalesce(p.as_of, current_date) - 2 * p.revenue_window)::date AS prior_window_start,
       -- a window of whole months is that many twelfths of a year; any other
       -- is measured in days of 365.25 a year
       CASE WHEN p.revenue_window = make_interval(months => w.months)
            THEN 12 / w.months::numeric
            ELSE 365.25 * 86400 / extract(epoch FROM p.revenue_window) END AS windows_per_year
FROM account_tier.policy AS p
CROSS JOIN LATERAL (SELECT (extract(year FROM p.revenue_window) * 12
                            + extract(month FROM p.revenue_window))::int AS months) AS w;

-- Each owner's field time: the policy's capacity, or the owner's own visits
-- in the window scaled to a year (visits to any account count for the rep
-- who made them).
CREATE VIEW account_tier.owner_capacity WITH (security_invoker = true) AS
WITH p AS (
  SELECT * FROM account_tier.current_policy
), made AS (
  SELECT coalesce(v.owner, a.owner) AS owner, count(*) AS visits_made
  FROM account_tier.visits AS v
  JOIN account_tier.accounts AS a ON a.account_id = v.account_id
  CROSS JOIN p
  WHERE v.visited_on > p.window_start AND v.visited_on <= p.day
  GROUP BY 1
), owners AS (
  SELECT DISTINCT a.owner FROM account_tier.accounts AS a WHERE a.owner IS NOT NULL
)
SELECT o.owner, coalesce(m.visits_made, 0) AS visits_made,
       coalesce(p.visit_capacity, round(m.visits_made * p.windows_per_year, 1), 480) AS capacity,
       CASE WHEN p.visit_capacity IS NOT NULL THEN 'policy'
            WHEN m.visits_made IS NOT NULL THEN 'visits made'
            ELSE 'default' END AS capacity_source
FROM owners AS o
CROSS JOIN p
LEFT JOIN made AS m ON m.owner = o.owner;

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
), visited AS (
  SELECT v.account_id, count(*) AS visits_made
  FROM account_tier.visits AS v
  WHERE v.visited_on > (SELECT window_start FROM account_tier.current_policy)
    AND v.visited_on <= (SELECT day FROM account_tier.current_policy)
  GROUP BY v.account_id
), book AS (
  SELECT a.account_id, a.account_name, a.owner, a.potential, a.tier_override,
         coalesce((sold.totals).revenue, 0) AS revenue,
         coalesce((sold.totals).prior_revenue, 0) AS prior_revenue,
         coalesce((sold.totals).margin, 0) AS margin,
         coalesce((sold.totals).incremental_revenue, 0) AS incremental_revenue,
         coalesce(visited.visits_made, 0) AS visits_made,
         CASE WHEN p.scope = 'owner' THEN a.owner END AS scope_key
  FROM account_tier.accounts AS a
  CROSS JOIN p
  LEFT JOIN sold ON sold.account_id = a.account_id
  LEFT JOIN visited ON visited.account_id = a.account_id
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
), visits AS (
  -- each owner's capacity is split over the owner's customers; customers
  -- without an owner have no one to visit them
  SELECT pl.*,
         CASE WHEN pl.owner IS NOT NULL THEN
           round(account_tier.recommended_visits_weighted(
                   pl.tier,
                   CASE p.visit_weighting
                     WHEN 'equal' THEN 1
                     WHEN 'revenue' THEN greatest(pl.revenue, 0)::float8
                     ELSE coalesce(pl.potential, greatest(pl.revenue, 0))::float8 END,
                   -- (the window function runs on the partition without owner
                   -- too: capacity 0 there, and its rows show NULL)
                   coalesce(c.capacity, 0)::float8, p.a_time::float8, p.b_time::float8, p.c_time::float8,
                   p.max_visits::float8, p.min_visits_a::float8, p.min_visits_b::float8, 0::float8)
                   OVER (PARTITION BY pl.owner)::numeric, 1) END AS recommended_visits
  FROM planned AS pl
  CROSS JOIN p
  LEFT JOIN account_tier.owner_capacity AS c ON c.owner = pl.owner
)
SELECT x.account_id, x.account_name, x.owner,
       x.revenue, x.prior_revenue, x.revenue - x.prior_revenue AS revenue_change, x.margin,
       CASE WHEN x.positive_total > 0 THEN round(greatest(x.revenue, 0) / x.positive_total, 6) END AS share,
       round(x.cumulative_share::numeric, 6) AS cumulative_share,
       x.tier,
       x.tier = 'A' AS key_account,
       x.recommended_visits,
       account_tier.visit_cadence(x.recommended_visits::float8) AS cadence,
       x.potential,
       CASE WHEN x.potential > 0 THEN round(x.revenue / x.potential, 6) END AS share_of_wallet,
       coalesce(x.potential > 0 AND x.revenue < p.growth_wallet_share * x.potential
                AND x.potential - x.revenue >= x.a_min, false) AS growth_candidate,
       x.tier = 'A' AND x.prior_revenue > 0
         AND x.revenue <= x.prior_revenue * (1 - p.at_risk_drop) AS at_risk,
       x.computed_tier,
       CASE WHEN x.tier_override IS NOT NULL THEN 'override' ELSE 'computed' END AS tier_source,
       x.margin_tier,
       x.incremental_revenue,
       x.visits_made,
       round(x.visits_made * p.windows_per_year - x.recommended_visits, 1) AS visit_gap
FROM visits AS x CROSS JOIN p;

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

CREATE VIEW account_tier.tier_summary WITH (security_invoker = true) AS
WITH t AS (
  SELECT CASE WHEN p.scope = 'owner' THEN t.owner END AS owner, p.scope, t.tier, t.revenue,
         t.recommended_visits
  FROM account_tier.account_tiers AS t CROSS JOIN account_tier.policy AS p
), per_tier AS (
  SELECT t.scope, t.owner, t.tier, count(*) AS accounts, sum(t.revenue) AS revenue,
         coalesce(sum(t.recommended_visits), 0) AS planned_visits
  FROM t GROUP BY t.scope, t.owner, t.tier
)
SELECT s.scope, s.owner, s.tier, s.accounts,
       round(s.accounts / sum(s.accounts) OVER w, 6) AS account_share,
       s.revenue,
       round(s.revenue / nullif(sum(s.revenue) OVER w, 0), 6) AS revenue_share,
       s.planned_visits,
       round(s.planned_visits / nullif(sum(s.planned_visits) OVER w, 0), 6) AS time_share
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
SELECT c.scope, c.owner, k - 1 AS point, round((k - 1) / 100.0, 6) AS account_share,
       round(c.shares[k]::numeric, 6) AS revenue_share
FROM curve AS c CROSS JOIN generate_series(1, 101) AS k
WHERE c.shares IS NOT NULL
ORDER BY c.owner NULLS FIRST, k;

CREATE VIEW account_tier.owner_scorecard WITH (security_invoker = true) AS
WITH p AS (
  SELECT * FROM account_tier.current_policy
), tiers AS MATERIALIZED (
  -- computed once, read by both the plan and the visits made
  SELECT t.account_id, t.owner, t.revenue, t.incremental_revenue, t.tier, t.key_account,
         t.at_risk, t.recommended_visits, t.visit_gap
  FROM account_tier.account_tiers AS t
), book AS (
  SELECT t.owner, sum(t.revenue) AS revenue, sum(t.incremental_revenue) AS incremental_revenue,
         count(*) FILTER (WHERE t.key_account) AS key_accounts,
         count(*) FILTER (WHERE t.at_risk) AS key_accounts_at_risk,
         count(*) FILTER (WHERE t.key_account AND t.visit_gap < 0) AS key_accounts_uncovered,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier = 'A'), 0) AS planned_key_visits,
         coalesce(sum(t.recommended_visits) FILTER (WHERE t.tier <> 'A'), 0) AS planned_secondary_visits
  FROM tiers AS t GROUP BY t.owner
), visited AS (
  -- the visits each owner made in the window, by what was visited and why;
  -- visits to prospects and leads are incremental business by definition
  SELECT coalesce(v.owner, a.owner) AS owner,
         count(*) AS visits,
         count(*) FILTER (WHERE t.tier = 'A') AS key_visits,
         count(*) FILTER (WHERE t.tier IN ('B', 'C')) AS secondary_visits,
         count(*) FILTER (WHERE a.status = 'prospect') AS prospect_visits,
         count(*) FILTER (WHERE a.status = 'lead') AS lead_visits,
         count(*) FILTER (WHERE a.status <> 'customer' OR v.purpose = 'incremental') AS incremental_visits,
         count(*) FILTER (WHERE a.status <> 'customer' OR v.purpose IS NOT NULL) AS purpose_known,
         count(*) FILTER (WHERE a.status = 'customer' AND v.purpose IS NULL) AS purpose_unknown
  FROM account_tier.visits AS v
  JOIN account_tier.accounts AS a ON a.account_id = v.account_id
  LEFT JOIN tiers AS t ON t.account_id = v.account_id
  CROSS JOIN p
  WHERE v.visited_on > p.window_start AND v.visited_on <= p.day
  GROUP BY 1
), leads AS (
  SELECT l.owner, count(*) AS leads, count(*) FILTER (WHERE NOT l.within_cap) AS leads_over_cap
  FROM account_tier.leads AS l GROUP BY l.owner
), owners AS (
  SELECT DISTINCT a.owner FROM account_tier.accounts AS a
), card AS (
  SELECT o.owner, coalesce(b.revenue, 0) AS revenue, b.incremental_revenue,
         coalesce(b.key_accounts, 0) AS key_accounts, coalesce(b.key_accounts_at_risk, 0) AS key_accounts_at_risk,
         coalesce(b.key_accounts_uncovered, 0) AS key_accounts_uncovered,
         c.capacity, c.capacity_source,
         -- shares of the owner's capacity: key, secondary, and what no tier can use
         coalesce(b.planned_key_visits, 0) / nullif(c.capacity, 0) AS planned_key_share,
         coalesce(b.planned_secondary_visits, 0) / nullif(c.capacity, 0) AS planned_secondary_share,
         round(greatest(c.capacity - coalesce(b.planned_key_visits, 0)
                        - coalesce(b.planned_secondary_visits, 0), 0), 1) AS unallocated_visits,
         coalesce(v.visits, 0) AS visits,
         v.key_visits::numeric / nullif(v.visits, 0) AS made_key_share,
         v.secondary_visits::numeric / nullif(v.visits, 0) AS made_secondary_share,
         v.prospect_visits::numeric / nullif(v.visits, 0) AS made_prospect_share,
         v.lead_visits::numeric / nullif(v.visits, 0) AS made_lead_share,
         v.incremental_visits::numeric / nullif(v.purpose_known, 0) AS incremental_time_share,
         coalesce(v.purpose_unknown, 0) AS visits_unrecorded_purpose,
         coalesce(l.leads, 0) AS leads, coalesce(l.leads_over_cap, 0) AS leads_over_cap
  FROM owners AS o
  LEFT JOIN book AS b ON b.owner IS NOT DISTINCT FROM o.owner
  LEFT JOIN visited AS v ON v.owner IS NOT DISTINCT FROM o.owner
  LEFT JOIN leads AS l ON l.owner IS NOT DISTINCT FROM o.owner
  LEFT JOIN account_tier.owner_capacity AS c ON c.owner = o.owner
)
SELECT c.owner, c.revenue,
       round(c.incremental_revenue / nullif(c.revenue, 0), 6) AS incremental_revenue_share,
       round(c.incremental_time_share, 6) AS incremental_time_share,
       p.incremental_target,
       c.visits_unrecorded_purpose,
       c.key_accounts, c.key_accounts_at_risk, c.key_accounts_uncovered,
       c.capacity AS visit_capacity, c.capacity_source,
       round(c.planned_key_share, 6) AS planned_key_share,
       round(c.planned_secondary_share, 6) AS planned_secondary_share,
       round(c.unallocated_visits / nullif(c.capacity, 0), 6) AS planned_pipeline_share,
       c.unallocated_visits,
       c.visits AS actual_visits,
       round(c.made_key_share, 6) AS actual_key_share,
       round(c.made_secondary_share, 6) AS actual_secondary_share,
       round(c.made_prospect_share, 6) AS actual_prospect_share,
       round(c.made_lead_share, 6) AS actual_lead_share,
       round(c.made_secondary_share - c.planned_secondary_share, 6) AS secondary_time_sink,
       c.leads, c.leads_over_cap
FROM card AS c
CROSS JOIN p
ORDER BY c.owner NULLS LAST;

-- Snapshots (the procedure read the views rebuilt above).
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

COMMENT ON VIEW account_tier.current_policy IS
  'The policy row with its dates resolved: day (as_of or today), the starts of the revenue window and of the window before it';
COMMENT ON COLUMN account_tier.current_policy.day IS 'The day the views describe: as_of, or today';
COMMENT ON COLUMN account_tier.current_policy.window_start IS 'Revenue counts sales booked after this and up to day';
COMMENT ON COLUMN account_tier.current_policy.prior_window_start IS 'Prior revenue counts sales booked after this and up to window_start';
COMMENT ON COLUMN account_tier.current_policy.windows_per_year IS
  'How many revenue windows make a year (1 for 12 months): what turns visits made in the window into visits a year';

COMMENT ON VIEW account_tier.owner_capacity IS
  'Per owner: the field visits a year the plan splits over the owner''s customers, and where that number comes from';
COMMENT ON COLUMN account_tier.owner_capacity.owner IS 'The sales rep';
COMMENT ON COLUMN account_tier.owner_capacity.visits_made IS 'Visits the owner made in the revenue window (to customers, prospects and leads)';
COMMENT ON COLUMN account_tier.owner_capacity.capacity IS
  'Field visits a year: policy.visit_capacity, else visits_made scaled to a year, else 480';
COMMENT ON COLUMN account_tier.owner_capacity.capacity_source IS
  'policy (visit_capacity is set), visits made (the owner''s own visits) or default (no visits recorded: 480)';

COMMENT ON VIEW account_tier.account_tiers IS
  'One row per customer: revenue in the policy''s window, tier by the policy''s method and scope (a manager''s override wins), the visits planned and made, and the signals a sales manager acts on';
COMMENT ON COLUMN account_tier.account_tiers.account_id IS 'The account''s key';
COMMENT ON COLUMN account_tier.account_tiers.account_name IS 'The account''s name';
COMMENT ON COLUMN account_tier.account_tiers.owner IS 'The sales rep who owns the account';
COMMENT ON COLUMN account_tier.account_tiers.revenue IS 'Net sales in the revenue window ending at as_of (policy)';
COMMENT ON COLUMN account_tier.account_tiers.prior_revenue IS 'Net sales in the window of the same length before it';
COMMENT ON COLUMN account_tier.account_tiers.revenue_change IS 'revenue - prior_revenue';
COMMENT ON COLUMN account_tier.account_tiers.margin IS 'Gross margin in the revenue window';
COMMENT ON COLUMN account_tier.account_tiers.share IS 'The account''s share of its scope''s positive revenue (6 decimals)';
COMMENT ON COLUMN account_tier.account_tiers.cumulative_share IS 'Share of the scope''s revenue held by this account and every larger one: the Pareto curve (6 decimals)';
COMMENT ON COLUMN account_tier.account_tiers.tier IS 'A (key), B (secondary) or C (customer service): the override where set, else the computed tier';
COMMENT ON COLUMN account_tier.account_tiers.key_account IS 'tier = A';
COMMENT ON COLUMN account_tier.account_tiers.recommended_visits IS
  'Field visits a year the plan gives this account (to 0.1): the owner''s capacity split by the time shares, within a tier by the policy''s weighting, between the tier''s floor and max_visits; NULL without an owner';
COMMENT ON COLUMN account_tier.account_tiers.cadence IS 'recommended_visits as a cadence: weekly, monthly, quarterly, ..., service only';
COMMENT ON COLUMN account_tier.account_tiers.potential IS 'Estimated yearly wallet';
COMMENT ON COLUMN account_tier.account_tiers.share_of_wallet IS 'revenue / potential (6 decimals)';
COMMENT ON COLUMN account_tier.account_tiers.growth_candidate IS
  'Room to grow, key accounts included: share_of_wallet below growth_wallet_share (policy) and potential - revenue at least the A cutoff (the room left is a key account''s worth)';
COMMENT ON COLUMN account_tier.account_tiers.at_risk IS 'A key account whose revenue fell by at_risk_drop (policy) or more';
COMMENT ON COLUMN account_tier.account_tiers.computed_tier IS 'The tier the policy''s method gives, before any override';
COMMENT ON COLUMN account_tier.account_tiers.tier_source IS 'computed, or override when a manager pinned the tier';
COMMENT ON COLUMN account_tier.account_tiers.margin_tier IS 'The policy''s method applied to margin instead of revenue';
COMMENT ON COLUMN account_tier.account_tiers.incremental_revenue IS 'The part of revenue booked as incremental business';
COMMENT ON COLUMN account_tier.account_tiers.visits_made IS 'Field visits made to the account in the revenue window';
COMMENT ON COLUMN account_tier.account_tiers.visit_gap IS
  'visits_made (scaled to a year) - recommended_visits: below 0 the account is seen less than planned; NULL where there is no plan';

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
COMMENT ON VIEW account_tier.tier_summary IS 'The 80/20 picture: per scope and tier, accounts, revenue and planned visits with their shares';
COMMENT ON COLUMN account_tier.tier_summary.scope IS 'company or owner (policy)';
COMMENT ON COLUMN account_tier.tier_summary.owner IS 'The owner (scope owner), or NULL for the whole company';
COMMENT ON COLUMN account_tier.tier_summary.tier IS 'A, B or C';
COMMENT ON COLUMN account_tier.tier_summary.accounts IS 'Customers in the tier';
COMMENT ON COLUMN account_tier.tier_summary.account_share IS 'Share of the scope''s customers (6 decimals)';
COMMENT ON COLUMN account_tier.tier_summary.revenue IS 'Revenue of the tier';
COMMENT ON COLUMN account_tier.tier_summary.revenue_share IS 'Share of the scope''s revenue (6 decimals)';
COMMENT ON COLUMN account_tier.tier_summary.planned_visits IS 'Visits a year the plan gives the tier: the sum of its accounts'' recommended_visits';
COMMENT ON COLUMN account_tier.tier_summary.time_share IS 'Share of the scope''s planned visits (6 decimals)';
COMMENT ON VIEW account_tier.pareto_curve IS 'Per scope, 101 points of the Pareto (Lorenz) curve, ready to plot';
COMMENT ON COLUMN account_tier.pareto_curve.scope IS 'company or owner (policy)';
COMMENT ON COLUMN account_tier.pareto_curve.owner IS 'The owner (scope owner), or NULL for the whole company';
COMMENT ON COLUMN account_tier.pareto_curve.point IS '0 to 100';
COMMENT ON COLUMN account_tier.pareto_curve.account_share IS 'Share of accounts, largest first: point / 100';
COMMENT ON COLUMN account_tier.pareto_curve.revenue_share IS 'Share of revenue those accounts hold (6 decimals)';
COMMENT ON VIEW account_tier.owner_scorecard IS
  'Per owner: revenue, time on incremental business against the target, key-account coverage, and where the time really goes against the plan';
COMMENT ON COLUMN account_tier.owner_scorecard.owner IS 'The sales rep';
COMMENT ON COLUMN account_tier.owner_scorecard.revenue IS 'Revenue of the owner''s customers in the window';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_revenue_share IS
  'Share of that revenue booked as incremental business: a fact, not the target';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_time_share IS
  'Share of the owner''s visits spent on incremental business: visits with purpose incremental and visits to prospects and leads, over visits whose purpose is known';
COMMENT ON COLUMN account_tier.owner_scorecard.incremental_target IS 'The target share of time on incremental business (policy)';
COMMENT ON COLUMN account_tier.owner_scorecard.visits_unrecorded_purpose IS 'Visits to customers whose purpose was not recorded (left out of incremental_time_share)';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts IS 'The owner''s A accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts_at_risk IS 'Of them, those at risk';
COMMENT ON COLUMN account_tier.owner_scorecard.key_accounts_uncovered IS 'Of them, those seen less than planned (visit_gap < 0)';
COMMENT ON COLUMN account_tier.owner_scorecard.visit_capacity IS 'The owner''s field visits a year (owner_capacity)';
COMMENT ON COLUMN account_tier.owner_scorecard.capacity_source IS 'policy, visits made or default (owner_capacity)';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_key_share IS 'Share of the capacity the plan gives key (A) accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_secondary_share IS 'Share of the capacity the plan gives B and C accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.planned_pipeline_share IS 'Share of the capacity no tier can use: time for prospects and leads';
COMMENT ON COLUMN account_tier.owner_scorecard.unallocated_visits IS 'Visits a year no tier can use (capacity - planned visits): time for prospects and leads';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_visits IS 'Visits made in the window';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_key_share IS 'Share of visits made to key accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_secondary_share IS 'Share of visits made to B and C accounts';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_prospect_share IS 'Share of visits made to prospects';
COMMENT ON COLUMN account_tier.owner_scorecard.actual_lead_share IS 'Share of visits made to leads';
COMMENT ON COLUMN account_tier.owner_scorecard.secondary_time_sink IS
  'actual_secondary_share - planned_secondary_share: above 0, time drifting to smaller accounts (the secondary account time sink)';
COMMENT ON COLUMN account_tier.owner_scorecard.leads IS 'Leads the owner holds';
COMMENT ON COLUMN account_tier.owner_scorecard.leads_over_cap IS 'Leads beyond the lead cap';

-- Columns that key_accounts and secondary_accounts take from account_tiers,
-- and current_policy from policy, mean the same there: the same comments.
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
      AND EXISTS (SELECT FROM pg_attribute AS va
                  WHERE va.attrelid = v.view AND va.attname = a.attname AND NOT va.attisdropped)
  LOOP
    EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', c.view, c.attname, c.comment);
  END LOOP;
END
$$;

ALTER VIEW account_tier.current_policy OWNER TO @extowner@;
ALTER VIEW account_tier.owner_capacity OWNER TO @extowner@;
ALTER VIEW account_tier.account_tiers OWNER TO @extowner@;
ALTER VIEW account_tier.key_accounts OWNER TO @extowner@;
ALTER VIEW account_tier.secondary_accounts OWNER TO @extowner@;
ALTER VIEW account_tier.prospects OWNER TO @extowner@;
ALTER VIEW account_tier.tier_summary OWNER TO @extowner@;
ALTER VIEW account_tier.pareto_curve OWNER TO @extowner@;
ALTER VIEW account_tier.owner_scorecard OWNER TO @extowner@;
