#!/usr/bin/env bash
# The body of `make demo`, run by tools/demo.sh inside pg_virtualenv (PG*
# variables point at the throwaway cluster), as the user who ran it, from the
# project's root.
#
# Without ACCOUNTS and SALES: loads the bundled sample book, prints what the
# core functions make of it (tools/demo.sql, on demo.accounts), then loads it
# into the extension's tables and prints the book (tools/demo-book.sql).
# With them (absolute paths, checked by tools/demo.sh; the format is described
# there): loads the CSV files into the tables and prints only the book.
# Either way, ends with the Pareto chart, demo/pareto.png.
set -euo pipefail
cd "$(dirname "$0")/.."

# psql prints amounts with thousands separators (\pset numericlocale): use the
# C locale's 1,234.56 so the output reads the same on every machine.
psql_demo() {
  env -u LC_ALL LC_NUMERIC=C PGOPTIONS='-c client_min_messages=warning' \
    psql -X -q -v ON_ERROR_STOP=1 -d account_tier_demo "$@"
}

# A mistake in the user's files: said plainly, and the exit status handed to
# tools/demo.sh (the server's logs would not help).
user_error() {
  echo "demo: $*" >&2
  if [ -n "${DEMO_STATUS:-}" ]; then
    echo 2 > "$DEMO_STATUS"
    exit 0
  fi
  exit 2
}

# join WORD...: the words, comma-separated
join() {
  local IFS=, words
  words="$*"
  echo "${words//,/, }"
}

# load_csv TABLE FILE: \copy FILE into account_tier.TABLE, with the file's
# header line as the column list.
load_csv() {
  local table=$1 file=$2 header name
  local -a columns=() known required numbered
  # the table's columns, those a line must give (NOT NULL, no default) and
  # those the database numbers itself (identity)
  read -r -a known <<< "$(psql_demo -At -c "
    SELECT string_agg(attname, ' ' ORDER BY attnum) FROM pg_attribute
    WHERE attrelid = 'account_tier.$table'::regclass AND attnum > 0 AND NOT attisdropped
      AND attidentity = ''")"
  read -r -a numbered <<< "$(psql_demo -At -c "
    SELECT string_agg(attname, ' ' ORDER BY attnum) FROM pg_attribute
    WHERE attrelid = 'account_tier.$table'::regclass AND attnum > 0 AND NOT attisdropped
      AND attidentity <> ''")"
  read -r -a required <<< "$(psql_demo -At -c "
    SELECT string_agg(attname, ' ' ORDER BY attnum) FROM pg_attribute
    WHERE attrelid = 'account_tier.$table'::regclass AND attnum > 0 AND NOT attisdropped
      AND attnotnull AND NOT atthasdef AND attidentity = ''")"

  IFS= read -r header < "$file" || true
  header=${header#$'\xef\xbb\xbf'}   # a spreadsheet's byte order mark
  header=${header%$'\r'}
  [ -n "$header" ] || user_error "$file: the first line is empty; it must name the file's columns,
  any of: $(join "${known[@]}")"
  # a trailing comma makes a last, empty name: refused below
  IFS=, read -r -a names <<< "$header,"
  for name in "${names[@]}"; do
    name=$(sed -e 's/^[[:space:]]*"\{0,1\}//' -e 's/"\{0,1\}[[:space:]]*$//' <<< "$name")
    name=${name,,}
    [ -n "$name" ] || user_error "$file: the header line has an empty column name: $header"
    if [[ " ${numbered[*]} " == *" $name "* ]]; then
      user_error "$file: the header line names the column \"$name\", which the database numbers
  itself: leave it out"
    fi
    if [[ " ${known[*]} " != *" $name "* ]]; then
      user_error "$file: the header line names a column \"$name\" that account_tier.$table does not
  have; the first line must name the file's columns, any of: $(join "${known[@]}")"
    fi
    if [[ " ${columns[*]} " == *" $name "* ]]; then
      user_error "$file: the header line names the column \"$name\" twice"
    fi
    columns+=("$name")
  done
  for name in "${required[@]}"; do
    [[ " ${columns[*]} " == *" $name "* ]] \
      || user_error "$file: the header line has no column \"$name\"; account_tier.$table needs
  $(join "${required[@]}")"
  done

  local list
  list=$(printf '"%s", ' "${columns[@]}")
  echo "loading account_tier.$table from $file"
  psql_demo -c "\\copy account_tier.$table (${list%, }) FROM pstdin WITH (FORMAT csv, HEADER true)" < "$file" \
    || user_error "$file could not be loaded into account_tier.$table: see the error above
  (\"line N\" counts the file's lines, the header being line 1)"
}

createdb account_tier_demo
psql_demo -c 'CREATE EXTENSION account_tier'

if [ -n "${ACCOUNTS:-}" ]; then
  load_csv accounts "$ACCOUNTS"
  load_csv sales "$SALES"
  [ -z "${VISITS:-}" ] || load_csv visits "$VISITS"
  # the book as of its latest sale
  as_of=$(psql_demo -At -c 'SELECT max(booked_on) FROM account_tier.sales')
  [ -n "$as_of" ] || user_error "$SALES holds no sales lines"
  book="your book: $(basename "$ACCOUNTS"), $(basename "$SALES")${VISITS:+, $(basename "$VISITS")}"
else
  psql_demo -f data/sample_book.sql
  psql_demo -f tools/demo.sql
  psql_demo -f data/sample_sales.sql
  as_of=2026-10-31
  book="the sample book"
fi
psql_demo -c "UPDATE account_tier.policy SET as_of = '$as_of'"
psql_demo -v book="$book" -f tools/demo-book.sql

# The Pareto chart of the whole company: the curve, and where tiers A and B
# end (the cumulative account shares of tier_summary).
chart=$PWD/demo/pareto.png
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql_demo -At -F ' ' -o "$work/curve.dat" -c "
  SELECT account_share, revenue_share FROM account_tier.pareto_curve
  WHERE scope = 'company' ORDER BY point"
read -r a_accounts a_revenue b_accounts b_revenue <<< "$(psql_demo -At -F ' ' -c "
  SELECT coalesce(sum(account_share) FILTER (WHERE tier = 'A'), 0),
         coalesce(sum(revenue_share) FILTER (WHERE tier = 'A'), 0),
         coalesce(sum(account_share) FILTER (WHERE tier IN ('A', 'B')), 0),
         coalesce(sum(revenue_share) FILTER (WHERE tier IN ('A', 'B')), 0)
  FROM account_tier.tier_summary WHERE scope = 'company'")"
if [ ! -s "$work/curve.dat" ]; then
  echo
  echo "No Pareto chart: the book has no revenue in the window to plot."
  exit 0
fi
env -u LC_ALL LC_NUMERIC=C gnuplot \
  -e "curve = '$work/curve.dat'; output = '$chart'; as_of = '$as_of'" \
  -e "a_accounts = $a_accounts; a_revenue = $a_revenue" \
  -e "b_accounts = $b_accounts; b_revenue = $b_revenue" \
  tools/demo/pareto.gp
echo
echo "Pareto chart: $chart"
