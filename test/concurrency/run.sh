#!/usr/bin/env bash
# Concurrent sessions against the book: the lead cap holds when many
# sessions give the same owners leads at once, and snapshot() called by
# several sessions at once neither fails with a duplicate key nor leaves a
# half snapshot.  Under READ COMMITTED (the default) every call either
# succeeds or is refused by the cap (23514); under REPEATABLE READ a call
# may also fail with a serialization error (40001), which the caller
# retries, never with another error.
#
# Needs a server (PG* variables, as inside pg_virtualenv) where account_tier
# is installed.  Prints TAP; exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

DB=account_tier_concurrency
SESSIONS=8
OWNERS=20
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_concurrency.XXXXXX")
export PGOPTIONS="${PGOPTIONS:-} -c jit=off"

. test/lib/tap.sh

dropdb --if-exists "$DB" 2>/dev/null
createdb "$DB" || bail "cannot create database $DB"
q "$DB" >"$work/setup.log" 2>&1 <<SQL || bail "setting up the book failed" "$work/setup.log"
CREATE EXTENSION account_tier;
UPDATE account_tier.policy SET as_of = '2026-10-31', lead_cap = 10, enforce_lead_cap = true;
-- $OWNERS owners with 9 leads each: one more is allowed, a second is not
INSERT INTO account_tier.accounts (account_id, account_name, owner, status)
SELECT format('L-%s-%s', o, k), 'Lead', format('rep%s', o), 'lead'
FROM generate_series(1, $OWNERS) o, generate_series(1, 9) k;
-- customers and sales for the snapshots
INSERT INTO account_tier.accounts (account_id, account_name, owner)
SELECT format('C-%s', i), 'Customer', format('rep%s', i % $OWNERS + 1) FROM generate_series(1, 2000) i;
INSERT INTO account_tier.sales (account_id, booked_on, amount)
SELECT format('C-%s', i), date '2026-01-01' + i % 300, 10 + i % 997 FROM generate_series(1, 2000) i;
SQL

# The SQLSTATE of each error psql printed (\set VERBOSITY sqlstate), but
# 25P02: the statements after a failed one in its transaction.
sqlstates() { sed -n -E 's/^(psql:[^ ]* )?ERROR: +([0-9A-Z]{5}).*/\2/p' | grep -v '^25P02$'; }

# session ISOLATION N: one session giving every owner one lead, each in a
# transaction held open for 20 ms after the insert; prints the SQLSTATE of
# every statement that failed.
lead_session() {
  local isolation=$1 s=$2
  {
    echo "SET default_transaction_isolation = '$isolation';"
    echo '\set VERBOSITY sqlstate'
    for o in $(seq 1 "$OWNERS"); do
      echo "BEGIN;"
      echo "INSERT INTO account_tier.accounts (account_id, account_name, owner, status)
            VALUES ('N-$isolation-$s-$o', 'New lead', 'rep$o', 'lead');"
      echo "SELECT pg_sleep(0.02);"
      echo "COMMIT;"
    done
  } | psql -X -q -o /dev/null -d "$DB" 2>&1 | sqlstates | sort | uniq -c
}

# Runs SESSIONS sessions at once; their error counts go to FILE.
run_leads() {
  local isolation=$1 out=$2 pids=()
  for s in $(seq 1 "$SESSIONS"); do
    lead_session "$isolation" "$s" >"$work/leads.$isolation.$s" &
    pids+=($!)
  done
  wait "${pids[@]}"
  cat "$work"/leads."$isolation".* | awk '{ n[$2] += $1 } END { for (c in n) print c, n[c] }' | sort >"$out"
}

for isolation in 'read committed' 'repeatable read'; do
  tag=${isolation// /_}
  q "$DB" -c "DELETE FROM account_tier.accounts WHERE account_id LIKE 'N-%'" >/dev/null
  run_leads "$isolation" "$work/errors.$tag"
  q "$DB" -c "
    SELECT owner || ' ' || count(*) FROM account_tier.accounts
    WHERE status = 'lead' GROUP BY owner HAVING count(*) <> 10 ORDER BY owner" >"$work/wrong.$tag"
  if [ ! -s "$work/wrong.$tag" ]; then
    ok "$isolation: $SESSIONS sessions giving $OWNERS owners a lead at once leave each owner at the cap of 10"
  else
    not_ok "$isolation: $SESSIONS sessions giving $OWNERS owners a lead at once leave each owner at the cap of 10" \
           "$work/wrong.$tag"
  fi
  allowed='^(23514'$([ "$tag" = repeatable_read ] && echo '|40001')') '
  if ! grep -v -E "$allowed" "$work/errors.$tag" >"$work/other.$tag"; then
    ok "$isolation: the other inserts fail with $(awk '{ printf "%s%s (%s times)", sep, $1, $2; sep = ", " }' "$work/errors.$tag") only"
  else
    not_ok "$isolation: the other inserts fail with 23514$([ "$tag" = repeatable_read ] && echo ' or 40001') only" \
           "$work/other.$tag"
  fi
done

# Snapshots ------------------------------------------------------------------------------
snapshot_session() {
  local isolation=$1
  printf '%s\n' "SET default_transaction_isolation = '$isolation';" '\set VERBOSITY sqlstate' \
    'BEGIN;' 'CALL account_tier.snapshot();' 'SELECT pg_sleep(0.2);' 'COMMIT;' \
    | psql -X -q -o /dev/null -d "$DB" 2>&1 | sqlstates
}
for isolation in 'read committed' 'repeatable read'; do
  tag=${isolation// /_}
  q "$DB" -c 'DELETE FROM account_tier.tier_history' >/dev/null
  pids=()
  for s in $(seq 1 "$SESSIONS"); do
    snapshot_session "$isolation" >"$work/snap.$tag.$s" &
    pids+=($!)
  done
  wait "${pids[@]}"
  cat "$work"/snap."$tag".* | sort | uniq -c >"$work/snap.$tag"
  allowed=$([ "$tag" = repeatable_read ] && echo '40001' || echo 'none')
  if ! grep -v -E " $allowed\$" "$work/snap.$tag" >"$work/snap-other.$tag"; then
    ok "$isolation: $SESSIONS sessions calling snapshot() at once fail with $([ "$tag" = repeatable_read ] && echo 'nothing but 40001' || echo 'nothing')"
  else
    not_ok "$isolation: $SESSIONS sessions calling snapshot() at once fail with $allowed only" "$work/snap-other.$tag"
  fi
  out=$(q "$DB" -c "
    SELECT (SELECT count(*) FROM account_tier.tier_history WHERE as_of = '2026-10-31') =
           (SELECT count(*) FROM account_tier.accounts WHERE status = 'customer')")
  if [ "$out" = t ]; then ok "$isolation: the day's snapshot holds every customer once"
  else echo "$out" >"$work/snap-rows.$tag"; not_ok "$isolation: the day's snapshot holds every customer once" "$work/snap-rows.$tag"; fi
done

finish dropdb --if-exists "$DB"
