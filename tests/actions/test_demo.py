"""The demo data shows every part of Urgent Actions and meetings to each demo login."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from actions.models import ActionBundle, OneOffAction, UrgentAction

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_each_demo_login_finds_urgent_actions_and_meetings():
    call_command("seed_demo", stdout=__import__("io").StringIO())
    assert UrgentAction.objects.filter(status="published", follow_up_of__isnull=True).count() == 3
    assert UrgentAction.objects.filter(status="closed").exists()
    assert UrgentAction.objects.filter(follow_up_kind="further_information").exists()
    assert ActionBundle.objects.filter(kind="mailing", status="published").exists()
    assert ActionBundle.objects.filter(kind="magazine", status="published").exists()
    assert OneOffAction.objects.exists()

    for email in (
        "staff@demo.example",
        "coordinator@demo.example",
        "holder@demo.example",
        "member@demo.example",
    ):
        client = _client(email)
        page = client.get("/urgent-actions/").content.decode()
        assert "Land defenders held without charge" in page, email
        assert "mailing" in client.get("/urgent-actions/this-month/").content.decode()

    staff = _client("staff@demo.example").get("/urgent-actions/staff/").content.decode()
    assert "Magazine, quarter" in staff

    for email in ("holder@demo.example", "member@demo.example"):
        client = _client(email)
        meeting = client.get("/urgent-actions/meeting/", follow=True).content.decode()
        assert "For your meeting on" in meeting, email
        assert "Cards of solidarity for the season" in meeting
        assert client.get("/urgent-actions/sign-up/", follow=True).status_code == 200
    coordinator = _client("coordinator@demo.example")
    region = (
        User.objects.get(email="coordinator@demo.example")
        .coordinator_profile.countries.first()
        .region
    )
    page = coordinator.get(f"/urgent-actions/regions/{region.code}/").content.decode()
    assert "Elections expected: please write now" in page
    assert "Send a bulletin" in page
