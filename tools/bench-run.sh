#!/usr/bin/env bash
# The body of `make bench`, run inside pg_virtualenv (PG* variables point at
# the throwaway cluster): loads the book and runs tools/bench.sql, then loads
# the account book and runs tools/bench-book.sql.
set -euo pipefail
cd "$(dirname "$0")/.."

psql_bench() {
  PGOPTIONS='-c client_min_messages=warning' \
    psql -X -q -v ON_ERROR_STOP=1 -d account_tier_bench "$@"
}

echo "== account_tier bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/^MemTotal:/ {printf "%.1f", $2 / 1048576}' /proc/meminfo) GB RAM"

createdb account_tier_bench
psql_bench -c 'CREATE EXTENSION account_tier'

echo
echo "== Loading 2,000,000 accounts (data/bench_book.sql), VACUUM ANALYZE, CHECKPOINT"
start=$(date +%s)
psql_bench -f data/bench_book.sql -c 'VACUUM ANALYZE public.t' -c 'CHECKPOINT'
echo "loaded in $(( $(date +%s) - start )) s"

psql_bench -v runs="${BENCH_RUNS:-5}" -f tools/bench.sql

echo
echo "== Loading the account book: 1,000,000 customers, 20,000,000 sales lines (data/bench_book_sales.sql)"
start=$(date +%s)
psql_bench -f data/bench_book_sales.sql -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
echo "loaded in $(( $(date +%s) - start )) s"

psql_bench -v runs="${BENCH_RUNS:-5}" -f tools/bench-book.sql
