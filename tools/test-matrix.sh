#!/usr/bin/env bash
# `make test-matrix`: every suite on every PostgreSQL version account_tier
# supports, each in a throwaway root of the Debian release that ships it
# (bookworm: 15, trixie: 17, forky: 18).  In each root, `make test` runs on
# that server (built with -Wall -Wextra -Werror), then `make deb` builds its
# Debian package, which test/deb/run.sh installs and removes in a clean root
# of the same release.  Prints one line per version and a total; exits
# non-zero when anything failed.
#
# Needs root on a Debian machine (it installs debootstrap if missing) and
# network to fetch the roots.  The roots are kept in .matrix/ (MATRIX_DIR)
# with the packages apt fetched, so that a second run fetches nothing; delete
# it to start afresh.  The tests run without network, each root in its own
# mount, PID and network namespace: its clusters never meet the machine's or
# another root's, and nothing it starts outlives it.
#
#   make test-matrix                  # 15, 17 and 18, side by side
#   make test-matrix MATRIX="15 18"   # some of them
#   MATRIX_JOBS=1 make test-matrix    # one after the other
#
# MATRIX_MIRROR names another Debian mirror; MATRIX_TIMEOUT (seconds, 2400)
# bounds each version.  Each version's logs: .matrix/logs/pgNN.log and, of
# the package test, pgNN-package.log.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
dir=${MATRIX_DIR:-$project/.matrix}
mirror=${MATRIX_MIRROR:-}	# empty: debootstrap's default mirror
layered=${layered:-no}	# overlayfs for the throwaway roots (see new_root)

# The Debian release that ships each supported server.
release_of() {
  case $1 in
    15) echo bookworm ;;
    17) echo trixie ;;
    18) echo forky ;;
    *) return 1 ;;
  esac
}

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# A throwaway root `run' on top of root `template': with overlayfs, `run'
# holds only what changes (upper, work) and where the two are seen together
# (merged, mounted by in_root); without it, a copy.  Prints the directory to
# write into before in_root runs.
new_root() {
  local template=$1 run=$2
  rm -rf --one-file-system "$run"
  mkdir -p "$run/merged"
  if [ "$layered" = yes ]; then
    mkdir -p "$run/upper" "$run/work"
    echo "$template" >"$run/lower"
    echo "$run/upper"
  else
    cp -a "$template/." "$run/merged/"
    echo "$run/merged"
  fi
}

# Runs bash command `cmd' as root inside root `root' (a root of new_root, or
# any directory holding a root), online or offline, in new mount and PID
# namespaces and, offline, a network namespace of its own with only
# loopback; `cache' is the release's apt package cache.  Every mount lives
# and dies with the namespaces, and so does every process started inside.
in_root() {
  local root=$1 mode=$2 cache=$3 cmd=$4
  local ns=(--mount --pid --fork --kill-child)
  [ "$mode" = offline ] && ns+=(--net)
  unshare "${ns[@]}" --propagation private bash -euc '
    root=$1 mode=$2 cache=$3 cmd=$4
    if [ -e "$root/lower" ]; then
      mount -t overlay overlay -o "lowerdir=$(cat "$root/lower"),upperdir=$root/upper,workdir=$root/work" "$root/merged"
    fi
    [ -d "$root/merged" ] && root=$root/merged
    if [ "$mode" = offline ]; then ip link set lo up; else cp /etc/resolv.conf "$root/etc/resolv.conf"; fi
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/dev/shm"
    mount -t tmpfs tmpfs "$root/tmp"
    mount --bind "$cache" "$root/var/cache/apt/archives"
    exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -euc "$cmd"
  ' in_root "$root" "$mode" "$cache" "$cmd"
}

# Whether overlayfs can be mounted here: "yes" or "no".
overlay_works() {
  local t=$dir/run/overlay-check
  rm -rf "$t" && mkdir -p "$t/lower" "$t/upper" "$t/work" "$t/merged"
  if unshare --mount --propagation private mount -t overlay overlay \
       -o "lowerdir=$t/lower,upperdir=$t/upper,workdir=$t/work" "$t/merged" 2>/dev/null; then
    echo yes
  else
    echo no
  fi
  rm -rf "$t"
}

# Copies the project (without .git and .matrix) to directory `to'.
copy_project() {
  mkdir -p "$1"
  tar -C "$project" --exclude=./.git --exclude=./.matrix -cf - . | tar -C "$1" -xf -
}

# The release's minimal root, made once with debootstrap.
base_root() {
  local rel=$1 base=$dir/roots/$1 script=/usr/share/debootstrap/scripts/$1
  [ -e "$base/.ready" ] && return 0
  # a debootstrap older than the release has no script for it: sid's serves
  [ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
  rm -rf --one-file-system "$base.new"
  say "debootstrap $rel from ${mirror:-the default mirror}"
  # (an empty mirror is debootstrap's default; it writes the root's
  # sources.list, naming the mirror it used)
  unshare --mount --propagation private debootstrap --variant=minbase \
    "$rel" "$base.new" "$mirror" "$script"
  # The roots are for testing: a mirror a little behind its Release file's
  # Valid-Until date (as testing's often is) must not stop them.
  echo 'Acquire::Check-Valid-Until "false";' >"$base.new/etc/apt/apt.conf.d/50test-matrix"
  rm -rf "$base.new/var/cache/apt/archives"/*.deb
  touch "$base.new/.ready"
  mv "$base.new" "$base"
}

# The release's root with the server, its headers, pgTAP and the build
# dependencies of the Debian package: made once, and brought up to date with
# tools/deps.sh and debian/control on every run.
server_root() {
  local v=$1 rel=$2 srv=$dir/roots/$2-pg$1 cache=$dir/apt/$2
  mkdir -p "$cache"
  if [ ! -e "$srv/.ready" ]; then
    rm -rf --one-file-system "$srv"
    cp -a "$dir/roots/$rel" "$srv"
  fi
  rm -f "$srv/.ready"
  rm -rf "$srv/var/tmp/project"
  copy_project "$srv/var/tmp/project"
  in_root "$srv" online "$cache" "
    cd /var/tmp/project
    tools/deps.sh $v
    dpkg-checkbuilddeps 2>/dev/null || apt-get build-dep -y -qq --no-install-recommends ./"
  rm -rf "$srv/var/tmp/project"
  touch "$srv/.ready"
}

# Where the packages built in root `run' are (make deb writes them to /build).
debs_of() {
  if [ -e "$1/lower" ]; then echo "$1/upper/build"; else echo "$1/merged/build"; fi
}

# Sums up version `v' from its log: its line, then "passed failed".
summarize() {
  local v=$1 rel=$2 seconds=$3 log=$dir/logs/pg$1.log tap=$dir/logs/pg$1-package.log
  local line ok not_ok tests="make test did not finish" package="package not tested"
  local passed failed
  line=$(grep -E '^account_tier: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
  ok=$(grep -c -E '^ok [0-9]+' "$tap" 2>/dev/null || true)
  not_ok=$(grep -c -E '^not ok [0-9]+' "$tap" 2>/dev/null || true)
  passed=$ok
  failed=$not_ok
  if [ -n "$line" ]; then
    tests="make test ${line#account_tier: }"
    passed=$((passed + $(sed -E 's/^.* ([0-9]+) passed.*$/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/^.* ([0-9]+) failed$/\1/' <<<"$line")))
  else
    failed=$((failed + 1))
  fi
  if grep -q -x '1\.\.6' "$tap" 2>/dev/null; then
    package="package $ok passed, $not_ok failed"
    # a test the package test planned but never ran failed too
    [ $((ok + not_ok)) -lt 6 ] && failed=$((failed + 6 - ok - not_ok))
  else
    failed=$((failed + 1))
  fi
  printf 'PostgreSQL %s (%s): %s; %s; %s\n' "$v" "$rel" "$tests" "$package" "$(elapsed "$seconds")"
  printf '%s %s\n' "$passed" "$failed" >&2
}

# Everything for PostgreSQL `v', logged to .matrix/logs/pgV.log; its line
# goes to .matrix/logs/pgV.result, its counts to pgV.counts.
one_version() {
  local v=$1 rel start=$SECONDS log=$dir/logs/pg$1.log
  local run=$dir/run/pg$1 clean=$dir/run/pg$1-clean cache top
  rm -f "$dir/logs/pg$v-package.log"
  rel=$(release_of "$v") || { echo "PostgreSQL $v: no Debian release is known to ship it"; exit 1; }
  cache=$dir/apt/$rel
  # (expanded now: the function's variables are gone when the trap runs)
  trap "summarize $v $rel \$((SECONDS - $start)) >'$dir/logs/pg$v.result' 2>'$dir/logs/pg$v.counts'
        rm -rf --one-file-system '$run' '$clean'" EXIT
  trap 'exit 1' TERM INT
  exec 3>&1 >"$log" 2>&1
  step() { say "PostgreSQL $v: $*" >&3; say "$*"; }

  step "the $rel roots"
  base_root "$rel"
  server_root "$v" "$rel"

  step "make test"
  top=$(new_root "$dir/roots/$rel-pg$v" "$run")
  copy_project "$top/build/account_tier"
  # built as the project's rule is: no warning passes
  in_root "$run" offline "$cache" "cd /build/account_tier && make -s clean &&
    make test PG_MAJOR=$v PG_CFLAGS='-Wall -Wextra -Werror'" || true

  step "make deb"
  in_root "$run" offline "$cache" "cd /build/account_tier && make -s clean && make deb" || true

  step "the package in a clean $rel root"
  top=$(new_root "$dir/roots/$rel" "$clean")
  # the server root's package lists name the versions apt's cache holds
  mkdir -p "$top/var/lib/apt/lists" "$top/root"
  cp -a "$dir/roots/$rel-pg$v/var/lib/apt/lists/." "$top/var/lib/apt/lists/"
  cp "$project/test/deb/run.sh" "$top/root/deb-test.sh"
  cp "$(debs_of "$run")"/postgresql-"$v"-account-tier_*.deb "$top/root/" || true
  in_root "$clean" offline "$cache" 'cd /root && ./deb-test.sh ./postgresql-*-account-tier_*.deb' \
    >"$dir/logs/pg$v-package.log" 2>&1 || true
  step "done"
}

if [ "${1:-}" = --one ]; then
  one_version "$2"
  exit
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "make test-matrix needs root (debootstrap, chroot, namespaces)" >&2
  exit 1
fi
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v ip >/dev/null || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

versions=(${MATRIX:-15 17 18})
jobs=${MATRIX_JOBS:-${#versions[@]}}
mkdir -p "$dir/logs" "$dir/run"
rm -f "$dir"/logs/*.result "$dir"/logs/*.counts
layered=$(overlay_works)
export layered
start=$SECONDS
pids=()
# (under set -e a failing command in the trap would become the exit
# status: the versions have usually ended, so kill finds nothing to stop)
trap 'kill "${pids[@]}" 2>/dev/null || true; wait || true; rm -rf --one-file-system "$dir/run"' EXIT
for v in "${versions[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  say "PostgreSQL $v: started, log in ${dir#"$project"/}/logs/pg$v.log"
  timeout -k 60 "${MATRIX_TIMEOUT:-2400}" "$project/tools/test-matrix.sh" --one "$v" &
  pids+=($!)
done
wait || true

echo
total_passed=0
total_failed=0
for v in "${versions[@]}"; do
  if [ -s "$dir/logs/pg$v.result" ]; then
    cat "$dir/logs/pg$v.result"
    read -r p f <"$dir/logs/pg$v.counts"
  else
    echo "PostgreSQL $v: did not finish (see ${dir#"$project"/}/logs/pg$v.log)"
    p=0 f=1
  fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
done
echo "all versions: $(elapsed $((SECONDS - start)))"
echo "test-matrix: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
