"""A group member records what the group did; bad input gets a clear message and saves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import Activity
from iar_site.models import AuditEntry

pytestmark = pytest.mark.django_db


def url(allocation):
    return f"/groups/allocations/{allocation.pk}/record/"


def test_member_records_letters_and_sees_a_plain_confirmation(world, client_for):
    client = client_for("member_x")
    response = client.post(
        url(world.allocation_x),
        {"kind": "appeal_letter", "date": timezone.localdate().isoformat(), "count": "12"},
        follow=True,
    )
    assert response.status_code == 200
    activity = Activity.objects.get()
    assert (activity.count, activity.kind, activity.recorded_by) == (
        12,
        "appeal_letter",
        world.member_x,
    )
    html = response.content.decode()
    today = timezone.localdate()
    # The case has exactly one current target, so the confirmation names it.
    assert f"Saved: 12 letters to the Minister of Justice of A, {today.day} {today:%B}" in html
    assert AuditEntry.objects.filter(action="activity.recorded", actor=world.member_x).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "0"}, "Enter a number of at least 1."),
        ({"count": "-3"}, "Enter a number of at least 1."),
        ({"count": "1000000"}, "Enter a number no larger than 100,000."),
        ({"count": "twelve"}, "Enter a whole number"),
        ({"date": "2099-01-01"}, "The date cannot be in the future."),
        ({"date": "31/02/2026"}, "Enter a real date"),
        ({"kind": "bribery"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(world, client_for, data, message):
    form = {
        "kind": "appeal_letter",
        "date": timezone.localdate().isoformat(),
        "count": "5",
        "notes": "typed notes stay",
    }
    form.update(data)
    response = client_for("member_x").post(url(world.allocation_x), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "typed notes stay" in html
    assert Activity.objects.count() == 0


def test_another_groups_allocation_is_404_and_saves_nothing(world, client_for):
    response = client_for("member_x").post(
        url(world.allocation_y),
        {"kind": "appeal_letter", "date": timezone.localdate().isoformat(), "count": "1"},
    )
    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_ended_allocation_is_404(world, client_for):
    allocation = world.allocation_x
    allocation.status = "ended"
    allocation.end_reason = "withdrawn"
    allocation.ended_on = timezone.localdate()
    allocation.save()
    response = client_for("member_x").post(
        url(allocation), {"kind": "stall", "date": timezone.localdate().isoformat(), "count": "1"}
    )
    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_service_refuses_a_non_member_and_a_future_date(world):
    from groups.services import GroupError, record_activity

    with pytest.raises(GroupError, match="Only members"):
        record_activity(
            world.allocation_x, kind="stall", on=timezone.localdate(), actor=world.member_y
        )
    with pytest.raises(GroupError, match="future"):
        record_activity(
            world.allocation_x,
            kind="stall",
            on=timezone.localdate() + timedelta(days=1),
            actor=world.member_x,
        )
    assert Activity.objects.count() == 0


def test_next_report_due_is_a_year_from_start_then_yearly():
    from datetime import date

    from groups.yearly import next_report_due

    assert next_report_due(date(2024, 2, 29), 0) == date(2025, 2, 28)
    assert next_report_due(date(2023, 5, 1), 2) == date(2026, 5, 1)
    assert next_report_due(None, 0) is None
