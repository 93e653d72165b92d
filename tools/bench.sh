#!/usr/bin/env bash
# `make bench`: times account_tier against exact plain SQL on 2,000,000
# accounts, in a throwaway PostgreSQL 15 cluster that is removed at the end.
# The report is printed and written to bench/results/latest.txt.
# BENCH_RUNS=N times each query N times instead of 5 (median reported).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
# shared_buffers holds the whole table (about 100 MB), so every timed run
# reads it from PostgreSQL's own cache.
pg_virtualenv -v 15 -o shared_buffers=512MB tools/bench-run.sh 2>&1 | tee bench/results/latest.txt
