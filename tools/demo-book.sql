-- tools/demo-book.sql — the second half of `make demo`: the account book in the
-- extension's own tables, read through its views the way a sales manager
-- would: the policy, the 80/20 picture, the key accounts, each owner's
-- scorecard, growth candidates, key accounts at risk, prospects and leads.
-- Run by tools/demo-run.sh once account_tier.accounts, sales (and visits) are
-- loaded and policy.as_of is set; psql variable book names the book.
-- Every number printed comes from the views.

\set ON_ERROR_STOP 1
\set QUIET 1
\pset footer off
\pset null '-'
-- Amounts with thousands separators; psql keeps them right-aligned.
\pset numericlocale on

SELECT format(' %s customers, %s prospects, %s leads; %s sales lines, %s visits',
              to_char(count(*) FILTER (WHERE a.status = 'customer'), 'FM999,999,999,990'),
              to_char(count(*) FILTER (WHERE a.status = 'prospect'), 'FM999,999,999,990'),
              to_char(count(*) FILTER (WHERE a.status = 'lead'), 'FM999,999,999,990'),
              (SELECT to_char(count(*), 'FM999,999,999,990') FROM account_tier.sales),
              (SELECT to_char(count(*), 'FM999,999,999,990') FROM account_tier.visits)) AS counts
FROM account_tier.accounts AS a \gset

-- The policy in a few lines: how the book is tiered, on which revenue, and the visit plan.
SELECT format(' Tiers:   %s; %s',
              CASE p.method
                WHEN 'value' THEN format('A = the top accounts that bring %s%% of revenue, B up to %s%%',
                                         trim_scale(round(100 * p.value_a, 1)),
                                         trim_scale(round(100 * p.value_b, 1)))
                WHEN 'count' THEN format('A = the top %s%% of accounts, B up to %s%%',
                                         trim_scale(round(100 * p.count_a, 1)),
                                         trim_scale(round(100 * p.count_b, 1)))
                WHEN 'computed' THEN 'limits computed from the data'
                ELSE format('A from %s of revenue a year, B from %s', p.absolute_a, p.absolute_b)
              END,
              CASE p.scope WHEN 'company' THEN 'one company book' ELSE 'each owner''s book on its own' END)
         AS tiers,
       format(' Revenue: net sales booked %s to %s (%s), against the %s before',
              (p.window_start + interval '1 day')::date, p.day, p.revenue_window, p.revenue_window)
         AS revenue,
       format(' Plan:    %s visits a year per owner: %s%% to A, %s%% to B, %s%% to C; at most %s per account',
              trim_scale(round(p.visit_capacity::numeric, 1)),
              trim_scale(round(100 * p.a_time::numeric, 1)),
              trim_scale(round(100 * p.b_time::numeric, 1)),
              trim_scale(round(100 * p.c_time::numeric, 1)),
              trim_scale(round(p.max_visits::numeric, 1))) AS plan,
       format(' Rules:   at risk = a key account down %s%% or more; lead cap %s per owner; '
              'incremental target %s%%',
              trim_scale(round(100 * p.at_risk_drop, 1)), p.lead_cap,
              trim_scale(round(100 * p.incremental_target, 1))) AS rules
FROM account_tier.current_policy AS p \gset

\echo
\echo '================================================================================'
\echo ' The account book:' :book
\echo ' in account_tier''s tables (accounts, sales, visits), read through its views'
\echo :counts
\echo '================================================================================'
\echo
\echo 'B1. The policy (account_tier.policy: one row, change it with UPDATE)'
\echo
\echo :tiers
\echo :revenue
\echo :plan
\echo :rules

\echo
\echo 'B2. The 80/20 picture of the company: account_tier.tier_summary'
\echo '    (shares of customers, of net revenue and of the visits the plan gives each tier)'
\echo
SELECT CASE WHEN grouping(s.tier) = 1 THEN 'all'
            WHEN s.tier = 'A' THEN 'A: key'
            WHEN s.tier = 'B' THEN 'B: secondary'
            ELSE s.tier || ': the rest' END                     AS "tier",
       sum(s.accounts)                                           AS "accounts",
       round(100 * sum(s.account_share), 1)                      AS "% accounts",
       sum(s.revenue)                                            AS "revenue",
       round(100 * sum(s.revenue_share), 1)                      AS "% revenue",
       round(sum(s.planned_visits)::numeric)                     AS "visits a year",
       round(100 * sum(s.time_share)::numeric, 1)                AS "% of time"
FROM account_tier.tier_summary AS s
WHERE s.scope = 'company'
GROUP BY GROUPING SETS ((s.tier), ())
ORDER BY grouping(s.tier), s.tier;

SELECT format('%s key accounts (A) bring %s%% of the positive revenue; %s:',
              to_char(count(*), 'FM999,999,990'),
              to_char(100 * coalesce(sum(k.share), 0), 'FM990.0'),
              CASE WHEN count(*) > 15 THEN 'the largest 15' ELSE 'largest first' END) AS key_line
FROM account_tier.key_accounts AS k \gset
\echo
\echo 'B3. The key accounts: account_tier.key_accounts'
\echo '   ' :key_line
\echo '    (% of the positive revenue; visits a year as the plan gives them, and the cadence)'
\echo
SELECT row_number() OVER (ORDER BY k.revenue DESC, k.account_id) AS "#",
       k.account_name                                            AS "account",
       k.owner                                                   AS "owner",
       k.revenue                                                 AS "revenue",
       round(100 * k.share, 1)                                   AS "%",
       round(100 * k.cumulative_share::numeric, 1)               AS "cum. %",
       round(k.recommended_visits::numeric, 1)                   AS "visits",
       k.cadence                                                 AS "cadence"
FROM account_tier.key_accounts AS k
ORDER BY k.revenue DESC, k.account_id
LIMIT 15;

\echo
\echo 'B4. Each owner''s scorecard: account_tier.owner_scorecard'
\echo
\echo '    a) Results: revenue in the window, the share of it that is incremental business,'
\echo '       key accounts and how many of them are at risk'
\echo
SELECT coalesce(c.owner, '(no owner)')                           AS "owner",
       c.revenue                                                 AS "revenue",
       round(100 * c.incremental_share, 1)                       AS "% incremental",
       round(100 * c.incremental_target, 1)                      AS "target %",
       c.key_accounts                                            AS "key accounts",
       c.key_accounts_at_risk                                    AS "at risk"
FROM account_tier.owner_scorecard AS c
WHERE c.owner IS NOT NULL OR c.revenue <> 0 OR c.key_accounts > 0
ORDER BY c.owner NULLS LAST;

\echo
\echo '    b) Where the time really goes: the plan''s share of visits for key (A) and'
\echo '       secondary (B, C) accounts against the visits made in the window'
\echo
SELECT coalesce(c.owner, '(no owner)')                           AS "owner",
       c.actual_visits                                           AS "visits",
       round(100 * c.planned_key_share::numeric, 1)              AS "A plan %",
       round(100 * c.actual_key_share::numeric, 1)               AS "A made %",
       round(100 * c.planned_secondary_share::numeric, 1)        AS "B/C plan %",
       round(100 * c.actual_secondary_share::numeric, 1)         AS "B/C made %",
       round(100 * c.actual_prospect_share::numeric, 1)          AS "prosp. %",
       round(100 * c.actual_lead_share::numeric, 1)              AS "leads %"
FROM account_tier.owner_scorecard AS c
WHERE c.owner IS NOT NULL OR c.revenue <> 0 OR c.actual_visits > 0
ORDER BY c.owner NULLS LAST;

-- The reading hint: the owner whose share of visits to key accounts strays
-- furthest from the plan's, either way.
SELECT coalesce(h.line1, '    Read: no visits in the window, nothing to compare the plan with') AS hint1,
       coalesce(h.line2, '    (load VISITS to see where the time really goes)') AS hint2,
       h.line1 IS NOT NULL AS visited
FROM (SELECT 1) AS one
LEFT JOIN (
  SELECT format('    Read: furthest from the plan is %s: %s%% of visits to key accounts (%s%% planned),',
                c.owner,
                to_char(100 * c.actual_key_share, 'FM990.0'),
                to_char(100 * c.planned_key_share, 'FM990.0')) AS line1,
         format('    %s%% to B and C accounts, %s%% to prospects and leads.',
                to_char(100 * coalesce(c.actual_secondary_share, 0), 'FM990.0'),
                to_char(100 * (coalesce(c.actual_prospect_share, 0)
                               + coalesce(c.actual_lead_share, 0)), 'FM990.0')) AS line2
  FROM account_tier.owner_scorecard AS c
  WHERE c.actual_key_share IS NOT NULL AND c.planned_key_share IS NOT NULL
  ORDER BY abs(c.planned_key_share - c.actual_key_share) DESC, c.owner
  LIMIT 1) AS h ON true \gset
\echo
\echo :hint1
\echo :hint2
\if :visited
\echo '    (visits below the key accounts'' planned share go to smaller accounts, prospects or leads)'
\endif

SELECT format('%s accounts that are not key accounts, but whose potential (yearly wallet)',
              to_char(count(*), 'FM999,999,990')) AS growth_line1,
       format('reaches the A cutoff; %s:',
              CASE WHEN count(*) = 0 THEN 'none here'
                   WHEN count(*) > 10 THEN 'the 10 with the most room to grow (potential - revenue)'
                   ELSE 'the most room to grow (potential - revenue) first' END) AS growth_line2,
       count(*) = 0 AS no_growth
FROM account_tier.account_tiers AS t
WHERE t.growth_candidate \gset
\echo
\echo 'B5. Growth candidates: account_tiers.growth_candidate'
\echo '   ' :growth_line1
\echo '   ' :growth_line2
\if :no_growth
\else
\echo
SELECT t.account_id                                              AS "account",
       t.account_name                                            AS "name",
       t.owner                                                   AS "owner",
       t.tier::text                                              AS "tier",
       t.revenue                                                 AS "revenue",
       t.potential                                               AS "potential",
       round(100 * t.share_of_wallet, 1)                         AS "% of wallet"
FROM account_tier.account_tiers AS t
WHERE t.growth_candidate
ORDER BY t.potential - t.revenue DESC, t.account_id
LIMIT 10;
\endif

SELECT format('%s key accounts whose revenue fell by %s%% or more on the window before:',
              to_char(count(*) FILTER (WHERE k.at_risk), 'FM999,999,990'),
              trim_scale(round(100 * min(p.at_risk_drop), 1))) AS risk_line,
       count(*) FILTER (WHERE k.at_risk) = 0 AS no_risk
FROM account_tier.key_accounts AS k
CROSS JOIN account_tier.policy AS p \gset
\echo
\echo 'B6. Key accounts at risk: key_accounts.at_risk'
\echo '   ' :risk_line
\echo
\if :no_risk
\echo '    (none)'
\else
SELECT k.account_id                                              AS "account",
       k.account_name                                            AS "name",
       k.owner                                                   AS "owner",
       k.revenue                                                 AS "revenue",
       k.prior_revenue                                           AS "window before",
       round(100 * k.revenue_change / k.prior_revenue, 1)        AS "change %"
FROM account_tier.key_accounts AS k
WHERE k.at_risk
ORDER BY k.revenue_change, k.account_id;
\endif

SELECT NOT EXISTS (SELECT FROM account_tier.accounts AS a WHERE a.status IN ('prospect', 'lead'))
       AS no_pipeline \gset
\echo
\echo 'B7. Prospects and leads per owner: account_tier.prospects, account_tier.leads'
\echo '    (high potential: a prospect whose potential reaches the A cutoff, a future key'
\echo '    account; leads beyond the lead cap are the newest ones, to drop or hand over)'
\echo
\if :no_pipeline
\echo '    (none: no prospects or leads in the book)'
\else
SELECT coalesce(c.owner, '(no owner)')                           AS "owner",
       coalesce(pr.prospects, 0)                                 AS "prospects",
       coalesce(pr.high_potential, 0)                            AS "high potential",
       c.leads                                                   AS "leads",
       c.leads - c.leads_over_cap                                AS "within cap",
       c.leads_over_cap                                          AS "over cap"
FROM account_tier.owner_scorecard AS c
LEFT JOIN (SELECT p.owner, count(*) AS prospects,
                  count(*) FILTER (WHERE p.high_potential) AS high_potential
           FROM account_tier.prospects AS p
           GROUP BY p.owner) AS pr ON pr.owner IS NOT DISTINCT FROM c.owner
WHERE c.leads > 0 OR pr.prospects > 0
ORDER BY c.owner NULLS LAST;
\endif
