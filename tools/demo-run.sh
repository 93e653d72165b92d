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

. tools/demo/load-book.sh

createdb account_tier_demo
psql_demo -c 'CREATE EXTENSION account_tier'

if [ -n "${ACCOUNTS:-}" ]; then
  load_book
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
# end (the cumulative account shares of tier_summary), and the share of the
# planned field visits each tier gets.
chart=$PWD/demo/pareto.png
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql_demo -At -F ' ' -o "$work/curve.dat" -c "
  SELECT account_share, revenue_share FROM account_tier.pareto_curve
  WHERE scope = 'company' ORDER BY point"
read -r a_accounts a_revenue b_accounts b_revenue a_time b_time c_time <<< "$(psql_demo -At -F ' ' -c "
  SELECT coalesce(sum(account_share) FILTER (WHERE tier = 'A'), 0),
         coalesce(sum(revenue_share) FILTER (WHERE tier = 'A'), 0),
         coalesce(sum(account_share) FILTER (WHERE tier IN ('A', 'B')), 0),
         coalesce(sum(revenue_share) FILTER (WHERE tier IN ('A', 'B')), 0),
         coalesce(sum(time_share) FILTER (WHERE tier = 'A'), 0),
         coalesce(sum(time_share) FILTER (WHERE tier = 'B'), 0),
         coalesce(sum(time_share) FILTER (WHERE tier = 'C'), 0)
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
  -e "a_time = $a_time; b_time = $b_time; c_time = $c_time" \
  tools/demo/pareto.gp
echo
echo "Pareto chart: $chart"
