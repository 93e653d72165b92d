-- tools/demo/load-csv.sql — how `make demo` loads your CSV files (see
-- tools/demo.sh for the format): pg_temp.load_staged moves a file, copied
-- into a staging table of text columns with its line numbers, into one of
-- the book's tables, casting every column to the table's type.  Included by
-- tools/demo-run.sh inside the loading transaction.

-- Whether the staged lines lo .. hi load into the table; undone either way.
CREATE FUNCTION pg_temp.lines_load(insert_lines text, lo bigint, hi bigint,
                                   OUT loads boolean, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE insert_lines USING lo, hi;
  -- they load: undo them all the same
  RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'account_tier demo: undo';
EXCEPTION WHEN OTHERS THEN
  loads := SQLSTATE = 'P0001' AND SQLERRM = 'account_tier demo: undo';
  IF NOT loads THEN
    GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
  END IF;
END
$$;

-- Inserts the staged lines into the table, or raises the first line that
-- does not load (found by halving the lines), with its reason.  A numeric
-- column takes a decimal comma when the file was not comma-separated.
CREATE FUNCTION pg_temp.load_staged(target regclass, staging regclass, file text, decimal_comma boolean)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  columns text;
  values_ text;
  insert_lines text;
  lo bigint;
  hi bigint;
  mid bigint;
  r record;
BEGIN
  SELECT string_agg(quote_ident(s.attname), ', ' ORDER BY s.attnum),
         string_agg(format(CASE WHEN decimal_comma AND t.atttypid = 'numeric'::regtype
                                THEN 'replace(%I, '','', ''.'')::%s' ELSE '%I::%s' END,
                           s.attname, format_type(t.atttypid, t.atttypmod)), ', ' ORDER BY s.attnum)
    INTO columns, values_
  FROM pg_attribute AS s
  JOIN pg_attribute AS t ON t.attrelid = target AND t.attname = s.attname AND NOT t.attisdropped
  WHERE s.attrelid = staging AND s.attnum > 0 AND NOT s.attisdropped AND s.attname <> 'line';
  insert_lines := format('INSERT INTO %s (%s) SELECT %s FROM %s WHERE line BETWEEN $1 AND $2 ORDER BY line',
                         target, columns, values_, staging);
  EXECUTE format('SELECT min(line), max(line) FROM %s', staging) INTO lo, hi;
  IF lo IS NULL THEN
    RAISE EXCEPTION '%: no line to load after the first (the column names)', file
      USING ERRCODE = 'no_data_found';
  END IF;
  r := pg_temp.lines_load(insert_lines, lo, hi);
  WHILE NOT r.loads AND lo < hi LOOP
    mid := (lo + hi) / 2;
    IF NOT (pg_temp.lines_load(insert_lines, lo, mid)).loads THEN
      hi := mid;
    ELSIF NOT (pg_temp.lines_load(insert_lines, mid + 1, hi)).loads THEN
      lo := mid + 1;
    ELSE
      EXIT;  -- each half loads alone, not both together
    END IF;
    r := pg_temp.lines_load(insert_lines, lo, hi);
  END LOOP;
  IF NOT r.loads THEN
    r.message := format('%s, %s: %s', file,
                        CASE WHEN lo = hi THEN 'line ' || lo ELSE format('lines %s to %s together', lo, hi) END,
                        r.message);
    IF r.detail IS NULL THEN
      RAISE EXCEPTION '%', r.message
        USING HINT = 'Line 1 holds the column names; fix the line and run the demo again.';
    END IF;
    RAISE EXCEPTION '%', r.message
      USING DETAIL = r.detail, HINT = 'Line 1 holds the column names; fix the line and run the demo again.';
  END IF;
  EXECUTE insert_lines USING lo, hi;
  -- the whole file: lo and hi were its first and last line
END
$$;
