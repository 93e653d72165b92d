#!/usr/bin/env bash
# A state or partition that grows past what can be allocated fails cleanly
# with 54000 (program_limit_exceeded), never with out-of-memory (53200), the
# OOM killer or a crash.
#
# Starts a throwaway server whose address space is limited (ulimit -v), then
# feeds an aggregate and a window function more numeric-fallback values
# (numerics of about 1,000 digits, too wide for 128 bits) than fit in it.
# Needs pg_config of the server account_tier is installed in.  Prints TAP;
# exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

LIMIT_KB=${LIMIT_KB:-1048576}   # 1 GB of address space per server process
PORT=5432                        # in a socket directory of its own
bindir=$(pg_config --bindir)
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_memory.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb and postgres refuse to run as root
  chown postgres "$work"
  as_owner=(runuser -u postgres --)
fi

. test/lib/tap.sh

# The server is stopped however the script ends; finish removes $work once
# every test passed, and keeps it (with the server's log) otherwise.
stop_server() { "${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1; }
trap stop_server EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$work/data" -A trust -U postgres >"$work/initdb.log" 2>&1 \
  || bail "initdb failed" "$work/initdb.log"
( ulimit -v "$LIMIT_KB"
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -w -l "$work/server.log" \
    -o "-c port=$PORT -c listen_addresses='' -c unix_socket_directories='$work' -c shared_buffers=16MB -c jit=off -c max_parallel_workers_per_gather=0" \
    start >/dev/null ) \
  || bail "the server did not start" "$work/server.log"

# The SQLSTATE and message of a query that should fail, or "no error".
sqlstate_of() {
  psql -X -q -h "$work" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
       -c "SET client_min_messages = warning" -c "$1" 2>&1 >/dev/null \
    | sed -n -E 's/^(psql:.*)?ERROR: +([0-9A-Z]{5}): (.*)$/\2: \3/p' | head -n 1
}

if psql -X -q -h "$work" -p "$PORT" -U postgres -d postgres -c 'CREATE EXTENSION account_tier' >"$work/create.log" 2>&1; then
  ok "the extension installs on a server limited to $LIMIT_KB kB of address space"
else
  not_ok "the extension installs on a server limited to $LIMIT_KB kB of address space" "$work/create.log"
fi

# Values of 990 digits: 1e990 * i + i, about 500 bytes each as numerics.
values="SELECT 1e990 * i + i AS v FROM generate_series(1, 20000000) i"
want="54000: too many values in one partition or aggregate"

# fails_cleanly WHAT QUERY: the query, past the memory limit, fails with $want.
fails_cleanly() {
  local got
  got=$(sqlstate_of "$2")
  if [ "$got" = "$want" ]; then
    ok "$1 past the memory limit: $want"
  else
    echo "got: ${got:-no error}" >"$work/got.txt"
    not_ok "$1 past the memory limit: $want" "$work/got.txt"
  fi
}

fails_cleanly abc_cutoffs "SELECT account_tier.abc_cutoffs(v) FROM ($values) s"
fails_cleanly abc_tier "SELECT count(t) FROM (SELECT account_tier.abc_tier(v) OVER () AS t FROM ($values) s) w"

finish stop_server
