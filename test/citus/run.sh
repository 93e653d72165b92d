#!/usr/bin/env bash
# account_tier on Citus: a throwaway cluster (one coordinator, two workers on
# loopback, tools/citus-cluster.sh) where
#   * every function and aggregate shape gives on a distributed table the
#     answer it gives on a plain one: window functions PARTITION BY the
#     distribution column, aggregates GROUP BY it and over the whole table,
#     scalar functions row by row; each runs on the workers (a whole-table
#     aggregate partially: worker_partial_agg in the workers' query as EXPLAIN
#     VERBOSE shows it, its state sent to the coordinator as text); the table
#     at the end says for each shape whether the answer is the same, whether
#     the function runs on the workers and the time distributed divided by
#     the time plain;
#   * the sample book distributed with CALL account_tier.distribute_book()
#     and loaded through the coordinator shows in every table and view the
#     rows of the same book on one server, and keeps its rules (the policy
#     row, the lead cap reported, access to every owner's book only).
# ROWS rows (1,000,000 by default) in 1,000 groups.  Needs pg_config (or
# PG_CONFIG) of a server with Citus and account_tier installed.  Prints TAP;
# exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

ROWS=${ROWS:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_citus.XXXXXX")
export PGOPTIONS="${PGOPTIONS:-} -c jit=off -c client_min_messages=warning"

. test/lib/tap.sh
. tools/citus-cluster.sh
export PATH="$citus_bindir:$PATH"

citus_installed || bail "Citus is not installed for $(pg_config --version)"
trap citus_stop EXIT
citus_start "$(citus_free_ports)" || bail "the cluster did not start" "$work/coordinator.log"
DB=postgres       # the distributed side (the database Citus joined the workers in)
PLAIN=plain_book  # the same book on one server (no Citus in it)
q "$DB" -c "CREATE EXTENSION account_tier" >"$work/create.log" 2>&1 \
  || bail "CREATE EXTENSION account_tier failed" "$work/create.log"

# SQLSTATE of a statement expected to fail in DB, or "no error".
sqlstate_of() {
  local out
  out=$(psql -X -q -d "$1" -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -c "$2" 2>&1 >/dev/null)
  sed -n -E 's/^(psql:[^ ]* )?ERROR: +([0-9A-Z]{5}).*/\2/p' <<<"$out" | head -n 1 | grep . || echo "no error"
}
# expect_error DB STATEMENT SQLSTATE DESCRIPTION
expect_error() {
  local got
  got=$(sqlstate_of "$1" "$2")
  if [ "$got" = "$3" ]; then ok "$4 ($3)"; else not_ok "$4 ($3)" <(echo "got: $got"); fi
}
# expect_ok DB DESCRIPTION SQL...: the statements run without error
expect_ok() {
  local db=$1 what=$2 log
  shift 2
  log=$work/ok.$n.log
  if q "$db" "$@" >"$log" 2>&1; then ok "$what"; else not_ok "$what" "$log"; fi
}

# Shapes ---------------------------------------------------------------------------
# The same rows in shapes.plain and in shapes.dist, distributed by grp: ties,
# NULLs, zeros, negatives and numerics of many digits, with a tier, a
# weight, a day and a margin for the functions that take them.
q "$DB" >"$work/shapes.log" 2>&1 <<SQL || bail "making the shapes' tables failed" "$work/shapes.log"
CREATE SCHEMA shapes;
CREATE TABLE shapes.plain (grp int NOT NULL, id int NOT NULL, v numeric, f float8,
                           t account_tier.tier, w float8, d date, m numeric, inc boolean);
INSERT INTO shapes.plain
SELECT i % 1000, i,
       CASE WHEN h % 53 = 0 THEN NULL
            WHEN h % 41 = 0 THEN -(h % 5000) / 100.0
            WHEN h % 29 = 0 THEN 0
            WHEN h % 17 = 0 THEN round(1e6 / (1 + h % 97), 10)
            ELSE round(power(1 + (h % 100000) / 1000.0, 2)::numeric, 2) END,
       NULL, (ARRAY['A', 'B', 'C', NULL])[1 + h % 4]::account_tier.tier, (h % 1000)::float8 / 7,
       date '2025-01-01' + (h % 700)::int, NULL, h % 5 = 0
FROM generate_series(1, $ROWS) AS i, LATERAL (SELECT abs(hashint4(i))::bigint AS h) AS x;
UPDATE shapes.plain SET f = v::float8, m = round(v * 0.3, 2);
CREATE TABLE shapes.dist (LIKE shapes.plain);
SELECT create_distributed_table('shapes.dist', 'grp');
INSERT INTO shapes.dist SELECT * FROM shapes.plain;
VACUUM ANALYZE shapes.plain;
VACUUM ANALYZE shapes.dist;

-- Runs a shape's query on table tab (%1\$s in it): a digest of its rows in
-- the order of k1, k2, and the milliseconds it took (the best of two runs).
CREATE FUNCTION shapes.run(query text, tab text, OUT digest text, OUT ms float8)
LANGUAGE plpgsql AS \$\$
DECLARE
  t0 timestamptz;
BEGIN
  FOR run IN 1..2 LOOP
    t0 := clock_timestamp();
    EXECUTE format('SELECT md5(string_agg(q.r::text, '','' ORDER BY q.k1, q.k2)) FROM (%s) AS q',
                   format(query, tab)) INTO digest;
    ms := least(ms, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
END
\$\$;
-- Where the workers' query (EXPLAIN VERBOSE's "Query:") runs fn: 'partial'
-- when it aggregates partially (worker_partial_agg), 'whole' when it calls fn
-- itself, 'no' when it only sends rows; NULL without a workers' query.
CREATE FUNCTION shapes.on_workers(query text, fn text) RETURNS text
LANGUAGE plpgsql AS \$\$
DECLARE
  line text;
  found text := NULL;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || format(query, 'shapes.dist') LOOP
    IF line ~ '^\s*Query: ' THEN
      found := CASE WHEN strpos(line, 'worker_partial_agg(') > 0 OR found = 'partial' THEN 'partial'
                    WHEN strpos(line, fn || '(') > 0 OR found = 'whole' THEN 'whole'
                    ELSE 'no' END;
    END IF;
  END LOOP;
  RETURN found;
END
\$\$;
SQL

# name|kind|function|expression: kind window (PARTITION BY grp), group
# (GROUP BY grp), whole (the whole table) or row (a scalar, row by row).
shapes=$(cat <<'LIST'
pareto_share(numeric)|window|pareto_share|account_tier.pareto_share(v)
pareto_share(float8)|window|pareto_share|account_tier.pareto_share(f)
abc_tier(numeric)|window|abc_tier|account_tier.abc_tier(v)
abc_tier(float8, a, b)|window|abc_tier|account_tier.abc_tier(f, 0.70, 0.90)
abc_tier_by_count(numeric)|window|abc_tier_by_count|account_tier.abc_tier_by_count(v)
abc_tier_by_count(float8)|window|abc_tier_by_count|account_tier.abc_tier_by_count(f)
abc_tier_computed(numeric)|window|abc_tier_computed|account_tier.abc_tier_computed(v)
abc_tier_computed(float8)|window|abc_tier_computed|account_tier.abc_tier_computed(f)
recommended_visits|window|recommended_visits|account_tier.recommended_visits(t, 480)
recommended_visits_weighted|window|recommended_visits_weighted|account_tier.recommended_visits_weighted(t, w, 480, min_a => 4, min_b => 1)
abc_cutoffs(numeric)|group|abc_cutoffs|account_tier.abc_cutoffs(v)
abc_cutoffs(float8, a, b)|group|abc_cutoffs|account_tier.abc_cutoffs(f, 0.70, 0.90)
abc_cutoffs_by_count(numeric)|group|abc_cutoffs_by_count|account_tier.abc_cutoffs_by_count(v)
abc_cutoffs_by_count(float8)|group|abc_cutoffs_by_count|account_tier.abc_cutoffs_by_count(f)
abc_cutoffs_computed(numeric)|group|abc_cutoffs_computed|account_tier.abc_cutoffs_computed(v)
abc_cutoffs_computed(float8)|group|abc_cutoffs_computed|account_tier.abc_cutoffs_computed(f)
abc_points(numeric)|group|abc_points|account_tier.abc_points(v)
abc_points(float8)|group|abc_points|account_tier.abc_points(f)
pareto_summary(numeric)|group|pareto_summary|account_tier.pareto_summary(v)
pareto_summary(float8)|group|pareto_summary|account_tier.pareto_summary(f)
lorenz_curve(numeric, 11)|group|lorenz_curve|account_tier.lorenz_curve(v, 11)
lorenz_curve(float8)|group|lorenz_curve|account_tier.lorenz_curve(f)
sales_totals|group|sales_totals|account_tier.sales_totals(d, v, m, inc, date '2025-12-01')
abc_cutoffs(numeric)|whole|abc_cutoffs|account_tier.abc_cutoffs(v)
abc_cutoffs(float8, a, b)|whole|abc_cutoffs|account_tier.abc_cutoffs(f, 0.70, 0.90)
abc_cutoffs_by_count(numeric)|whole|abc_cutoffs_by_count|account_tier.abc_cutoffs_by_count(v)
abc_cutoffs_by_count(float8)|whole|abc_cutoffs_by_count|account_tier.abc_cutoffs_by_count(f)
abc_cutoffs_computed(numeric)|whole|abc_cutoffs_computed|account_tier.abc_cutoffs_computed(v)
abc_cutoffs_computed(float8)|whole|abc_cutoffs_computed|account_tier.abc_cutoffs_computed(f)
abc_points(numeric)|whole|abc_points|account_tier.abc_points(v)
abc_points(float8)|whole|abc_points|account_tier.abc_points(f)
pareto_summary(numeric)|whole|pareto_summary|account_tier.pareto_summary(v)
pareto_summary(float8)|whole|pareto_summary|account_tier.pareto_summary(f)
lorenz_curve(numeric, 11)|whole|lorenz_curve|account_tier.lorenz_curve(v, 11)
lorenz_curve(float8)|whole|lorenz_curve|account_tier.lorenz_curve(f)
sales_totals|whole|sales_totals|account_tier.sales_totals(d, v, m, inc, date '2025-12-01')
abc_classify(numeric)|row|abc_classify|account_tier.abc_classify(v, ROW(500, 50)::account_tier.cutoffs)
visit_cadence|row|visit_cadence|account_tier.visit_cadence(w)
LIST
)

table=$work/shapes.txt
printf '%-30s %-7s %-5s %-10s %s\n' shape kind same 'on workers' 'distributed / plain (ms)' >"$table"
while IFS='|' read -r name kind fn expr; do
  case $kind in
    window) query="SELECT grp AS k1, id AS k2, $expr OVER (PARTITION BY grp) AS r FROM %1\$s" ;;
    group)  query="SELECT grp AS k1, 0 AS k2, $expr AS r FROM %1\$s GROUP BY grp" ;;
    whole)  query="SELECT 0 AS k1, 0 AS k2, $expr AS r FROM %1\$s" ;;
    row)    query="SELECT grp AS k1, id AS k2, $expr AS r FROM %1\$s" ;;
  esac
  log=$work/shape.$n.log
  if ! q "$DB" -F '|' -v query="$query" -v fn="account_tier.$fn" >"$log" 2>&1 <<'SQL'; then
SELECT p.digest, p.ms, d.digest, d.ms, shapes.on_workers(:'query', :'fn')
FROM shapes.run(:'query', 'shapes.plain') AS p, shapes.run(:'query', 'shapes.dist') AS d;
SQL
    not_ok "$name, $kind: runs distributed and plain" "$log"
    printf '%-30s %-7s %-5s %-10s %s\n' "$name" "$kind" error - - >>"$table"
    continue
  fi
  IFS='|' read -r plain_digest plain_ms dist_digest dist_ms workers <"$log"
  same=no; [ -n "$plain_digest" ] && [ "$plain_digest" = "$dist_digest" ] && same=yes
  # every shape runs on the workers: a whole-table aggregate partially
  case $kind:$workers in whole:partial | window:whole | group:whole | row:whole) runs=yes ;; *) runs=no ;; esac
  ratio=$(awk -v d="$dist_ms" -v p="$plain_ms" 'BEGIN { printf "%.2f (%.0f / %.0f)", d / p, d, p }')
  printf '%-30s %-7s %-5s %-10s %s\n' "$name" "$kind" "$same" "${workers:-?}" "$ratio" >>"$table"
  if [ "$same" = yes ]; then ok "$name, $kind: the same answer distributed as plain"
  else not_ok "$name, $kind: the same answer distributed as plain" <(echo "plain $plain_digest, distributed $dist_digest"); fi
  if [ "$kind" = whole ]; then where="aggregates partially on the workers (worker_partial_agg)"
  else where="runs on the workers"; fi
  if [ "$runs" = yes ]; then ok "$name, $kind: $where"
  else not_ok "$name, $kind: $where" <(q "$DB" -c "EXPLAIN (VERBOSE, COSTS OFF) ${query//%1\$s/shapes.dist}"); fi
done <<<"$shapes"

# The book ---------------------------------------------------------------------------
# The same sample book on one server and distributed, each with snapshots of
# two days (tier_history, tier_changes).
createdb "$PLAIN" || bail "cannot create database $PLAIN"
q "$PLAIN" >"$work/plain.log" 2>&1 <<'SQL' || bail "loading the plain book failed" "$work/plain.log"
CREATE EXTENSION account_tier;
UPDATE account_tier.policy SET as_of = '2026-10-31';
\i data/sample_book.sql
\i data/sample_sales.sql
SQL

expect_error "$PLAIN" "CALL account_tier.distribute_book()" 55000 \
  "distribute_book without Citus is refused"

# refused while it would change what someone may do or see
q "$DB" -c "CREATE ROLE tier_reader LOGIN; CREATE ROLE tier_rep LOGIN" -c "UPDATE account_tier.policy SET as_of = '2026-10-31'"
q "$DB" -c "UPDATE account_tier.policy SET enforce_lead_cap = true"
expect_error "$DB" "CALL account_tier.distribute_book()" 55000 "distribute_book refuses to drop an enforced lead cap"
q "$DB" -c "UPDATE account_tier.policy SET enforce_lead_cap = false"
q "$DB" -c "CALL account_tier.grant_reader('tier_rep', 'Anna Keller')"
expect_error "$DB" "CALL account_tier.distribute_book()" 0A000 \
  "distribute_book refuses while a role reads one owner's book only"
q "$DB" -c "CALL account_tier.revoke_access('tier_rep')" -c "GRANT SELECT ON account_tier.sales TO tier_rep"
expect_error "$DB" "CALL account_tier.distribute_book()" 0A000 \
  "distribute_book refuses while a role holds privileges on the book without every owner's book"
q "$DB" -c "REVOKE ALL ON account_tier.sales FROM tier_rep" -c "CALL account_tier.grant_reader('tier_reader')"

expect_ok "$DB" "distribute_book distributes the book" -c "CALL account_tier.distribute_book(8)"
layout=$(q "$DB" -c "
  SELECT string_agg(format('%s:%s:%s', p.logicalrelid::regclass, p.partmethod,
                           (SELECT count(*) FROM pg_dist_shard AS s WHERE s.logicalrelid = p.logicalrelid)),
                    ' ' ORDER BY p.logicalrelid::regclass::text)
  FROM pg_dist_partition AS p
  WHERE p.logicalrelid::regclass::text LIKE 'account_tier.%'")
colocated=$(q "$DB" -c "
  SELECT count(DISTINCT colocationid) FROM pg_dist_partition
  WHERE logicalrelid IN ('account_tier.accounts'::regclass, 'account_tier.sales'::regclass,
                         'account_tier.visits'::regclass, 'account_tier.tier_history'::regclass)")
want="account_tier.accounts:h:8 account_tier.policy:n:1 account_tier.sales:h:8 account_tier.tier_history:h:8 account_tier.visits:h:8"
if [ "$layout" = "$want" ] && [ "$colocated" = 1 ]; then
  ok "accounts, sales, visits and history in 8 colocated shards, the policy a reference table"
else
  not_ok "accounts, sales, visits and history in 8 colocated shards, the policy a reference table" \
    <(echo "got: $layout; colocation groups: $colocated")
fi
expect_error "$DB" "CALL account_tier.distribute_book()" 55000 "distribute_book a second time is refused"

expect_ok "$DB" "data/sample_book.sql and data/sample_sales.sql load the distributed book" \
  -f data/sample_book.sql -f data/sample_sales.sql
for db in "$PLAIN" "$DB"; do
  expect_ok "$db" "$db: snapshots of two days" \
    -c "UPDATE account_tier.policy SET as_of = '2026-04-30'" -c "CALL account_tier.snapshot()" \
    -c "UPDATE account_tier.policy SET as_of = '2026-10-31'" -c "CALL account_tier.snapshot()"
done

views=$work/views.txt
printf '%-20s %8s %s\n' relation rows 'distributed = plain' >"$views"
for rel in accounts sales visits tier_history policy current_policy owner_capacity account_tiers key_accounts \
           secondary_accounts prospects leads tier_summary pareto_curve owner_scorecard tier_changes; do
  for db in "$PLAIN" "$DB"; do
    capture "$db" "$rel" r >"$work/$rel.$db" 2>&1
  done
  rows=$(wc -l <"$work/$rel.$PLAIN")
  if [ "$rows" -gt 0 ] && cmp -s "$work/$rel.$PLAIN" "$work/$rel.$DB"; then
    ok "$rel: the distributed book shows the plain book's $rows rows"
    printf '%-20s %8s %s\n' "$rel" "$rows" yes >>"$views"
  else
    not_ok "$rel: the distributed book shows the plain book's $rows rows" \
      <(diff "$work/$rel.$PLAIN" "$work/$rel.$DB" | head -n 20)
    printf '%-20s %8s %s\n' "$rel" "$rows" no >>"$views"
  fi
done

# The rules that hold on shards.
expect_ok "$DB" "a lead is added to the distributed book" \
  -c "INSERT INTO account_tier.accounts (account_id, account_name, owner, status) VALUES ('LEAD-X', 'New', 'Anna Keller', 'lead')"
expect_error "$DB" "UPDATE account_tier.policy SET enforce_lead_cap = true" 23514 \
  "the lead cap cannot be switched on in a distributed book"
expect_error "$DB" "DELETE FROM account_tier.policy" 23000 "the policy row cannot be deleted"
expect_error "$DB" "TRUNCATE account_tier.policy" 23000 "the policy row cannot be truncated"
expect_error "$DB" "INSERT INTO account_tier.policy (singleton) VALUES (true)" 23505 "a second policy row is refused"
expect_error "$DB" "INSERT INTO account_tier.sales (account_id, booked_on, amount) VALUES ('NOPE', '2026-01-01', 1)" 23503 \
  "a sale of an unknown account is refused"
expect_error "$DB" "DELETE FROM account_tier.accounts WHERE account_id = 'ACC-00001'" 23503 \
  "an account with sales cannot be deleted"
expect_error "$DB" "CALL account_tier.grant_reader('tier_rep', 'Anna Keller')" 0A000 \
  "one owner's book cannot be given in a distributed book"
reader=$(psql -X -q -A -t -d "$DB" -c "SET ROLE tier_reader" \
  -c "SELECT md5(string_agg(t::text, E'\n' ORDER BY t.account_id)) FROM account_tier.account_tiers AS t" 2>&1)
owner=$(q "$DB" -c "SELECT md5(string_agg(t::text, E'\n' ORDER BY t.account_id)) FROM account_tier.account_tiers AS t")
if [ -n "$owner" ] && [ "$reader" = "$owner" ]; then ok "a role given every owner's book reads all of account_tiers"
else not_ok "a role given every owner's book reads all of account_tiers" <(echo "reader: $reader; owner: $owner"); fi

echo "# Shapes on $ROWS rows in 1,000 groups; 'on workers': whole where the workers run the"
echo "# function itself, partial where they aggregate their shards and the coordinator combines"
echo "# the states (no: the coordinator aggregates every row)"
sed 's/^/#   /' "$table"
echo "# The sample book, distributed (8 shards) against one server"
sed 's/^/#   /' "$views"
finish citus_stop
