# Two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VAR := var
HOST ?= 127.0.0.1
PORT ?= 8000

# Local runs read their keys from var/ (created once, mode 0600, never committed).
RUN_ENV := PALERMO_SECRET_KEY_FILE=$(VAR)/secret_key \
	PALERMO_FIELD_KEYS_FILE=$(VAR)/field_keys \
	PALERMO_BLIND_INDEX_KEY_FILE=$(VAR)/blind_index_key \
	PALERMO_AUDIT_KEYS_FILE=$(VAR)/audit_keys \
	PALERMO_TRANSNATIONAL_KEYS_FILE=$(VAR)/transnational_keys \
	PALERMO_BACKUP_KEYS_FILE=$(VAR)/backup_keys \
	PALERMO_LOOKUP_CONTACT='Demo identification authority duty desk (synthetic)' \
	PALERMO_BEHIND_TLS=0 \
	PALERMO_SITE_URL=http://$(HOST):$(PORT)

.PHONY: run test install assets secrets migrate demo lint layers typecheck pytest e2e bench messages guide clean audit

run: install assets secrets
	@# Quiet recipes: what a newcomer reads is the demo logins and the address, not the key files' paths.
	@$(RUN_ENV) $(BIN)/palermo migrate --no-input -v 0
	@$(RUN_ENV) $(BIN)/palermo collectstatic --no-input -v 0
	@# The demo's notices (referral and guardian notices) are queued, not sent: the worker below sends them.
	@$(RUN_ENV) $(BIN)/palermo seed_demo
	@$(RUN_ENV) $(BIN)/palermo schedule_deadline_reminders --now
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "Background tasks (reminders, referral, guardian and emergency-access notices, their emails): var/worker.log"
	@# The task worker runs beside the server and stops with it; its output (a console email per notice)
	@# goes to a file so the logins above stay on screen.
	@$(RUN_ENV) $(BIN)/palermo db_worker --interval 10 >> var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/gunicorn palermo.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - \
		--access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(L)ss' \
		--logger-class palermo.portal.accesslog.PrivateAccessLogger

test: install assets lint layers typecheck pytest

install: $(BIN)/.installed
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,demo]'
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

secrets:
	@$(BIN)/palermo init-secrets $(VAR)

lint: install
	$(BIN)/ruff check palermo tests bench
	$(BIN)/ruff format --check palermo tests bench

# The apps' layers and the rule that no app imports another's views or API (.importlinter, decision 0011).
layers: install
	$(BIN)/lint-imports

typecheck: install
	PALERMO_EPHEMERAL_KEYS=1 $(BIN)/mypy palermo

# One worker per core (pytest-xdist); `make pytest PYTEST_WORKERS=0` runs serially, e.g. to debug with pdb.
PYTEST_WORKERS ?= auto
pytest: install assets
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The user guide's pictures (docs/guide/images/), taken by the journey's browser test as it walks the pages.
guide: install assets
	PALERMO_GUIDE_SCREENSHOTS=1 $(BIN)/pytest -n 0 -q tests/e2e/test_browser_journeys.py -k "en and not keyboard"

# Known vulnerabilities in the Python and npm dependencies (.ci/audit.py): a report; an advisory service out of
# reach is said and is no failure; PALERMO_AUDIT_STRICT=1 fails on a finding (docs/decisions/0054).
audit: install assets
	$(BIN)/python .ci/audit.py

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

messages: install
	cd palermo && PALERMO_EPHEMERAL_KEYS=1 ../$(BIN)/palermo makemessages -l ar --no-obsolete && PALERMO_EPHEMERAL_KEYS=1 ../$(BIN)/palermo compilemessages

clean:
	rm -rf $(VENV) node_modules staticfiles
