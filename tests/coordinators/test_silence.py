"""Staff see open cases with no coordinator update for the configured period, on their home
page and in a weekly email sent once per week."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from coordinators.services import publish_update
from coordinators.tasks import send_coordinator_silence_digest
from notifications.models import OutboundMessage
from notifications.outbox import render

from .. import factories as f
from .helpers import make_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_world(world):
    long_ago = timezone.localdate() - timedelta(days=300)
    for case in (world.case_x, world.case_y, world.case_confidential_x):
        case.opened_on = long_ago
        case.save()
    update = make_update(world.case_y, world.coordinator_b)
    publish_update(update, actor=world.coordinator_b)
    return world


def test_staff_home_lists_silent_cases(silent_world, client_for):
    html = client_for("staff").get("/").content.decode()
    assert "No coordinator update for 182 days" in html
    assert "IAR-2026-101" in html and "IAR-2026-104" in html
    section = html.split("No coordinator update for")[1]
    assert "IAR-2026-102" not in section  # updated recently
    assert "IAR-2026-103" not in section  # opened recently


def test_period_is_a_setting(silent_world, client_for, settings):
    settings.COORDINATOR_SILENCE_DAYS = 400
    html = client_for("staff").get("/").content.decode()
    assert "Every open case has had a coordinator update recently." in html


def test_weekly_email_goes_once_per_week_to_every_staff_member(silent_world):
    second_staff = f.StaffFactory(email="staff2@example.org")
    with time_machine.travel(timezone.now(), tick=False):
        send_coordinator_silence_digest.apply()
        send_coordinator_silence_digest.apply()
    messages = OutboundMessage.objects.filter(template="coordinator-silence")
    assert {m.to_email for m in messages} == {"staff@example.org", second_staff.email}
    subject, text, html = render(messages.first())
    assert "2 open cases" in subject
    assert "IAR-2026-101" in text and "IAR-2026-104" in html
    assert "Secret narrative" not in text + html and "Confidential of X" not in text + html
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        send_coordinator_silence_digest.apply()
    assert OutboundMessage.objects.filter(template="coordinator-silence").count() == 4


def test_no_email_when_nothing_is_silent(world):
    send_coordinator_silence_digest.apply()
    assert not OutboundMessage.objects.filter(template="coordinator-silence").exists()


def test_beat_schedule_runs_it_on_monday_morning():
    from iar_site.celery import app

    entry = app.conf.beat_schedule["coordinator-silence-digest"]
    assert entry["task"] == "coordinators.tasks.send_coordinator_silence_digest"
    schedule = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {0} and schedule.day_of_week == {1}
