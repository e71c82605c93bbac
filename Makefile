# RoleBook: `make run` serves the app, `make test` runs the whole suite.
# Both call `make setup`, which is idempotent and fast when nothing changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: setup setup-test system-packages system-packages-test run test test-sqlite test-postgresql test-deploy \
        bench bench-smoke lint babel db-check clean

## setup: system packages, virtualenv, pinned dependencies, compiled translations
setup: system-packages $(VENV)/.stamp-runtime $(MO_FILES)

setup-test: system-packages-test $(VENV)/.stamp-runtime $(VENV)/.stamp-test $(MO_FILES)

system-packages:
	@scripts/system-packages.sh run

system-packages-test:
	@scripts/system-packages.sh test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.stamp-runtime: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.stamp-test: requirements-test.txt $(VENV)/.stamp-runtime
	$(VENV)/bin/pip install --quiet -r requirements-test.txt
	@touch $@

%.mo: %.po $(VENV)/.stamp-runtime
	@$(VENV)/bin/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

## run: migrate the embedded SQLite database, load the demo once, serve on 127.0.0.1:5000
run: setup
	@mkdir -p instance
	@$(FLASK) db upgrade
	@$(FLASK) demo load
	@echo
	@echo "  RoleBook is running at http://$(HOST):$(PORT)/   (Ctrl+C stops it)"
	@$(FLASK) demo logins
	@echo
	@$(VENV)/bin/gunicorn -c gunicorn.conf.py --workers 1 --bind $(HOST):$(PORT) \
		--access-logfile - --log-level warning wsgi:app

## test: the checks (make lint), then the whole suite, on SQLite and then on a PostgreSQL server the suite
## starts itself, then every benchmark at a tiny size (a benchmark that no longer runs fails the build),
## then the production topology (test-deploy)
test: setup-test
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgresql
	@$(MAKE) --no-print-directory bench-smoke
	@$(MAKE) --no-print-directory test-deploy

## The suites run in two processes (pytest-xdist), each on its own database (a SQLite file, or a
## PostgreSQL server of its own); the browser tests then run alone, so that Chromium does not wait
## for a CPU behind the other tests.
TEST_WORKERS ?= 2

test-sqlite:
	@echo "== test suite on SQLite ($(TEST_WORKERS) processes), then the browser tests"
	$(PY) -m pytest tests --db=sqlite -m "not browser" -n $(TEST_WORKERS)
	$(PY) -m pytest tests --db=sqlite -m browser

test-postgresql:
	@echo "== test suite on PostgreSQL ($(TEST_WORKERS) processes; browser tests run in the SQLite pass)"
	$(PY) -m pytest tests --db=postgresql -m "not browser" -n $(TEST_WORKERS)

## test-deploy: PostgreSQL, Redis, two gunicorn servers and a task worker as in production: 60 s of
## load by 50 clients, background tasks, login throttling, and faults (about 3 minutes)
test-deploy:
	@echo "== production topology: PostgreSQL, Redis, two gunicorn servers, a task worker"
	$(PY) -m pytest tests/deploy --deploy -s

## bench: every benchmark script to the end (a failing one is reported, the others still run; the
## exit status is the number that failed), then the README's table written from that run
bench: setup-test
	@$(PY) bench/run.py

## bench-smoke: every benchmark script at a tiny size (under 90 s in all): they still run
bench-smoke: setup-test
	@$(PY) bench/run.py --smoke

## lint: ruff (errors, imports, style), mypy (the service layer and core), import-linter (the
## layering); their settings are in pyproject.toml. `ruff format .` fixes what --check finds.
lint: setup-test
	@echo "== ruff, mypy, import-linter"
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

db-check: setup
	$(FLASK) db check

## babel: extract translatable strings and update the catalogs
babel: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) $(MO_FILES) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
