#!/usr/bin/env bash
# The Debian package on a system without it: installs it with apt (which
# brings the PostgreSQL server it depends on), creates the extension in a
# throwaway cluster and runs a query, then removes the package and checks
# that its files are gone and the server no longer offers the extension.
#
#   test/deb/run.sh postgresql-NN-account-tier_VERSION_ARCH.deb
#
# Installs and removes packages: run it as root on a system you may change
# (make test-matrix runs it in a throwaway root of each Debian release, where
# apt finds every package it needs in its cache).  Prints TAP; exits non-zero
# when a test fails.
set -uo pipefail
deb=$(realpath "${1:?usage: test/deb/run.sh PACKAGE.deb}")
pkg=$(dpkg-deb -f "$deb" Package)
major=$(sed -E -n 's/^postgresql-([0-9]+)-account-tier$/\1/p' <<<"$pkg")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# TAP output of its own, not test/lib/tap.sh: tools/test-matrix.sh copies
# this script alone, without the tree, into a clean root.
n=0
failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failures=$((failures + 1))
  echo "not ok $n - $1"
  [ -n "${2:-}" ] && tail -n 30 "$2" | sed 's/^/#   /'
  return 0
}
check() { local what=$1 log=$2; shift 2; if "$@" >"$log" 2>&1; then ok "$what"; else not_ok "$what" "$log"; fi; }

echo "1..6"
[ -n "$major" ] || { echo "Bail out! $deb is not a postgresql-NN-account-tier package"; exit 1; }

# The server's answers, in a throwaway cluster of PostgreSQL $major.
in_cluster() { pg_virtualenv -t -v "$major" psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "$deb" >"$work/install.log" 2>&1; then
  not_ok "$pkg installs with the packages it depends on" "$work/install.log"
  echo "Bail out! the package did not install"
  exit 1
fi
ok "$pkg installs with the packages it depends on"

ext=/usr/share/postgresql/$major/extension
version=$(sed -n -E "s/^default_version[[:space:]]*=[[:space:]]*'([^']*)'.*/\1/p" "$ext/account_tier.control" 2>/dev/null)
check "it holds the control file, the install script of version ${version:-?} and the library" "$work/files.log" \
  test -n "$version" -a -f "$ext/account_tier--$version.sql" -a -f "/usr/lib/postgresql/$major/lib/account_tier.so"

# 50, 30, 15 and 5 of 100: A while less than 80 is held above, B while less
# than 95 (README.md "Exact definitions"), so A, A, B, C.
in_cluster -c 'CREATE EXTENSION account_tier' \
  -c "SELECT extversion FROM pg_extension WHERE extname = 'account_tier'" \
  -c "SELECT string_agg(t::text, ',' ORDER BY v DESC)
      FROM (SELECT v, account_tier.abc_tier(v) OVER () AS t
            FROM (VALUES (50.0), (30.0), (15.0), (5.0)) AS s(v)) AS x" >"$work/query.log" 2>&1
printf '%s\n' "$version" 'A,A,B,C' >"$work/want"
if grep -v -E '^(Creating|Dropping) ' "$work/query.log" | cmp -s - "$work/want"; then
  ok "CREATE EXTENSION account_tier gives version $version, and abc_tier answers"
else
  not_ok "CREATE EXTENSION account_tier gives version $version, and abc_tier answers" "$work/query.log"
fi

check "$pkg is removed" "$work/remove.log" apt-get purge -y "$pkg"
left=$(ls "$ext"/account_tier* "/usr/lib/postgresql/$major/lib/account_tier.so" 2>/dev/null)
if [ -z "$left" ]; then ok "none of its files is left"; else echo "$left" >"$work/left"; not_ok "none of its files is left" "$work/left"; fi
in_cluster -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'account_tier'" >"$work/gone.log" 2>&1
if grep -v -E '^(Creating|Dropping) ' "$work/gone.log" | grep -qx 0; then
  ok "the server no longer offers the extension"
else
  not_ok "the server no longer offers the extension" "$work/gone.log"
fi

[ "$failures" -eq 0 ]
