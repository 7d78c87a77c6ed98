# Harbour: the two commands in the README are `make demo` and `make test`; the rest are their steps.
#
# Every target is safe to run again: set-up steps leave stamp files (in .venv/, node_modules/ and var/)
# and are skipped while the files they depend on are unchanged.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
VAR := var

# The demo runs on SQLite under var/ unless DEMO_DATABASE_URL says otherwise.
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/$(VAR)/harbour.sqlite3
DEMO_ADDRESS ?= 127.0.0.1:8000
DEMO_CHILDREN ?= 200
# The PostgreSQL run of the suite; pytest-django creates and drops test_harbour_ci itself.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/harbour_ci
# Two workers on a two-core machine; PYTEST_WORKERS=0 runs serially (easier to read a failure).
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
PYTEST := $(BIN)/pytest $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

VENV_STAMP := $(VENV)/.harbour-installed
NODE_STAMP := node_modules/.harbour-installed
ASSETS_STAMP := $(VAR)/.assets-built
FRONTEND_SOURCES := $(shell find frontend harbour -path '*/node_modules' -prune -o \( -path 'frontend/*' -o -path 'harbour/*/static/*' \) -type f -print 2>/dev/null)

.PHONY: help setup setup-python setup-node setup-browser assets demo demo-db demo-logins lint test test-postgres clean

help:
	@echo "make demo           set up, build assets, migrate and seed a demo database, serve on http://$(DEMO_ADDRESS)/"
	@echo "make test           set up, build assets, lint, and run every test (browser tests included) on SQLite"
	@echo "make test-postgres  the same tests on PostgreSQL ($(POSTGRES_URL))"
	@echo "make setup          .venv with Harbour and its test tools, npm packages, Debian chromium for the browser tests"
	@echo "make assets         compile the front-end assets into var/assets"
	@echo "make lint           ruff check and ruff format --check"
	@echo "make clean          remove .venv, node_modules and built assets (keeps the demo database)"

setup: setup-python setup-node setup-browser

setup-python: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
		echo "Harbour needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; \
		echo "Run e.g. 'make PYTHON=python3.11 $(MAKECMDGOALS)'." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e '.[test]'
	touch $@

setup-node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Harbour needs Node.js and npm: apt-get install nodejs npm" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# The browser tests drive Debian's chromium; no test tool may download a browser of its own.
# WeasyPrint (the scrutiny report's PDF) needs Debian's Pango.
setup-browser:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's Pango for the PDF exports"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0; \
		else \
			echo "The PDF exports need Debian's Pango: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" >&2; \
		fi; \
	fi
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else \
		echo "The browser tests need Debian's chromium at $(CHROMIUM). Install it with:" >&2; \
		echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2; \
		exit 1; \
	fi

assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): $(NODE_STAMP) package.json $(FRONTEND_SOURCES)
	npm run build
	mkdir -p $(VAR) && touch $@

lint: setup-python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# SQLite run: DATABASE_URL is cleared so a developer's own setting cannot change what is tested.
test: setup assets lint
	env -u DATABASE_URL $(PYTEST)

test-postgres: setup assets
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST) --create-db

demo-db: setup-python
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/harbour migrate --noinput
	@if DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/harbour shell --no-imports -c \
		'import sys; from harbour.accounts.models import User; sys.exit(0 if User.objects.exists() else 1)'; then \
		echo "Demo data already present (to start again: harbour seed-demo --reset --children $(DEMO_CHILDREN) --seed 1)"; \
	else \
		DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/harbour seed-demo --children $(DEMO_CHILDREN) --seed 1; \
	fi

demo-logins: setup-python
	@DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/harbour shell --no-imports -c "$$DEMO_LOGINS_PY"

# The background worker (imports, index rebuilds, other jobs) runs beside the server and stops with it.
demo: setup-python setup-node assets demo-db demo-logins
	@echo "Serving Harbour on http://$(DEMO_ADDRESS)/ with its background worker (Ctrl-C to stop both)"
	export DATABASE_URL=$(DEMO_DATABASE_URL); unset HARBOUR_DEBUG; \
	$(BIN)/harbour db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/harbour runserver $(DEMO_ADDRESS)

clean:
	rm -rf $(VENV) node_modules $(VAR)/assets $(VAR)/static $(ASSETS_STAMP)

# Lists the demo sign-ins by agency (all of them when there are few), with the one shared demo password.
define DEMO_LOGINS_PY
from harbour.accounts.models import User
from harbour.demo.factories import DEMO_PASSWORD
users = list(User.objects.filter(is_active=True).select_related("agency").order_by("agency__name", "role", "username"))
shown, per_role = [], {}
for u in users:
    key = (u.agency_id, u.role)
    per_role[key] = per_role.get(key, 0) + 1
    if len(users) <= 60 or per_role[key] <= 2:
        shown.append(u)
print()
print("Demo sign-ins. Every demo user's password is %r: synthetic data, for this demo only." % DEMO_PASSWORD)
agency = object()
for u in shown:
    if u.agency != agency:
        agency = u.agency
        print("  %s" % (agency or "(no agency)"))
    print("    %-34s %-16s %s" % (u.username, u.get_role_display(), u.job_title))
if len(shown) < len(users):
    print("  ... and %d more users (two of each role per agency are shown)" % (len(users) - len(shown)))
print()
endef
export DEMO_LOGINS_PY
