#!/usr/bin/env bash
# `make demo`'s CSV loader (tools/demo/check-csv.sh, tools/demo/load-book.sh)
# on the bundled example book and on broken copies of it: the example loads
# whole, also semicolon-separated with decimal commas, a byte order mark and
# Windows line ends; a missing column, an unknown separator, an empty file
# and a file of column names only are refused before any cluster is made;
# an unknown account and a bad number are refused with the file's line
# number; and whatever is refused leaves nothing loaded.
#
# Needs a server (PG* variables, as inside pg_virtualenv) where account_tier
# is installed.  Prints TAP; exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

DB=account_tier_loader
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_loader.XXXXXX")
export PGOPTIONS="${PGOPTIONS:-} -c jit=off -c client_min_messages=warning"

. test/lib/tap.sh
psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
user_error() { echo "user error: $*" >&2; exit 2; }
fail() { echo "$*" >&2; exit 2; }
. tools/demo/check-csv.sh
. tools/demo/load-book.sh

ex=data/example
# The broken copies.
cp "$ex/accounts.csv" "$ex/sales.csv" "$ex/visits.csv" "$work/"
sed '17s/ACC-[0-9]*/ACC-99999/' "$ex/sales.csv" >"$work/sales_unknown.csv"
sed -E '40s/^([^,]*,[^,]*,)[^,]*/\112x.5/' "$ex/sales.csv" >"$work/sales_bad_number.csv"
cut -d, -f1,2,4,5 "$ex/sales.csv" >"$work/sales_no_amount.csv"
: >"$work/empty.csv"
tr ',' '|' <"$ex/accounts.csv" >"$work/accounts_pipes.csv"
head -n 1 "$ex/accounts.csv" >"$work/accounts_names_only.csv"
# as a spreadsheet set to a European locale saves them: semicolons, decimal
# commas, a byte order mark, Windows line ends (the example has no quoted
# fields and no commas in its names)
for f in accounts sales visits; do
  { printf '\xef\xbb\xbf'; sed -E -e 's/,/;/g' -e 's/([0-9])\.([0-9])/\1,\2/g' -e 's/$/\r/' "$ex/$f.csv"; } \
    >"$work/${f}_semicolons.csv"
done

# load [VAR=FILE...]: checks the first lines, loads the files into a fresh
# database; prints the messages.  Status 0 when the book loaded.
load() (
  unset ACCOUNTS SALES VISITS
  for a in "$@"; do export "$a"; done
  dropdb --if-exists "$DB" 2>/dev/null
  createdb "$DB" && psql_demo -c 'CREATE EXTENSION account_tier' || exit 3
  for var in ACCOUNTS SALES VISITS; do
    [ -n "${!var:-}" ] && check_header "$var" "${!var}" "$(basename "${!var}")"
  done
  load_book
) 2>&1

# What the book holds.
book() {
  q "$DB" -c "SELECT format('%s accounts, %s sales (%s), %s visits',
                            (SELECT count(*) FROM account_tier.accounts),
                            (SELECT count(*) FROM account_tier.sales), (SELECT sum(amount) FROM account_tier.sales),
                            (SELECT count(*) FROM account_tier.visits))"
}
lines() { echo $(( $(wc -l <"$1") - 1 )); }

out=$(load ACCOUNTS="$work/accounts.csv" SALES="$work/sales.csv" VISITS="$work/visits.csv")
got=$(book)
want="$(lines "$ex/accounts.csv") accounts, $(lines "$ex/sales.csv") sales ($(awk -F, 'NR > 1 { s += $3 } END { printf "%.2f", s }' "$ex/sales.csv")), $(lines "$ex/visits.csv") visits"
if [ "$got" = "$want" ]; then ok "the example book loads whole: $got"
else printf 'got:  %s\nwant: %s\n%s\n' "$got" "$want" "$out" >"$work/example"; not_ok "the example book loads whole" "$work/example"; fi

out=$(load ACCOUNTS="$work/accounts_semicolons.csv" SALES="$work/sales_semicolons.csv" VISITS="$work/visits_semicolons.csv")
got2=$(book)
if [ "$got2" = "$want" ]; then
  ok "semicolon-separated with decimal commas, a byte order mark and Windows line ends, it loads the same"
else
  printf 'got:  %s\nwant: %s\n%s\n' "$got2" "$want" "$out" >"$work/semicolons"
  not_ok "semicolon-separated with decimal commas, a byte order mark and Windows line ends, it loads the same" \
         "$work/semicolons"
fi

# refused FILE-ARGS PATTERN TITLE: the load fails, its message matches, and
# the book is empty.
refused() {
  local pattern=$1 title=$2 out got
  shift 2
  if out=$(load "$@"); then
    echo "$out" >"$work/refused"
    not_ok "$title: refused" "$work/refused"
    return
  fi
  got=$(book 2>/dev/null)
  if ! grep -q -E "$pattern" <<<"$out"; then
    printf 'message does not match %s:\n%s\n' "$pattern" "$out" >"$work/refused"
    not_ok "$title: refused with a message naming it" "$work/refused"
  elif [ -n "$got" ] && [ "$got" != "0 accounts, 0 sales (), 0 visits" ]; then
    printf 'the book holds %s\n%s\n' "$got" "$out" >"$work/refused"
    not_ok "$title: refused, nothing loaded" "$work/refused"
  else
    ok "$title: refused, nothing loaded ($(grep -m 1 -o -E "$pattern" <<<"$out"))"
  fi
}
refused 'sales_unknown.csv, line 17: .*foreign key' 'a sale of an unknown account' \
  ACCOUNTS="$work/accounts.csv" SALES="$work/sales_unknown.csv" VISITS="$work/visits.csv"
refused 'sales_bad_number.csv, line 40: invalid input syntax for type numeric: "12x.5"' 'a bad amount' \
  ACCOUNTS="$work/accounts.csv" SALES="$work/sales_bad_number.csv"
refused 'sales_no_amount.csv: the first line has no column "amount"' 'a missing required column' \
  ACCOUNTS="$work/accounts.csv" SALES="$work/sales_no_amount.csv"
refused 'accounts_pipes.csv: the first line is one unknown column name' 'fields separated by |' \
  ACCOUNTS="$work/accounts_pipes.csv" SALES="$work/sales.csv"
refused 'accounts_names_only.csv: the file has no line after its first' 'a file of column names only' \
  ACCOUNTS="$work/accounts_names_only.csv" SALES="$work/sales.csv"
refused 'empty.csv: the first line is empty' 'an empty file' \
  ACCOUNTS="$work/accounts.csv" SALES="$work/empty.csv"

finish dropdb --if-exists "$DB"
