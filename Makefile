# Two commands: `make run` serves the app with demo data, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# One sync worker per core: SQLite has one writer anyway, and more workers than cores only add
# contention (bench/README.md). Behind PostgreSQL, raise it (e.g. 2 × cores + 1).
WORKERS ?= $(shell nproc)
export FLASK_APP := bazaar
# Links in messages point at the port actually served (unless the environment names the address).
export FLASK_PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run run-deps dev static test test-deps lint format translations extract-messages clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

translations: $(BIN)/activate
	$(BIN)/pybabel compile --use-fuzzy -d bazaar/translations >/dev/null

# Refresh the catalogues after changing user-visible strings; then translate fa's new entries.
extract-messages: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o bazaar/translations/messages.pot \
		--sort-output --no-location --omit-header --ignore-dirs=".venv tests migrations" .
	$(BIN)/pybabel update -i bazaar/translations/messages.pot -d bazaar/translations --omit-header --no-fuzzy-matching

database: $(BIN)/activate translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty

# Static files with hashed names, gzip and brotli, served by WhiteNoise (bazaar/assets.py).
static: $(BIN)/activate
	$(BIN)/flask assets build

# Prometheus figures of every worker, summed on /metrics (bazaar/metrics.py).
METRICS_DIR := instance/prometheus

run: database static run-deps
	@echo "Serving on http://127.0.0.1:$(PORT) (demo accounts: see README.md)"
	@# The task consumer (imports, and the periodic jobs every minute) runs beside the server;
	@# Ctrl-C stops both.
	@rm -rf $(METRICS_DIR) && mkdir -p $(METRICS_DIR)
	@PROMETHEUS_MULTIPROC_DIR=$(METRICS_DIR) exec scripts/run.sh $(BIN) $(PORT) $(WORKERS)

# Static files straight from static/ (no build), so an edit shows on the next reload.
dev: database
	FLASK_STATIC_BUILD_DIR= $(BIN)/flask run --debug --port $(PORT)

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/activate
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# What make run needs from Debian (Pango for the council report's PDF), installed if missing.
run-deps:
	@scripts/run-deps.sh

# What the tests need from Debian: Chromium and fonts, PostgreSQL, Redis (installed if missing).
test-deps:
	@scripts/test-deps.sh

# The whole suite on SQLite (two processes), the browser tests, then the whole non-browser suite
# again on a private PostgreSQL cluster that is removed afterwards.
test: $(BIN)/activate translations static test-deps lint
	@echo "== SQLite: unit, service, view, concurrency tests =="
	$(BIN)/pytest -n 2 --ignore=tests/browser
	@echo "== SQLite: browser tests (Chromium) =="
	$(BIN)/pytest -n 2 tests/browser
	@echo "== PostgreSQL: unit, service, view, concurrency tests =="
	scripts/postgres.sh run sh -c '$(BIN)/pytest -n 2 --ignore=tests/browser --postgres "$$BAZAAR_POSTGRES_URL"'

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build
