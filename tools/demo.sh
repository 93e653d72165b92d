#!/usr/bin/env bash
# `make demo`: loads the bundled sample book (data/sample_book.sql) into a
# throwaway PostgreSQL 15 cluster and prints its 80/20 picture (tools/demo.sql).
# The cluster is removed when the demo ends, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
exec pg_virtualenv -v 15 tools/demo-run.sh
