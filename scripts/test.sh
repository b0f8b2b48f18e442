#!/usr/bin/env bash
# ruff, then the whole suite on SQLite, then again on PostgreSQL when one is reachable
# (mandatory under CI=true). pytest's "no tests ran" (exit 5) fails the run like any error.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

$PY -m ruff check .

echo "== pytest on SQLite =="
env -u DATABASE_URL $PY -m pytest -q "$@"

PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if $PY scripts/pg_reachable.py "$PG_URL"; then
  echo "== pytest on PostgreSQL =="
  DATABASE_URL="$PG_URL" $PY -m pytest -q -m "not browser" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $PG_URL and CI=true requires it" >&2
  exit 1
else
  echo "PostgreSQL not reachable at $PG_URL: skipped the PostgreSQL run (set DATABASE_URL)"
fi
