"""Every kind of response carries the security headers: pages, PDFs, 404s, the login page,
static files. And production's cookies are `__Host-` cookies."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


def _responses(world, client_for, client):
    member = client_for("member_x")
    return {
        "member's home page": member.get("/"),
        "labels PDF": member.get(f"/groups/cases/{world.case_x.reference}/labels.pdf"),
        "another group's case (404)": member.get(f"/groups/cases/{world.case_y.reference}/"),
        "an address that does not exist": member.get("/no-such-page/"),
        "login page": client.get(reverse("account_login")),
        "redirect to login": client.get("/"),
        "staff page": client_for("staff").get(reverse("staff:case_list")),
    }


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_every_kind_of_response_carries_the_security_headers(world, client_for, client):
    responses = _responses(world, client_for, client)
    assert responses["labels PDF"].content.startswith(b"%PDF")
    assert responses["another group's case (404)"].status_code == 404
    assert responses["an address that does not exist"].status_code == 404
    assert responses["login page"].status_code == 200
    assert responses["redirect to login"].status_code == 302

    for name, response in responses.items():
        csp = _csp(response)
        assert csp["frame-ancestors"] == ["'none'"], name
        assert csp["object-src"] == ["'none'"], name
        assert csp["default-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy, name
        assert "publickey-credentials-get=(self)" in policy, name


def test_scripts_on_a_page_run_only_with_the_nonce_of_that_response(world, client_for, client):
    for response in (client_for("member_x").get("/"), client.get(reverse("account_login"))):
        html = response.content.decode()
        nonces = [n for n in _csp(response)["script-src"] if n.startswith("'nonce-")]
        assert len(nonces) == 1
        nonce = nonces[0][len("'nonce-") : -1]
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts
        for tag in scripts:
            assert f'nonce="{nonce}"' in tag or 'type="application/json"' in tag, tag
    # A new response, a new nonce: one seen once cannot be replayed.
    first = _csp(client.get(reverse("account_login")))["script-src"]
    second = _csp(client.get(reverse("account_login")))["script-src"]
    assert first != second


def test_hsts_on_secure_responses_in_production(world, client_for, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client_for("member_x").get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_static_files_are_not_sniffed_either(settings):
    # WhiteNoise answers static files before any view: here from the source folders.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/site.css")

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Permissions-Policy" in response


PRINT = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'session': s.SESSION_COOKIE_NAME, 'csrf': s.CSRF_COOKIE_NAME,"
    "'secure': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],"
    "'path': [s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH],"
    "'domain': [s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN],"
    "'hsts': s.SECURE_HSTS_SECONDS}))"
)


def test_production_cookies_are_host_only_and_secure():
    makefile = (ROOT / "Makefile").read_text()
    block = makefile.split("PROD_ENV :=", 1)[1].split("\n\n", 1)[0]
    prod_env = dict(re.findall(r"([A-Z_]+)=(\S+)", block))
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SITE_URL", "ALLAUTH_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**env, **prod_env, "DJANGO_SETTINGS_MODULE": "iar_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    # __Host- cookies: the browser takes them only when secure, host-only and for the whole site.
    assert values["session"].startswith("__Host-")
    assert values["csrf"].startswith("__Host-")
    assert values["secure"] == [True, True]
    assert values["path"] == ["/", "/"]
    assert values["domain"] == [None, None]
    assert values["hsts"] >= 31536000
