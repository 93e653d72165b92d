#!/usr/bin/env bash
# pg_dump, then restore into a fresh database, gives the same book and the
# same views.
#
# Loads the sample book into a new database, moves the policy away from its
# defaults, pins a few tiers and takes two snapshots; then dumps it in the
# custom format (restored with pg_restore) and in the plain format (restored
# with psql), each into a fresh database, and compares every table, identity
# sequence and view of the extension with the source, row for row.  After the
# comparisons it checks that the restored book still works: the policy is one
# row, and new sales and visits get fresh keys.
#
# Needs a server (PG* variables, as inside pg_virtualenv) where account_tier
# is installed.  Prints TAP ("ok N - ...", "not ok N - ..." with the
# difference); exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/../.."

SRC=account_tier_dump_src
TARGETS=(account_tier_dump_custom account_tier_dump_plain)
work=$(mktemp -d "${TMPDIR:-/tmp}/account_tier_dump.XXXXXX")
# The views join the one-row policy table: no JIT compilation for them.
export PGOPTIONS="${PGOPTIONS:-} -c jit=off"

n=0
failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failures=$((failures + 1))
  echo "not ok $n - $1"
  # the details, as TAP diagnostics
  [ -n "${2:-}" ] && head -n "${3:-40}" "$2" | sed 's/^/#   /'
  return 0
}
bail() { echo "Bail out! $1"; [ -n "${2:-}" ] && sed 's/^/#   /' "$2"; exit 1; }

q() { local db=$1; shift; psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }

for db in "$SRC" "${TARGETS[@]}"; do dropdb --if-exists "$db" 2>/dev/null; done

# The source book ------------------------------------------------------------------
createdb "$SRC" || bail "cannot create database $SRC"
q "$SRC" -c 'CREATE EXTENSION account_tier' \
         -f data/sample_book.sql -f data/sample_sales.sql \
  >"$work/load.log" 2>&1 || bail "loading the sample book failed" "$work/load.log"
q "$SRC" >"$work/setup.log" 2>&1 <<'SQL' || bail "setting up the source book failed" "$work/setup.log"
-- A first snapshot half a year before the sample's end, under the defaults
-- but for as_of.
UPDATE account_tier.policy SET as_of = '2026-04-30';
CALL account_tier.snapshot();
-- A policy away from its defaults in many columns, and a few more pins.
UPDATE account_tier.policy
SET as_of = '2026-10-31', scope = 'owner', method = 'count',
    count_a = 0.15, count_b = 0.70, revenue_window = '9 months',
    visit_capacity = 400, a_time = 0.70, b_time = 0.25, c_time = 0.05,
    max_visits = 40, lead_cap = 7, at_risk_drop = 0.25, incremental_target = 0.85,
    absolute_a = 50000, absolute_b = 5000;
UPDATE account_tier.accounts SET tier_override = 'C' WHERE account_id = 'ACC-00010';
UPDATE account_tier.accounts SET tier_override = 'A' WHERE account_id = 'ACC-02999';
UPDATE account_tier.accounts SET tier_override = 'B' WHERE account_id = 'ACC-01500';
CALL account_tier.snapshot();
-- Switched on last: two reps already hold more leads than the cap, which
-- the cap only refuses on new assignments.
UPDATE account_tier.policy SET enforce_lead_cap = true;
SQL

# The extension's tables, sequences and views, from the source's catalog.
relations=$(q "$SRC" -c "
  SELECT c.relname || ':' || c.relkind::text
  FROM pg_class AS c
  JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
  JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'account_tier'
  WHERE c.relkind IN ('r', 'S', 'v')
  ORDER BY c.relkind, c.relname") || bail "cannot list the extension's relations"

# One relation's rows, in an order that does not depend on the plan.
capture() {
  local db=$1 rel=$2 kind=$3
  if [ "$kind" = S ]; then
    q "$db" -c "SELECT last_value, is_called FROM account_tier.\"$rel\""
  else
    q "$db" -c "COPY (SELECT * FROM account_tier.\"$rel\" AS t ORDER BY t::text COLLATE \"C\") TO STDOUT"
  fi
}

# The two captures of a relation differ only where a float8 (or float4)
# column was summed in another order: the same rows, every other field
# equal, and those floats within 1e-12 of each other (relative).  A
# different plan (another join or aggregation order after the restore's fresh
# statistics) may round the last digit differently; that is no dump problem.
# Prints the differing floats.
same_but_rounding() {
  local rel=$1 a=$2 b=$3 floats
  floats=$(q "$SRC" -c "
    SELECT string_agg(n::text, ',') FROM (
      SELECT row_number() OVER (ORDER BY attnum) AS n, atttypid
      FROM pg_attribute
      WHERE attrelid = 'account_tier.\"$rel\"'::regclass AND attnum > 0 AND NOT attisdropped) AS c
    WHERE atttypid IN ('float8'::regtype, 'float4'::regtype)") || return 1
  [ -n "$floats" ] || return 1
  [ "$(wc -l <"$a")" -eq "$(wc -l <"$b")" ] || return 1
  paste -d '\n' "$a" "$b" | awk -F '\t' -v floats="$floats" '
    BEGIN { n = split(floats, f, ","); for (i = 1; i <= n; i++) isfloat[f[i]] = 1 }
    NR % 2 == 1 { split($0, x, "\t"); nx = NF; next }
    {
      if (NF != nx) bad = 1
      for (i = 1; i <= NF; i++) {
        if (($i "") == (x[i] "")) continue
        if (!(i in isfloat) || $i == "\\N" || x[i] == "\\N") { bad = 1; continue }
        d = $i - x[i]; if (d < 0) d = -d
        m = x[i] < 0 ? -x[i] : x[i]
        if (d > 1e-12 * m) { bad = 1; continue }
        print "line " NR / 2 ", column " i ": " x[i] " / " $i
      }
    }
    END { exit bad }'
}

# Everything the extension is made of, with definitions and comments: the
# restore must neither lose nor add anything.
catalog() {
  q "$1" <<'SQL'
SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
       coalesce(CASE d.classid
                  WHEN 'pg_class'::regclass THEN
                    (SELECT c.relkind::text || ' ' || coalesce(pg_get_viewdef(c.oid), '') ||
                            coalesce(' owned by ' || c.relowner::regrole, '')
                     FROM pg_class AS c WHERE c.oid = d.objid)
                  WHEN 'pg_proc'::regclass THEN
                    (SELECT p.prokind::text || ' ' || pg_get_function_arguments(p.oid) || ' ' ||
                            p.prorettype::regtype || ' ' || p.prosrc
                     FROM pg_proc AS p WHERE p.oid = d.objid)
                END, '')
FROM pg_depend AS d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'account_tier')
UNION ALL
SELECT 'column ' || a.attrelid::regclass || '.' || a.attname,
       format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text ||
       coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '') ||
       coalesce(' identity ' || nullif(a.attidentity::text, ''), '') ||
       coalesce(' -- ' || col_description(a.attrelid, a.attnum), '')
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relnamespace = 'account_tier'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'account_tier'::regnamespace
UNION ALL
SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname, pg_get_triggerdef(oid) || ' ' || tgenabled::text
FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'account_tier'::regnamespace)
UNION ALL
SELECT 'index ' || indexrelid::regclass, pg_get_indexdef(indexrelid)
FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'account_tier'::regnamespace)
UNION ALL
SELECT 'object ' || pg_describe_object(classoid, objoid, objsubid), description
FROM pg_description
WHERE objoid IN (SELECT oid FROM pg_class WHERE relnamespace = 'account_tier'::regnamespace
                 UNION ALL SELECT oid FROM pg_proc WHERE pronamespace = 'account_tier'::regnamespace)
UNION ALL
SELECT 'extension ' || extname, extversion || ' ' || extowner::regrole
FROM pg_extension WHERE extname = 'account_tier'
ORDER BY 1, 2;
SQL
}

# Plans as after any restore: fresh statistics on both sides.
q "$SRC" -c 'ANALYZE' || bail "ANALYZE failed in the source"
mkdir -p "$work/$SRC"
catalog "$SRC" >"$work/$SRC/catalog" 2>&1 || bail "cannot read the source's catalog" "$work/$SRC/catalog"
empty=""
for r in $relations; do
  rel=${r%:*} kind=${r#*:}
  capture "$SRC" "$rel" "$kind" >"$work/$SRC/$rel" 2>&1 \
    || bail "cannot read $rel in the source" "$work/$SRC/$rel"
  [ -s "$work/$SRC/$rel" ] || empty="$empty $rel"
done
if [ -z "$empty" ]; then
  ok "source book: every table, sequence and view has rows"
else
  echo "empty:$empty" >"$work/empty"
  not_ok "source book: every table, sequence and view has rows" "$work/empty"
fi

# The dumps --------------------------------------------------------------------------
pg_dump -Fc -f "$work/book.dump" "$SRC" 2>"$work/dump.log" || bail "pg_dump -Fc failed" "$work/dump.log"
pg_dump -Fp -f "$work/book.sql" "$SRC" 2>"$work/dump.log" || bail "pg_dump -Fp failed" "$work/dump.log"

for db in "${TARGETS[@]}"; do
  createdb "$db" || bail "cannot create database $db"
  mkdir -p "$work/$db"
  log="$work/$db/restore.log"
  # Every error counts: pg_restore goes on after one and exits 1 at the end,
  # psql goes on and its errors are in the log; the rest of the book is
  # restored either way, so the comparisons below show what the error cost.
  case $db in
    *custom)
      what="custom-format dump restores with pg_restore without error"
      pg_restore -d "$db" "$work/book.dump" >"$log" 2>&1
      rc=$? ;;
    *plain)
      what="plain dump restores with psql without error"
      psql -X -q -o /dev/null -d "$db" -f "$work/book.sql" >"$log" 2>&1
      rc=$?
      grep -q 'ERROR:' "$log" && rc=1 ;;
  esac
  if [ "$rc" -eq 0 ]; then ok "$db: $what"; else not_ok "$db: $what" "$log"; fi
  q "$db" -c 'ANALYZE' >>"$log" 2>&1

  catalog "$db" >"$work/$db/catalog" 2>&1
  if diff -u "$work/$SRC/catalog" "$work/$db/catalog" >"$work/$db/catalog.diff"; then
    ok "$db: the extension's objects, definitions and comments are the same"
  else
    not_ok "$db: the extension's objects, definitions and comments are the same" "$work/$db/catalog.diff"
  fi

  for r in $relations; do
    rel=${r%:*} kind=${r#*:}
    case $kind in r) noun=table ;; S) noun=sequence ;; v) noun=view ;; esac
    capture "$db" "$rel" "$kind" >"$work/$db/$rel" 2>&1
    if cmp -s "$work/$SRC/$rel" "$work/$db/$rel"; then
      ok "$db: $noun $rel is the same"
    elif same_but_rounding "$rel" "$work/$SRC/$rel" "$work/$db/$rel" >"$work/$db/$rel.floats"; then
      ok "$db: $noun $rel is the same"
      echo "# $(wc -l <"$work/$db/$rel.floats") float8 values differ by rounding only, e.g.:"
      head -n 3 "$work/$db/$rel.floats" | sed 's/^/#   /'
    else
      diff -u --label "$SRC" --label "$db" "$work/$SRC/$rel" "$work/$db/$rel" >"$work/$db/$rel.diff"
      not_ok "$db: $noun $rel is the same ($(grep -c '^[-+][^-+]' "$work/$db/$rel.diff") lines differ)" \
             "$work/$db/$rel.diff" 16
    fi
  done

  # The restored book still works.
  rows=$(q "$db" -c 'SELECT count(*) FROM account_tier.policy' 2>&1)
  if [ "$rows" = 1 ]; then ok "$db: policy holds one row"
  else echo "policy rows: $rows" >"$work/$db/policy"; not_ok "$db: policy holds one row" "$work/$db/policy"; fi

  out=$(q "$db" 2>&1 <<'SQL'
WITH old AS (SELECT max(sale_id) AS m FROM account_tier.sales),
     new AS (INSERT INTO account_tier.sales (account_id, booked_on, amount)
             VALUES ('ACC-00001', '2026-10-31', 100), ('ACC-00002', '2026-10-31', 50)
             RETURNING sale_id)
SELECT CASE WHEN min(new.sale_id) > old.m THEN 'fresh' ELSE 'reused ' || min(new.sale_id) || ' <= ' || old.m END
FROM new, old GROUP BY old.m;
SQL
)
  if [ "$out" = fresh ]; then ok "$db: new sales get fresh sale_ids"
  else echo "$out" >"$work/$db/sale_id"; not_ok "$db: new sales get fresh sale_ids" "$work/$db/sale_id"; fi

  out=$(q "$db" 2>&1 <<'SQL'
WITH old AS (SELECT max(visit_id) AS m FROM account_tier.visits),
     new AS (INSERT INTO account_tier.visits (account_id, visited_on)
             VALUES ('ACC-00001', '2026-10-30')
             RETURNING visit_id)
SELECT CASE WHEN min(new.visit_id) > old.m THEN 'fresh' ELSE 'reused ' || min(new.visit_id) || ' <= ' || old.m END
FROM new, old GROUP BY old.m;
SQL
)
  if [ "$out" = fresh ]; then ok "$db: new visits get fresh visit_ids"
  else echo "$out" >"$work/$db/visit_id"; not_ok "$db: new visits get fresh visit_ids" "$work/$db/visit_id"; fi
done

echo "1..$n"
if [ "$failures" -eq 0 ]; then
  for db in "$SRC" "${TARGETS[@]}"; do dropdb --if-exists "$db"; done
  rm -rf "$work"
  exit 0
fi
echo "# $failures of $n failed; dumps, captures and diffs kept in $work"
exit 1
