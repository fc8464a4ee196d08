"""Getting in: the login page, login codes by email, invitations and two-step login (MFA).

Each test checks what a person would notice: where they land, what the page says, what email
arrives, and that nobody gets in who should not.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.adapter import MFAAdapter
from accounts.models import Invitation, User
from coordinators.models import CountryCoordinator
from groups.models import Membership
from notifications import outbox
from notifications.models import OutboundMessage

from . import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
INVITE = "/invitations/new/"
GOOD_PASSWORD = "lantern-orchard-pebble-71"
ACCEPT_PATH = re.compile(r"/invitations/accept/[^/\s\"'<>]+/")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every persona has a password; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Login rate limits live in the cache; LocMemCache is shared by every test in the process.
    cache.clear()
    yield
    cache.clear()


def logged_in_user(client: Client):
    """The user the client's session belongs to, as the next request would see it."""
    return client.get(reverse("account_email")).wsgi_request.user


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def invite(client: Client, **data) -> OutboundMessage:
    response = client.post(INVITE, data)
    assert response.status_code == 302, response.content.decode()
    return OutboundMessage.objects.get(template="invitation", to_email=data["email"].lower())


def accept_path(message: OutboundMessage) -> str:
    _subject, text, html = outbox.render(message)
    path = ACCEPT_PATH.search(text).group(0)
    assert path in html
    return path


# ---- The login page --------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_login_page_offers_a_login_code_and_a_password_reset_but_no_sign_up(client):
    response = client.get("/accounts/login/?next=/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Log in to IAR Casework" in html
    assert "<title>Log in" in html
    # The code link keeps where the person was going.
    assert 'href="/accounts/login/code/?next=%2F"' in html
    assert "Email me a login code instead" in html
    assert f'href="{reverse("account_reset_password")}">Forgotten your password?' in html
    assert reverse("account_signup") not in html
    assert "sign up" not in html.lower()


def test_login_page_has_labels_above_fields_and_no_placeholders(client):
    html = client.get(LOGIN).content.decode()

    assert '<label class="form-label" for="id_login">Email address</label>' in html
    assert '<label class="form-label" for="id_password">Password</label>' in html
    assert "placeholder" not in html
    assert re.search(r'<input type="email" name="login"[^>]*autocomplete="email"', html)
    assert re.search(
        r'<input type="password" name="password"[^>]*autocomplete="current-password"', html
    )
    # Nothing inline that the Content-Security-Policy would block.
    assert "style=" not in html
    assert all("nonce=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_nobody_can_sign_up(client):
    page = client.get("/accounts/signup/")
    assert page.status_code in (200, 403, 404)
    assert b"Joining is by invitation" in page.content or page.status_code != 200
    users_before = User.objects.count()

    client.post(
        "/accounts/signup/",
        {"email": "intruder@example.net", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert User.objects.count() == users_before
    assert not User.objects.filter(email="intruder@example.net").exists()
    assert "_auth_user_id" not in client.session


# ---- Logging in with a password --------------------------------------------------------------


def test_login_with_email_and_password_lands_on_home(client, world):
    response = client.post(LOGIN, {"login": "member.x@example.org", "password": f.PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == world.member_x


def test_login_ignores_capitals_in_the_email_and_returns_to_the_page_asked_for(client, world):
    # Phones often capitalise the first letter of what is typed.
    response = client.post(
        f"{LOGIN}?next=/accounts/email/",
        {"login": "Member.X@Example.org", "password": f.PASSWORD, "next": "/accounts/email/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/email/"
    assert logged_in_user(client) == world.member_x


def test_wrong_password_shows_the_problem_and_keeps_the_email(client, world):
    response = client.post(LOGIN, {"login": "member.x@example.org", "password": "not-my-password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_login">The email address or password is not right.' in html
    assert 'id="id_login_error"' in html  # the message beside the field too
    assert 'value="member.x@example.org"' in html
    assert "not-my-password" not in html
    assert "<title>Error: Log in" in html
    assert "_auth_user_id" not in client.session


def test_after_five_failed_logins_even_the_right_password_is_refused(client, world):
    for _attempt in range(5):
        response = client.post(LOGIN, {"login": "member.x@example.org", "password": "guess"})
        assert b"is not right" in response.content

    response = client.post(LOGIN, {"login": "member.x@example.org", "password": f.PASSWORD})

    assert response.status_code == 200
    assert b"too many tries to log in" in response.content
    assert "_auth_user_id" not in client.session


# Behind the TLS proxy: every request reaches the site from the proxy's address, 10.0.0.2, and the
# proxy appends the visitor's address to X-Forwarded-For.
PROXY = "10.0.0.2"


def from_visitor(address: str, spoofed: str = "") -> dict[str, str]:
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_wrong_passwords_from_elsewhere_do_not_lock_the_person_out(behind_one_proxy, world):
    # Someone who knows a member's address tries passwords for it, from their own machine.
    attacker = Client()
    for _attempt in range(8):
        attacker.post(
            LOGIN,
            {"login": "member.x@example.org", "password": "guess"},
            **from_visitor("203.0.113.9"),
        )
    refused = attacker.post(
        LOGIN,
        {"login": "member.x@example.org", "password": f.PASSWORD},
        **from_visitor("203.0.113.9"),
    )
    assert b"too many tries to log in" in refused.content

    member = Client()
    response = member.post(
        LOGIN,
        {"login": "member.x@example.org", "password": f.PASSWORD},
        **from_visitor("198.51.100.7"),
    )

    assert response.status_code == 302
    assert logged_in_user(member) == world.member_x


def test_one_visitor_behind_the_proxy_cannot_lock_out_everyone(behind_one_proxy, world):
    noisy = Client()
    for attempt in range(25):
        noisy.post(
            LOGIN,
            {"login": f"nobody{attempt}@example.org", "password": "guess"},
            **from_visitor("203.0.113.9"),
        )
    still_noisy = noisy.post(
        LOGIN, {"login": "staff@example.org", "password": f.PASSWORD}, **from_visitor("203.0.113.9")
    )
    assert b"too many tries to log in" in still_noisy.content

    staff = Client()
    response = staff.post(
        LOGIN,
        {"login": "staff@example.org", "password": f.PASSWORD},
        **from_visitor("198.51.100.7"),
    )

    assert response.status_code == 302
    assert logged_in_user(staff) == world.staff


def test_a_made_up_forwarded_address_does_not_escape_the_limit(behind_one_proxy, world):
    # The visitor adds their own X-Forwarded-For entry; only the one the proxy appended counts.
    client = Client()
    for attempt in range(5):
        client.post(
            LOGIN,
            {"login": "member.x@example.org", "password": "guess"},
            **from_visitor("203.0.113.9", spoofed=f"192.0.2.{attempt}"),
        )

    response = client.post(
        LOGIN,
        {"login": "member.x@example.org", "password": f.PASSWORD},
        **from_visitor("203.0.113.9", spoofed="192.0.2.200"),
    )

    assert b"too many tries to log in" in response.content
    assert "_auth_user_id" not in client.session


# ---- Logging in with a code sent by email ----------------------------------------------------


def test_login_with_a_code_sent_by_email(client, world):
    page = client.get(reverse("account_request_login_code"))
    assert b"Get a login code by email" in page.content

    response = client.post(reverse("account_request_login_code"), {"email": world.member_x.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.member_x.email]
    assert email.subject == "[IAR Casework] Your code to log in"
    code = re.search(r"^([A-Z]{4}-[A-Z]{4})$", email.body, re.MULTILINE).group(1)
    confirm = client.get(response["Location"])
    assert b"Type the code from the email" in confirm.content
    assert world.member_x.email.encode() in confirm.content

    # Typed in small letters without the dash, as people do on a phone.
    response = client.post(
        reverse("account_confirm_login_code"), {"code": code.replace("-", "").lower()}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user(client) == world.member_x


def test_a_wrong_login_code_is_refused_with_a_message_beside_the_field(client, world):
    client.post(reverse("account_request_login_code"), {"email": world.member_x.email})

    response = client.post(reverse("account_confirm_login_code"), {"code": "BBBB-CCCC"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'id="id_code_error"' in html and "That code is not right" in html
    assert "_auth_user_id" not in client.session


def test_a_code_asked_for_an_unknown_address_lets_nobody_in(client, world):
    response = client.post(reverse("account_request_login_code"), {"email": "who@example.net"})

    # The page does not reveal whether the address has an account ...
    assert response.status_code == 302
    # ... and the email sent there has no code and no sign-up link.
    assert len(mail.outbox) == 1
    assert "invitation from IAR staff" in mail.outbox[0].body
    assert "/accounts/signup/" not in mail.outbox[0].body
    assert not User.objects.filter(email="who@example.net").exists()


# ---- Invitations -----------------------------------------------------------------------------


def test_invitation_from_email_to_first_login(client_for, world):
    staff = client_for("staff")
    message = invite(
        staff,
        full_name="Nia Newcomer",
        email="Nia.Newcomer@example.org",
        role="group_member",
        group=world.group_x.pk,
    )
    assert message.status == OutboundMessage.Status.QUEUED
    path = accept_path(message)
    visitor = Client()

    page = visitor.get(path)
    assert page.status_code == 200
    assert b"Welcome to IAR Casework" in page.content
    assert b"nia.newcomer@example.org" in page.content
    assert b'value="Nia Newcomer"' in page.content

    mismatch = visitor.post(
        path,
        {
            "full_name": "Nia Newcomer-Jones",
            "password1": GOOD_PASSWORD,
            "password2": "other-words-9",
        },
    )
    assert mismatch.status_code == 200
    assert b"There is a problem" in mismatch.content
    assert b"The two passwords are different" in mismatch.content
    assert b'value="Nia Newcomer-Jones"' in mismatch.content
    assert not User.objects.filter(email="nia.newcomer@example.org").exists()

    done = visitor.post(
        path,
        {"full_name": "Nia Newcomer-Jones", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == "/"
    user = User.objects.get(email="nia.newcomer@example.org")
    assert user.full_name == "Nia Newcomer-Jones"
    assert Membership.objects.filter(
        user=user, group=world.group_x, role=Membership.Role.MEMBER
    ).exists()
    home = visitor.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == user
    assert Invitation.objects.get(email="nia.newcomer@example.org").accepted_by == user

    again = Client().get(path)
    assert again.status_code == 404
    assert b"already been used" in again.content

    # The password chosen works for the next login.
    fresh = Client()
    login = fresh.post(LOGIN, {"login": "nia.newcomer@example.org", "password": GOOD_PASSWORD})
    assert login.status_code == 302
    assert logged_in_user(fresh) == user


def test_a_password_with_spaces_at_the_ends_works_at_login(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Sol Spaces",
        email="sol@example.org",
        role="group_member",
        group=world.group_y.pk,
    )
    password = f"  {GOOD_PASSWORD} "
    Client().post(
        accept_path(message), {"full_name": "Sol", "password1": password, "password2": password}
    )

    fresh = Client()
    fresh.post(LOGIN, {"login": "sol@example.org", "password": password})

    assert logged_in_user(fresh).email == "sol@example.org"


def test_a_tampered_invitation_link_is_not_found(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Tam Per",
        email="tam@example.org",
        role="group_member",
        group=world.group_x.pk,
    )
    path = accept_path(message)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))

    response = Client().get(tampered)

    assert response.status_code == 404
    assert b"This invitation cannot be used" in response.content
    assert b"not valid" in response.content
    response = Client().post(
        tampered, {"full_name": "Tam", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="tam@example.org").exists()


def test_an_expired_invitation_link_is_not_found(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Ex Pired",
        email="expired@example.org",
        role="group_member",
        group=world.group_x.pk,
    )
    path = accept_path(message)

    with time_machine.travel(time.time() + Invitation.VALID_FOR.total_seconds() + 60):
        response = Client().get(path)

    assert response.status_code == 404
    assert b"expired" in response.content


def test_inviting_a_coordinator_gives_them_their_countries(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Cora Coordinator",
        email="cora@example.org",
        role="coordinator",
        countries=[world.country_a.pk, world.country_b.pk],
    )

    response = Client().post(
        accept_path(message),
        {"full_name": "Cora Coordinator", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert response.status_code == 302
    profile = CountryCoordinator.objects.get(user__email="cora@example.org")
    assert set(profile.countries.all()) == {world.country_a, world.country_b}
    assert not Membership.objects.filter(user=profile.user).exists()


def test_invite_form_shows_what_is_missing_and_keeps_what_was_typed(client_for, world):
    response = client_for("staff").post(
        INVITE, {"full_name": "Gail Groupless", "email": "gail@example.org", "role": "group_member"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_group">' in html
    assert "Choose the group this person is joining." in html
    assert 'value="Gail Groupless"' in html and 'value="gail@example.org"' in html
    assert not OutboundMessage.objects.filter(template="invitation").exists()


@pytest.mark.parametrize("persona", ["member_x", "holder_x", "coordinator_a", "outsider"])
def test_only_staff_may_invite(client_for, world, persona):
    client = client_for(persona)

    assert client.get(INVITE).status_code == 403
    response = client.post(
        INVITE,
        {"full_name": "X", "email": "x@example.org", "role": "staff"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in_before_inviting(client):
    response = client.get(INVITE)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={INVITE}"


# ---- Sending the invitation email ------------------------------------------------------------


def test_invitation_email_is_sent_once_with_text_and_html(
    settings, client_for, world, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    staff = client_for("staff")

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            INVITE,
            {
                "full_name": "Ola Outbox",
                "email": "ola@example.org",
                "role": "group_member",
                "group": world.group_x.pk,
            },
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    message = OutboundMessage.objects.get(template="invitation")
    assert email.to == ["Ola Outbox <ola@example.org>"]
    assert email.subject == "[IAR Casework] You are invited to join as group member"
    assert email.extra_headers["X-IAR-Idempotency-Key"] == message.idempotency_key
    assert ACCEPT_PATH.search(email.body)
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert ACCEPT_PATH.search(html).group(0) == ACCEPT_PATH.search(email.body).group(0)
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert message.sent_at is not None

    assert outbox.deliver(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def test_the_link_is_random_and_only_its_hash_is_kept(client_for, world):
    staff = client_for("staff")
    first = invite(
        staff,
        full_name="Ria Random",
        email="ria@example.org",
        role="group_member",
        group=world.group_x.pk,
    )
    second = invite(
        staff,
        full_name="Sid Second",
        email="sid@example.org",
        role="group_member",
        group=world.group_x.pk,
    )
    token = token_of(accept_path(first))
    other = token_of(accept_path(second))

    assert len(token) >= 43 and token != other
    invitation = Invitation.objects.get(email="ria@example.org")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # The working link is nowhere in the database: not on the invitation, not in the outbox.
    stored = [str(v) for v in Invitation.objects.values_list(flat=False)]
    stored += [str(v) for v in OutboundMessage.objects.values_list(flat=False)]
    assert not any(token in row for row in stored)


def test_only_the_newest_emails_link_works(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Nell Newest",
        email="nell@example.org",
        role="group_member",
        group=world.group_x.pk,
    )
    older = accept_path(message)
    newer = accept_path(message)  # the email sent again, e.g. after a failed attempt

    stale = Client().get(older)
    assert stale.status_code == 404
    assert b"use the link in the newest" in stale.content
    assert Client().get(newer).status_code == 200


def test_an_invitation_never_sets_the_password_of_an_existing_login(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Max Member",
        email="member.x@example.org",
        role="group_member",
        group=world.group_y.pk,
    )
    path = accept_path(message)

    # Someone else with the link (a forwarded email, a shared inbox) tries to take over the login.
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert b"You already have a login for IAR Casework" in page.content
    assert b'name="password1"' not in page.content
    visitor.post(
        path, {"full_name": "Taken Over", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    world.member_x.refresh_from_db()
    assert world.member_x.check_password(f.PASSWORD)
    assert world.member_x.full_name == "Max Member"
    assert "_auth_user_id" not in visitor.session
    assert not Membership.objects.filter(user=world.member_x, group=world.group_y).exists()
    assert Invitation.objects.get(email="member.x@example.org").is_pending

    # The person themselves logs in with their own password, comes back and joins.
    member = client_for("member_x")
    assert b">Join</button>" in member.get(path).content
    joined = member.post(path, {})

    assert joined.status_code == 302
    assert Membership.objects.filter(user=world.member_x, group=world.group_y).exists()
    world.member_x.refresh_from_db()
    assert world.member_x.check_password(f.PASSWORD)
    assert not Invitation.objects.get(email="member.x@example.org").is_pending


def test_the_login_page_brings_an_existing_member_back_to_the_invitation(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Max Member",
        email="member.x@example.org",
        role="group_member",
        group=world.group_y.pk,
    )
    path = accept_path(message)
    visitor = Client()
    page = visitor.get(path).content.decode()
    login_link = re.search(r'href="(/accounts/login/\?next=[^"]+)"', page).group(1)

    response = visitor.post(
        login_link, {"login": "member.x@example.org", "password": f.PASSWORD, "next": path}
    )

    assert response["Location"] == path


def test_someone_logged_in_as_another_person_cannot_accept_for_an_existing_login(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Max Member",
        email="member.x@example.org",
        role="group_member",
        group=world.group_y.pk,
    )
    path = accept_path(message)
    other = client_for("member_y")

    page = other.get(path)
    other.post(path, {})

    assert b"but you are logged in as member.y@example.org" in page.content
    assert b">Join</button>" not in page.content
    assert not Membership.objects.filter(user=world.member_x, group=world.group_y).exists()
    assert Invitation.objects.get(email="member.x@example.org").is_pending


@pytest.fixture
def group_admin(world):
    Membership.objects.filter(user=world.holder_x, group=world.group_x).update(
        role=Membership.Role.ADMIN
    )
    return world.holder_x


@pytest.mark.parametrize("address", ["staff@example.org", "Coord.A@example.org"])
def test_a_group_administrator_cannot_invite_staff_or_a_coordinator(
    client_for, world, group_admin, address
):
    response = client_for("holder_x").post(
        f"/groups/{world.group_x.pk}/members/invite/",
        {"full_name": "Some One", "email": address, "role": "group_member"},
    )

    assert response.status_code == 200
    assert "You cannot invite this email address" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not OutboundMessage.objects.filter(template="invitation").exists()


def test_a_group_administrator_may_invite_a_member_of_another_group(client_for, world, group_admin):
    response = client_for("holder_x").post(
        f"/groups/{world.group_x.pk}/members/invite/",
        {"full_name": "Yara Member", "email": "member.y@example.org", "role": "group_member"},
    )

    assert response.status_code == 302
    assert Invitation.objects.get().email == "member.y@example.org"


def test_invitations_are_limited_per_person_per_hour(settings, client_for, world):
    settings.INVITATIONS_PER_HOUR = 2
    staff = client_for("staff")
    start = timezone.now()

    def data(n: int) -> dict:
        return {
            "full_name": f"Person Number{'s' * n}",
            "email": f"person.{n}@example.org",
            "role": "group_member",
            "group": world.group_x.pk,
        }

    with time_machine.travel(start, tick=False):
        assert staff.post(INVITE, data(1)).status_code == 302
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert staff.post(INVITE, data(2)).status_code == 302
        refused = staff.post(INVITE, data(3))

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "There is a problem" in html
    assert "You have sent 2 invitations in the last hour, the most allowed." in html
    assert 'value="person.3@example.org"' in html
    assert not Invitation.objects.filter(email="person.3@example.org").exists()
    assert OutboundMessage.objects.filter(template="invitation").count() == 2

    # Another inviter is not held back, and an hour after the first the next one goes.
    other_staff = Client()
    other_staff.force_login(f.StaffFactory())
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert other_staff.post(INVITE, data(4)).status_code == 302
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert staff.post(INVITE, data(3)).status_code == 302


# ---- Names that emails can be addressed to -----------------------------------------------------

UNUSABLE_NAMES = [
    ("Nia\nNewcomer", "Write the name on one line"),
    ("Nia\r\nNewcomer", "Write the name on one line"),
    ("Nia\u2028Newcomer", "Write the name on one line"),
    ("Nia\tNewcomer", "Write the name on one line"),
    ("Nia\u202eremocweN", "Write the name on one line"),
    ("Nia <someone@elsewhere.example>", "not an email address"),
    ("Newcomer, Nia", "Leave out ,"),
]


@pytest.mark.parametrize(("name", "message"), UNUSABLE_NAMES)
def test_staff_invite_form_refuses_a_name_no_email_can_be_addressed_to(
    client_for, world, name, message
):
    response = client_for("staff").post(
        INVITE,
        {
            "full_name": name,
            "email": "nia@example.org",
            "role": "group_member",
            "group": world.group_x.pk,
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#id_full_name">' in html
    assert 'id="id_full_name_error"' in html and message in html
    assert "is queued" not in html
    assert not Invitation.objects.exists()
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(("name", "message"), UNUSABLE_NAMES)
def test_group_invite_form_refuses_a_name_no_email_can_be_addressed_to(
    client_for, world, group_admin, name, message
):
    response = client_for("holder_x").post(
        f"/groups/{world.group_x.pk}/members/invite/",
        {"full_name": name, "email": "nia@example.org", "role": "group_member"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Invitation.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_a_new_member_cannot_choose_a_name_with_a_line_break(client_for, world):
    message = invite(
        client_for("staff"),
        full_name="Nia Newcomer",
        email="nia@example.org",
        role="group_member",
        group=world.group_x.pk,
    )

    response = Client().post(
        accept_path(message),
        {"full_name": "Nia\nNewcomer", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert response.status_code == 200
    assert 'id="id_full_name_error"' in response.content.decode()
    assert not User.objects.filter(email="nia@example.org").exists()


@pytest.mark.parametrize(
    "name",
    [
        "Siobhán O'Brien",
        "Zoë Müller-Lüdenscheidt",
        "José María Pérez",
        'Anne "Nan" Smith',
        "李小龍",
        "Nguyễn Thị Minh Khai",
        "ناصر الحسيني",
    ],
)
def test_every_name_the_form_takes_reaches_the_mail_server(
    settings, client_for, world, django_capture_on_commit_callbacks, name
):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            INVITE,
            {
                "full_name": name,
                "email": "named@example.org",
                "role": "group_member",
                "group": world.group_x.pk,
            },
        )

    assert response.status_code == 302
    message = OutboundMessage.objects.get(template="invitation")
    assert message.status == OutboundMessage.Status.SENT, message.last_error
    assert len(mail.outbox) == 1
    assert mail.outbox[0].message()["To"].addresses[0].addr_spec == "named@example.org"


def test_the_page_says_queued_not_sent(client_for, world):
    response = client_for("staff").post(
        INVITE,
        {
            "full_name": "Quin Queued",
            "email": "quin@example.org",
            "role": "group_member",
            "group": world.group_x.pk,
        },
        follow=True,
    )

    html = response.content.decode()
    assert "The invitation to quin@example.org is queued and will be emailed shortly." in html
    assert OutboundMessage.objects.get(template="invitation").status == "queued"


def test_staff_cannot_save_a_line_break_in_a_persons_name_in_the_admin(client_for, world):
    from .test_admin import admin_url, form_data

    client = client_for("staff")
    url = admin_url(User, "change", world.member_x.pk)
    data = form_data(client.get(url))
    data["full_name"] = "Max\nMember"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Write the name on one line" in response.content.decode()
    world.member_x.refresh_from_db()
    assert world.member_x.full_name == "Max Member"


# ---- Two-step login (MFA) for staff and coordinators -----------------------------------------


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
def test_staff_and_coordinators_without_an_app_are_sent_to_set_one_up(
    mfa_required, client_for, world, persona
):
    client = client_for(persona)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before MFA changes; the page says why.
    confirm = client.get(response["Location"], follow=True)
    assert confirm.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert b"Before you change two-step login, type your password again" in confirm.content
    reauthenticated = client.post(confirm.redirect_chain[-1][0], {"password": f.PASSWORD})
    assert reauthenticated["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Set up your authenticator app" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "placeholder" not in html


def test_staff_without_an_app_cannot_invite_people_either(mfa_required, client_for):
    response = client_for("staff").get(INVITE)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_invitation_link_works_for_a_new_staff_member_before_they_set_up_mfa(
    mfa_required, client_for, world
):
    Authenticator.objects.create(user=world.staff, type=Authenticator.Type.TOTP, data={})
    message = invite(client_for("staff"), full_name="Ned", email="ned@example.org", role="staff")
    path = accept_path(message)
    visitor = Client()

    assert visitor.get(path).status_code == 200
    visitor.post(
        path, {"full_name": "Ned Staff", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert User.objects.get(email="ned@example.org").is_staff
    assert visitor.get("/")["Location"] == reverse("mfa_activate_totp")


def test_members_are_not_asked_for_an_app(mfa_required, client_for):
    response = client_for("member_x").get("/")

    assert response.status_code == 200


def test_staff_with_an_app_reach_their_home_page(mfa_required, client_for, world):
    Authenticator.objects.create(user=world.staff, type=Authenticator.Type.TOTP, data={})

    response = client_for("staff").get("/")

    assert response.status_code == 200


def test_setting_up_the_app_then_logging_in_with_its_code(mfa_required, client, world):
    response = client.post(LOGIN, {"login": world.staff.email, "password": f.PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    reauthenticate = f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}"
    client.post(reauthenticate, {"password": f.PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    # The key to type when the QR code cannot be scanned, in groups of four.
    shown = re.search(r'id="authenticator_secret">([^<]+)<', page.content.decode()).group(1)
    assert shown.replace(" ", "") == secret
    assert shown.split(" ")[0] == secret[:4]

    with time_machine.travel(time.time(), tick=False):
        wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
        assert b"There is a problem" in wrong.content
        assert not Authenticator.objects.filter(user=world.staff).exists()
        # A new QR code was not drawn: the same secret is still on the page.
        assert wrong.context["form"].secret == secret
        done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert done.status_code == 302
    assert Authenticator.objects.filter(user=world.staff, type=Authenticator.Type.TOTP).exists()
    codes = client.get(done["Location"])
    assert b"Your recovery codes" in codes.content
    assert client.get("/").status_code == 200

    # Next time, the password alone is not enough.
    client.post(reverse("account_logout"))
    response = client.post(LOGIN, {"login": world.staff.email, "password": f.PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    prompt = client.get(reverse("mfa_authenticate"))
    assert b"Type the code from your authenticator app" in prompt.content
    assert "_auth_user_id" not in client.session
    with time_machine.travel(time.time() + 60, tick=False):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == "/"
    assert logged_in_user(client) == world.staff


def test_staff_who_open_their_account_page_first_can_still_set_up_the_app(
    mfa_required, client, world
):
    # allauth copies the login email into its own table when the account page is opened; an
    # unverified copy would make allauth refuse the MFA set-up the site insists on.
    client.post(LOGIN, {"login": world.staff.email, "password": f.PASSWORD})
    account = client.get(reverse("account_email"))
    assert account.status_code == 200
    assert world.staff.email.encode() in account.content
    client.post(
        f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}",
        {"password": f.PASSWORD},
    )

    page = client.get(reverse("mfa_activate_totp"))

    assert page.status_code == 200
    assert b"Set up your authenticator app" in page.content


def test_staff_cannot_remove_their_authenticator_app(world):
    adapter = MFAAdapter()
    staff_app = TOTP.activate(world.staff, "JBSWY3DPEHPK3PXP").instance
    coordinator_app = TOTP.activate(world.coordinator_a, "JBSWY3DPEHPK3PXP").instance
    member_app = TOTP.activate(world.member_x, "JBSWY3DPEHPK3PXP").instance

    assert adapter.can_delete_authenticator(staff_app) is False
    assert adapter.can_delete_authenticator(coordinator_app) is False
    assert adapter.can_delete_authenticator(member_app) is True


def test_two_step_login_page_offers_staff_no_way_to_turn_it_off(client_for, world):
    Authenticator.objects.create(user=world.staff, type=Authenticator.Type.TOTP, data={})

    html = client_for("staff").get(reverse("mfa_index")).content.decode()

    assert "must keep it on" in html
    assert reverse("mfa_deactivate_totp") not in html
