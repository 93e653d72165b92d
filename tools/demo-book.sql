-- tools/demo-book.sql — the second half of `make demo`: the account book in the
-- extension's own tables, read through its views as a sales manager's
-- briefing: the policy, the 80/20 picture, the key accounts, then rep by rep
-- the plan against what was done (key-account coverage, the secondary
-- account time sink, time on incremental business against the target),
-- growth candidates, key accounts at risk, and the prospects and leads to
-- work.  Run by tools/demo-run.sh once account_tier.accounts, sales (and
-- visits) are loaded and policy.as_of is set; psql variable book names the
-- book.  Every number printed comes from the views.

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
       format(' Time:    %s;',
              CASE WHEN p.visit_capacity IS NULL
                   THEN 'each rep''s own field visits in the window, a year''s worth'
                   ELSE format('%s field visits a year per rep', trim_scale(p.visit_capacity)) END) AS plan,
       format('          %s%% of it to A, %s%% to B, %s%% to C (customer service serves C)',
              trim_scale(round(100 * p.a_time, 1)), trim_scale(round(100 * p.b_time, 1)),
              trim_scale(round(100 * p.c_time, 1))) AS plan2,
       format(' Split:   within a tier %s;',
              CASE p.visit_weighting WHEN 'equal' THEN 'equally'
                                     WHEN 'revenue' THEN 'in proportion to revenue'
                                     ELSE 'in proportion to potential' END) AS split,
       format('          a key account at least %s visits a year, a B account %s, none more than %s',
              trim_scale(p.min_visits_a), trim_scale(p.min_visits_b), trim_scale(p.max_visits)) AS split2,
       format(' Rules:   %s%% of a rep''s visits on incremental business; at risk = a key account '
              'down %s%% or more;', trim_scale(round(100 * p.incremental_target, 1)),
              trim_scale(round(100 * p.at_risk_drop, 1))) AS rules1,
       format('          room to grow = below %s%% of its wallet, with a key account''s worth left; '
              'at most %s leads per rep', trim_scale(round(100 * p.growth_wallet_share, 1)), p.lead_cap)
         AS rules2
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
\echo :plan2
\echo :split
\echo :split2
\echo :rules1
\echo :rules2

\echo
\echo 'B2. The 80/20 picture of the company: account_tier.tier_summary'
\echo '    (shares of customers, of net revenue and of the field visits the plan gives each tier)'
\echo
SELECT CASE WHEN grouping(s.tier) = 1 THEN 'all'
            WHEN s.tier = 'A' THEN 'A: key'
            WHEN s.tier = 'B' THEN 'B: secondary'
            ELSE s.tier || ': the rest' END                     AS "tier",
       sum(s.accounts)                                           AS "accounts",
       round(100 * sum(s.account_share), 1)                      AS "% accounts",
       sum(s.revenue)                                            AS "revenue",
       round(100 * sum(s.revenue_share), 1)                      AS "% revenue",
       round(sum(s.planned_visits))                              AS "visits a year",
       round(100 * sum(s.time_share), 1)                         AS "% of visits"
FROM account_tier.tier_summary AS s
WHERE s.scope = 'company'
GROUP BY GROUPING SETS ((s.tier), ())
ORDER BY grouping(s.tier), s.tier;

-- (planned visits are rounded to 0.1 an account: below 1% of capacity, what
-- the plan leaves is rounding, and the plan gives customers all the time)
SELECT sum(c.unallocated_visits) < 0.01 * sum(c.visit_capacity) AS no_pipeline_time,
       format('    The reps'' field time: %s visits a year; the plan gives %s',
              to_char(sum(c.visit_capacity), 'FM999,999,990'),
              CASE WHEN sum(c.unallocated_visits) < 0.01 * sum(c.visit_capacity)
                   THEN 'all of them to customers,'
                   ELSE format('%s of them to customers and leaves %s for prospects and leads,',
                               to_char(sum(c.visit_capacity) - sum(c.unallocated_visits), 'FM999,999,990'),
                               to_char(sum(c.unallocated_visits), 'FM999,999,990')) END) AS time_line,
       format('    while prospects and leads took %s%% of the visits made.',
              to_char(100 * sum(c.actual_visits * (c.actual_prospect_share + c.actual_lead_share))
                            / nullif(sum(c.actual_visits), 0), 'FM990.0')) AS time_line2
FROM account_tier.owner_scorecard AS c \gset
\echo
\echo :time_line
\echo :time_line2
\if :no_pipeline_time
\echo '    (The time shares give customers all the time: a_time + b_time + c_time below 1'
\echo '    keeps some for prospects and leads, as B8 shows.)'
\endif

SELECT format('%s key accounts (A) bring %s%% of the positive revenue; %s:',
              to_char(count(*), 'FM999,999,990'),
              to_char(100 * coalesce(sum(k.share), 0), 'FM990.0'),
              CASE WHEN count(*) > 15 THEN 'the largest 15' ELSE 'largest first' END) AS key_line
FROM account_tier.key_accounts AS k \gset
\echo
\echo 'B3. The key accounts: account_tier.key_accounts'
\echo '   ' :key_line
\echo '    (% of the positive revenue; visits a year the plan gives them, and those made in the window)'
\echo
SELECT row_number() OVER (ORDER BY k.revenue DESC, k.account_id) AS "#",
       k.account_name                                            AS "account",
       k.owner                                                   AS "owner",
       k.revenue                                                 AS "revenue",
       round(100 * k.share, 1)                                   AS "%",
       round(100 * k.cumulative_share, 1)                        AS "cum. %",
       k.recommended_visits                                      AS "planned",
       k.cadence                                                 AS "cadence",
       k.visits_made                                             AS "made"
FROM account_tier.key_accounts AS k
ORDER BY k.revenue DESC, k.account_id
LIMIT 15;

\echo
\echo 'B4. Rep by rep: the plan against what was done (account_tier.owner_scorecard)'
\echo
\echo '    a) Where the time goes: each rep''s visits a year, the share the plan gives key (A)'
\echo '       and secondary (B, C) accounts against the share made, the secondary account time'
\echo '       sink (made - planned share to B and C, in points), and key accounts seen less'
\echo '       than planned'
\echo
SELECT coalesce(c.owner, '(no owner)')                           AS "rep",
       round(c.visit_capacity)                                   AS "visits",
       round(100 * c.planned_key_share, 1)                       AS "A plan %",
       round(100 * c.actual_key_share, 1)                        AS "A made %",
       round(100 * c.planned_secondary_share, 1)                 AS "B/C plan %",
       round(100 * c.actual_secondary_share, 1)                  AS "B/C made %",
       to_char(100 * c.secondary_time_sink, 'FMSG990.0')         AS "sink",
       round(100 * (c.actual_prospect_share + c.actual_lead_share), 1)
                                                                 AS "prosp.+leads %",
       format('%s of %s', c.key_accounts_uncovered, c.key_accounts)
                                                                 AS "key accts under plan"
FROM account_tier.owner_scorecard AS c
WHERE c.owner IS NOT NULL AND (c.actual_visits > 0 OR c.key_accounts > 0)
ORDER BY c.owner;

\echo
\echo '    b) What the time is spent on: visits on incremental business (new accounts, growth;'
\echo '       prospects and leads count as incremental) against the target, and the facts:'
\echo '       revenue, its incremental part, key accounts at risk, leads'
\echo
SELECT coalesce(c.owner, '(no owner)')                           AS "rep",
       round(100 * c.incremental_time_share, 1)                  AS "incr. time %",
       round(100 * c.incremental_target, 1)                      AS "target %",
       c.visits_unrecorded_purpose                               AS "purpose unrecorded",
       c.revenue                                                 AS "revenue",
       round(100 * c.incremental_revenue_share, 1)               AS "incr. revenue %",
       c.key_accounts_at_risk                                    AS "key at risk",
       format('%s (%s over cap)', c.leads, c.leads_over_cap)     AS "leads"
FROM account_tier.owner_scorecard AS c
WHERE c.owner IS NOT NULL OR c.revenue <> 0 OR c.key_accounts > 0
ORDER BY c.owner NULLS LAST;

-- The reading: the rep drifting most to secondary accounts, the rep furthest
-- below the incremental-time target, and key-account coverage.
SELECT coalesce(d.line, '    Read: no rep spends more of the time on B and C accounts than planned.')
         AS drift_line,
       coalesce(d.line2, '') AS drift_line2,
       coalesce(d.line3, '') AS drift_line3,
       coalesce(i.line, '    No visit purposes recorded: load visits with a purpose column to')
         AS incremental_line,
       coalesce(i.line2, '    measure the time on incremental business.') AS incremental_line2,
       coalesce(u.line, '') AS coverage_line
FROM (SELECT 1) AS one
LEFT JOIN (
  SELECT format('    Read: %s drifts most to secondary accounts: %s%% of the visits went to B and',
                c.owner, to_char(100 * c.actual_secondary_share, 'FM990.0')) AS line,
         format('    C accounts against %s%% planned (%s points), %s%% to key accounts (%s%% planned):',
                to_char(100 * c.planned_secondary_share, 'FM990.0'),
                to_char(100 * c.secondary_time_sink, 'FMSG990.0'),
                to_char(100 * c.actual_key_share, 'FM990.0'),
                to_char(100 * c.planned_key_share, 'FM990.0')) AS line2,
         format('    %s of %s key accounts were seen less than planned.',
                c.key_accounts_uncovered, c.key_accounts) AS line3
  FROM account_tier.owner_scorecard AS c
  WHERE c.secondary_time_sink > 0
  ORDER BY c.secondary_time_sink DESC, c.owner
  LIMIT 1) AS d ON true
LEFT JOIN (
  SELECT format('    Furthest from the %s%% incremental target is %s: %s%% of the visits with a known',
                to_char(100 * c.incremental_target, 'FM990'), c.owner,
                to_char(100 * c.incremental_time_share, 'FM990.0')) AS line,
         '    purpose were on incremental business.' AS line2
  FROM account_tier.owner_scorecard AS c
  WHERE c.incremental_time_share IS NOT NULL AND c.owner IS NOT NULL
  ORDER BY c.incremental_time_share, c.owner
  LIMIT 1) AS i ON true
LEFT JOIN (
  SELECT format('    Across the company %s of %s key accounts were seen less than planned.',
                sum(c.key_accounts_uncovered), sum(c.key_accounts)) AS line
  FROM account_tier.owner_scorecard AS c
  HAVING sum(c.key_accounts) > 0) AS u ON true \gset
\echo
\echo :drift_line
\echo :drift_line2
\echo :drift_line3
\echo :incremental_line
\echo :incremental_line2
\echo :coverage_line

SELECT format('%s accounts have room to grow: below %s%% of their wallet (potential), with a key',
              to_char(count(*), 'FM999,999,990'),
              to_char(100 * min(p.growth_wallet_share), 'FM990')) AS growth_line1,
       format('account''s worth left; %s of them are key accounts already; %s:',
              to_char(count(*) FILTER (WHERE t.key_account), 'FM999,999,990'),
              CASE WHEN count(*) = 0 THEN 'none here'
                   WHEN count(*) > 10 THEN 'the 10 with the most room (potential - revenue)'
                   ELSE 'the most room (potential - revenue) first' END) AS growth_line2,
       count(*) = 0 AS no_growth
FROM account_tier.account_tiers AS t
CROSS JOIN account_tier.policy AS p
WHERE t.growth_candidate \gset
\echo
\echo 'B5. Growth candidates: account_tiers.growth_candidate'
\echo '   ' :growth_line1
\echo '   ' :growth_line2
\if :no_growth
\else
\echo
SELECT t.account_name                                            AS "account",
       t.owner                                                   AS "owner",
       t.tier::text                                              AS "tier",
       t.revenue                                                 AS "revenue",
       t.potential                                               AS "potential",
       round(100 * t.share_of_wallet, 1)                         AS "% of wallet",
       t.potential - t.revenue                                   AS "room"
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
SELECT k.account_name                                            AS "account",
       k.owner                                                   AS "owner",
       k.revenue                                                 AS "revenue",
       k.prior_revenue                                           AS "window before",
       round(100 * k.revenue_change / k.prior_revenue, 1)        AS "change %",
       k.recommended_visits                                      AS "planned",
       k.visits_made                                             AS "made"
FROM account_tier.key_accounts AS k
WHERE k.at_risk
ORDER BY k.revenue_change, k.account_id;
\endif

SELECT NOT EXISTS (SELECT FROM account_tier.accounts AS a WHERE a.status IN ('prospect', 'lead'))
       AS no_pipeline,
       NOT EXISTS (SELECT FROM account_tier.prospects AS p WHERE p.high_potential)
       AS no_high_potential \gset
\echo
\echo 'B7. Prospects and leads: account_tier.prospects, account_tier.leads'
\echo '    (high potential: a prospect whose potential reaches the A cutoff, a future key'
\echo '    account; leads beyond the lead cap are the newest ones, to drop or hand over)'
\echo
\if :no_pipeline
\echo '    (none: no prospects or leads in the book)'
\else
SELECT coalesce(c.owner, '(no owner)')                           AS "rep",
       coalesce(pr.prospects, 0)                                 AS "prospects",
       coalesce(pr.high_potential, 0)                            AS "high potential",
       c.leads                                                   AS "leads",
       c.leads - c.leads_over_cap                                AS "within cap",
       c.leads_over_cap                                          AS "over cap",
       round(c.unallocated_visits)                               AS "visits a year free"
FROM account_tier.owner_scorecard AS c
LEFT JOIN (SELECT p.owner, count(*) AS prospects,
                  count(*) FILTER (WHERE p.high_potential) AS high_potential
           FROM account_tier.prospects AS p
           GROUP BY p.owner) AS pr ON pr.owner IS NOT DISTINCT FROM c.owner
WHERE c.leads > 0 OR pr.prospects > 0
ORDER BY c.owner NULLS LAST;
\if :no_high_potential
\else
\echo
\echo '    The high-potential prospects to win, the three largest of each rep:'
\echo
SELECT coalesce(p.owner, '(no owner)')                           AS "rep",
       p.potential_rank                                          AS "#",
       p.account_name                                            AS "prospect",
       p.potential                                               AS "potential"
FROM account_tier.prospects AS p
WHERE p.high_potential AND p.potential_rank <= 3
ORDER BY p.owner NULLS LAST, p.potential_rank, p.account_id;
\endif
\endif

\echo
\echo 'B8. The policy decides, the views follow: keep a tenth of each rep''s time for prospects'
\echo '    and leads, and see the plan at once (rolled back afterwards)'
\echo
\echo '    UPDATE account_tier.policy SET a_time = 0.72, b_time = 0.18;'
\echo
BEGIN;
UPDATE account_tier.policy SET a_time = 0.72, b_time = 0.18;
SELECT coalesce(c.owner, '(no owner)')                           AS "rep",
       round(c.visit_capacity)                                   AS "visits",
       round(c.visit_capacity * c.planned_key_share)             AS "to A",
       round(c.visit_capacity * c.planned_secondary_share)       AS "to B/C",
       round(c.unallocated_visits)                               AS "free for prospects, leads",
       round(c.actual_visits * (c.actual_prospect_share + c.actual_lead_share))
                                                                 AS "made on them"
FROM account_tier.owner_scorecard AS c
WHERE c.owner IS NOT NULL AND c.actual_visits > 0
ORDER BY c.owner;
ROLLBACK;
