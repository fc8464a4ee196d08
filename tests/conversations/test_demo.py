"""What the demo logins find new on first sign-in: messages, a stop request, an offer to answer."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from cases.models import Allocation
from conversations.models import Message
from coordinators.models import StopRequest

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_each_demo_login_finds_the_new_things(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    call_command("seed_demo", stdout=StringIO())

    holder_cases = _client("holder@demo.example").get("/groups/my-cases/").content.decode()
    assert "1 new message" in holder_cases
    assert "Please answer by" in holder_cases

    coordinator_message = Message.objects.get(author__email="member@demo.example")
    reference = coordinator_message.allocation.case.reference
    workspace = _client("coordinator@demo.example").get(f"/coordinator/cases/{reference}/")
    assert workspace.status_code == 200 and "1 new message" in workspace.content.decode()

    member = _client("member@demo.example")
    thread = member.get(f"/messages/{coordinator_message.allocation_id}/")
    assert thread.status_code == 200
    assert coordinator_message.body[:40] in thread.content.decode()

    stop = StopRequest.objects.get(status=StopRequest.Status.WAITING)
    staff_page = _client("staff@demo.example").get("/staff/stop-requests/").content.decode()
    assert stop.case.reference in staff_page

    offer = Allocation.objects.filter(
        status=Allocation.Status.OFFERED, group__memberships__user__email="holder@demo.example"
    )
    assert offer.exists()
