# test/lib/tap.sh — what the shell-driven TAP tests (test/*/run.sh) share:
# TAP output and its plan, psql, and captures of the extension's relations
# and catalog that compare between two databases.  Sourced, not run; the
# caller sets work (a scratch directory) and, for the captures, SRC (the
# database whose catalog names the float8 columns).  test/deb/run.sh alone
# keeps its own: it is copied without the tree into a clean root.

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

# finish CLEANUP...: prints the plan; with every test passed, runs CLEANUP (a
# command) and removes $work, else says where $work is kept; exits 0 when
# every test passed.
finish() {
  echo "1..$n"
  if [ "$failures" -eq 0 ]; then
    "$@"
    rm -rf "$work"
    exit 0
  fi
  echo "# $failures of $n failed; what they left is kept in $work"
  exit 1
}

# The extension's tables, sequences and views, as name:kind lines.
relations() {
  q "$1" -c "
    SELECT c.relname || ':' || c.relkind::text
    FROM pg_class AS c
    JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                       AND d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
    JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'account_tier'
    WHERE c.relkind IN ('r', 'S', 'v')
    ORDER BY c.relkind, c.relname"
}

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
SELECT 'policy ' || polrelid::regclass || ' ' || polname,
       polcmd::text || ' ' || polpermissive::text || ' ' || coalesce(pg_get_expr(polqual, polrelid), '') || ' '
       || coalesce(pg_get_expr(polwithcheck, polrelid), '')
FROM pg_policy WHERE polrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'account_tier'::regnamespace)
UNION ALL
SELECT 'row-level security ' || oid::regclass, relrowsecurity::text || ' ' || relforcerowsecurity::text
FROM pg_class WHERE relnamespace = 'account_tier'::regnamespace AND relkind = 'r'
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

