"""What comes back by post: IAR staff record a post group's stop slip, offer slip and handwritten
yearly report, through the group's own services, and the record says it came by post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import Allocation
from groups import post_returns
from groups.models import AnnualReport, LocalGroup
from groups.services import GroupError
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage

from .. import factories as f

pytestmark = pytest.mark.django_db

URL = "/groups/post-returns/"


@pytest.fixture
def post_y(world):
    world.group_y.channel = LocalGroup.Channel.POST
    world.group_y.save()
    return world.group_y


def test_staff_record_a_stop_slip(world, post_y, client_for):
    case_services.stop_case(world.case_y, reason="resolved", actor=world.staff)
    client = client_for("staff")
    page = client.get(URL)
    assert page.status_code == 200 and b"Group Y" in page.content
    response = client.post(URL, {"action": "stop", "allocation": world.allocation_y.pk})
    assert response.status_code == 302
    world.allocation_y.refresh_from_db()
    assert world.allocation_y.stop_confirmed_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"allocation.stop_confirmed", "allocation.stop_confirmed_by_post"} <= actions
    assert b"No post group owes us a stop slip" in client.get(URL).content


def test_staff_record_an_offer_slip_naming_the_holder(world, post_y, client_for):
    case = f.CaseFactory(reference="IAR-2026-301", country=world.country_b)
    offer = case_services.allocate_case(case, post_y, actor=world.staff)
    client = client_for("staff")
    page = client.get(URL).content.decode()
    assert "IAR-2026-301" in page and "Yara Member" in page
    response = client.post(
        URL,
        {"action": "offer", "allocation": offer.pk, f"o{offer.pk}-holder": world.member_y.pk},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Allocation.Status.ACTIVE and offer.holder == world.member_y
    assert AuditEntry.objects.filter(action="allocation.accepted_by_post").exists()


def test_an_offer_slip_naming_someone_outside_the_group_changes_nothing(world, post_y, client_for):
    case = f.CaseFactory(reference="IAR-2026-302", country=world.country_b)
    offer = case_services.allocate_case(case, post_y, actor=world.staff)
    client = client_for("staff")
    for holder in (world.member_x.pk, "x", ""):
        response = client.post(
            URL, {"action": "offer", "allocation": offer.pk, f"o{offer.pk}-holder": holder}
        )
        assert response.status_code == 302
    assert client.post(URL, {"action": "offer", "allocation": "nope"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == Allocation.Status.OFFERED


def test_staff_type_in_a_report_received_by_post(world, post_y, client_for):
    world.allocation_y.started_on = timezone.localdate() - timedelta(days=400)
    world.allocation_y.save()
    client = client_for("staff")
    url = f"/groups/post-returns/{world.allocation_y.pk}/report/"
    page = client.get(url)
    assert page.status_code == 200
    start = world.allocation_y.started_on
    bad = client.post(url, {"period_start": "2001-01-01", "plans": "More letters."})
    assert bad.status_code == 200 and b"Choose one of the years listed" in bad.content
    assert b"More letters." in bad.content  # what was typed is kept
    response = client.post(
        url,
        {"period_start": start.isoformat(), "what_worked": "A stall in the market.", "plans": "x"},
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(allocation=world.allocation_y, period_start=start)
    assert report.received_by_post and report.status == AnnualReport.Status.SUBMITTED
    assert report.what_worked == "A stall in the market." and report.submitted_by == world.staff
    assert OutboundMessage.objects.filter(template="annual-report-submitted").exists()
    assert AuditEntry.objects.filter(action="report.received_by_post").exists()


def test_only_staff_record_replies_by_post(world, post_y, client_for):
    for persona in ("member_y", "coordinator_b", "holder_x"):
        assert client_for(persona).get(URL).status_code == 403
        assert (
            client_for(persona)
            .get(f"/groups/post-returns/{world.allocation_y.pk}/report/")
            .status_code
            == 403
        )
    with pytest.raises(GroupError):
        post_returns.record_report_by_post(
            world.allocation_y,
            period_start=world.allocation_y.started_on,
            plans="x",
            actor=world.member_x,
        )
    # An email group's allocation is not on the page.
    assert (
        client_for("staff").get(f"/groups/post-returns/{world.allocation_x.pk}/report/").status_code
        == 404
    )
