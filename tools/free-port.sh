#!/usr/bin/env bash
# Prints the port a throwaway cluster should use: $PGPORT when set, else a
# port between 5433 and 5532 that nothing listens on (on localhost) and that
# no other cluster's socket file claims, so that `make test` and `make demo`
# can run side by side with each other and with a server already running.
# The search starts at a place picked by the process id, so two runs started
# at the same moment do not both take the first free port.
set -euo pipefail
if [ -n "${PGPORT:-}" ]; then
  echo "$PGPORT"
  exit 0
fi
start=$(( $$ % 100 ))
for i in $(seq 0 99); do
  port=$(( 5433 + (start + i) % 100 ))
  # a connection that succeeds means the port is taken
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  [ -e "/var/run/postgresql/.s.PGSQL.$port.lock" ] && continue
  [ -e "/tmp/.s.PGSQL.$port.lock" ] && continue
  echo "$port"
  exit 0
done
echo "free-port.sh: no free port between 5433 and 5532; set PGPORT" >&2
exit 1
