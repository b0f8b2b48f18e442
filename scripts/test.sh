#!/usr/bin/env bash
# ruff, then the whole suite on SQLite and on PostgreSQL side by side (the machine has two cores;
# each run is one process). Each run writes its own log, printed whole when it ends, so neither
# hides the other: both always run, both are reported, and the exit status is non-zero when ruff
# or either run failed. PostgreSQL runs when reachable (`DATABASE_URL`, or the local server);
# under CI=true it is mandatory. pytest's "no tests ran" (exit 5) fails like any error.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
LOGS=artifacts/test-logs
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log  # only this run's logs are read (and counted by .ci/run)
failed=()
summary=()

elapsed() { echo $(($(date +%s) - $1)); }

started=$(date +%s)
echo "== ruff =="
if ! $PY -m ruff check .; then failed+=("ruff"); fi
summary+=("ruff: $(elapsed "$started") s")

PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_pid=""
if $PY scripts/pg_reachable.py "$PG_URL"; then
  echo "== pytest on PostgreSQL (background, log: $LOGS/postgres.log) =="
  pg_started=$(date +%s)
  DATABASE_URL="$PG_URL" $PY -m pytest -q -m "not browser" "$@" >"$LOGS/postgres.log" 2>&1 &
  pg_pid=$!
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $PG_URL and CI=true requires it" >&2
  failed+=("postgres (unreachable)")
else
  echo "PostgreSQL not reachable at $PG_URL: skipped the PostgreSQL run (set DATABASE_URL)"
fi

echo "== pytest on SQLite (log: $LOGS/sqlite.log) =="
sqlite_started=$(date +%s)
env -u DATABASE_URL $PY -m pytest -q "$@" >"$LOGS/sqlite.log" 2>&1
sqlite_status=$?
cat "$LOGS/sqlite.log"
summary+=("pytest on SQLite: exit $sqlite_status, $(elapsed "$sqlite_started") s")
[ "$sqlite_status" = 0 ] || failed+=("SQLite")

if [ -n "$pg_pid" ]; then
  wait "$pg_pid"
  pg_status=$?
  echo "== pytest on PostgreSQL =="
  cat "$LOGS/postgres.log"
  summary+=("pytest on PostgreSQL: exit $pg_status, $(elapsed "$pg_started") s")
  [ "$pg_status" = 0 ] || failed+=("PostgreSQL")
fi

echo "== summary =="
printf '  %s\n' "${summary[@]}"
echo "  total: $(elapsed "$started") s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
