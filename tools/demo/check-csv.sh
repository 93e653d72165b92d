# tools/demo/check-csv.sh — the first-line checks of `make demo`'s CSV files
# (the format is described in tools/demo.sh), made before any cluster
# starts.  Sourced by tools/demo.sh and by the loader's test; the caller
# defines fail MESSAGE (print it and stop).

# The columns each file may name (as documented above), the required ones
# marked with *.
declare -A COLUMNS=(
  [ACCOUNTS]="account_id* account_name* owner status potential tier_override created_at"
  [SALES]="account_id* booked_on* amount* margin kind"
  [VISITS]="account_id* visited_on* owner purpose"
)

# check_header VAR PATH [NAME]: the file's first line names known columns,
# each once, the required ones included; sets VAR_DELIMITER and
# VAR_COLUMNS.  Messages name the file NAME (default PATH).
check_header() {
  local var=$1 path=$2 file=${3:-$2} header delimiter name columns="" known=" ${COLUMNS[$1]//\*/} "
  IFS= read -r header < "$path" || true
  header=${header#$'\xef\xbb\xbf'}   # a spreadsheet's byte order mark
  header=${header%$'\r'}
  [ -n "$header" ] || fail "$var=$file: the first line is empty; it must name the file's columns, any of:$known"
  # the separator: the one of comma, semicolon and tab that the first line has
  if [[ $header == *,* ]]; then delimiter=","
  elif [[ $header == *";"* ]]; then delimiter=";"
  elif [[ $header == *$'\t'* ]]; then delimiter=$'\t'
  else delimiter=","
  fi
  # a trailing separator makes a last, empty name: refused below
  IFS=$delimiter read -r -a names <<< "$header$delimiter"
  for name in "${names[@]}"; do
    name=$(sed -e 's/^[[:space:]]*"\{0,1\}//' -e 's/"\{0,1\}[[:space:]]*$//' <<< "$name")
    name=${name,,}
    [ -n "$name" ] || fail "$var=$file: the first line has an empty column name: $header"
    case $name in
      sale_id|visit_id) fail "$var=$file: the first line names the column \"$name\", which the database
  numbers itself: leave it out" ;;
    esac
    if [[ $known != *" $name "* ]]; then
      [ "${#names[@]}" -gt 1 ] || fail "$var=$file: the first line is one unknown column name,
  \"$header\": the fields must be separated by commas, semicolons or tabs;
  save the file as CSV (comma- or semicolon-separated)"
      fail "$var=$file: the first line names a column \"$name\" that this file cannot have;
  it must name the file's columns, any of:$known"
    fi
    [[ " $columns " != *" $name "* ]] || fail "$var=$file: the first line names the column \"$name\" twice"
    columns="$columns $name"
  done
  for name in ${COLUMNS[$var]}; do
    [[ $name == *\* ]] || continue
    name=${name%\*}
    [[ " $columns " == *" $name "* ]] || fail "$var=$file: the first line has no column \"$name\";
  the file needs$(for n in ${COLUMNS[$var]}; do [[ $n == *\* ]] && printf ' %s' "${n%\*}"; done)"
  done
  [ -n "$(sed -n '2{/[^[:space:]]/p}' "$path")" ] || [ "$(wc -l < "$path")" -gt 1 ] \
    || fail "$var=$file: the file has no line after its first (the column names): nothing to load"
  export "${var}_DELIMITER=$delimiter" "${var}_COLUMNS=${columns# }"
}

