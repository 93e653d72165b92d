-- tools/demo.sql — the first half of `make demo` on the bundled sample book
-- (data/sample_book.sql): the core functions on a plain table of accounts and
-- their yearly revenue, demo.accounts, the way a sales manager would read it.
-- Run by tools/demo-run.sh inside a throwaway cluster, after the book is loaded
-- and the extension is created.  The second half, tools/demo-book.sql, reads
-- the same book through the extension's tables and views.

\set ON_ERROR_STOP 1
\set QUIET 1
\pset footer off
\pset null '-'
-- Amounts with thousands separators; psql keeps them right-aligned.
\pset numericlocale on

\echo
\echo '================================================================================'
\echo ' account_tier demo: the sample book of a wholesaler, 3,000 accounts, 6 reps'
\echo ' revenue = last year''s net revenue per account (orders minus credit notes)'
\echo ' Part 1: the core functions on a plain table, demo.accounts(owner, revenue)'
\echo '================================================================================'

\echo
\echo '1. The book at a glance'
\echo
SELECT coalesce(owner, 'Whole company')                          AS "owner",
       count(*)                                                  AS "accounts",
       count(*) FILTER (WHERE revenue > 0)                       AS "buying",
       count(*) FILTER (WHERE revenue = 0)                       AS "dormant (0)",
       count(*) FILTER (WHERE revenue < 0)                       AS "net credit (<0)",
       count(*) FILTER (WHERE revenue IS NULL)                   AS "no data yet",
       sum(revenue)                                              AS "net revenue"
FROM demo.accounts
GROUP BY GROUPING SETS ((owner), ())
ORDER BY owner IS NULL, owner;

\echo
\echo '2. How concentrated is the book?  account_tier.pareto_summary(revenue)'
\echo '   Gini: 0 = every account buys the same, towards 1 = a few accounts buy everything;'
\echo '   the share of revenue the top 20% of accounts bring, the share of accounts that bring 80%.'
\echo
SELECT coalesce(owner, 'Whole company')                          AS "owner",
       (s).accounts                                              AS "rated accounts",
       (s).positive_total                                        AS "positive revenue",
       round((s).gini::numeric, 2)                               AS "Gini",
       round(100 * (s).top20_share::numeric, 1)                  AS "% rev. of top 20%",
       round(100 * (s).accounts_for_80::numeric, 1)              AS "% accts for 80%"
FROM (SELECT owner, account_tier.pareto_summary(revenue) AS s
      FROM demo.accounts
      GROUP BY GROUPING SETS ((owner), ())) AS per_scope
ORDER BY owner IS NULL, owner;

\echo
\echo '3. The 80/20 curve: the top x% of accounts bring y% of revenue'
\echo '   account_tier.lorenz_curve(revenue, 11)'
\echo
SELECT (k - 1) * 10                                              AS "top % of accounts",
       round(100 * share::numeric, 1)                            AS "% of revenue"
FROM (SELECT account_tier.lorenz_curve(revenue, 11) AS curve FROM demo.accounts) AS c,
     unnest(c.curve) WITH ORDINALITY AS u(share, k)
WHERE k > 1;

\echo
\echo '4. Where the tiers start: account_tier.abc_cutoffs(revenue)'
\echo '   A (key) = the fewest top accounts that bring 80% of revenue, B = up to 95%, C = the rest.'
\echo '   Per owner, each rep''s own book is tiered on its own (a rep''s key accounts).'
\echo
SELECT coalesce(owner, 'Whole company')                          AS "owner",
       (c).a_min                                                 AS "key account (A) from",
       (c).b_min                                                 AS "B from"
FROM (SELECT owner, account_tier.abc_cutoffs(revenue) AS c
      FROM demo.accounts
      GROUP BY GROUPING SETS ((owner), ())) AS per_scope
ORDER BY owner IS NULL, owner;

\echo
\echo '5. The 80/20 picture per owner: each rep''s book tiered on its own'
\echo '   account_tier.abc_tier(revenue) OVER (PARTITION BY owner)'
\echo '   (shares of the rep''s rated accounts and net revenue)'
\echo
WITH tiered AS (
  SELECT owner, revenue,
         account_tier.abc_tier(revenue) OVER (PARTITION BY owner) AS tier
  FROM demo.accounts
), per_tier AS (
  SELECT owner, tier, count(*) AS accounts, sum(revenue) AS revenue
  FROM tiered
  GROUP BY owner, tier
), shares AS (
  SELECT owner, tier, accounts, revenue,
         CASE WHEN tier IS NOT NULL
              THEN round(100.0 * accounts
                         / sum(accounts) FILTER (WHERE tier IS NOT NULL)
                           OVER (PARTITION BY owner), 1)
         END                                                     AS account_share,
         round(100 * revenue / sum(revenue) OVER (PARTITION BY owner), 1)
                                                                 AS revenue_share,
         row_number() OVER (PARTITION BY owner ORDER BY tier NULLS LAST) AS line
  FROM per_tier
)
SELECT CASE WHEN line = 1 THEN owner ELSE '' END                 AS "owner",
       coalesce(tier::text, '-')                                 AS "tier",
       accounts                                                  AS "accounts",
       account_share                                             AS "% of accounts",
       revenue                                                   AS "revenue",
       revenue_share                                             AS "% of revenue"
FROM shares
ORDER BY shares.owner, line;

\echo
\echo '6. Same answer, two ways: abc_classify(revenue, abc_cutoffs(revenue)) = abc_tier(revenue)'
\echo '   (the cutoffs can be stored and applied to new accounts later)'
\echo
WITH cut AS (
  SELECT owner, account_tier.abc_cutoffs(revenue) AS c
  FROM demo.accounts
  GROUP BY owner
), both_ways AS (
  SELECT a.owner,
         account_tier.abc_tier(a.revenue) OVER (PARTITION BY a.owner) AS by_window,
         account_tier.abc_classify(a.revenue, cut.c)                   AS by_cutoffs
  FROM demo.accounts AS a
  JOIN cut USING (owner)
)
SELECT count(*)                                                  AS "accounts",
       count(*) FILTER (WHERE by_window IS NOT DISTINCT FROM by_cutoffs)
                                                                 AS "same tier both ways",
       CASE WHEN bool_and(by_window IS NOT DISTINCT FROM by_cutoffs)
            THEN 'yes' ELSE 'NO' END                             AS "all agree"
FROM both_ways;
