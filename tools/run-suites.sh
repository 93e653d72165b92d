#!/usr/bin/env bash
# The body of `make test`, run inside pg_virtualenv (PG* variables point at
# the throwaway cluster): pg_regress output tests, pgTAP suites (pg_prove),
# then the TAP tests of the shell (prove): the pg_dump / restore round trip,
# the update of a loaded book, concurrent sessions, the CSV loader, the
# aggregates on shards through postgres_fdw, the memory limits (on a server
# of its own), README.md's SQL examples and the release files; then a short
# fuzz run.  Prints one summary line; exits non-zero when anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0

echo "== pg_regress output tests"
total=$(ls test/sql/*.sql | wc -l)
if make -s installcheck; then
  passed=$((passed + total))
else
  status=1
  # "test x ... FAILED" up to PostgreSQL 15, "not ok N - x" (TAP) from 16 on
  nfail=$(grep -c -E '\.\.\. FAILED|^not ok ' regression.out 2>/dev/null || true)
  [ "${nfail:-0}" -gt 0 ] || nfail=$total
  [ -s regression.diffs ] && head -n 200 regression.diffs
  failed=$((failed + nfail))
  passed=$((passed + total - nfail))
fi

# tap TITLE COMMAND...: runs a TAP harness (pg_prove or prove), shows its
# output and adds its counts to the totals.  A harness that fails without a
# failed test in its summary (a script that died or bailed out) counts one.
tap() {
  local title=$1 log rc tests fails
  shift
  echo "== $title"
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  tests=$(sed -n -E 's/^Files=[0-9]+, Tests=([0-9]+).*/\1/p' "$log")
  fails=$(awk '/Failed [0-9]+\/[0-9]+ subtests/ { split($2, f, "/"); n += f[1] } END { print n + 0 }' "$log")
  rm -f "$log"
  tests=${tests:-0}
  [ "$rc" -eq 0 ] || { status=1; [ "$fails" -gt 0 ] || fails=1; }
  passed=$((passed + tests - fails))
  [ "$passed" -ge 0 ] || passed=0
  failed=$((failed + fails))
}

createdb pgtap_suites
psql -q -d pgtap_suites -c 'CREATE EXTENSION pgtap'
tap "pgTAP suites" pg_prove -d pgtap_suites --ext .sql -r test/pgtap
tap "pg_dump / restore, a loaded book updated, concurrent sessions, the CSV loader, aggregates on shards through postgres_fdw, memory limits, README, release files" \
  prove test/dump/run.sh test/upgrade/run.sh test/concurrency/run.sh test/demo/run.sh test/fdw/run.sh \
  test/memory/run.sh test/readme/run.sh test/release/run.sh

# A short fuzz run with a fixed seed (`make fuzz' runs longer, any seed).
echo "== fuzz (seed 20261201, 25 seconds)"
if FUZZ_SEED=20261201 FUZZ_SECONDS=25 perl tools/fuzz.pl; then
  passed=$((passed + 1))
else
  status=1
  failed=$((failed + 1))
fi

echo
echo "account_tier: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
