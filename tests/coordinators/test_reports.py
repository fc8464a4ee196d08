"""The report inbox: submitted reports, acknowledging them with a comment, overdue ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coordinators.services import CoordinatorError, acknowledge_report
from groups.models import AnnualReport
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage
from notifications.outbox import render

from .helpers import make_report

pytestmark = pytest.mark.django_db


def test_coordinator_acknowledges_a_report_and_the_group_is_told(world, client_for):
    report = make_report(world.allocation_x)
    client = client_for("coordinator_a")
    inbox = client.get("/coordinator/reports/").content.decode()
    assert "Group X on IAR-2026-101" in inbox
    page = client.get(f"/coordinator/reports/{report.pk}/").content.decode()
    assert "Letters and a stall." in page

    response = client.post(
        f"/coordinator/reports/{report.pk}/", {"comment": "Thank you, great work."}, follow=True
    )
    assert "Acknowledged. Group X has been told." in response.content.decode()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.ACKNOWLEDGED
    assert report.acknowledged_by == world.coordinator_a
    assert report.acknowledgement == "Thank you, great work."
    assert AuditEntry.objects.filter(action="report.acknowledged").count() == 1
    messages = OutboundMessage.objects.filter(template="coordinator-report-acknowledged")
    assert {m.to_email for m in messages} == {"holder.x@example.org", world.group_x.contact_email}
    subject, text, html = render(messages.first())
    assert "IAR-2026-101" in subject and "/cases/IAR-2026-101/" in text and html
    assert "great work" not in text + html  # the reply is read on the site
    # The group reads the reply on its case page.
    case_page = client_for("member_x").get("/groups/cases/IAR-2026-101/").content.decode()
    assert "Thank you, great work." in case_page


def test_acknowledging_twice_sends_once(world):
    report = make_report(world.allocation_x)
    acknowledge_report(report, comment="", actor=world.coordinator_a)
    acknowledge_report(report, comment="again", actor=world.coordinator_a)
    report.refresh_from_db()
    assert report.acknowledgement == ""
    assert OutboundMessage.objects.filter(template="coordinator-report-acknowledged").count() == 2


def test_other_coordinators_and_drafts_are_not_found(world, client_for):
    report = make_report(world.allocation_x)
    draft = make_report(
        world.allocation_x,
        status="draft",
        start=world.allocation_x.started_on + timedelta(days=366),
    )
    assert client_for("coordinator_b").get(f"/coordinator/reports/{report.pk}/").status_code == 404
    assert (
        client_for("coordinator_b")
        .post(f"/coordinator/reports/{report.pk}/", {"comment": "x"})
        .status_code
        == 404
    )
    assert client_for("coordinator_a").get(f"/coordinator/reports/{draft.pk}/").status_code == 404
    assert client_for("member_x").get(f"/coordinator/reports/{report.pk}/").status_code == 404
    with pytest.raises(CoordinatorError):
        acknowledge_report(report, comment="", actor=world.coordinator_b)
    with pytest.raises(CoordinatorError, match="not been submitted"):
        acknowledge_report(draft, comment="", actor=world.coordinator_a)
    report.refresh_from_db()
    assert report.status == "submitted"


def test_overdue_list(world, client_for):
    allocation = world.allocation_x
    allocation.started_on = timezone.localdate() - timedelta(days=400)
    allocation.save()
    inbox = client_for("coordinator_a").get("/coordinator/reports/").content.decode()
    assert 'Overdue <span class="badge text-bg-secondary">1</span>' in inbox
    assert "Group X: due" in inbox
    make_report(allocation)
    inbox = client_for("coordinator_a").get("/coordinator/reports/").content.decode()
    assert "No report is overdue." in inbox
