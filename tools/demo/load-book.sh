# tools/demo/load-book.sh — how `make demo` loads your CSV files into the
# book.  Sourced by tools/demo-run.sh and by the loader's test; the caller
# defines psql_demo (psql on the book's database) and user_error MESSAGE.

# load_book: loads the CSV files named by ACCOUNTS, SALES and VISITS (their
# first lines checked by tools/demo.sh, which set *_COLUMNS and
# *_DELIMITER) into the book, in one transaction: each file into a staging
# table of text columns numbered by line, then into its table with the
# table's types.  A file that does not load is searched for the first line
# that does not (halving the lines), which is reported with the reason; then
# nothing is loaded.
load_book() {
  local script var table file delimiter columns list
  script=$(mktemp)
  {
    echo '\set ON_ERROR_STOP 1'
    echo 'BEGIN;'
    cat tools/demo/load-csv.sql
    for var in ACCOUNTS SALES VISITS; do
      file=${!var:-}
      [ -n "$file" ] || continue
      table=${var,,}
      delimiter=${var}_DELIMITER
      delimiter=${!delimiter}
      columns=${var}_COLUMNS
      list=$(printf '%s text, ' ${!columns})
      echo "CREATE TEMP TABLE stage_$table (line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), ${list%, });"
      echo "\\echo loading account_tier.$table from $file"
      printf "\\\\copy stage_%s (%s) FROM '%s' WITH (FORMAT csv, HEADER true, DELIMITER E'%s')\n" \
        "$table" "$(echo ${!columns} | tr ' ' ',')" "${file//\'/\'\'}" "$([ "$delimiter" = $'\t' ] && echo '\t' || echo "$delimiter")"
      echo "SELECT pg_temp.load_staged('account_tier.$table', 'stage_$table', '$(basename "${file//\'/\'\'}")', $([ "$delimiter" = , ] && echo false || echo true)) \\g /dev/null"
    done
    echo 'COMMIT;'
  } >"$script"
  psql_demo -f "$script" || user_error "the book could not be loaded: see the error above (nothing was loaded)"
  rm -f "$script"
}

