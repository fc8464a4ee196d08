"""Settings come from the environment; a bad value stops the start with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_ENV",
        "DJANGO_DEBUG",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "SITE_URL",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER",
        "EMAIL_URL",
        "CI",
    }
}
# What a production host must set, besides its services.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "p" * 50,
    "DJANGO_ALLOWED_HOSTS": "casework.example",
    "SITE_URL": "https://casework.example",
    "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
}

PRINT = (
    "import django, json; from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    " 'broker': s.CELERY_BROKER_URL, 'mail': s.MAILERS['default']['BACKEND'],"
    " 'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG, 'key': s.SECRET_KEY,"
    " 'proxies': s.ALLAUTH_TRUSTED_PROXY_COUNT, 'ip_header': s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER}))"
)


def load(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "iar_site.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_needs_no_other_environment():
    import json

    result = load(DJANGO_ENV="development")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("var/db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["mail"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["debug"] is True
    # No key is written in the code: each development start makes its own.
    again = json.loads(load(DJANGO_ENV="development").stdout)
    assert len(values["key"]) >= 50 and again["key"] != values["key"]


def test_no_environment_is_production_and_refuses_to_start():
    result = load()

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr
    assert "DJANGO_ENV=development" in result.stderr  # and says what a developer should do


@pytest.mark.parametrize("missing", sorted(PRODUCTION))
def test_production_refuses_to_start_without_each_variable(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = load(**env)

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_refuses_debug():
    result = load(DJANGO_DEBUG="true", **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_DEBUG is on but DJANGO_ENV is production" in result.stderr


def test_production_with_its_variables_starts_with_debug_off():
    import json

    result = load(**PRODUCTION)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["key"] == PRODUCTION["DJANGO_SECRET_KEY"]
    assert values["proxies"] == 1


def test_a_client_ip_header_may_stand_in_for_the_proxy_count():
    import json

    env = {k: v for k, v in PRODUCTION.items() if k != "ALLAUTH_TRUSTED_PROXY_COUNT"}
    result = load(ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP", **env)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["ip_header"] == "X-Real-IP"
    assert values["proxies"] == 0


def test_make_runs_everything_in_development_unless_told_otherwise():
    # `make run` and `make test` must work on a bare machine, with no environment at all.
    probe = '_print_django_env:\n\t@echo "$$DJANGO_ENV"'

    bare = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", probe, "_print_django_env"],
        cwd=ROOT,
        env=CLEAN,
        capture_output=True,
        text=True,
        timeout=60,
    )
    chosen = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", probe, "_print_django_env"],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert bare.stdout.strip() == "development", bare.stderr
    assert chosen.stdout.strip() == "production", chosen.stderr


def test_database_and_redis_urls_switch_to_postgres_and_redis():
    import json

    result = load(
        DJANGO_ENV="development",
        DATABASE_URL="postgres://u:p@db.internal:5432/iar",
        REDIS_URL="redis://cache:6379/1",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.postgresql"
    assert values["broker"] == "redis://cache:6379/1"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be true or false"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV must be development or production"),
        ({"DJANGO_ENV": "production", "DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY must be set"),
        (
            {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "short"},
            "at least 50 characters",
        ),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must be a URL starting with"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL must be a URL starting with"),
        ({"EMAIL_URL": "smtp://mail.example:notaport"}, "EMAIL_URL has a port"),
        ({"SESSION_COOKIE_AGE": "ten"}, "SESSION_COOKIE_AGE must be a whole number"),
        ({"HEARTBEAT_MAX_AGE_SECONDS": "1"}, "HEARTBEAT_MAX_AGE_SECONDS must be at least 10"),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": "one"}, "ALLAUTH_TRUSTED_PROXY_COUNT must be a whole"),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP: 1"}, "must be a header name"),
        ({"INVITATIONS_PER_HOUR": "0"}, "INVITATIONS_PER_HOUR must be at least 1"),
    ],
)
def test_a_bad_value_is_refused_with_a_clear_message(env, message):
    # Development unless the case says otherwise: nothing else is required there, so only the
    # bad value is at fault.
    result = load(**{"DJANGO_ENV": "development", **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_loading_settings_writes_nothing(tmp_path):
    target = tmp_path / "not-created" / "db.sqlite3"
    result = load(
        DJANGO_ENV="development",
        DATABASE_URL=f"sqlite:///{target}",
        MEDIA_ROOT=str(tmp_path / "media-x"),
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_smtp_url_becomes_the_default_mailer():
    code = (
        "from django.conf import settings as s; o = s.MAILERS['default']['OPTIONS']; "
        "print(o['host'], o['port'], o['use_ssl'], o['use_tls'], o['username'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **CLEAN,
            "DJANGO_SETTINGS_MODULE": "iar_site.settings",
            "DJANGO_ENV": "development",
            "EMAIL_URL": "smtps://iar%40x.example:pw@mail.example",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["mail.example", "465", "True", "False", "iar@x.example"]


def test_example_production_environment_passes_the_deploy_checks():
    import re

    makefile = (ROOT / "Makefile").read_text()
    block = makefile.split("PROD_ENV :=", 1)[1].split("\n\n", 1)[0]
    prod_env = dict(re.findall(r"([A-Z_]+)=(\S+)", block))
    assert prod_env["DJANGO_DEBUG"] == "false"
    assert prod_env["DJANGO_ENV"] == "production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**CLEAN, **prod_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # And without a mail server, production would silently write mail to files: refused.
    del prod_env["EMAIL_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**CLEAN, **prod_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_terminal_commands_are_development_but_the_server_is_production():
    command = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "iar_site.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert command.returncode == 0, command.stderr
    server = subprocess.run(
        [sys.executable, "-c", "import iar_site.wsgi"],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "iar_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert server.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in server.stderr
