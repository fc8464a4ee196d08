"""Yearly report reminders from the daily sweep, and the weekly digest of routine notices."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Allocation, Case
from groups.models import AnnualReport, Membership
from groups.services import add_years
from iar_site import digest, outbox
from iar_site.management.commands.bench_sweep import make_allocations
from iar_site.models import AuditEntry, OutboundMessage
from iar_site.reminders import report_step, sweep_report_reminders

from .conftest import require_postgres

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
    for message in OutboundMessage.objects.all():
        subject, text, html = outbox.render(message)
        assert world.case_x.reference in subject
        assert f"{settings.SITE_URL}/cases/{world.case_x.reference}/" in text
        assert f'href="{settings.SITE_URL}/cases/{world.case_x.reference}/"' in html
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
    from iar_site.celery import app

    entry = app.conf.beat_schedule["report-reminders"]
    assert entry["task"] == "iar_site.tasks.sweep_report_reminders"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


# The weekly digest


def routine_notice(world, key="update:1"):
    from iar_site.notify import notify_group

    return notify_group(
        world.group_x,
        key=key,
        template="report-overdue",
        context={"case_reference": "IAR-2026-101", "audience": "coordinator", "days_overdue": 3},
        holder=world.holder_x,
        routine=True,
    )


@pytest.mark.django_db
def test_a_member_who_chose_weekly_gets_routine_notices_in_one_digest(
    world, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=world.holder_x).update(notices="weekly")
    with django_capture_on_commit_callbacks() as callbacks:
        routine_notice(world, "update:1")
        routine_notice(world, "update:2")
    held = OutboundMessage.objects.filter(recipient_user=world.holder_x, routine=True)
    assert [m.held_for_digest for m in held] == [True, True]
    assert all(m.pk not in outbox.due_ids() for m in held)
    # Only the group's contact address (no choice to make) was handed to a worker.
    assert len(callbacks) == 2
    assert digest.send_weekly_digests() == 1
    assert digest.send_weekly_digests() == 0  # run twice: still one digest
    (sent,) = OutboundMessage.objects.filter(template="digest")
    assert sent.to_email == world.holder_x.email and len(sent.context["items"]) == 2
    assert set(held.values_list("status", flat=True)) == {"sent"}
    subject, text, html = outbox.render(sent)
    assert "2 notices" in subject
    assert "/account/notices/" in text and "/account/notices/" in html
    assert outbox.deliver(sent.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reminders_are_never_held_for_the_digest(world):
    Membership.objects.filter(user=world.holder_x).update(notices="weekly")
    start_due_on(world, TODAY)
    sweep_report_reminders(TODAY)
    reminder = OutboundMessage.objects.get(to_email=world.holder_x.email)
    assert not reminder.held_for_digest and reminder.pk in outbox.due_ids()


@pytest.mark.django_db
def test_a_member_chooses_the_digest_on_the_notices_page(world, client_for):
    client = client_for("holder_x")
    page = client.get("/account/notices/")
    assert page.status_code == 200
    assert b"Routine notices from Group X" in page.content
    assert b'href="/account/notices/"' in page.content  # linked from the account area
    field = f"group_{world.group_x.pk}"
    response = client.post("/account/notices/", {field: "weekly"})
    assert response.status_code == 302
    assert Membership.objects.get(user=world.holder_x).notices == "weekly"
    assert AuditEntry.objects.filter(action="membership.notices").count() == 1
    bad = client.post("/account/notices/", {field: "hourly"})
    assert bad.status_code == 200 and b"There is a problem" in bad.content
    assert Membership.objects.get(user=world.holder_x).notices == "weekly"


@pytest.mark.django_db
def test_switching_back_to_immediate_releases_held_notices(
    world, client_for, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=world.holder_x).update(notices="weekly")
    routine_notice(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for("holder_x").post("/account/notices/", {f"group_{world.group_x.pk}": "immediate"})
    held = OutboundMessage.objects.get(recipient_user=world.holder_x)
    assert not held.held_for_digest and held.pk in outbox.due_ids()
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_notices_page_for_someone_in_no_group(client_for):
    page = client_for("outsider").get("/account/notices/")
    assert page.status_code == 200 and b"not a member of a local group" in page.content
    assert client_for("anonymous").get("/account/notices/").status_code == 302


@pytest.mark.django_db
@time_machine.travel("2026-11-27 07:00 +0000", tick=False)
def test_the_sweep_task_queues_and_hands_over(world, monkeypatch):
    from iar_site import tasks

    start_due_on(world, TODAY)
    published = []
    monkeypatch.setattr(tasks.send_message, "delay", published.append)
    assert tasks.sweep_report_reminders.apply().get() == 2
    assert sorted(published) == sorted(OutboundMessage.objects.values_list("pk", flat=True))
