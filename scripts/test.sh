#!/usr/bin/env bash
# The whole check, the same for people and CI: lint, import contracts, migrations, the suite on SQLite,
# and the portal's tests again on PostgreSQL, at the same time, when VRU_TEST_DATABASE_URL names a server
# (.ci/run starts one). With CI=true a missing server, browser or data file is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet src tests benchmarks scripts manage.py

step "import-linter"
.venv/bin/lint-imports

step "migrations are up to date"
DJANGO_DEBUG=true .venv/bin/python manage.py makemigrations --check --dry-run

# With a PostgreSQL server (CI), the browser journeys run once, on PostgreSQL (the production database),
# not on SQLite too: they are the slowest part and test the pages, not the database.
pytest_args=(-p no:cacheprovider)
portal_tests=(tests/unit/portal tests/integration/portal tests/e2e)

if [ -z "${VRU_TEST_DATABASE_URL:-}" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but VRU_TEST_DATABASE_URL is not set: the PostgreSQL run cannot be skipped in CI" >&2
    exit 1
  fi
  step "pytest on SQLite"
  # pytest exits 5 when no test is collected; set -e makes that a failure.
  .venv/bin/pytest "${pytest_args[@]}" "$@"
  step "PostgreSQL run skipped: set VRU_TEST_DATABASE_URL=postgres://... to run the portal tests on it"
  exit 0
fi

# The two runs share nothing (each its own VRU_VAR_DIR, database and browser), so they run at the same
# time: on a 2-core machine this halves the wall-clock time. The PostgreSQL run's output is kept in a file
# and printed when it ends, so the two logs do not interleave.
run_root=$(mktemp -d "${TMPDIR:-/tmp}/vru-test.XXXXXX")
trap 'rm -rf "$run_root"' EXIT
mkdir -p "$run_root/sqlite-var" "$run_root/postgres-var"

step "pytest on PostgreSQL (portal tests and browser journeys), in the background"
VRU_VAR_DIR="$run_root/postgres-var" DATABASE_URL="$VRU_TEST_DATABASE_URL" \
  .venv/bin/pytest "${pytest_args[@]}" "${portal_tests[@]}" >"$run_root/postgres.log" 2>&1 &
postgres_pid=$!

step "pytest on SQLite (everything but the browser journeys)"
sqlite_status=0
VRU_VAR_DIR="$run_root/sqlite-var" .venv/bin/pytest "${pytest_args[@]}" --ignore=tests/e2e "$@" || sqlite_status=$?

postgres_status=0
wait "$postgres_pid" || postgres_status=$?
step "pytest on PostgreSQL: output"
cat "$run_root/postgres.log"

[ "$sqlite_status" -eq 0 ] || echo "pytest on SQLite failed (exit $sqlite_status)" >&2
[ "$postgres_status" -eq 0 ] || echo "pytest on PostgreSQL failed (exit $postgres_status)" >&2
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
