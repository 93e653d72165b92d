#!/usr/bin/env bash
# Runs every suite (pg_regress output tests, pgTAP suites, pg_dump / restore)
# on a throwaway PostgreSQL 15 cluster and prints one summary line; exits
# non-zero on failure.  The cluster lives in a temporary directory (-t), also
# when run as root, on a port no other server uses (tools/free-port.sh), so
# that runs side by side do not share one cluster.
set -uo pipefail
cd "$(dirname "$0")/.."
PGPORT=$(tools/free-port.sh) exec pg_virtualenv -t -v 15 tools/run-suites.sh
