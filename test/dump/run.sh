#!/usr/bin/env bash
# pg_dump, then restore into a fresh database, gives the same book and the
# same views.
#
# Loads the sample book into a new database, moves the policy away from its
# defaults, pins a few tiers and takes two snapshots; then dumps it in the
# custom format (restored with pg_restore) and in the plain format (restored
# with psql), each into a fresh database, and compares every table, identity
# sequence and view of the extension with the source, row for row.  After the
# comparisons it checks that three roles given access (a rep, a loader and
# an analyst) read the same rows as before, and that the restored book still
# works: the policy is one row, and new sales and visits get fresh keys.
#
# Needs a server (PG* variables, as inside pg_virtualenv) where account_tier
# is installed.  Prints TAP ("ok N - ...", "not ok N - ..." with the
# difference); exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

SRC=account_tier_dump_src
TARGETS=(account_tier_dump_custom account_tier_dump_plain)
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_dump.XXXXXX")
# The views join the one-row policy table: no JIT compilation for them.
export PGOPTIONS="${PGOPTIONS:-} -c jit=off"

. test/lib/tap.sh

for db in "$SRC" "${TARGETS[@]}"; do dropdb --if-exists "$db" 2>/dev/null; done
ROLES=(account_tier_dump_rep account_tier_dump_loader account_tier_dump_analyst)
for r in "${ROLES[@]}"; do
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" -c "CREATE ROLE $r" >/dev/null 2>&1 \
    || bail "cannot create role $r"
done

# The source book ------------------------------------------------------------------
createdb "$SRC" || bail "cannot create database $SRC"
q "$SRC" -c 'CREATE EXTENSION account_tier' \
         -f data/sample_book.sql -f data/sample_sales.sql \
  >"$work/load.log" 2>&1 || bail "loading the sample book failed" "$work/load.log"
q "$SRC" >"$work/setup.log" 2>&1 <<'SQL' || bail "setting up the source book failed" "$work/setup.log"
-- A first snapshot half a year before the sample's end, under the defaults
-- but for as_of.
UPDATE account_tier.policy SET as_of = '2026-04-30';
CALL account_tier.snapshot();
-- A policy away from its defaults in many columns, and a few more pins.
UPDATE account_tier.policy
SET as_of = '2026-10-31', scope = 'owner', method = 'count',
    count_a = 0.15, count_b = 0.70, revenue_window = '9 months',
    visit_capacity = 400, a_time = 0.70, b_time = 0.25, c_time = 0.05,
    max_visits = 40, lead_cap = 7, at_risk_drop = 0.25, incremental_target = 0.85,
    absolute_a = 50000, absolute_b = 5000;
UPDATE account_tier.accounts SET tier_override = 'C' WHERE account_id = 'ACC-00010';
UPDATE account_tier.accounts SET tier_override = 'A' WHERE account_id = 'ACC-02999';
UPDATE account_tier.accounts SET tier_override = 'B' WHERE account_id = 'ACC-01500';
CALL account_tier.snapshot();
-- Switched on last: two reps already hold more leads than the cap, which
-- the cap only refuses on new assignments.
UPDATE account_tier.policy SET enforce_lead_cap = true;
-- A rep who reads her own book, a loader of another's, an analyst who reads
-- every owner's.
CALL account_tier.grant_reader('account_tier_dump_rep', 'Anna Keller');
CALL account_tier.grant_writer('account_tier_dump_loader', 'Ben Okafor');
CALL account_tier.grant_reader('account_tier_dump_analyst');
SQL

# The extension's tables, sequences and views, from the source's catalog.
relations=$(relations "$SRC") || bail "cannot list the extension's relations"
# lead_cap_claims only serializes lead-cap checks; it is not dumped.
relations=$(echo "$relations" | grep -v '^lead_cap_claims:')

# What a role reads of the book: rows and totals of the tables, rows of the views.
as_role() {
  PGOPTIONS="$PGOPTIONS -c role=$2" q "$1" <<'SQL'
SELECT format('%s accounts', count(*)) FROM account_tier.accounts;
SELECT format('%s sales, %s', count(*), sum(amount)) FROM account_tier.sales;
SELECT format('%s visits', count(*)) FROM account_tier.visits;
SELECT format('%s history rows', count(*)) FROM account_tier.tier_history;
SELECT format('%s customers, %s key, %s prospects, %s leads', count(*), count(*) FILTER (WHERE key_account),
              (SELECT count(*) FROM account_tier.prospects), (SELECT count(*) FROM account_tier.leads))
FROM account_tier.account_tiers;
SQL
}

# Plans as after any restore: fresh statistics on both sides.
q "$SRC" -c 'ANALYZE' || bail "ANALYZE failed in the source"
mkdir -p "$work/$SRC"
catalog "$SRC" >"$work/$SRC/catalog" 2>&1 || bail "cannot read the source's catalog" "$work/$SRC/catalog"
empty=""
for r in $relations; do
  rel=${r%:*} kind=${r#*:}
  capture "$SRC" "$rel" "$kind" >"$work/$SRC/$rel" 2>&1 \
    || bail "cannot read $rel in the source" "$work/$SRC/$rel"
  [ -s "$work/$SRC/$rel" ] || empty="$empty $rel"
done
if [ -z "$empty" ]; then
  ok "source book: every table, sequence and view has rows"
else
  echo "empty:$empty" >"$work/empty"
  not_ok "source book: every table, sequence and view has rows" "$work/empty"
fi

# The dumps --------------------------------------------------------------------------
pg_dump -Fc -f "$work/book.dump" "$SRC" 2>"$work/dump.log" || bail "pg_dump -Fc failed" "$work/dump.log"
pg_dump -Fp -f "$work/book.sql" "$SRC" 2>"$work/dump.log" || bail "pg_dump -Fp failed" "$work/dump.log"

for db in "${TARGETS[@]}"; do
  createdb "$db" || bail "cannot create database $db"
  mkdir -p "$work/$db"
  log="$work/$db/restore.log"
  # Every error counts: pg_restore goes on after one and exits 1 at the end,
  # psql goes on and its errors are in the log; the rest of the book is
  # restored either way, so the comparisons below show what the error cost.
  case $db in
    *custom)
      what="custom-format dump restores with pg_restore without error"
      pg_restore -d "$db" "$work/book.dump" >"$log" 2>&1
      rc=$? ;;
    *plain)
      what="plain dump restores with psql without error"
      psql -X -q -o /dev/null -d "$db" -f "$work/book.sql" >"$log" 2>&1
      rc=$?
      grep -q 'ERROR:' "$log" && rc=1 ;;
  esac
  if [ "$rc" -eq 0 ]; then ok "$db: $what"; else not_ok "$db: $what" "$log"; fi
  q "$db" -c 'ANALYZE' >>"$log" 2>&1

  catalog "$db" >"$work/$db/catalog" 2>&1
  if diff -u "$work/$SRC/catalog" "$work/$db/catalog" >"$work/$db/catalog.diff"; then
    ok "$db: the extension's objects, definitions and comments are the same"
  else
    not_ok "$db: the extension's objects, definitions and comments are the same" "$work/$db/catalog.diff"
  fi

  for r in $relations; do
    rel=${r%:*} kind=${r#*:}
    case $kind in r) noun=table ;; S) noun=sequence ;; v) noun=view ;; esac
    capture "$db" "$rel" "$kind" >"$work/$db/$rel" 2>&1
    if cmp -s "$work/$SRC/$rel" "$work/$db/$rel"; then
      ok "$db: $noun $rel is the same"
    elif same_but_rounding "$rel" "$work/$SRC/$rel" "$work/$db/$rel" >"$work/$db/$rel.floats"; then
      ok "$db: $noun $rel is the same"
      echo "# $(wc -l <"$work/$db/$rel.floats") float8 values differ by rounding only, e.g.:"
      head -n 3 "$work/$db/$rel.floats" | sed 's/^/#   /'
    else
      diff -u --label "$SRC" --label "$db" "$work/$SRC/$rel" "$work/$db/$rel" >"$work/$db/$rel.diff"
      not_ok "$db: $noun $rel is the same ($(grep -c '^[-+][^-+]' "$work/$db/$rel.diff") lines differ)" \
             "$work/$db/$rel.diff" 16
    fi
  done

  # Each role reads the same rows as in the source: row-level security and
  # the grants came back with the book.
  for r in "${ROLES[@]}"; do
    as_role "$SRC" "$r" >"$work/$SRC/$r" 2>&1
    as_role "$db" "$r" >"$work/$db/$r" 2>&1
    if cmp -s "$work/$SRC/$r" "$work/$db/$r" && ! grep -q ERROR "$work/$db/$r"; then
      ok "$db: role $r reads what it read before the dump ($(head -n 1 "$work/$db/$r"))"
    else
      diff -u --label "$SRC" --label "$db" "$work/$SRC/$r" "$work/$db/$r" >"$work/$db/$r.diff"
      not_ok "$db: role $r reads what it read before the dump" "$work/$db/$r.diff"
    fi
  done

  # The restored book still works.
  rows=$(q "$db" -c 'SELECT count(*) FROM account_tier.policy' 2>&1)
  if [ "$rows" = 1 ]; then ok "$db: policy holds one row"
  else echo "policy rows: $rows" >"$work/$db/policy"; not_ok "$db: policy holds one row" "$work/$db/policy"; fi

  out=$(q "$db" 2>&1 <<'SQL'
WITH old AS (SELECT max(sale_id) AS m FROM account_tier.sales),
     new AS (INSERT INTO account_tier.sales (account_id, booked_on, amount)
             VALUES ('ACC-00001', '2026-10-31', 100), ('ACC-00002', '2026-10-31', 50)
             RETURNING sale_id)
SELECT CASE WHEN min(new.sale_id) > old.m THEN 'fresh' ELSE 'reused ' || min(new.sale_id) || ' <= ' || old.m END
FROM new, old GROUP BY old.m;
SQL
)
  if [ "$out" = fresh ]; then ok "$db: new sales get fresh sale_ids"
  else echo "$out" >"$work/$db/sale_id"; not_ok "$db: new sales get fresh sale_ids" "$work/$db/sale_id"; fi

  out=$(q "$db" 2>&1 <<'SQL'
WITH old AS (SELECT max(visit_id) AS m FROM account_tier.visits),
     new AS (INSERT INTO account_tier.visits (account_id, visited_on)
             VALUES ('ACC-00001', '2026-10-30')
             RETURNING visit_id)
SELECT CASE WHEN min(new.visit_id) > old.m THEN 'fresh' ELSE 'reused ' || min(new.visit_id) || ' <= ' || old.m END
FROM new, old GROUP BY old.m;
SQL
)
  if [ "$out" = fresh ]; then ok "$db: new visits get fresh visit_ids"
  else echo "$out" >"$work/$db/visit_id"; not_ok "$db: new visits get fresh visit_ids" "$work/$db/visit_id"; fi
done

# The databases and roles made, once every test passed.
cleanup() {
  for db in "$SRC" "${TARGETS[@]}"; do dropdb --if-exists "$db"; done
  for r in "${ROLES[@]}"; do psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
finish cleanup
