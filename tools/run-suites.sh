#!/usr/bin/env bash
# The body of `make test`, run inside pg_virtualenv (PG* variables point at
# the throwaway cluster): pg_regress output tests, pgTAP suites, the
# pg_dump / restore round trip of test/dump/run.sh, then a short fuzz run.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0

echo "== pg_regress output tests"
if make -s installcheck; then regress_ok=1; else regress_ok=0; fi
total=$(ls test/sql/*.sql | wc -l)
if [ "$regress_ok" -eq 1 ]; then
  passed=$((passed + total))
else
  nfail=$(grep -c -E '\.\.\. FAILED' regression.out 2>/dev/null || true)
  [ "${nfail:-0}" -gt 0 ] || nfail=$total
  [ -s regression.diffs ] && head -n 200 regression.diffs
  failed=$((failed + nfail))
  passed=$((passed + total - nfail))
fi

echo "== pgTAP suites"
createdb pgtap_suites
psql -q -d pgtap_suites -c 'CREATE EXTENSION pgtap'
log=$(mktemp)
pg_prove -d pgtap_suites --ext .sql -r test/pgtap 2>&1 | tee "$log"
tap_rc=${PIPESTATUS[0]}
tap_total=$(grep -E '^Files=' "$log" | sed -E 's/.*Tests=([0-9]+).*/\1/')
tap_failed=$(awk '/^Failed [0-9]+\/[0-9]+ subtests/ { split($2, f, "/"); n += f[1] } END { print n + 0 }' "$log")
tap_total=${tap_total:-0}
tap_failed=${tap_failed:-0}
if [ "$tap_rc" -ne 0 ] && [ "$tap_failed" -eq 0 ]; then tap_failed=1; fi
passed=$((passed + tap_total - tap_failed))
failed=$((failed + tap_failed))
rm -f "$log"

echo "== pg_dump and restore"
log=$(mktemp)
test/dump/run.sh 2>&1 | tee "$log"
dump_rc=${PIPESTATUS[0]}
dump_passed=$(grep -c -E '^ok [0-9]+' "$log" || true)
dump_failed=$(grep -c -E '^not ok [0-9]+' "$log" || true)
dump_planned=$(sed -n -E 's/^1\.\.([0-9]+)$/\1/p' "$log" | tail -n 1)
# A test that never ran (the script stopped early) is a failed one.
if [ -n "$dump_planned" ] && [ "$dump_planned" -gt $((dump_passed + dump_failed)) ]; then
  dump_failed=$((dump_planned - dump_passed))
fi
if [ "$dump_rc" -ne 0 ] && [ "$dump_failed" -eq 0 ]; then dump_failed=1; fi
passed=$((passed + dump_passed))
failed=$((failed + dump_failed))
rm -f "$log"

# A short fuzz run: fixed seed, the input shapes that hold today (the shapes of
# defects known and being fixed are left out; `make fuzz' includes them).
echo "== fuzz (seed 20261201, 25 seconds)"
if FUZZ_SEED=20261201 FUZZ_SECONDS=25 FUZZ_KNOWN=avoid perl tools/fuzz.pl; then
  fuzz_rc=0
  passed=$((passed + 1))
else
  fuzz_rc=1
  failed=$((failed + 1))
fi

echo
echo "account_tier: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$regress_ok" -eq 1 ] && [ "$tap_rc" -eq 0 ] && [ "$dump_rc" -eq 0 ] && [ "$fuzz_rc" -eq 0 ]
