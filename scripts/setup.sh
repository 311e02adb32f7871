#!/usr/bin/env bash
# Sets up everything the project needs on a fresh Debian machine with Python 3.11 and Node 20.
# Idempotent: each step is skipped when its inputs have not changed. Used by `make demo`, `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser="${VRU_SETUP_BROWSER:-1}"   # the demo does not need Chromium; tests do

# 1. System packages (only as root; otherwise say what is missing).
apt_packages=(poppler-utils libpango-1.0-0 libpangoft2-1.0-0)
# Tests only: Chromium for the browser tests, nginx for the production configuration's tests and load test
# (they run their own nginx on 127.0.0.1 with deploy/nginx/; Debian's own nginx service is not used).
[ "$want_browser" = 1 ] && apt_packages+=(chromium fonts-liberation nginx-light)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
  else
    echo "setup: not root, so not installing: ${missing[*]} (tests that need them will say so)" >&2
  fi
fi

# 2. Python virtual environment with the pinned packages.
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  [ -x .venv/bin/python ] || python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]' 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" || true
  .venv/bin/python -c "import vru, django, duckdb" 
  touch "$stamp"
fi

# 3. Node packages and the stylesheet (GOV.UK Frontend from node_modules, compiled with Sass).
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
css=src/portal/core/static/portal/portal.css
if [ ! -f "$css" ] || [ -n "$(find src/portal/core/sass -newer "$css" -print -quit)" ]; then
  npm run --silent build:css
fi
