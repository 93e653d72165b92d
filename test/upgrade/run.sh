#!/usr/bin/env bash
# ALTER EXTENSION account_tier UPDATE from 1.2 keeps a loaded book: every
# row of every table, the policy's values, and gives the objects of a fresh
# install of the newest version, whose views then show the same book.
#
# The book is the sample book as a 1.2 user holds it (no visit purposes:
# 1.2 had none), loaded by a database owner who is not a superuser into
# version 1.2, with a policy away from its defaults, pinned tiers and two
# snapshots.  The same owner updates it; the same book is loaded into a
# fresh install of the newest version for the comparisons.  A second 1.2
# book whose policy kept 1.2's default capacity of 480 gets the newest
# default (NULL: each owner's own visits), as the CHANGELOG says.
#
# Needs a server (PG* variables, as inside pg_virtualenv) where account_tier
# is installed.  Prints TAP; exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

SRC=account_tier_upgrade_sample
OLD=account_tier_upgrade_old
FRESH=account_tier_upgrade_fresh
DEFAULTS=account_tier_upgrade_defaults
OWNER=account_tier_book_owner
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_upgrade.XXXXXX")
export PGOPTIONS="${PGOPTIONS:-} -c jit=off"

. test/lib/tap.sh

# psql as the book's owner (connected as the server's superuser, which the
# tests run as, then SET ROLE for the whole session).
as_owner() { PGOPTIONS="$PGOPTIONS -c role=$OWNER" psql -X -q -v ON_ERROR_STOP=1 "$@"; }

for db in "$SRC" "$OLD" "$FRESH" "$DEFAULTS"; do dropdb --if-exists "$db" 2>/dev/null; done
psql -X -q -c "DROP ROLE IF EXISTS $OWNER" -c "CREATE ROLE $OWNER LOGIN" postgres >/dev/null 2>&1 \
  || bail "cannot create role $OWNER"

# The sample book, loaded once; the 1.2 books are copied from it.
createdb "$SRC" || bail "cannot create database $SRC"
q "$SRC" -c 'CREATE EXTENSION account_tier' -f data/sample_book.sql -f data/sample_sales.sql \
  >"$work/load.log" 2>&1 || bail "loading the sample book failed" "$work/load.log"

# A database owned by the book's owner, the extension installed by that owner
# at the given version, and the sample book's accounts, sales and visits
# copied in (the columns 1.2 has).
new_book() {
  local db=$1 version=$2
  createdb -O "$OWNER" "$db" || return 1
  as_owner -d "$db" \
    -c "CREATE EXTENSION account_tier VERSION '$version'" || return 1
  q "$SRC" -c "COPY account_tier.accounts TO STDOUT" \
    | as_owner -d "$db" -c "COPY account_tier.accounts FROM STDIN" || return 1
  q "$SRC" -c "COPY (SELECT account_id, booked_on, amount, margin, kind FROM account_tier.sales ORDER BY sale_id) TO STDOUT" \
    | as_owner -d "$db" \
        -c "COPY account_tier.sales (account_id, booked_on, amount, margin, kind) FROM STDIN" || return 1
  q "$SRC" -c "COPY (SELECT account_id, owner, visited_on FROM account_tier.visits ORDER BY visit_id) TO STDOUT" \
    | as_owner -d "$db" \
        -c "COPY account_tier.visits (account_id, owner, visited_on) FROM STDIN" || return 1
}

# The policy away from its defaults, pins and two snapshots, as the owner.
use_book() {
  as_owner -d "$1" <<'SQL'
UPDATE account_tier.policy SET as_of = '2026-04-30';
CALL account_tier.snapshot();
UPDATE account_tier.policy
SET as_of = '2026-10-31', scope = 'owner', method = 'count',
    count_a = 0.15, count_b = 0.70, visit_capacity = 1000, a_time = 0.7, b_time = 0.25,
    c_time = 0.05, max_visits = 40, lead_cap = 7, at_risk_drop = 0.25, incremental_target = 0.85,
    absolute_a = 50000, absolute_b = 5000;
UPDATE account_tier.accounts SET tier_override = 'C' WHERE account_id = 'ACC-00010';
UPDATE account_tier.accounts SET tier_override = 'A' WHERE account_id = 'ACC-02999';
CALL account_tier.snapshot();
SQL
}

new_book "$OLD" 1.2 >"$work/old.log" 2>&1 || bail "loading the 1.2 book failed" "$work/old.log"
use_book "$OLD" >>"$work/old.log" 2>&1 || bail "setting up the 1.2 book failed" "$work/old.log"
new_book "$FRESH" "$(q "$SRC" -c "SELECT default_version FROM pg_available_extensions WHERE name = 'account_tier'")" \
  >"$work/fresh.log" 2>&1 || bail "loading the fresh book failed" "$work/fresh.log"
use_book "$FRESH" >>"$work/fresh.log" 2>&1 || bail "setting up the fresh book failed" "$work/fresh.log"
new_book "$DEFAULTS" 1.2 >"$work/defaults.log" 2>&1 || bail "loading the second 1.2 book failed" "$work/defaults.log"

# Every table's rows as 1.2 has them (visits without a purpose), and the policy
# (in a fixed order: a parallel plan may return the branches in any order).
tables() {
  q "$1" <<'SQL'
SELECT 'accounts', count(*), md5(string_agg(t::text, E'\n' ORDER BY t.account_id)) FROM account_tier.accounts AS t
UNION ALL
SELECT 'sales', count(*), md5(string_agg(t::text, E'\n' ORDER BY t.sale_id)) FROM account_tier.sales AS t
UNION ALL
SELECT 'visits', count(*),
       md5(string_agg(row(t.visit_id, t.account_id, t.owner, t.visited_on)::text, E'\n' ORDER BY t.visit_id))
FROM account_tier.visits AS t
UNION ALL
SELECT 'tier_history', count(*), md5(string_agg(t::text, E'\n' ORDER BY t.as_of, t.account_id))
FROM account_tier.tier_history AS t
UNION ALL
SELECT 'sales_sale_id_seq', last_value, is_called::text FROM account_tier.sales_sale_id_seq
UNION ALL
SELECT 'visits_visit_id_seq', last_value, is_called::text FROM account_tier.visits_visit_id_seq
ORDER BY 1;
SQL
}
policy_1_2() {
  q "$1" -c "
    SELECT method, value_a, value_b, count_a, count_b, absolute_a, absolute_b, scope, revenue_window, as_of,
           visit_capacity::numeric, a_time::numeric, b_time::numeric, c_time::numeric, max_visits::numeric,
           lead_cap, at_risk_drop, incremental_target, enforce_lead_cap
    FROM account_tier.policy"
}

tables "$OLD" >"$work/tables.before" 2>&1 || bail "cannot read the 1.2 book" "$work/tables.before"
policy_1_2 "$OLD" >"$work/policy.before" 2>&1 || bail "cannot read the 1.2 policy" "$work/policy.before"

# The update, by the owner -------------------------------------------------------------
if as_owner -d "$OLD" -c 'ALTER EXTENSION account_tier UPDATE' \
     >"$work/update.log" 2>&1; then
  ok "the book's owner updates a loaded 1.2 book"
else
  not_ok "the book's owner updates a loaded 1.2 book" "$work/update.log"
fi

tables "$OLD" >"$work/tables.after" 2>&1
if diff -u "$work/tables.before" "$work/tables.after" >"$work/tables.diff"; then
  ok "every row of accounts, sales, visits and tier_history is kept (counts and checksums), and the key sequences"
else
  not_ok "every row of accounts, sales, visits and tier_history is kept (counts and checksums), and the key sequences" \
         "$work/tables.diff"
fi
sed 's/^/# /' "$work/tables.after"

policy_1_2 "$OLD" >"$work/policy.after" 2>&1
if diff -u "$work/policy.before" "$work/policy.after" >"$work/policy.diff"; then
  ok "every value of the policy set under 1.2 is kept"
else
  not_ok "every value of the policy set under 1.2 is kept" "$work/policy.diff"
fi

out=$(q "$OLD" -c "
  SELECT format('%s %s %s %s', visit_weighting, min_visits_a, min_visits_b, growth_wallet_share)
  FROM account_tier.policy")
if [ "$out" = "revenue 4 1 0.50" ]; then ok "the policy's new columns hold their defaults"
else echo "$out" >"$work/new-columns"; not_ok "the policy's new columns hold their defaults" "$work/new-columns"; fi

out=$(q "$OLD" -c "SELECT count(*) FILTER (WHERE purpose IS NOT NULL) FROM account_tier.visits")
if [ "$out" = 0 ]; then ok "the visits' purposes are unrecorded (NULL)"
else echo "$out purposes" >"$work/purposes"; not_ok "the visits' purposes are unrecorded (NULL)" "$work/purposes"; fi

catalog "$OLD" >"$work/catalog.updated" 2>&1
catalog "$FRESH" >"$work/catalog.fresh" 2>&1
if diff -u "$work/catalog.fresh" "$work/catalog.updated" >"$work/catalog.diff"; then
  ok "the updated book has the objects, definitions and comments of a fresh install"
else
  not_ok "the updated book has the objects, definitions and comments of a fresh install" "$work/catalog.diff"
fi

# The views of the updated book and of the fresh one with the same book.
q "$OLD" -c 'ANALYZE' >/dev/null 2>&1
q "$FRESH" -c 'ANALYZE' >/dev/null 2>&1
for r in $(relations "$FRESH"); do
  rel=${r%:*} kind=${r#*:}
  [ "$kind" = v ] || continue
  capture "$FRESH" "$rel" v >"$work/$rel.fresh" 2>&1
  capture "$OLD" "$rel" v >"$work/$rel.updated" 2>&1
  if [ ! -s "$work/$rel.fresh" ]; then
    echo "no rows" >"$work/$rel.diff"
    not_ok "view $rel of the updated book equals a fresh install's on the same book" "$work/$rel.diff"
  elif cmp -s "$work/$rel.fresh" "$work/$rel.updated"; then
    ok "view $rel of the updated book equals a fresh install's on the same book"
  else
    diff -u --label fresh --label updated "$work/$rel.fresh" "$work/$rel.updated" >"$work/$rel.diff"
    not_ok "view $rel of the updated book equals a fresh install's on the same book" "$work/$rel.diff" 16
  fi
done

# A policy at 1.2's default capacity takes the newest default.
as_owner -d "$DEFAULTS" \
  -c "UPDATE account_tier.policy SET as_of = '2026-10-31', a_time = 0.75, b_time = 0.25" \
  -c 'ALTER EXTENSION account_tier UPDATE' >"$work/defaults.log" 2>&1
out=$(q "$DEFAULTS" -c "
  SELECT format('%s %s %s', coalesce(visit_capacity::text, 'NULL'), a_time, b_time) FROM account_tier.policy" 2>&1)
if [ "$out" = "NULL 0.75 0.25" ]; then
  ok "a policy still at 1.2's default capacity of 480 gets the newest default, NULL; the rest is kept"
else
  echo "$out" >"$work/defaults.out"
  not_ok "a policy still at 1.2's default capacity of 480 gets the newest default, NULL; the rest is kept" \
         "$work/defaults.out"
fi

# The databases and the role made, once every test passed.
cleanup() {
  for db in "$SRC" "$OLD" "$FRESH" "$DEFAULTS"; do dropdb --if-exists "$db"; done
  psql -X -q -c "DROP ROLE IF EXISTS $OWNER" postgres >/dev/null 2>&1
}
finish cleanup
