"""Two-step login: an authenticator app or a passkey, required of staff and coordinators before
any page; recovery codes shown once, with a download offered that one time."""

from __future__ import annotations

import re
import time
from urllib.parse import unquote

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from accounts.adapter import MFAAdapter

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def passkey(user) -> Authenticator:
    # The stored shape of a registered passkey; the browser ceremony itself is allauth's.
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "My phone", "credential": {}, "passwordless": True},
    )


def test_passkeys_and_passkey_login_are_offered():
    assert django_settings.MFA_SUPPORTED_TYPES == ["totp", "webauthn", "recovery_codes"]
    assert django_settings.MFA_PASSKEY_LOGIN_ENABLED is True
    assert django_settings.MFA_RECOVERY_CODES_SHOW_ONCE is True


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
def test_a_passkey_alone_lets_staff_and_coordinators_in(mfa_required, world, client_for, persona):
    client = client_for(persona)
    assert client.get("/").status_code == 302

    passkey(getattr(world, persona))

    assert client.get("/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_step(mfa_required, world, client_for):
    RecoveryCodes.activate(world.staff)

    response = client_for("staff").get(reverse("staff:case_list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_set_up_page_explains_both_ways_in_plain_words(mfa_required, world, client_for):
    html = client_for("staff").get(reverse("mfa_index")).content.decode()

    assert "Authenticator app" in html and "Passkeys" in html
    assert "fingerprint or face unlock" in html
    assert reverse("mfa_add_webauthn") in html


def test_staff_may_swap_an_app_for_a_passkey_but_not_drop_both(world):
    app = TOTP.activate(world.staff, generate_totp_secret()).instance
    adapter = MFAAdapter()
    assert not adapter.can_delete_authenticator(app)

    key = passkey(world.staff)

    assert adapter.can_delete_authenticator(app)
    app.delete()
    assert not adapter.can_delete_authenticator(key)


def test_members_may_remove_their_only_passkey(world):
    assert MFAAdapter().can_delete_authenticator(passkey(world.member_x))


def test_login_page_offers_a_passkey_with_scripts_the_policy_allows(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()

    assert 'id="passkey_login"' in html
    assert reverse("mfa_login_webauthn") in html
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    tags = re.findall(r"<script\b[^>]*>", html)
    assert len(tags) >= 4
    assert all(f'nonce="{nonce}"' in tag for tag in tags)


def _logged_in_with_app(user, secret: str) -> Client:
    # Through the real two-step login: seeing codes asks for a recent one, which force_login
    # does not leave behind.
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and response["Location"] == "/", response.content.decode()
    # Recovery codes are shown only just after the person proves it is them again.
    response = client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def test_recovery_codes_are_shown_once_with_a_download(world):
    secret = generate_totp_secret()
    TOTP.activate(world.member_x, secret)
    codes = RecoveryCodes.activate(world.member_x).get_unused_codes()
    client = _logged_in_with_app(world.member_x, secret)
    url = reverse("mfa_view_recovery_codes")

    response = client.get(url)
    assert response.status_code == 200, response.get("Location")
    first = response.content.decode()
    assert all(code in first for code in codes)
    assert "This is the only time you will see these codes" in first
    link = re.search(r'download="[^"]+" href="data:text/plain;charset=utf-8,([^"]+)"', first)
    assert link, first
    downloaded = unquote(link[1])
    assert downloaded.split("\n")[2:-1] == codes

    again = client.get(url).content.decode()
    assert not any(code in again for code in codes)
    assert "shown only once" in again
    assert client.get(reverse("mfa_download_recovery_codes")).status_code == 403
