#!/usr/bin/env bash
# The body of `make fuzz`: tools/fuzz.pl on a throwaway PostgreSQL 15 cluster
# (FUZZ_SEED, FUZZ_SECONDS, FUZZ_KNOWN, FUZZ_TIMEOUT, FUZZ_OUT: see there).
set -uo pipefail
cd "$(dirname "$0")/.."
exec pg_virtualenv -t -v 15 perl tools/fuzz.pl
