#!/usr/bin/env bash
# Prints the path of PostgreSQL's own valgrind suppressions
# (src/tools/valgrind.supp) for the installed postgresql-15, taken from
# Debian's source package on first use and kept in a cache directory
# (VALGRIND_SUPP_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/account_tier).
# The system's apt sources are left as they are: the deb-src lines live in a
# private apt configuration made for the download.
set -euo pipefail

cache=${VALGRIND_SUPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/account_tier}
version=$(dpkg-query -W -f='${Version}' postgresql-15)
upstream=${version%%-*}
supp=$cache/valgrind-$upstream.supp
if [ -s "$supp" ]; then
  echo "$supp"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/parts" "$work/lists/partial" "$work/cache/archives/partial" "$work/src"

# the system's binary sources, as source sources
{ grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true; } |
  sed 's/^deb /deb-src /' > "$work/sources.list"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] && sed 's/^Types:.*/Types: deb-src/' "$f" > "$work/parts/$(basename "$f")"
done
private=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts="$work/parts"
         -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o Debug::NoLocking=1
         -o APT::Sandbox::User="$(id -un)")
apt=(apt-get -q "${private[@]}")
"${apt[@]}" update >&2
cd "$work/src"
# the installed version's source, else the newest one the mirrors still
# serve (a security mirror may list a version whose files it no longer has;
# the suppressions change little between minor versions)
for v in "$version" $(apt-cache "${private[@]}" showsrc postgresql-15 2>/dev/null | sed -n 's/^Version: //p' | sort -rV | uniq); do
  "${apt[@]}" source --download-only "postgresql-15=$v" >&2 && break
done
tarball=$(ls postgresql-15_*.orig.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "no source of postgresql-15 could be downloaded" >&2; exit 1; }
mkdir -p "$cache"
# bzip2 through perl's own module: the bzip2 program is often not installed
member='*/src/tools/valgrind.supp'
case "$tarball" in
  *.bz2) perl -MIO::Uncompress::Bunzip2=bunzip2 -e 'bunzip2($ARGV[0] => "-") or die' "$tarball" |
           tar -x -f - --wildcards -O "$member" > "$supp.tmp" ;;
  *) tar -x -f "$tarball" --wildcards -O "$member" > "$supp.tmp" ;;
esac
[ -s "$supp.tmp" ] || { echo "no src/tools/valgrind.supp in $tarball" >&2; exit 1; }
mv "$supp.tmp" "$supp"
echo "$supp"
