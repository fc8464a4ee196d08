"""The yearly-report rules: the due date and state every page reads, and the reminder sweep."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation, Case
from demo.scale import make_allocations
from groups import tasks
from groups.models import AnnualReport, Membership
from groups.yearly import (
    ReportDue,
    ReportState,
    add_years,
    report_due,
    report_step,
    sweep_report_reminders,
    with_report_due,
)
from iar_site.celery import app
from notifications import outbox
from notifications import tasks as notification_tasks
from notifications.models import OutboundMessage

from ..conftest import require_postgres

TODAY = date(2026, 11, 27)


def start_due_on(world, due: date) -> Allocation:
    """Make allocation X's first report fall due on `due`; other allocations are not due."""
    Allocation.objects.exclude(pk=world.allocation_x.pk).update(started_on=TODAY)
    Allocation.objects.filter(pk=world.allocation_x.pk).update(started_on=add_years(due, -1))
    world.allocation_x.refresh_from_db()
    return world.allocation_x


def keys() -> list[str]:
    return sorted(OutboundMessage.objects.values_list("idempotency_key", flat=True))


@pytest.mark.parametrize(
    ("offset", "step"),
    [
        (-31, None),
        (-30, "before"),
        (-1, "before"),
        (0, "due"),
        (13, "due"),
        (14, "overdue-14"),
        (27, "overdue-14"),
        (28, "overdue-28"),
        (60, "overdue-56"),
    ],
)
def test_the_step_for_each_day(offset, step):
    due = TODAY
    assert report_step(due, due + timedelta(days=offset)) == step


@pytest.mark.django_db
def test_a_group_is_reminded_before_on_and_after_the_due_date_once_each(world):
    due = TODAY + timedelta(days=30)
    start_due_on(world, due)
    sweep_report_reminders(TODAY)
    sweep_report_reminders(TODAY)  # a second run the same day sends nothing new
    first = OutboundMessage.objects.all()
    assert sorted(m.to_email for m in first) == sorted(
        [world.holder_x.email, world.group_x.contact_email]
    )
    assert {m.context["step"] for m in first} == {"before"}
    sweep_report_reminders(TODAY + timedelta(days=10))  # still the same step: nothing new
    assert OutboundMessage.objects.count() == 2
    sweep_report_reminders(due)
    assert OutboundMessage.objects.filter(context__step="due").count() == 2
    sweep_report_reminders(due + timedelta(days=14))
    assert OutboundMessage.objects.filter(context__step="overdue").count() == 2
    assert not OutboundMessage.objects.filter(template="report-overdue").exists()


@pytest.mark.django_db
def test_the_coordinator_is_told_at_30_days_and_staff_at_60(world):
    due = TODAY - timedelta(days=30)
    start_due_on(world, due)
    sweep_report_reminders(TODAY)
    overdue = OutboundMessage.objects.filter(template="report-overdue")
    assert [m.to_email for m in overdue] == [world.coordinator_a.email]
    sweep_report_reminders(due + timedelta(days=60))
    assert sorted(m.to_email for m in overdue.all()) == sorted(
        [world.coordinator_a.email, world.staff.email]
    )
    sweep_report_reminders(due + timedelta(days=74))  # told once each, not again
    assert overdue.all().count() == 2


@pytest.mark.django_db
def test_no_reminder_once_the_report_is_in_or_for_stopped_work(world):
    start_due_on(world, TODAY)
    AnnualReport.objects.create(
        allocation=world.allocation_x,
        period_start=world.allocation_x.started_on,
        period_end=TODAY,
        status=AnnualReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    sweep_report_reminders(TODAY)
    assert keys() == []
    AnnualReport.objects.all().update(status=AnnualReport.Status.DRAFT)
    Case.objects.filter(pk=world.case_x.pk).update(status=Case.Status.PAUSED)
    sweep_report_reminders(TODAY)
    assert keys() == []
    Case.objects.filter(pk=world.case_x.pk).update(
        status=Case.Status.CLOSED, closing_reason="resolved", closed_at=timezone.now()
    )
    sweep_report_reminders(TODAY)
    assert keys() == []
    Case.objects.filter(pk=world.case_x.pk).update(
        status=Case.Status.OPEN, closing_reason="", closed_at=None
    )
    sweep_report_reminders(TODAY)
    assert len(keys()) == 2  # the same allocation, open again: reminded
    Allocation.objects.filter(pk=world.allocation_x.pk).update(
        status=Allocation.Status.ENDED, ended_on=TODAY, end_reason="relinquished"
    )
    OutboundMessage.objects.all().delete()
    sweep_report_reminders(TODAY)
    assert keys() == []


@pytest.mark.django_db
def test_a_post_group_gets_a_print_queue_item(world):
    start_due_on(world, TODAY)
    world.group_x.channel = "post"
    world.group_x.save()
    sweep_report_reminders(TODAY)
    (item,) = OutboundMessage.objects.all()
    assert item.channel == "post" and item.postal_address == world.group_x.postal_address
    assert item.status == "queued" and item.pk not in outbox.due_ids()


@pytest.mark.django_db
def test_reminder_emails_have_a_link_and_no_case_narrative(world, settings):
    start_due_on(world, TODAY - timedelta(days=60))
    sweep_report_reminders(TODAY)
    # Each reader's own page: the group's report form itself, the coordinator's workspace, IAR's.
    pages = {world.coordinator_a.pk: "coordinators:case", world.staff.pk: "staff:case"}
    allocation = world.allocation_x
    form = reverse("groups:report", args=[allocation.pk, allocation.started_on.isoformat()])
    for message in OutboundMessage.objects.all():
        subject, text, html = outbox.render(message)
        if message.template == "report-reminder":
            page = form
        else:
            page = reverse(pages[message.recipient_user_id], args=[world.case_x.reference])
        assert world.case_x.reference in subject
        assert f"{settings.SITE_URL}{page}" in text
        assert f'href="{settings.SITE_URL}{page}"' in html
        assert world.case_x.summary not in text + html
        assert "&#x27;" not in text and "&#x27;" not in subject  # plain text is not escaped
    group = OutboundMessage.objects.filter(template="report-reminder").first()
    assert "overdue" in outbox.render(group)[0]


@pytest.mark.django_db
def test_the_sweep_takes_the_same_queries_for_100_and_1000_allocations():
    counts = []
    for n, prefix in ((100, "s"), (1000, "l")):
        make_allocations(n, today=TODAY, prefix=prefix, spread_days=1, overdue_days=0)
        OutboundMessage.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            result = sweep_report_reminders(TODAY)
        counts.append(len(queries))
        assert result.allocations_due == OutboundMessage.objects.count()
    assert OutboundMessage.objects.count() == 1100
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_queue_each_reminder_once():
    require_postgres()
    make_allocations(300, today=TODAY, prefix="c", spread_days=1, overdue_days=0)
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            sweep_report_reminders(TODAY)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OutboundMessage.objects.count() == 300
    assert len(set(keys())) == 300


@pytest.mark.django_db
def test_the_daily_task_is_scheduled_at_seven():
    entry = app.conf.beat_schedule["report-reminders"]
    assert entry["task"] == "groups.tasks.sweep_report_reminders"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


@pytest.mark.django_db
def test_reminders_are_never_held_for_the_digest(world):
    Membership.objects.filter(user=world.holder_x).update(notices="weekly")
    start_due_on(world, TODAY)
    sweep_report_reminders(TODAY)
    reminder = OutboundMessage.objects.get(to_email=world.holder_x.email)
    assert not reminder.held_for_digest and reminder.pk in outbox.due_ids()


@pytest.mark.django_db
@time_machine.travel("2026-11-27 07:00 +0000", tick=False)
def test_the_sweep_task_queues_and_hands_over(world, monkeypatch):
    start_due_on(world, TODAY)
    published = []
    monkeypatch.setattr(notification_tasks.send_message, "delay", published.append)
    assert tasks.sweep_report_reminders.apply().get() == 2
    assert sorted(published) == sorted(OutboundMessage.objects.values_list("pk", flat=True))


# The one annotation: with_report_due, read by report_due, on every page that shows the state


def read(allocation: Allocation, today: date):
    annotated = with_report_due(Allocation.objects.filter(pk=allocation.pk)).get()
    return report_due(annotated.started_on, annotated.reports_in, today)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offset", "state", "days_overdue"),
    [
        (-31, ReportState.NOT_DUE, 0),
        (-30, ReportState.DUE, 0),
        (-1, ReportState.DUE, 0),
        (0, ReportState.DUE, 0),
        (1, ReportState.OVERDUE, 1),
        (45, ReportState.OVERDUE, 45),
    ],
)
def test_the_state_on_each_side_of_the_due_date(world, offset, state, days_overdue):
    due = TODAY
    allocation = start_due_on(world, due)
    assert read(allocation, due + timedelta(days=offset)) == ReportDue(due, state, days_overdue)


@pytest.mark.django_db
def test_the_reminder_window_follows_the_setting(world, settings):
    settings.REPORT_REMINDER_DAYS_BEFORE = 10
    allocation = start_due_on(world, TODAY)
    assert read(allocation, TODAY - timedelta(days=11)).state == ReportState.NOT_DUE
    assert read(allocation, TODAY - timedelta(days=10)).state == ReportState.DUE
    assert report_step(TODAY, TODAY - timedelta(days=11)) is None
    assert report_step(TODAY, TODAY - timedelta(days=10)) == "before"


@pytest.mark.django_db
def test_a_report_in_moves_the_due_date_a_year_and_a_draft_does_not(world):
    allocation = start_due_on(world, TODAY)
    report = AnnualReport.objects.create(
        allocation=allocation,
        period_start=allocation.started_on,
        period_end=TODAY,
        status=AnnualReport.Status.DRAFT,
    )
    assert read(allocation, TODAY + timedelta(days=1)) == ReportDue(TODAY, ReportState.OVERDUE, 1)
    for status, acknowledged_at in (
        (AnnualReport.Status.SUBMITTED, None),
        (AnnualReport.Status.ACKNOWLEDGED, timezone.now()),
    ):
        AnnualReport.objects.filter(pk=report.pk).update(
            status=status, submitted_at=timezone.now(), acknowledged_at=acknowledged_at
        )
        next_due = add_years(TODAY, 1)
        assert read(allocation, TODAY + timedelta(days=1)) == ReportDue(
            next_due, ReportState.NOT_DUE, 0
        )


@pytest.mark.django_db
def test_no_due_date_before_the_work_starts(world):
    Allocation.objects.filter(pk=world.allocation_x.pk).update(
        status=Allocation.Status.OFFERED, started_on=None
    )
    assert read(world.allocation_x, TODAY) is None


@pytest.mark.django_db
def test_a_start_on_29_february_falls_due_on_28_february(world):
    Allocation.objects.filter(pk=world.allocation_x.pk).update(started_on=date(2024, 2, 29))
    assert read(world.allocation_x, date(2025, 2, 28)) == ReportDue(
        date(2025, 2, 28), ReportState.DUE, 0
    )
    assert read(world.allocation_x, date(2025, 3, 1)).state == ReportState.OVERDUE


@pytest.mark.django_db
def test_the_annotation_adds_no_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(with_report_due(Allocation.objects.all()))
    assert {row.reports_in for row in rows} == {0}


def pages(client_for, allocation) -> dict[str, str]:
    member = client_for("member_x")
    coordinator = client_for("coordinator_a")
    first_period = [allocation.pk, allocation.started_on.isoformat()]
    urls = {
        "my cases": (member, "/"),
        "reports": (member, reverse("groups:reports", args=[allocation.pk])),
        "report": (member, reverse("groups:report", args=first_period)),
        "coordinator home": (coordinator, "/"),
        "workspace": (coordinator, reverse("coordinators:case", args=[allocation.case.reference])),
        "inbox": (coordinator, reverse("coordinators:report_inbox")),
    }
    html = {}
    for page, (client, url) in urls.items():
        response = client.get(url)
        assert response.status_code == 200, page
        html[page] = response.content.decode()
    html["my cases"] = html["my cases"].split("Case of X")[1].split("</article>")[0]
    return html


@pytest.mark.django_db
def test_every_page_tells_overdue_from_the_day_after_the_due_date(world, client_for):
    due = TODAY
    allocation = start_due_on(world, due)
    with time_machine.travel(f"{due} 12:00 +0000", tick=False):
        on_the_day = pages(client_for, allocation)
    with time_machine.travel(f"{due + timedelta(days=1)} 12:00 +0000", tick=False):
        day_after = pages(client_for, allocation)
    overdue_marks = {
        "my cases": "Overdue",
        "reports": "Overdue: it was due on",
        "report": "Overdue: it was due on",
        "coordinator home": "overdue since",
        "workspace": "overdue since",
        "inbox": 'Overdue <span class="badge text-bg-secondary">1</span>',
    }
    for page, mark in overdue_marks.items():
        assert mark not in on_the_day[page], page
        assert mark in day_after[page], page
    assert "Group X: due" not in on_the_day["inbox"]
    assert "(1 day ago)" in day_after["inbox"]
