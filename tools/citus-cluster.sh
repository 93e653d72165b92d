# tools/citus-cluster.sh — a throwaway Citus cluster on loopback: one
# coordinator and two workers, each a server of its own in $work, sharing
# nothing with any other server.  Sourced, not run; the caller sets work (a
# scratch directory).  Needs a Citus built for the PostgreSQL of pg_config.
#
#   citus_installed             true when pg_config's server has Citus
#   citus_free_ports            prints a port PORT such that PORT, PORT+1 and
#                               PORT+2 are free on loopback
#   citus_start PORT            initdb and start the three servers on ports
#                               PORT, PORT+1 and PORT+2, then join the workers
#   citus_stop                  stop them
#
# After citus_start, PGHOST ($work) and PGPORT lead psql to the coordinator;
# the workers listen on PGPORT+1 and PGPORT+2.

pg_config=${PG_CONFIG:-pg_config}
citus_bindir=$("$pg_config" --bindir)

citus_installed() {
  [ -f "$("$pg_config" --pkglibdir)/citus.so" ] && [ -f "$("$pg_config" --sharedir)/extension/citus.control" ]
}

citus_free_ports() {
  local port i
  for port in $(seq $((6000 + $$ % 50 * 10)) 10 6990); do
    for i in 0 1 2; do
      # a connection that succeeds means the port is taken
      (exec 3<>"/dev/tcp/127.0.0.1/$((port + i))") 2>/dev/null && continue 2
    done
    echo "$port"
    return 0
  done
  return 1
}

# initdb and postgres refuse to run as root
citus_as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  citus_as_owner=(runuser -u postgres --)
fi

citus_node() {
  local name=$1 port=$2
  local settings="-c listen_addresses=127.0.0.1 -c unix_socket_directories='$work'"
  settings+=" -c shared_preload_libraries=citus -c max_connections=200 -c max_prepared_transactions=200"
  settings+=" -c shared_buffers=256MB -c work_mem=64MB -c max_wal_size=4GB -c jit=off"
  settings+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  "${citus_as_owner[@]}" "$citus_bindir/initdb" -D "$work/$name" -A trust -U postgres \
    >"$work/$name-initdb.log" 2>&1 || return 1
  "${citus_as_owner[@]}" "$citus_bindir/pg_ctl" -D "$work/$name" -w -l "$work/$name.log" \
    -o "$settings -c port=$port" start >/dev/null 2>&1
}

citus_start() {
  local port=$1
  [ "$(id -u)" -eq 0 ] && chown postgres "$work"
  export PGHOST=$work PGPORT=$port PGUSER=postgres
  citus_node coordinator "$port" && citus_node worker1 $((port + 1)) && citus_node worker2 $((port + 2)) \
    || return 1
  local p
  for p in "$port" $((port + 1)) $((port + 2)); do
    psql -X -q -p "$p" -d postgres -c 'CREATE EXTENSION citus' || return 1
  done
  psql -X -q -p "$port" -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', $port);
SELECT citus_add_node('127.0.0.1', $((port + 1)));
SELECT citus_add_node('127.0.0.1', $((port + 2)));
SQL
}

citus_stop() {
  local name
  for name in worker2 worker1 coordinator; do
    [ -d "$work/$name" ] && "${citus_as_owner[@]}" "$citus_bindir/pg_ctl" -D "$work/$name" -m immediate stop \
      >/dev/null 2>&1
  done
  return 0
}
