# The project's one task runner. `make run` and `make test` work on a fresh machine with
# Python 3.12 (or uv) and nothing else: uv is installed into .tools/ when it is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := $(UV) run --frozen
MANAGE := $(PY) python manage.py
VAR_DIRS := var/mail var/celery/queue var/celery/processed var/media var/cache

# The example production environment that `make check-deploy` checks (see README).
PROD_ENV := DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=example-only-0f4c1e9a7b2d8c3e6f5a4b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5 \
	DJANGO_ALLOWED_HOSTS=casework.example SITE_URL=https://casework.example \
	EMAIL_URL=smtp+tls://iar:example@smtp.casework.example:587

.PHONY: help run test lint format check-deploy setup bench e2e

help:
	@echo "make run           set up and serve the site with demo data, worker and scheduler"
	@echo "make test          lint, migration check, system check and the whole test suite"
	@echo "make check-deploy  Django's deployment checks on the example production settings"
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
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(PY) pytest

lint:
	$(PY) ruff check .

format: setup
	$(PY) ruff format .
	$(PY) ruff check --fix .

check-deploy: setup
	$(PROD_ENV) $(MANAGE) check --deploy --fail-level WARNING
