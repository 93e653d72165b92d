#!/usr/bin/env bash
# The body of `make valgrind`: starts a PostgreSQL 15 server under valgrind's
# memcheck (every backend and worker it forks runs under it too), runs the
# suites of `make test' against it (tools/run-suites.sh), stops it, and fails
# on any error whose stack has a frame in account_tier.so.  PostgreSQL's own
# suppressions come from Debian's source package (tools/valgrind-supp.sh).
# The Debian server is not built with USE_VALGRIND, so memcheck sees palloc's
# blocks but not the chunks inside them: it finds reads of uninitialised
# memory and accesses outside malloc'd blocks, not every overrun of a chunk.
#
# VALGRIND_KEEP=1 keeps the cluster and valgrind's logs (the path is printed).
set -uo pipefail
cd "$(dirname "$0")/.."
start_time=$(date +%s)

if ! command -v valgrind >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: valgrind"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends valgrind
fi
supp=$(tools/valgrind-supp.sh) || { echo "cannot get PostgreSQL's valgrind.supp" >&2; exit 1; }

bindir=$(pg_config --bindir)
work=$(mktemp -d /tmp/account_tier-valgrind.XXXXXX)
mkdir -p "$work/vg"
cp "$supp" "$work/valgrind.supp"
# postgres refuses to run as root: the server runs as the postgres user then
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres: "$work"
  as_server=(runuser -u postgres --)
  export PGUSER=postgres
fi
"${as_server[@]}" "$bindir/initdb" -D "$work/data" --auth=trust -U "${PGUSER:-$(id -un)}" >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; exit 1; }

echo "== starting the server under valgrind (suppressions: $supp)"
"${as_server[@]}" valgrind --tool=memcheck --trace-children=yes --suppressions="$work/valgrind.supp" \
  --error-limit=no --num-callers=40 --leak-check=no --read-var-info=no \
  --xml=yes --xml-file="$work/vg/%p.xml" --log-file="$work/vg/%p.log" \
  "$bindir/postgres" -D "$work/data" -k "$work" -c listen_addresses= -c jit=off \
  -c fsync=off -c full_page_writes=off -c max_connections=30 >"$work/server.log" 2>&1 &
server=$!
export PGHOST=$work PGPORT=5432 PGDATABASE=postgres
for _ in $(seq 600); do
  pg_isready -q && break
  kill -0 "$server" 2>/dev/null || { echo "the server did not start:"; cat "$work/server.log"; exit 1; }
  sleep 1
done

# Calls run some twenty times slower under memcheck: no statement timeout in
# the fuzz run.
FUZZ_TIMEOUT=0 tools/run-suites.sh 2>&1 | tee "$work/suites.log"
suites_rc=${PIPESTATUS[0]}

echo "== stopping the server"
# a fast shutdown, sent to the postmaster itself (runuser may stand between)
kill -INT "$(head -n 1 "$work/data/postmaster.pid")"
wait "$server"

# The errors of every process, from valgrind's XML: those with a frame in
# account_tier.so are ours.
perl -e '
  my ($ours, $other, @report) = (0, 0);
  for my $file (glob "$ARGV[0]/*.xml") {
    open my $fh, "<", $file or next;
    my $xml = do { local $/; <$fh> };
    while ($xml =~ m{<error>(.*?)</error>}gs) {
      my $e = $1;
      if ($e !~ m{<obj>[^<]*/account_tier\.so</obj>}) { $other++; next }
      $ours++;
      my ($kind) = $e =~ m{<kind>(.*?)</kind>};
      my ($what) = $e =~ m{<what>(.*?)</what>};
      ($what) = $e =~ m{<xwhat>\s*<text>(.*?)</text>}s unless defined $what;
      my @frames;
      while ($e =~ m{<frame>(.*?)</frame>}gs) {
        my $f = $1;
        my ($fn) = $f =~ m{<fn>(.*?)</fn>};
        my ($src) = $f =~ m{<file>(.*?)</file>};
        my ($line) = $f =~ m{<line>(.*?)</line>};
        my ($obj) = $f =~ m{<obj>(.*?)</obj>};
        push @frames, sprintf "    %s (%s)", $fn // "?", defined $src ? "$src:$line" : $obj // "?";
        last if @frames >= 15;
      }
      push @report, "$kind: $what (" . ($file =~ s{.*/}{}r) . ")\n" . join("\n", @frames) . "\n";
    }
  }
  print "== valgrind errors with a frame in account_tier.so\n", @report;
  print "errors in our frames: $ours (errors elsewhere, in PostgreSQL or libraries: $other)\n";
  exit($ours ? 1 : 0);
' "$work/vg"
vg_rc=$?

summary=$(grep -E '^account_tier: [0-9]+ passed' "$work/suites.log" | tail -n 1)
echo "suites run: pg_regress, pgTAP, pg_dump / restore, fuzz; ${summary:-no summary line (the suites stopped early)}"
echo "time: $(( $(date +%s) - start_time ))s"
if [ "${VALGRIND_KEEP:-0}" = 1 ]; then
  echo "cluster and valgrind logs kept in $work"
else
  rm -rf "$work"
fi
[ "$suites_rc" -eq 0 ] || echo "note: the suites failed under valgrind (exit $suites_rc); see their output above"
exit "$vg_rc"
