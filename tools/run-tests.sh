#!/usr/bin/env bash
# Runs every suite (pg_regress output tests, pgTAP suites, pg_dump / restore)
# on a throwaway cluster of PostgreSQL MAJOR and prints one summary line;
# exits non-zero on failure.  The cluster lives in a temporary directory
# (-t), also when run as root, on a port no other server uses
# (tools/free-port.sh), so that runs side by side do not share one cluster.
set -uo pipefail
major=${1:?usage: tools/run-tests.sh MAJOR}
cd "$(dirname "$0")/.."
# pg_regress and the build's settings of the same server (make installcheck)
export PG_CONFIG=/usr/lib/postgresql/$major/bin/pg_config
PGPORT=$(tools/free-port.sh) exec pg_virtualenv -t -v "$major" tools/run-suites.sh
