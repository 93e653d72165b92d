#!/usr/bin/env bash
# Prints the PostgreSQL major version that `make test`, `make demo` and
# `make bench` build for and run on (Debian's packages of it): that of
# $PG_CONFIG (default pg_config) when its server headers are installed, else
# the one this Debian release ships, the version its `postgresql' package
# depends on.  `make test PG_MAJOR=17` overrides it.
set -euo pipefail

pg_config=${PG_CONFIG:-pg_config}
pgxs=$("$pg_config" --pgxs 2>/dev/null || true)
if [ -n "$pgxs" ] && [ -f "$pgxs" ]; then
  "$pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/'
  exit 0
fi

shipped() {
  { apt-cache show --no-all-versions postgresql 2>/dev/null || true; } |
    sed -n -E 's/^Depends:.*postgresql-([0-9]+).*/\1/p' | head -n 1
}
major=$(shipped)
if [ -z "$major" ]; then
  # a fresh machine may not have read its package lists yet
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  major=$(shipped)
fi
if [ -z "$major" ]; then
  echo "cannot tell which PostgreSQL this Debian release ships: set PG_MAJOR" >&2
  exit 1
fi
echo "$major"
