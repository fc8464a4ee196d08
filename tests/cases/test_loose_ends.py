"""The loose ends of a case's life, on a controlled clock: offers that expire, stops that are not
confirmed, a group IAR take off a case, a group's own case request, reports between yearly ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Allocation, Case
from cases.services import CaseError, stop_case
from cases.services.loose_ends import sweep_loose_ends, withdraw_group
from groups.interim import send_interim_report
from groups.matching import candidate_groups
from groups.models import CaseRequest, InterimReport
from groups.services import GroupError, submit_report
from groups.services_requests import cancel_case_request
from groups.yearly import next_report_due, sweep_report_reminders, with_report_due
from notifications.models import OutboundMessage
from notifications.outbox import render
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY0 = date(2026, 3, 2)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


@pytest.fixture
def offer(world):
    return f.AllocationFactory(
        case=world.case_unallocated_a,
        group=world.group_y,
        status=Allocation.Status.OFFERED,
        started_on=None,
        offered_at=_at(DAY0),
    )


def _keys(prefix: str) -> list[str]:
    return list(
        OutboundMessage.objects.filter(idempotency_key__startswith=prefix).values_list(
            "idempotency_key", flat=True
        )
    )


def test_an_unanswered_offer_is_reminded_a_week_before_it_expires(world, offer, settings):
    settings.OFFER_EXPIRY_DAYS = 21
    assert sweep_loose_ends(DAY0 + timedelta(days=13)).offer_reminders == 0
    result = sweep_loose_ends(DAY0 + timedelta(days=14))
    assert result.offer_reminders == 1 and result.offers_expired == 0
    reminder = OutboundMessage.objects.get(idempotency_key__startswith=f"offer-reminder:{offer.pk}")
    subject, text, _ = render(reminder)
    assert "23 March 2026" in subject
    assert f"/cases/{world.case_unallocated_a.reference}/offer/" in text
    # Running again, the same day or the next, sends nothing more.
    sweep_loose_ends(DAY0 + timedelta(days=14))
    sweep_loose_ends(DAY0 + timedelta(days=15))
    assert len(_keys(f"offer-reminder:{offer.pk}")) == 1
    offer.refresh_from_db()
    assert offer.status == Allocation.Status.OFFERED


def test_an_offer_expires_after_the_set_days_freeing_the_place_and_telling_iar(
    world, offer, settings
):
    settings.OFFER_EXPIRY_DAYS = 21
    assert sweep_loose_ends(DAY0 + timedelta(days=20)).offers_expired == 0
    assert sweep_loose_ends(DAY0 + timedelta(days=21)).offers_expired == 1
    offer.refresh_from_db()
    assert offer.status == Allocation.Status.ENDED
    assert offer.end_reason == Allocation.EndReason.EXPIRED
    assert offer.ended_on == DAY0 + timedelta(days=21)
    told = {m.to_name for m in OutboundMessage.objects.filter(template="offer-expired")}
    assert told == {"IAR programme", world.group_y.name}
    # The place is free: the group may be offered the case again later, unlike a withdrawal.
    assert world.group_y in candidate_groups(world.case_unallocated_a)
    assert sweep_loose_ends(DAY0 + timedelta(days=22)).offers_expired == 0


def test_expiry_days_come_from_the_setting(world, offer, settings):
    settings.OFFER_EXPIRY_DAYS = 30
    assert sweep_loose_ends(DAY0 + timedelta(days=22)).offers_expired == 0
    assert sweep_loose_ends(DAY0 + timedelta(days=23)).offer_reminders == 1
    assert sweep_loose_ends(DAY0 + timedelta(days=30)).offers_expired == 1


def test_an_accepted_offer_neither_expires_nor_is_reminded(world, offer):
    offer.status, offer.started_on = Allocation.Status.ACTIVE, DAY0
    offer.save()
    result = sweep_loose_ends(DAY0 + timedelta(days=40))
    assert result.offers_expired == 0 and result.offer_reminders == 0


def test_a_group_that_has_not_confirmed_a_stop_is_reminded_every_14_days(world, client_for):
    world.allocation_x.started_on = DAY0 - timedelta(days=100)
    world.allocation_x.save()
    with time_machine.travel(_at(DAY0), tick=False):
        stop_case(world.case_x, reason=Case.ClosingReason.RESOLVED, actor=world.staff)
    assert sweep_loose_ends(DAY0 + timedelta(days=13)).stop_reminders == 0
    assert sweep_loose_ends(DAY0 + timedelta(days=14)).stop_reminders == 1
    sweep_loose_ends(DAY0 + timedelta(days=15))
    keys = _keys(f"stop-reminder:{world.allocation_x.pk}:")
    assert len(keys) == 2  # the holder and the group's address, once
    reminder = OutboundMessage.objects.get(idempotency_key=keys[0])
    assert reminder.status == OutboundMessage.Status.QUEUED  # not cancelled with the case
    _, text, _ = render(reminder)
    assert "14 days ago" in text and "/cases/IAR-2026-101/confirm-stop/" in text
    sweep_loose_ends(DAY0 + timedelta(days=28))
    assert len(_keys(f"stop-reminder:{world.allocation_x.pk}:")) == 4

    with time_machine.travel(_at(DAY0 + timedelta(days=20)), tick=False):
        page = client_for("staff").get("/staff/stopped/").content.decode()
    assert "Group X" in page and "2\xa0weeks, 6\xa0days" in page

    world.allocation_x.stop_confirmed_at = timezone.now()
    world.allocation_x.save()
    assert sweep_loose_ends(DAY0 + timedelta(days=42)).stop_reminders == 0


def test_staff_withdraw_a_group_with_a_reason_and_it_is_never_proposed_again(world, client_for):
    url = f"/staff/allocations/{world.allocation_x.pk}/withdraw/"
    staff = client_for("staff")
    assert client_for("coordinator_a").get(url).status_code == 403
    assert (
        "Take the group off the case"
        in staff.get(f"/staff/cases/{world.case_x.reference}/").content.decode()
    )
    empty = staff.post(url, {"reason": ""})
    assert empty.status_code == 200 and "Give the reason" in empty.content.decode()
    response = staff.post(url, {"reason": "The group has not acted for two years."})
    assert response.status_code == 302
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.status == Allocation.Status.ENDED
    assert world.allocation_x.end_reason == Allocation.EndReason.WITHDRAWN
    assert world.group_x not in candidate_groups(world.case_x)
    told = OutboundMessage.objects.filter(template="group-withdrawn")
    assert {m.to_email for m in told} == {
        "holder.x@example.org",
        world.group_x.contact_email,
        "coord.a@example.org",
    }
    _, text, _ = render(told.get(to_email="holder.x@example.org"))
    assert "The group has not acted for two years." in text
    with pytest.raises(CaseError):
        withdraw_group(world.allocation_y, reason="x", actor=world.coordinator_b)


def test_withdrawing_from_a_confidential_case_keeps_the_reason_with_iar(world):
    withdraw_group(
        world.allocation_confidential_x, reason="Confidential of X asked us", actor=world.staff
    )
    for message in OutboundMessage.objects.filter(template="group-withdrawn"):
        assert "Confidential of X" not in str(message.context) + render(message)[1]


# ---- A group cancels its own case request -----------------------------------------------------


def test_a_group_cancels_its_own_case_request_and_iar_are_told(world, client_for):

    request = CaseRequest.objects.create(
        group=world.group_x, number=2, meeting_date=DAY0 + timedelta(days=400)
    )
    url = f"/cases/ask-for-cases/{request.pk}/cancel/"
    assert client_for("member_y").post(url).status_code == 404
    assert client_for("member_x").get(url).status_code == 405
    page = client_for("member_x").get("/cases/ask-for-cases/").content.decode()
    assert "Cancel this request" in page
    response = client_for("member_x").post(url)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CaseRequest.Status.CANCELLED
    told = OutboundMessage.objects.get(idempotency_key=f"case-request:{request.pk}:cancelled:iar")
    assert "Group X" in render(told)[0]
    # Cancelling twice changes nothing and tells nobody twice.
    client_for("member_x").post(url)
    assert OutboundMessage.objects.filter(template="case-request-cancelled").count() == 1
    assert (
        "Cancel this request"
        not in client_for("member_x").get("/cases/ask-for-cases/").content.decode()
    )


def test_an_answered_request_cannot_be_cancelled(world):

    request = CaseRequest.objects.create(
        group=world.group_x,
        meeting_date=DAY0,
        status=CaseRequest.Status.FULFILLED,
        fulfilled_at=timezone.now(),
    )
    with pytest.raises(GroupError):
        cancel_case_request(request, actor=world.member_x)


# ---- Reports between yearly ones, and reminders that open the form ----------------------------


def test_an_interim_report_reaches_the_coordinator_and_the_yearly_one_stays_due(world, client_for):

    world.allocation_x.started_on = DAY0 - timedelta(days=300)
    world.allocation_x.save()
    url = f"/groups/allocations/{world.allocation_x.pk}/news/"
    assert client_for("member_y").get(url).status_code == 404
    client = client_for("member_x")
    assert "Send a report now" in client.get("/groups/cases/IAR-2026-101/").content.decode()
    empty = client.post(url, {"news": " "})
    assert "Tell your coordinator your news" in empty.content.decode()
    response = client.post(url, {"news": "The embassy replied to our petition.", "plans": ""})
    assert response.status_code == 302
    report = InterimReport.objects.get()
    told = OutboundMessage.objects.get(idempotency_key__startswith=f"interim-report:{report.pk}")
    assert told.to_email == "coord.a@example.org"
    assert "The embassy replied" not in render(told)[1]

    row = with_report_due(Allocation.objects.filter(pk=world.allocation_x.pk)).get()
    assert row.reports_in == 0
    assert next_report_due(row.started_on, row.reports_in) == DAY0 + timedelta(days=65)
    workspace = client_for("coordinator_a").get("/coordinator/cases/IAR-2026-101/")
    assert "The embassy replied to our petition." in workspace.content.decode()


def test_an_interim_report_counts_as_contact_for_the_quiet_mark(world, client_for, settings):

    settings.GROUP_QUIET_DAYS = 30
    world.allocation_x.started_on = timezone.localdate() - timedelta(days=200)
    world.allocation_x.save()
    workspace = client_for("coordinator_a").get("/coordinator/cases/IAR-2026-101/")
    assert "Quiet</span>" in workspace.content.decode()
    send_interim_report(world.allocation_x, news="Still writing", actor=world.member_x)
    workspace = client_for("coordinator_a").get("/coordinator/cases/IAR-2026-101/")
    assert "Quiet</span>" not in workspace.content.decode()


def test_reports_on_a_case_without_coordinator_go_to_iar(world):

    world.case_x.coordinator = None
    world.case_x.save()
    world.allocation_x.started_on = DAY0 - timedelta(days=400)
    world.allocation_x.save()
    interim = send_interim_report(world.allocation_x, news="News", actor=world.member_x)
    assert OutboundMessage.objects.get(
        idempotency_key__startswith=f"interim-report:{interim.pk}"
    ).to_name == ("IAR programme")
    with time_machine.travel(_at(DAY0 + timedelta(days=10)), tick=False):
        yearly = submit_report(
            world.allocation_x,
            period_start=DAY0 - timedelta(days=400),
            what_worked="Letters",
            actor=world.member_x,
        )
    told = OutboundMessage.objects.get(idempotency_key=f"annual-report-submitted:{yearly.pk}:iar")
    assert told.to_name == "IAR programme"


def test_every_yearly_reminder_links_to_the_report_form(world):

    start = DAY0 - timedelta(days=365 - 10)
    world.allocation_x.started_on = start
    world.allocation_x.save()
    sweep_report_reminders(DAY0)
    reminders = OutboundMessage.objects.filter(template="report-reminder")
    assert reminders.exists()
    form = f"/groups/allocations/{world.allocation_x.pk}/reports/{start.isoformat()}/"
    for reminder in reminders:
        _, text, html = render(reminder)
        assert form in text and form in html
