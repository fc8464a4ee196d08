"""How long a login lasts: idle timeouts, staff's 12-hour limit, the warning's keep-alive, a
person's own list of sessions, and access ending at once when a person's access ends."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from accounts.sessions import end_sessions
from groups import services as group_services
from groups.models import Membership

from .. import factories as f

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOGIN = reverse("account_login")


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def logged_in(user) -> Client:
    """Through the real login page, so allauth records the session as it would for a person."""
    client = Client()
    response = client.post(LOGIN, {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302 and not response["Location"].startswith(LOGIN)
    return client


def is_logged_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    ("persona", "still_in", "timed_out"),
    [("staff", 29, 31), ("coordinator_a", 29, 31), ("member_x", 119, 121)],
)
def test_idle_logins_end_sooner_for_staff_and_coordinators(
    world, client_for, persona, still_in, timed_out
):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(persona)
        assert client.get("/").status_code == 200
        clock.shift(minutes(still_in))
        assert client.get("/").status_code == 200
        clock.shift(minutes(timed_out))
        response = client.get("/")

    assert is_logged_out(response)
    page = client.get(response["Location"]).content.decode()
    assert "You were logged out because nothing happened for" in page


def test_the_idle_limits_are_settings(world, client_for, settings):
    settings.SESSION_IDLE_MINUTES_MEMBER = 10
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("member_x")
        client.get("/")
        clock.shift(minutes(11))
        assert is_logged_out(client.get("/"))


def test_staff_log_in_again_after_twelve_hours_however_busy(world, client_for):
    with time_machine.travel(START, tick=False) as clock:
        staff, member = client_for("staff"), client_for("member_x")
        for _ in range(12 * 3 + 1):  # a page every 20 minutes for 12 hours
            assert staff.get("/").status_code == 200
            assert member.get("/").status_code == 200
            clock.shift(minutes(20))
        response = staff.get("/")
        assert is_logged_out(response)
        assert "log in again every 12 hours" in staff.get(response["Location"]).content.decode()
        # Members' logins last as long as the session cookie instead.
        assert member.get("/").status_code == 200


def test_answering_the_warning_keeps_the_login_without_reloading(world, client_for):
    keep_alive = reverse("session_keep_alive")
    with time_machine.travel(START, tick=False) as clock:
        client = client_for("staff")
        client.get("/")
        clock.shift(minutes(28))
        answer = client.post(keep_alive)
        assert answer.status_code == 200
        assert answer.json() == {"idle_seconds": 1800}
        clock.shift(minutes(28))
        assert client.get("/").status_code == 200
        assert client.get(keep_alive).status_code == 405
        clock.shift(minutes(31))
        # Too late: the page's script is told plainly, and shows that the login has ended.
        late = client.post(keep_alive)
        assert late.status_code == 401
        assert late.json() == {"logged_out": True}


def test_pages_carry_the_warning_with_the_persons_idle_limit(world, client_for, client):
    staff_html = client_for("staff").get("/").content.decode()
    member_html = client_for("member_x").get("/").content.decode()

    assert 'data-idle-seconds="1800"' in staff_html
    assert 'data-idle-seconds="7200"' in member_html
    assert "Anything you have typed stays on this page" in member_html
    assert 'src="/static/js/session-timeout.js" nonce="' in member_html
    assert "session-warning" not in client.get(LOGIN).content.decode()


def test_people_see_and_end_their_own_sessions(world):
    phone, laptop = logged_in(world.member_x), logged_in(world.member_x)
    other = logged_in(world.member_y)
    url = reverse("usersessions_list")

    page = phone.get(url)
    assert page.status_code == 200
    assert "Where you are logged in" in page.content.decode()
    assert "Log out everywhere else" in page.content.decode()
    assert UserSession.objects.filter(user=world.member_x).count() == 2

    ended = phone.post(url)  # "end my other sessions"
    assert ended.status_code == 302
    assert phone.get("/").status_code == 200
    assert is_logged_out(laptop.get("/"))
    assert other.get("/").status_code == 200


def test_deactivating_a_person_ends_every_session_at_once(world):
    phone, laptop = logged_in(world.member_x), logged_in(world.member_x)

    world.member_x.is_active = False
    world.member_x.save()

    assert not UserSession.objects.filter(user=world.member_x).exists()
    assert is_logged_out(phone.get("/"))
    assert is_logged_out(laptop.get("/"))


def test_a_password_change_ends_the_other_sessions(world):
    here, elsewhere = logged_in(world.member_x), logged_in(world.member_x)

    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": f.PASSWORD,
            "password1": "a-new-pass-phrase-9",
            "password2": "a-new-pass-phrase-9",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert here.get("/").status_code == 200
    assert is_logged_out(elsewhere.get("/"))


def test_removal_from_a_group_ends_access_to_its_cases_at_once(world, client_for):
    administrator = f.MembershipFactory(group=world.group_x, role=Membership.Role.ADMIN).user
    client = client_for("member_x")
    case_page = reverse("groups:case", args=[world.case_x.reference])
    assert client.get(case_page).status_code == 200

    membership = world.member_x.memberships.get(group=world.group_x)
    group_services.remove_member(membership, actor=administrator)

    assert client.get(case_page).status_code == 404


def test_end_sessions_keeps_the_one_asked_for(world):
    keep, drop = logged_in(world.staff), logged_in(world.staff)
    kept_key = keep.session.session_key

    assert end_sessions(world.staff, keep=kept_key) == 1
    assert keep.get("/").status_code == 200
    assert is_logged_out(drop.get("/"))
