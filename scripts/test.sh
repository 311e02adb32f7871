#!/usr/bin/env bash
# The whole check, the same for people and CI: lint, import contracts, migrations, the suite on SQLite,
# then the portal's tests again on PostgreSQL when VRU_TEST_DATABASE_URL names a server (.ci/run starts
# one). With CI=true a missing server, browser or data file is a failure, not a skip.
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

# Each pass runs on VRU_TEST_WORKERS processes (pytest-xdist, default 2: CI's 2 cores); every worker gets its
# own test database, and tests take their folders from pytest's tmp_path, so workers share nothing.
# With a PostgreSQL server (CI), the browser journeys run once, on PostgreSQL (the production database),
# not on SQLite too: they are the slowest part and test the pages, not the database.
pytest_args=(-p no:cacheprovider -n "${VRU_TEST_WORKERS:-2}" --dist worksteal)
sqlite_only=()
[ -n "${VRU_TEST_DATABASE_URL:-}" ] && sqlite_only=(--ignore=tests/e2e)

step "pytest on SQLite"
# pytest exits 5 when no test is collected; set -e makes that a failure.
.venv/bin/pytest "${pytest_args[@]}" "${sqlite_only[@]}" "$@"

portal_tests=(tests/unit/portal tests/integration/portal tests/e2e)
if [ -n "${VRU_TEST_DATABASE_URL:-}" ]; then
  step "pytest on PostgreSQL (portal tests and browser journeys)"
  DATABASE_URL="$VRU_TEST_DATABASE_URL" .venv/bin/pytest "${pytest_args[@]}" "${portal_tests[@]}"
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but VRU_TEST_DATABASE_URL is not set: the PostgreSQL run cannot be skipped in CI" >&2
  exit 1
else
  step "PostgreSQL run skipped: set VRU_TEST_DATABASE_URL=postgres://... to run the portal tests on it"
fi
