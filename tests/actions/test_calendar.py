"""The secret calendar feed and the one-event downloads, read back with icalendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from actions.models import CalendarFeed

from .helpers import published_ua

pytestmark = pytest.mark.django_db


def _events(content: bytes) -> dict[str, dt.date]:
    calendar = Calendar.from_ical(content)
    return {
        str(event.get("summary")): event.decoded("dtstart") for event in calendar.walk("VEVENT")
    }


def test_the_feed_lists_ua_deadlines_reports_and_meetings_and_can_be_revoked(world, client_for):
    today = timezone.localdate()
    ua = published_ua(world.staff, country=world.country_a, deadline=today + dt.timedelta(days=20))
    world.group_x.next_meeting = today + dt.timedelta(days=10)
    world.group_x.save()
    world.allocation_x.started_on = today - dt.timedelta(days=300)
    world.allocation_x.save()

    member = client_for("member_x")
    member.post("/urgent-actions/calendar/change/", {"what": "create"})
    feed = CalendarFeed.objects.get(user=world.member_x)
    assert feed.token in member.get("/urgent-actions/calendar/").content.decode()

    anonymous = client_for("anonymous")
    response = anonymous.get(f"/urgent-actions/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert events[f"Urgent Action {ua.reference} deadline"] == ua.deadline
    assert events["Group X meeting"] == today + dt.timedelta(days=10)
    assert events[f"Yearly report due: {world.case_x.reference} (Group X)"] == (
        world.allocation_x.started_on.replace(year=world.allocation_x.started_on.year + 1)
    )
    # Calendars sync to phones and other services: no confidential name, only references.
    assert b"Confidential of X" not in response.content

    member.post("/urgent-actions/calendar/change/", {"what": "renew"})
    assert anonymous.get(f"/urgent-actions/calendar/{feed.token}.ics").status_code == 404
    new_token = CalendarFeed.objects.get(user=world.member_x).token
    assert anonymous.get(f"/urgent-actions/calendar/{new_token}.ics").status_code == 200

    member.post("/urgent-actions/calendar/change/", {"what": "revoke"})
    assert anonymous.get(f"/urgent-actions/calendar/{new_token}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user=world.member_x).exists()


def test_a_guessed_token_finds_nothing(client):
    assert client.get("/urgent-actions/calendar/not-a-real-token.ics").status_code == 404


def test_add_to_calendar_beside_a_deadline_is_one_all_day_event(world, client_for):
    ua = published_ua(world.staff, country=world.country_a)
    client = client_for("member_y")
    html = client.get(f"/urgent-actions/{ua.pk}/").content.decode()
    assert f"/urgent-actions/{ua.pk}/calendar.ics" in html
    response = client.get(f"/urgent-actions/{ua.pk}/calendar.ics")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == ua.deadline
    assert event.decoded("dtend") == ua.deadline + dt.timedelta(days=1)
    assert str(event.get("url")).endswith(f"/urgent-actions/{ua.pk}/")
