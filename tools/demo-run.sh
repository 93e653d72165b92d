#!/usr/bin/env bash
# The body of `make demo`, run inside pg_virtualenv (PG* variables point at
# the throwaway cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

# psql prints amounts with thousands separators (\pset numericlocale): use the
# C locale's 1,234.56 so the output reads the same on every machine.
psql_demo() {
  env -u LC_ALL LC_NUMERIC=C PGOPTIONS='-c client_min_messages=warning' \
    psql -X -q -v ON_ERROR_STOP=1 -d account_tier_demo "$@"
}

createdb account_tier_demo
psql_demo -c 'CREATE EXTENSION account_tier'
psql_demo -f data/sample_book.sql
psql_demo -f tools/demo.sql
