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
        "DJANGO_DEBUG",
        "DJANGO_SECRET_KEY",
        "EMAIL_URL",
        "CI",
    }
}

PRINT = (
    "import django, json; from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    " 'broker': s.CELERY_BROKER_URL, 'mail': s.MAILERS['default']['BACKEND'],"
    " 'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG}))"
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


def test_no_environment_means_sqlite_filesystem_broker_and_mail_files():
    import json

    result = load()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("var/db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["mail"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["debug"] is True


def test_database_and_redis_urls_switch_to_postgres_and_redis():
    import json

    result = load(
        DATABASE_URL="postgres://u:p@db.internal:5432/iar", REDIS_URL="redis://cache:6379/1"
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
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must be a URL starting with"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL must be a URL starting with"),
        ({"EMAIL_URL": "smtp://mail.example:notaport"}, "EMAIL_URL has a port"),
        ({"SESSION_COOKIE_AGE": "ten"}, "SESSION_COOKIE_AGE must be a whole number"),
        ({"HEARTBEAT_MAX_AGE_SECONDS": "1"}, "HEARTBEAT_MAX_AGE_SECONDS must be at least 10"),
    ],
)
def test_a_bad_value_is_refused_with_a_clear_message(env, message):
    result = load(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_loading_settings_writes_nothing(tmp_path):
    target = tmp_path / "not-created" / "db.sqlite3"
    result = load(DATABASE_URL=f"sqlite:///{target}", MEDIA_ROOT=str(tmp_path / "media-x"))
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
