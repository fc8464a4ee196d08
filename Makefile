# The project's one task runner. `make run` and `make test` work on a fresh machine with
# Python 3.12 (or uv) and nothing else: uv is installed into .tools/ when it is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := $(UV) run --frozen
MANAGE := $(PY) python manage.py
VAR_DIRS := var/mail var/celery/queue var/celery/processed var/celery/control var/media var/cache

# The settings default to production, where a forgotten variable stops the start. Everything
# make runs is development (debug on, a throwaway secret key, SQLite, mail to files) unless
# DJANGO_ENV is already set; check-deploy and bench say production explicitly below.
export DJANGO_ENV ?= development

# The example production environment that `make check-deploy` checks (see README).
PROD_ENV := DJANGO_ENV=production DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=example-only-0f4c1e9a7b2d8c3e6f5a4b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5 \
	FIELD_ENCRYPTION_KEYS=1tHEtFvzJ9dhOZQ1VHERTaFKH5LaygyxZ3ixDFlTNyg= \
	DJANGO_ALLOWED_HOSTS=casework.example SITE_URL=https://casework.example \
	ALLAUTH_TRUSTED_PROXY_COUNT=1 \
	EMAIL_URL=smtp+tls://iar:example@smtp.casework.example:587

.PHONY: help run test lint format check-deploy setup bench e2e typecheck audit backup restore-check

help:
	@echo "make run           set up and serve the site with demo data, worker and scheduler"
	@echo "make test          lint, layers, types, migration check, system check and the whole suite"
	@echo "make e2e           the browser tests alone (needs Chromium: apt-get install chromium)"
	@echo "make typecheck     mypy with django-stubs"
	@echo "make check-deploy  Django's deployment checks on the example production settings"
	@echo "make audit         known vulnerabilities in the locked dependencies (pip-audit)"
	@echo "make bench         benchmark the main pages under gunicorn and wrk on PostgreSQL"
	@echo "make backup        dump the PostgreSQL database under var/backups/"
	@echo "make restore-check dump, restore into a new database and compare row counts"
	@echo "make format        format the code with ruff"

.tools/bin/uv:
	@if ! command -v uv >/dev/null 2>&1; then \
		echo "Installing uv into .tools/"; \
		python3 -m venv .tools && .tools/bin/pip install --quiet uv; \
	fi

setup: $(if $(shell command -v uv 2>/dev/null),,.tools/bin/uv)
	@$(UV) sync --frozen --quiet
	@mkdir -p $(VAR_DIRS)

run: setup
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) seed_demo
	@echo
	@echo "  IAR Casework is starting at http://127.0.0.1:8000/"
	@echo "  Log in at http://127.0.0.1:8000/accounts/login/ with a demo login from the README"
	@echo "  (password iar-demo-2026; staff and coordinator also need a code from the"
	@echo "  TOTP secret JBSWY3DPEHPK3PXP). Emails sent land in var/mail/. Ctrl-C stops all."
	@echo
	@$(PY) honcho start -f Procfile.dev

test: setup
	$(PY) ruff check .
	$(PY) ruff format --check .
	$(PY) lint-imports
	$(PY) mypy
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(PY) python .ci/dependency_audit.py
	$(PY) pytest --cov --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)
	$(MANAGE) restore_check --scratch

# The suite's measured line coverage is the floor: a change may raise it, never lower it.
COVERAGE_FLOOR ?= 90

typecheck: setup
	$(PY) mypy

e2e: setup
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
		echo "make e2e drives the system Chromium, which is not installed."; \
		echo "Install it with: apt-get install chromium"; exit 1; }
	$(PY) pytest tests/e2e -m e2e

lint:
	$(PY) ruff check .

format: setup
	$(PY) ruff format .
	$(PY) ruff check --fix .

# The benchmark needs PostgreSQL and Redis; it builds its own scratch database with the scale data
# (BENCH_FACTOR=10 for ten times it), loads each page with wrk and appends to docs/benchmarks.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/iar_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
BENCH_FACTOR ?= 1
# gunicorn is reached directly, with no proxy in front: ALLAUTH_TRUSTED_PROXY_COUNT=0.
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	DJANGO_ENV=production DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false \
	DJANGO_SECRET_KEY=bench-only-7d1c5e3f9a8b2c4d6e0f1a3b5c7d9e1f2a4b6c8d0e1f3a5b7c9d \
	FIELD_ENCRYPTION_KEYS=NheReka9HPMPanKfoQHdVqXctlxxFCJ0p2VG4QWBZ2A= \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver SITE_URL=http://127.0.0.1 \
	ALLAUTH_TRUSTED_PROXY_COUNT=0 EMAIL_URL=console: LOG_LEVEL=WARNING BENCHMARK_VIEWS=true
bench: setup
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk, the load generator"; \
		apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk; }
	dropdb --if-exists -h 127.0.0.1 -U postgres iar_bench && createdb -h 127.0.0.1 -U postgres iar_bench
	redis-cli -u $(BENCH_REDIS_URL) flushdb >/dev/null
	$(BENCH_ENV) $(MANAGE) migrate --no-input -v 0
	$(BENCH_ENV) $(MANAGE) seed_scale --factor $(BENCH_FACTOR)
	$(BENCH_ENV) $(MANAGE) collectstatic --no-input -v 0
	$(BENCH_ENV) $(MANAGE) bench --factor $(BENCH_FACTOR) --output docs/benchmarks.md

# Dump the database under var/backups/; restore-check proves a dump restores (see docs/operations.md).
backup: setup
	$(MANAGE) backup

restore-check: setup
	$(MANAGE) restore_check

# Fails on a known vulnerability; says so plainly and goes on when its database is unreachable.
audit: setup
	$(PY) python .ci/dependency_audit.py

check-deploy: setup
	$(PROD_ENV) $(MANAGE) check --deploy --fail-level WARNING
