#!/usr/bin/env bash
# Runs every suite (pg_regress output tests, then pgTAP suites) on a throwaway
# PostgreSQL 15 cluster and prints one summary line; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
exec pg_virtualenv -v 15 tools/run-suites.sh
