"""The meeting planner picks what is still open on the meeting day; the pack prints it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from actions import planner, services
from actions.models import ActionBundle, OneOffAttachment

from .helpers import make_admin, one_off, published_ua, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    today = timezone.localdate()
    meeting = today + dt.timedelta(days=14)
    subscribe(world.group_x, all_actions=True)
    staff = world.staff
    before = published_ua(
        staff,
        country=world.country_a,
        reference="UA 10/26",
        title="Ends before the meeting",
        deadline=meeting - dt.timedelta(days=1),
    )
    on_the_day = published_ua(
        staff,
        country=world.country_a,
        reference="UA 11/26",
        title="Ends on the meeting day",
        deadline=meeting,
    )
    after = published_ua(
        staff,
        country=world.country_a,
        reference="UA 12/26",
        title="Still open after",
        deadline=meeting + dt.timedelta(days=10),
        letter="Dear Governor, we urge you to free the river defenders.",
    )
    attached = one_off(
        staff, title="Card for the defenders", deadline=meeting + dt.timedelta(days=20)
    )
    OneOffAttachment.objects.create(one_off=attached, group=world.group_x)
    not_attached = one_off(staff, title="Somebody else's action")
    OneOffAttachment.objects.create(one_off=not_attached, group=world.group_y)
    mailing = services.save_bundle(
        None,
        kind=ActionBundle.Kind.MAILING,
        title="This month's mailing",
        one_offs=[
            one_off(staff, title="Mailing letter action", deadline=meeting + dt.timedelta(days=5))
        ],
        actor=staff,
    )
    services.publish_bundle(mailing, actor=staff)
    # The yearly report on case X falls due the week of the meeting.
    world.allocation_x.started_on = meeting.replace(year=meeting.year - 1) - dt.timedelta(days=3)
    world.allocation_x.save()
    world.group_x.next_meeting = meeting
    world.group_x.save()
    return {
        "meeting": meeting,
        "before": before,
        "on_the_day": on_the_day,
        "after": after,
        "attached": attached,
        "mailing": mailing,
    }


def test_the_plan_holds_what_is_open_after_the_meeting(world, setup):
    plan = planner.meeting_plan(world.group_x, setup["meeting"], today=timezone.localdate())
    assert plan.urgent_actions == [setup["after"]]
    assert plan.one_offs == [setup["attached"]]
    assert plan.mailing == setup["mailing"]
    assert [c.allocation for c in plan.reports_due] == [world.allocation_x]
    titles = [a.title for a in plan.letter_actions()]
    assert titles == ["Still open after", "Card for the defenders", "Mailing letter action"]


def test_a_later_meeting_drops_what_will_have_closed(world, setup):
    later = setup["meeting"] + dt.timedelta(days=12)
    plan = planner.meeting_plan(world.group_x, later, today=timezone.localdate())
    assert plan.urgent_actions == []
    assert plan.one_offs == [setup["attached"]]


def test_the_meeting_page_and_pack(world, setup, client_for):
    client = client_for("member_x")
    html = client.get(f"/urgent-actions/groups/{world.group_x.pk}/meeting/").content.decode()
    assert f"For your meeting on {setup['meeting']:%A} {setup['meeting'].day}" in html
    assert "Still open after" in html and "Ends before the meeting" not in html
    assert "Card for the defenders" in html and "Somebody else" not in html
    assert "yearly report due" in html

    response = client.get(f"/urgent-actions/groups/{world.group_x.pk}/meeting/pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert "Dear Governor, we urge you to free the river defenders." in text
    assert "Ministry of the Interior" in text
    # A page per action after the cover, and the label sheet at the end.
    assert any("Urgent Action UA 12/26" in page for page in pages[1:])
    assert "Hon. A. Minister" in pages[-1] and "Suggested letter" not in pages[-1]
    assert "Confidential of X" not in text


def test_the_next_meeting_falls_back_to_the_latest_case_request(world):
    today = timezone.localdate()
    world.group_x.next_meeting = None
    world.group_x.save()
    world.group_x.case_requests.create(meeting_date=today + dt.timedelta(days=30))
    assert planner.next_meeting(world.group_x, today=today) == today + dt.timedelta(days=30)


def test_an_administrator_sets_the_meeting_date_and_bad_dates_are_explained(world, client_for):
    make_admin(world.member_x, world.group_x)
    client = client_for("member_x")
    url = f"/urgent-actions/groups/{world.group_x.pk}/meeting/"
    response = client.post(url, {"next_meeting": "not a date"})
    assert "Enter a real date" in response.content.decode()
    response = client.post(url, {"next_meeting": "2001-01-01"})
    assert "cannot be in the past" in response.content.decode()
    day = timezone.localdate() + dt.timedelta(days=9)
    assert client.post(url, {"next_meeting": day.isoformat()}).status_code == 302
    world.group_x.refresh_from_db()
    assert world.group_x.next_meeting == day
