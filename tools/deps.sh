#!/usr/bin/env bash
# Installs the Debian packages that building and testing for PostgreSQL MAJOR
# need, and with `demo' those of the demo's chart too, skipping those already
# present.
set -euo pipefail
major=${1:?usage: tools/deps.sh MAJOR [demo]}

# make test, demo and bench also install the extension: root or sudo is needed.
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "deps: run as root, or install sudo: the Debian packages below and the extension itself" >&2
  echo "      are installed into the system (apt-get install, make install)" >&2
  exit 1
fi

packages=(postgresql-$major postgresql-server-dev-$major postgresql-$major-pgtap
          libtap-parser-sourcehandler-pgtap-perl make gcc)
# gnuplot-nox and its font draw the demo's Pareto chart (tools/demo/pareto.gp).
[ "${2:-}" = demo ] && packages+=(gnuplot-nox fonts-dejavu-core)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
