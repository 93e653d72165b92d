-- tools/demo.sql — the body of `make demo`: the 80/20 picture of the bundled
-- sample book (data/sample_book.sql), the way a sales manager would read it.
-- Run by tools/demo-run.sh inside a throwaway cluster, after the book is loaded
-- into demo.accounts and the extension is created.

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
\echo '   Gini: 0 = every account buys the same, towards 1 = a few accounts buy everything.'
\echo
SELECT coalesce(owner, 'Whole company')                          AS "owner",
       (s).accounts                                              AS "rated accounts",
       (s).positive_total                                        AS "positive revenue",
       round((s).gini::numeric, 2)                               AS "Gini",
       round(100 * (s).top20_share::numeric, 1)                  AS "% revenue from top 20% accounts",
       round(100 * (s).accounts_for_80::numeric, 1)              AS "% accounts for 80% revenue"
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
\echo '5. The key accounts: top 15 of the company''s A accounts'
\echo '   account_tier.abc_tier(revenue) OVER () and account_tier.pareto_share(revenue) OVER ()'
\echo '   (shares of the positive revenue total, as pareto_share counts them)'
\echo
SELECT rank                                                      AS "#",
       account_id                                                AS "account",
       account_name                                              AS "name",
       owner                                                     AS "owner",
       revenue                                                   AS "revenue",
       round(100 * revenue / total, 1)                           AS "% of revenue",
       round(100 * cumulative::numeric, 1)                       AS "cumulative %",
       tier                                                      AS "tier"
FROM (SELECT a.*,
             account_tier.abc_tier(revenue) OVER ()              AS tier,
             account_tier.pareto_share(revenue) OVER ()          AS cumulative,
             sum(revenue) FILTER (WHERE revenue > 0) OVER ()     AS total,
             rank() OVER (ORDER BY revenue DESC NULLS LAST)      AS rank
      FROM demo.accounts AS a) AS ranked
WHERE tier = 'A' AND rank <= 15
ORDER BY rank, account_id;

\echo
\echo '6. The 80/20 picture of the whole company, per tier'
\echo '   (shares of rated accounts and of net revenue; credit notes count in C)'
\echo
WITH tiered AS (
  SELECT revenue, account_tier.abc_tier(revenue) OVER () AS tier
  FROM demo.accounts
), per_tier AS (
  SELECT tier, count(*) AS accounts, sum(revenue) AS revenue
  FROM tiered
  GROUP BY tier
)
SELECT coalesce(tier::text, '-')                                 AS "tier",
       CASE tier WHEN 'A' THEN 'key accounts: field, 80% of selling time'
                 WHEN 'B' THEN 'secondary: field, 20% of selling time'
                 WHEN 'C' THEN 'customer service'
                 ELSE 'not rated: no revenue data yet' END       AS "how they are served",
       accounts                                                  AS "accounts",
       CASE WHEN tier IS NOT NULL
            THEN round(100.0 * accounts
                       / sum(accounts) FILTER (WHERE tier IS NOT NULL) OVER (), 1)
       END                                                       AS "% of accounts",
       revenue                                                   AS "revenue",
       round(100 * revenue / sum(revenue) OVER (), 1)            AS "% of revenue"
FROM per_tier
ORDER BY per_tier.tier NULLS LAST;

\echo
\echo '7. The 80/20 picture per owner: each rep''s book tiered on its own'
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
\echo '8. Same answer, two ways: abc_classify(revenue, abc_cutoffs(revenue)) = abc_tier(revenue)'
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
