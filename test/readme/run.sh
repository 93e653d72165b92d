#!/usr/bin/env bash
# README.md's SQL examples run as written and print what README.md shows.
#
# Every ```sql block of README.md runs, in order, in one psql session on a
# fresh database (the blocks install the extension, make their own schema
# and tables, load the example book); where a plain ``` block follows one,
# it is the output that block must print, line for line (trailing blanks
# aside); where none follows, the block must print nothing (psql -q: no
# result, no error).  Fragments that are not meant to run are marked ```pgsql.
#
# Needs a server (PG* variables, as inside pg_virtualenv) where account_tier
# is installed.  Prints TAP; exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

DB=account_tier_readme
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_readme.XXXXXX")
export PGOPTIONS="${PGOPTIONS:-} -c jit=off"

. test/lib/tap.sh

# The blocks: work/N.sql for each SQL block, work/N.want when an output
# block follows it, work/N.line its line in README.md.
perl -e '
  my ($dir, $n, $in, $kind, $start, $last) = ($ARGV[0], 0, 0, "", 0, "");
  open my $r, "<", "README.md" or die;
  my $body = "";
  while (<$r>) {
    if (!$in && /^```(\w*)\s*$/) {
      ($in, $kind, $start, $body) = (1, $1, $., "");
      next;
    }
    if ($in && /^```\s*$/) {
      $in = 0;
      if ($kind eq "sql") {
        $n++;
        open my $f, ">", "$dir/$n.sql" or die; print $f $body; close $f;
        open my $l, ">", "$dir/$n.line" or die; print $l "$start\n"; close $l;
        $last = "sql";
      } elsif ($kind eq "" && $last eq "sql") {
        open my $f, ">", "$dir/$n.want" or die; print $f $body; close $f;
        $last = "";
      } else {
        $last = "";
      }
      next;
    }
    if ($in) { $body .= $_; next }
    $last = "" if /\S/;   # prose between a block and the next: no output block
  }
  print "$n\n";
' "$work" >"$work/count" || bail "cannot read README.md"
blocks=$(cat "$work/count")

dropdb --if-exists "$DB" 2>/dev/null
createdb "$DB" || bail "cannot create database $DB"

# One session, each block's output after a marker line.
for i in $(seq 1 "$blocks"); do
  echo "\\echo '@@@ block $i'"
  cat "$work/$i.sql"
done >"$work/all.sql"
echo "\\echo '@@@ end'" >>"$work/all.sql"
env -u LC_ALL LC_NUMERIC=C psql -X -q -d "$DB" <"$work/all.sql" >"$work/all.out" 2>&1
# psql names the line of its input before each message: dropped, but kept
# as a mark on its own errors (a \copy that finds no file)
sed -i -E -e 's/^psql:<stdin>:[0-9]+: (ERROR|WARNING|NOTICE|DETAIL|HINT|CONTEXT|LINE)/\1/' \
          -e 's/^psql:<stdin>:[0-9]+: /psql error: /' "$work/all.out"
awk -v dir="$work" '/^@@@ (block [0-9]+|end)$/ { if (f) close(f); f = dir "/" $3 ".got"; next } f { print > f }' "$work/all.out"

# Lines without trailing blanks, and no blank lines at the end.
norm() { sed -E 's/[[:space:]]+$//' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }

for i in $(seq 1 "$blocks"); do
  line=$(cat "$work/$i.line")
  first=$(grep -m 1 -v -E '^\s*(--.*)?$' "$work/$i.sql" | cut -c 1-60)
  touch "$work/$i.got"
  # a block whose last statement has no semicolon would run with the next
  if ! grep -v -E '^\s*(--.*)?$' "$work/$i.sql" | tail -n 1 | grep -q -E '(;\s*(--.*)?|^\s*\\.*)$'; then
    echo "the block's last statement does not end with a semicolon: mark a fragment \`\`\`pgsql" >"$work/$i.diff"
    not_ok "README.md line $line is a statement that ends: $first" "$work/$i.diff"
  elif [ -f "$work/$i.want" ]; then
    if diff -u --label README.md --label psql <(norm "$work/$i.want") <(norm "$work/$i.got") >"$work/$i.diff"; then
      ok "README.md line $line prints what README.md shows: $first"
    else
      not_ok "README.md line $line prints what README.md shows: $first" "$work/$i.diff" 30
    fi
  elif [ -n "$(norm "$work/$i.got")" ]; then
    not_ok "README.md line $line runs and prints nothing (no output block follows it): $first" "$work/$i.got"
  else
    ok "README.md line $line runs and prints nothing (no output block follows it): $first"
  fi
done

finish dropdb --if-exists "$DB"
