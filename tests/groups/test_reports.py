"""The yearly report: pre-filled from the period's actions, drafted, sent to the coordinator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from groups import letters
from groups.models import AnnualReport
from groups.reports import report_summary
from iar_site.models import AuditEntry
from notifications import outbox
from notifications.models import OutboundMessage

from .. import factories as f

pytestmark = pytest.mark.django_db

START = date(2025, 3, 10)


@pytest.fixture
def started(world):
    world.allocation_x.started_on = START
    world.allocation_x.save()
    return world.allocation_x


def url(allocation, start=START):
    return f"/groups/allocations/{allocation.pk}/reports/{start.isoformat()}/"


@time_machine.travel(date(2026, 4, 1))
def test_prefill_counts_only_the_periods_own_actions(world, client_for, started):
    log = f.ActivityFactory
    log(allocation=started, kind="appeal_letter", count=12, date=date(2025, 3, 10))
    log(allocation=started, kind="appeal_letter", count=3, date=date(2026, 3, 9))
    log(
        allocation=started,
        kind="stall",
        count=1,
        date=date(2025, 7, 1),
        outcome="reply",
        outcome_notes="Ministry acknowledged",
    )
    # Outside the period, or another group's: not counted.
    log(allocation=started, kind="appeal_letter", count=100, date=date(2026, 3, 10))
    log(allocation=world.allocation_y, kind="appeal_letter", count=50, date=date(2025, 8, 1))
    summary = report_summary(started, START, date(2026, 3, 10))
    totals = {k.kind: (k.entries, k.total) for k in summary.kinds}
    assert totals == {"appeal_letter": (2, 15), "stall": (1, 1)}
    assert [a.outcome_notes for a in summary.outcomes] == ["Ministry acknowledged"]
    html = client_for("member_x").get(url(started)).content.decode()
    assert "<td>2</td><td>15</td>" in html
    assert "Ministry acknowledged" in html
    assert "Overdue" in html  # due 10 March 2026, not sent by 1 April


@time_machine.travel(date(2026, 4, 1))
def test_draft_then_submit_notifies_the_coordinator_without_narrative(
    world, client_for, started, django_capture_on_commit_callbacks
):
    client = client_for("member_x")
    data = {
        "what_worked": "Stalls in the market",
        "media_coverage": "",
        "plans": "More",
        "concerns": "",
    }
    response = client.post(url(started), {**data, "action": "save"}, follow=True)
    assert "Your draft is saved" in response.content.decode()
    report = AnnualReport.objects.get()
    assert report.status == "draft" and report.what_worked == "Stalls in the market"
    assert not OutboundMessage.objects.exists()

    with django_capture_on_commit_callbacks():
        response = client.post(url(started), {**data, "action": "submit"}, follow=True)
    html = response.content.decode()
    assert "sent to the country coordinator" in html
    assert "Status: Submitted" in html
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_by == world.member_x
    message = OutboundMessage.objects.get(template="annual-report-submitted")
    assert message.to_email == "coord.a@example.org"
    subject, text, body_html = outbox.render(message)
    for part in (subject, text, body_html):
        assert "IAR-2026-101" in part
        assert "Stalls in the market" not in part
        assert "Narrative of case X." not in part
    from groups.services import _report_path

    link = _report_path(report)
    assert link in text and link in body_html
    assert client_for("coordinator_a").get(link).status_code == 200  # the link opens for them
    assert AuditEntry.objects.filter(action="report.submitted", actor=world.member_x).exists()
    # Once sent it cannot be changed, and sending twice sends nothing new.
    response = client.post(url(started), {**data, "plans": "changed", "action": "submit"})
    report.refresh_from_db()
    assert report.plans == "More"
    assert OutboundMessage.objects.count() == 1


@time_machine.travel(date(2026, 4, 1))
def test_empty_report_cannot_be_sent(world, client_for, started):
    response = client_for("member_x").post(url(started), {"action": "submit"})
    html = response.content.decode()
    assert "There is a problem" in html and "Write at least one" in html
    assert not AnnualReport.objects.filter(status="submitted").exists()
    assert not OutboundMessage.objects.exists()


@time_machine.travel(date(2026, 4, 1))
def test_acknowledged_report_shows_the_coordinators_comment(world, client_for, started):
    AnnualReport.objects.create(
        allocation=started,
        period_start=START,
        period_end=date(2026, 3, 10),
        status="acknowledged",
        submitted_at=timezone.now(),
        acknowledged_at=timezone.now(),
        acknowledgement="Great work, thank you.",
    )
    html = client_for("member_x").get(url(started)).content.decode()
    assert "Status: Acknowledged" in html and "Great work, thank you." in html
    assert "Overdue" not in html
    listing = client_for("member_x").get(f"/groups/allocations/{started.pk}/reports/").content
    assert b"Acknowledged" in listing
    assert b"Not started" in listing  # the second year has begun


@time_machine.travel(date(2026, 4, 1))
@pytest.mark.parametrize("start", ["2025-03-11", "2027-03-10", "not-a-date", "2024-03-10"])
def test_a_period_that_is_not_the_allocations_is_404(world, client_for, started, start):
    response = client_for("member_x").get(f"/groups/allocations/{started.pk}/reports/{start}/")
    assert response.status_code == 404


@time_machine.travel(date(2026, 4, 1))
def test_another_group_cannot_see_or_write_the_report(world, client_for, started):
    for persona in ("member_y", "outsider", "coordinator_b"):
        client = client_for(persona)
        assert client.get(url(started)).status_code == 404
        assert client.post(url(started), {"plans": "x", "action": "save"}).status_code == 404
    assert not AnnualReport.objects.exists()


@time_machine.travel(date(2026, 4, 1))
def test_report_pdf_for_the_groups_records(world, client_for, started):
    f.ActivityFactory(allocation=started, kind="petition", count=240, date=date(2025, 9, 1))
    response = client_for("member_x").get(url(started) + "pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "report-IAR-2026-101-2025-2026.pdf" in response["Content-Disposition"]
    text = letters.document_text(
        letters.report_document(None, report_summary(started, START, date(2026, 3, 10)), started)
    )
    assert "Petition" in text and "240" in text


@time_machine.travel(date(2026, 4, 1))
def test_confidential_report_pdf_names_the_case_by_reference_only(world, started):
    allocation = world.allocation_confidential_x
    allocation.started_on = START
    allocation.save()
    text = letters.document_text(
        letters.report_document(
            None, report_summary(allocation, START, START + timedelta(days=365)), allocation
        )
    )
    assert "IAR-2026-104" in text
    assert "Confidential of X" not in text
