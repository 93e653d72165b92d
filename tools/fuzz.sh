#!/usr/bin/env bash
# The body of `make fuzz`: tools/fuzz.pl on a throwaway cluster (PG_MAJOR)
# (FUZZ_SEED, FUZZ_SECONDS, FUZZ_KNOWN, FUZZ_TIMEOUT, FUZZ_OUT: see there).
set -uo pipefail
cd "$(dirname "$0")/.."
PGPORT=$(tools/free-port.sh) exec pg_virtualenv -t -v "${PG_MAJOR:-$(tools/pg-major.sh)}" perl tools/fuzz.pl
