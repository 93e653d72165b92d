#!/usr/bin/env bash
# `make demo`: builds a throwaway PostgreSQL cluster (of PG_MAJOR, see
# tools/pg-major.sh), loads an account book into it and prints its 80/20
# picture (tools/demo-run.sh does the work).  The cluster is removed when the
# demo ends, whatever happens; the Pareto chart is written outside it, to
# demo/pareto.png in the project's root.
#
# The book is the bundled sample (data/sample_book.sql, data/sample_sales.sql),
# or your own, from CSV files named by ACCOUNTS, SALES and (optionally) VISITS:
#
#   make demo ACCOUNTS=path/accounts.csv SALES=path/sales.csv [VISITS=path/visits.csv]
#   ACCOUNTS=... SALES=... tools/demo.sh
#
# Relative paths are taken from the directory make (or this script) runs in;
# data/example/ holds a small example book in this format.
#
# The CSV format: fields separated by commas (or by semicolons or tabs, as
# spreadsheets set to another locale write them: the first line says which),
# fields with separators, quotes or line breaks in double quotes, UTF-8 (a
# byte order mark and Windows line ends are fine).  With semicolons or tabs,
# a decimal comma in a number (1234,56) is read as a decimal point.  The
# first line names the columns: any of the table's columns, in any order,
# spelled as below.  An empty field is NULL (the column's default does not
# apply then: leave the column out instead).
#
#   ACCOUNTS -> account_tier.accounts, one line per account
#     account_id     required  the account's key, e.g. ACC-00042
#     account_name   required
#     owner                    the sales rep; empty = unassigned
#     status                   customer (the default), prospect or lead
#     potential                estimated yearly wallet, e.g. 125000
#     tier_override            A, B or C: a manager's pin
#     created_at               when the account was entered, e.g. 2025-03-14
#                              (leads are worked oldest first)
#   SALES -> account_tier.sales, one line per sale (or per month and account)
#     account_id     required  an account of ACCOUNTS
#     booked_on      required  e.g. 2026-10-31
#     amount         required  net amount; returns and credit notes negative
#     margin                   gross margin of the line
#     kind                     baseline (the default) or incremental
#   VISITS -> account_tier.visits, one line per field visit
#     account_id     required  an account of ACCOUNTS
#     visited_on     required  e.g. 2026-10-30
#     owner                    the rep who visited; empty = the account's owner
#     purpose                  incremental (new business, growth) or baseline
#                              (orders that would come anyway); empty = not recorded
#
# The files are checked (names, separators, columns) before any cluster is
# made, and loaded in one transaction: a line that does not load stops the
# demo with the file's line number and the reason, and nothing is loaded.
# The book is described as of the latest booked_on in SALES: revenue is the
# net of the 12 months up to that day, compared with the 12 months before.
set -euo pipefail
cd_back=$PWD
cd "$(dirname "$0")/.."

fail() {
  echo "demo: $*" >&2
  exit 2
}

. tools/demo/check-csv.sh

# The CSV files, checked before any cluster is made and named by absolute
# path, since the demo runs from the project's root.
for var in ACCOUNTS SALES VISITS; do
  file=${!var:-}
  if [ -z "$file" ]; then
    unset "$var"
    continue
  fi
  # relative to where the demo was started
  path=$file
  [[ $path == /* ]] || path="$cd_back/$path"
  [ -e "$path" ] || fail "$var=$file: no such file"
  [ -f "$path" ] || fail "$var=$file: not a regular file"
  [ -r "$path" ] || fail "$var=$file: not readable"
  [ -s "$path" ] || fail "$var=$file: the file is empty; its first line must name the columns"
  check_header "$var" "$path" "$file"
  export "$var=$(realpath "$path")"
done
if [ -n "${ACCOUNTS:-}${SALES:-}${VISITS:-}" ] && { [ -z "${ACCOUNTS:-}" ] || [ -z "${SALES:-}" ]; }; then
  fail "your own book needs both ACCOUNTS and SALES (VISITS is optional), e.g.
  make demo ACCOUNTS=path/accounts.csv SALES=path/sales.csv"
fi

mkdir -p demo
# a chart from an earlier run must not pass for this one's
rm -f demo/pareto.png

# A mistake in the CSV files is reported by tools/demo-run.sh, which then
# ends normally so that pg_virtualenv does not print the server's logs after
# it: the exit status comes back through this file.
DEMO_STATUS=$(mktemp)
export DEMO_STATUS
trap 'rm -f "$DEMO_STATUS"' EXIT
# -t: the cluster lives in a temporary directory even when run as root, so a
# `make test` running at the same time does not stand in the way.
# on a port no other server uses, so that demos and tests can run side by side
PGPORT=$(tools/free-port.sh) pg_virtualenv -t -v "${PG_MAJOR:-$(tools/pg-major.sh)}" tools/demo-run.sh
status=$(cat "$DEMO_STATUS")
exit "${status:-0}"
