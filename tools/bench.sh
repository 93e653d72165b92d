#!/usr/bin/env bash
# `make bench`: times account_tier against exact plain SQL on 2,000,000
# accounts, then the account book's views against a plain GROUP BY on
# 1,000,000 customers and 20,000,000 sales lines, in a throwaway PostgreSQL
# cluster (of PG_MAJOR, see tools/pg-major.sh) that is removed at the end.
# The report is printed and written to bench/results/latest.txt.
# BENCH_RUNS=N times each query N times instead of 5 (median reported).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
# shared_buffers holds the tables (about 100 MB, and 1.5 GB of sales lines),
# so every timed run reads them from PostgreSQL's own cache.  The cluster is
# thrown away: its loads need no WAL (wal_level minimal, tables emptied in the
# loading transaction) and no checkpoint while they run.
PGPORT=$(tools/free-port.sh) pg_virtualenv -v "${PG_MAJOR:-$(tools/pg-major.sh)}" -o shared_buffers=2GB -o wal_level=minimal -o max_wal_senders=0 \
  -o max_wal_size=8GB tools/bench-run.sh 2>&1 | tee bench/results/latest.txt
