"""A staff member adds a passkey in the browser and logs in with it.

Chromium's virtual authenticator (DevTools' WebAuthn domain) stands in for the phone's fingerprint
reader, so the real WebAuthn exchange runs: the browser's navigator.credentials calls, allauth's
scripts under the Content-Security-Policy, and the server's checks of what the key signed.
"""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse
from playwright.sync_api import expect

from ..factories import PASSWORD
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_with_app(world, settings):
    # Staff must have a second step; this one already uses an authenticator app.
    settings.MFA_REQUIRED_FOR_STAFF = True
    secret = generate_totp_secret()
    TOTP.activate(world.staff, secret)
    return world.staff, secret


@pytest.fixture
def desk(browser, live_server):
    # WebAuthn runs only in a secure context: http://localhost is one, 127.0.0.1 is not always,
    # and the passkey is bound to the host name the server sees.
    assert live_server.url.startswith("http://localhost:")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # A platform authenticator that keeps discoverable credentials and checks the person (as a
    # phone's fingerprint reader does), answering at once without a touch.
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield page
    context.close()


def url(live_server, name: str) -> str:
    return f"{live_server.url}{reverse(name)}"


def log_in_with_app(page, live_server, user, secret: str) -> None:
    log_in(page, live_server, user.email, PASSWORD)
    page.wait_for_url(url(live_server, "mfa_authenticate"))
    # A code typed in the last moments of its 30 seconds could reach the server after it expired.
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(url(live_server, "home"))


def add_passkey(page, live_server, user, name: str) -> None:
    add_url = url(live_server, "mfa_add_webauthn")
    page.goto(add_url)
    # Changing the two-step login asks for the password again first.
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(add_url)

    page.get_by_label("Name").fill(name)
    # A discoverable credential, so the passkey alone can log in.
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    # The first key also brings recovery codes, shown once on the next page.
    page.wait_for_url(url(live_server, "mfa_view_recovery_codes"))
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == name
    assert key.wrap().is_passwordless is True

    page.goto(url(live_server, "mfa_list_webauthn"))
    expect(page.get_by_role("cell", name=re.compile(name))).to_be_visible()


def log_out(page, live_server) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(re.escape(url(live_server, "account_login"))))


def test_staff_add_a_passkey_and_log_in_with_it_alone(staff_with_app, live_server, desk):
    staff, secret = staff_with_app
    log_in_with_app(desk, live_server, staff, secret)
    add_passkey(desk, live_server, staff, "Work phone")
    log_out(desk, live_server)

    # No password and no code: the passkey proves who it is and that the person is there.
    desk.goto(url(live_server, "account_login"))
    desk.get_by_role("button", name="Log in with a passkey").click()
    desk.wait_for_url(url(live_server, "home"))
    expect(desk.get_by_role("heading", name="Needs allocating")).to_be_visible()
    key = Authenticator.objects.get(user=staff, type=Authenticator.Type.WEBAUTHN)
    assert key.last_used_at is not None


def test_staff_use_the_passkey_as_the_second_step(staff_with_app, live_server, desk):
    staff, secret = staff_with_app
    log_in_with_app(desk, live_server, staff, secret)
    add_passkey(desk, live_server, staff, "Work phone")
    log_out(desk, live_server)

    log_in(desk, live_server, staff.email, PASSWORD)
    desk.wait_for_url(url(live_server, "mfa_authenticate"))
    desk.get_by_role("button", name=re.compile("passkey|security key", re.IGNORECASE)).click(
        timeout=5000
    )
    desk.wait_for_url(url(live_server, "home"))
    expect(desk.get_by_role("heading", name="Needs allocating")).to_be_visible()
