#!/usr/bin/env bash
# The aggregates over shards reached with postgres_fdw: two loopback shard
# databases hold the rows of a table, split by grp; the main database sees
# them as one partitioned table of two foreign tables, whose server names
# account_tier in its extensions option.  With partitionwise aggregation,
# each aggregate GROUP BY grp (the partition key) runs on the shards: EXPLAIN
# VERBOSE shows it in each shard's remote query, and the answers equal those
# of the same rows in one local table.  Without the option nothing of the
# extension is sent (the aggregate runs locally on every row), and an
# aggregate over the whole table, which postgres_fdw cannot split, still
# gives the same answer.
#
# Needs a server (PG* variables, as inside pg_virtualenv) where account_tier
# and postgres_fdw are installed.  Prints TAP; exits non-zero when a test
# fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

DB=account_tier_fdw
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_fdw.XXXXXX")
export PGOPTIONS="${PGOPTIONS:-} -c jit=off -c client_min_messages=warning"

. test/lib/tap.sh

rows="SELECT i % 100 AS grp, i AS id,
             CASE WHEN i % 31 = 0 THEN NULL WHEN i % 13 = 0 THEN -(i % 50) / 4.0
                  ELSE round(power(1 + (abs(hashint4(i)) % 10000) / 100.0, 2)::numeric, 3) END AS v
      FROM generate_series(1, 20000) AS i"
for db in "$DB" "${DB}_s1" "${DB}_s2"; do
  dropdb --if-exists "$db" 2>/dev/null
  createdb "$db" || bail "cannot create database $db"
done
# shard 1 holds grp 0..49, shard 2 grp 50..99
for s in 1 2; do
  q "${DB}_s$s" >"$work/s$s.log" 2>&1 <<SQL || bail "setting up shard $s failed" "$work/s$s.log"
CREATE EXTENSION account_tier;
CREATE TABLE facts AS SELECT r.*, r.v::float8 AS f FROM ($rows) AS r WHERE r.grp / 50 = $s - 1;
ANALYZE facts;
SQL
done

q "$DB" >"$work/main.log" 2>&1 <<SQL || bail "setting up the main database failed" "$work/main.log"
CREATE EXTENSION account_tier;
CREATE EXTENSION postgres_fdw;
CREATE TABLE local_facts AS SELECT r.*, r.v::float8 AS f FROM ($rows) AS r;
CREATE TABLE facts (grp int, id int, v numeric, f float8) PARTITION BY RANGE (grp);
CREATE TABLE plain_facts (grp int, id int, v numeric, f float8) PARTITION BY RANGE (grp);
SQL
for s in 1 2; do
  # shards with the option (facts) and without it (plain_facts)
  for kind in tier plain; do
    extensions=""
    [ "$kind" = tier ] && extensions=", extensions 'account_tier'"
    q "$DB" -v host="${PGHOST:-localhost}" -v port="${PGPORT:-5432}" -v user="${PGUSER:-$(id -un)}" \
      -v password="${PGPASSWORD:-}" >>"$work/main.log" 2>&1 <<SQL || bail "making the foreign tables failed" "$work/main.log"
CREATE SERVER ${kind}_s$s FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host :'host', port :'port', dbname '${DB}_s$s' $extensions);
CREATE USER MAPPING FOR CURRENT_USER SERVER ${kind}_s$s
  OPTIONS (user :'user' $( [ -n "${PGPASSWORD:-}" ] && echo ", password :'password'"));
CREATE FOREIGN TABLE ${kind}_facts_s$s PARTITION OF $( [ "$kind" = tier ] && echo facts || echo plain_facts )
  FOR VALUES FROM ($(( (s - 1) * 50 ))) TO ($(( s * 50 )))
  SERVER ${kind}_s$s OPTIONS (table_name 'facts');
SQL
  done
done
q "$DB" -c "ANALYZE facts" -c "ANALYZE plain_facts" -c "ANALYZE local_facts" >/dev/null 2>&1

# The remote queries of EXPLAIN VERBOSE, one a line.
remote_sql() {
  q "$DB" -c "SET enable_partitionwise_aggregate = on" -c "EXPLAIN (VERBOSE, COSTS OFF) $1" \
    | sed -n -E 's/^ *Remote SQL: //p'
}
# A digest of a query's rows in the order of its first column.
digest() {
  q "$DB" -c "SET enable_partitionwise_aggregate = on" \
    -c "SELECT md5(string_agg(q::text, E'\n' ORDER BY q.k)) FROM ($1) AS q"
}

while read -r agg; do
  [ -n "$agg" ] || continue
  name=${agg%%(*}
  grouped="SELECT grp AS k, account_tier.$agg AS r FROM %s GROUP BY grp"
  remote=$(remote_sql "$(printf "$grouped" facts)")
  if [ "$(grep -c "account_tier\.$name(.*GROUP BY" <<<"$remote")" -eq 2 ]; then
    ok "$agg GROUP BY grp runs on both shards"
  else
    not_ok "$agg GROUP BY grp runs on both shards" <(echo "$remote")
  fi
  want=$(digest "$(printf "$grouped" local_facts)")
  got=$(digest "$(printf "$grouped" facts)")
  if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "$agg GROUP BY grp: the shards' answer is the local one"
  else not_ok "$agg GROUP BY grp: the shards' answer is the local one" <(echo "local $want, shards $got"); fi
done <<'LIST'
abc_cutoffs(v)
abc_cutoffs(f, 0.70, 0.90)
abc_cutoffs_by_count(v)
abc_cutoffs_computed(f)
abc_points(v)
pareto_summary(v)
lorenz_curve(v, 11)
LIST

grouped="SELECT grp AS k, account_tier.abc_cutoffs(v) AS r FROM %s GROUP BY grp"
remote=$(remote_sql "$(printf "$grouped" plain_facts)")
if [ -n "$remote" ] && ! grep -q "account_tier" <<<"$remote"; then
  ok "without extensions 'account_tier' the shards are only read"
else
  not_ok "without extensions 'account_tier' the shards are only read" <(echo "$remote")
fi
want=$(digest "$(printf "$grouped" local_facts)")
got=$(digest "$(printf "$grouped" plain_facts)")
if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "and the answer is the same"
else not_ok "and the answer is the same" <(echo "local $want, shards $got"); fi

whole="SELECT 0 AS k, account_tier.pareto_summary(v) AS r FROM %s"
want=$(digest "$(printf "$whole" local_facts)")
got=$(digest "$(printf "$whole" facts)")
if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "pareto_summary over both shards: the local answer"
else not_ok "pareto_summary over both shards: the local answer" <(echo "local $want, shards $got"); fi

cleanup() { for db in "$DB" "${DB}_s1" "${DB}_s2"; do dropdb --if-exists "$db"; done; }
finish cleanup
