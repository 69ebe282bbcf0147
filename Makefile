# The two commands of the README: `make demo` and `make test`.
# Compiled catalogs (.mo) are committed: `make messages` (needs GNU gettext) refreshes them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUNTIME_STAMP := $(VENV)/.runtime-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on both cores (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
# loadgroup keeps a module marked xdist_group on one worker (its shared fixture is built once).
PYTEST_ARGS ?= -n 2 --dist loadgroup
# .ci/run's PostgreSQL pass adds --database-tests-only (testing/engine_free.py, ADR 25).
PYTEST_MORE ?=
# honcho runs the Procfile; the venv first on PATH so its lines find python and gunicorn.
HONCHO = PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start
# The demo signs citizens in through the local OpenID provider (the Procfile's oidc line) and
# writes confirmation codes to the log (README "Citizen accounts").
DEMO_ENV = OIDC_CLIENT_ID=motcua-demo OIDC_CLIENT_SECRET=motcua-demo-secret \
	OIDC_ISSUER=http://127.0.0.1:8010 OIDC_DEMO_PROVIDER=true CONFIRMATION_CODES_IN_LOG=true \
	VNPAY_TMN_CODE=MOTCUA01 VNPAY_HASH_SECRET=motcua-demo-vnpay-secret-0123456789 \
	NOTIFY_CHANNELS=sms,email,zalo HOTLINE_TRANSFER_EXTENSION=1000

.PHONY: install install-runtime demo serve test lint check bench clean messages

$(BIN)/python:
	./scripts/bootstrap-venv.sh $(PY) $(VENV)

# Reinstall only when the dependency list changes. The demo needs only the runtime
# dependencies; tests add the dev extras (pytest, Playwright, ruff, mypy...).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --no-compile -e ".[dev]"
	touch $(STAMP) $(RUNTIME_STAMP)

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --no-compile -e .
	touch $(RUNTIME_STAMP)

install: $(STAMP)

install-runtime: $(RUNTIME_STAMP)

demo: install-runtime
	./scripts/system-deps.sh papers
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py make_audit_key
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py make_demo_pki
	$(BIN)/python manage.py seed_history $(HISTORY_ARGS)
	$(BIN)/python manage.py write_audit_checkpoint
# The generated history must replay to the figures it stored: stop here if it does not.
	$(BIN)/python manage.py verify_figures
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Serving on http://$(HOST):$(PORT)/ with its task worker, clock and the demo OpenID provider (Ctrl+C stops all)"
	$(DEMO_ENV) $(HONCHO)

# The Procfile's processes (web, worker, clock) on an existing database.
serve: install-runtime
	$(BIN)/python manage.py migrate --noinput -v0
	$(HONCHO) web worker clock clamd

# LINT=no skips the checks that do not depend on the database (.ci/run's second pass, ADR 25).
LINT ?= yes
test: install
	./scripts/system-deps.sh
ifeq ($(LINT),yes)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
endif
	$(BIN)/pytest $(PYTEST_ARGS) $(PYTEST_MORE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

messages: install
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=bench --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*
