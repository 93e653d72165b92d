-- data/sample_book.sql — the bundled sample book of accounts for `make demo`.
--
-- Creates demo.accounts(account_id, account_name, owner, revenue): 3,000
-- accounts of a fictitious wholesaler, split among 6 sales reps, with last
-- year's revenue in numeric(14,2).  Fully deterministic: no random(), only
-- closed-form arithmetic on generate_series, so every run (and every
-- PostgreSQL version) loads exactly the same book.
--
-- How the numbers are made:
--   * 3001 is prime, so i -> (i * m) % 3001 permutes 1..3000 for any m that is
--     not a multiple of 3001; each column uses its own multiplier, so revenue,
--     owner, name and the special cases look unrelated to account_id.
--   * revenue = 120.00 + the quantile of a Pareto (Lomax) distribution,
--     5,000 * (u^(-1/alpha) - 1) with alpha = 1.4 and u = (k - 0.5)/3000 the
--     permuted rank, rounded to cents: a long tail where roughly a fifth of the
--     accounts bring four fifths of the revenue, and a smallest yearly order
--     of about 120.00.
--   * a few special accounts, as in any real book: about 2.5% dormant (0.00),
--     1% with more credit notes than orders (negative revenue), 0.4% new
--     accounts with no revenue data yet (NULL).
--
-- Load with: psql -v ON_ERROR_STOP=1 -f data/sample_book.sql

CREATE SCHEMA IF NOT EXISTS demo;
DROP TABLE IF EXISTS demo.accounts;

CREATE TABLE demo.accounts (
  account_id   text PRIMARY KEY,
  account_name text NOT NULL,
  owner        text NOT NULL,
  revenue      numeric(14,2)
);
COMMENT ON TABLE demo.accounts IS
  'Sample book of accounts (account_tier demo): last year''s revenue per account';
COMMENT ON COLUMN demo.accounts.revenue IS
  'Last year''s net revenue (orders minus credit notes); NULL = no data yet';

INSERT INTO demo.accounts (account_id, account_name, owner, revenue)
SELECT
  'ACC-' || lpad(i::text, 5, '0'),
  (ARRAY['Alder', 'Birchwood', 'Cobalt', 'Danube', 'Elbe', 'Fjord', 'Granite',
         'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lindon', 'Meridian', 'Northgate',
         'Oakridge', 'Pinecrest', 'Quarry', 'Rhine', 'Summit', 'Tideway',
         'Upland', 'Valley', 'Westbrook', 'Yarrow', 'Zenith', 'Aurora', 'Beacon',
         'Crescent', 'Delta', 'Evergreen'])[1 + n % 30]
  || ' ' ||
  (ARRAY['Foods', 'Logistics', 'Tools', 'Pharma', 'Textiles', 'Builders',
         'Electric', 'Packaging', 'Motors', 'Printing', 'Chemicals', 'Furniture',
         'Hotels', 'Farms', 'Optics', 'Plastics', 'Marine', 'Software',
         'Clinics', 'Brewing'])[1 + (n / 30) % 20]
  || ' ' ||
  (ARRAY['Ltd', 'GmbH', 'Inc', 'SA', 'BV'])[1 + n / 600],
  (ARRAY['Anna Keller', 'Ben Okafor', 'Carla Rossi', 'David Chen',
         'Elena Petrova', 'Farid Haddad'])[
    CASE WHEN o < 22 THEN 1 WHEN o < 40 THEN 2 WHEN o < 57 THEN 3
         WHEN o < 72 THEN 4 WHEN o < 87 THEN 5 ELSE 6 END],
  CASE
    WHEN s % 250 = 7 THEN NULL                                  -- new account, no data yet
    WHEN s % 97 = 1 THEN -round(40 + (s % 61) * 23.17, 2)       -- credit notes exceed orders
    WHEN s % 40 = 0 THEN 0.00                                   -- dormant account
    ELSE round((120.0 + 5000.0 * (power((k - 0.5) / 3000.0, -1.0 / 1.4) - 1.0))::numeric, 2)
  END
FROM generate_series(1, 3000) AS i,
     LATERAL (SELECT (i * 1733) % 3001        AS k,  -- revenue rank, 1..3000
                     (i * 911) % 3001 - 1     AS n,  -- name, 0..2999
                     (i * 2399) % 3001 % 100  AS o,  -- owner bucket, 0..99
                     (i * 1103) % 3001        AS s   -- special cases
             ) AS h;

ANALYZE demo.accounts;
