# One task runner for people and CI. `make help` lists the targets.
.PHONY: help setup demo test lint bench serve constraints clean

PY := .venv/bin/python
WAREHOUSE ?= var/warehouse.duckdb

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*##/\t/'

setup:  ## Create .venv, install pinned packages, npm packages, build the CSS (apt packages when root)
	scripts/setup.sh

demo:  ## Build the B&NES assessment from data/demo and serve the portal on http://127.0.0.1:8000
	VRU_SETUP_BROWSER=0 scripts/setup.sh
	scripts/demo.sh

test: setup  ## Lint, import contracts, migrations check, the whole suite on SQLite (and PostgreSQL when configured)
	scripts/test.sh

lint: setup  ## ruff and import-linter only
	.venv/bin/ruff check .
	.venv/bin/lint-imports

bench: setup  ## Run the benchmarks (prints figures)
	$(PY) benchmarks/cli.py
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/assess.py
	$(PY) benchmarks/report.py
	$(PY) benchmarks/portal.py
	$(PY) benchmarks/partner.py
	$(PY) benchmarks/directory.py
	$(PY) benchmarks/portal_production.py

serve: setup  ## Serve the portal without rebuilding the data
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

constraints:  ## Re-pin constraints.txt from the current .venv
	(echo "# Exact versions, installed with: pip install -c constraints.txt -e '.[dev]'"; \
	 echo "# Regenerate after changing pyproject.toml: make constraints"; \
	 .venv/bin/pip freeze --exclude-editable) > constraints.txt

clean:  ## Remove the generated warehouse, bundles and build outputs
	rm -rf var src/portal/core/static/portal/portal.css
