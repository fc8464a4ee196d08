"""Case requests: a group asks IAR for cases before a meeting (the form, its checks, the notice
IAR gets), and staff answer (the list with short-notice requests first, fulfilling them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation
from groups import services as group_services
from groups.models import CaseRequest
from notifications import outbox
from notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def messages_for(template: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(template=template).order_by("pk"))


def test_member_asks_for_cases(world, client_for):
    client = client_for("member_y")
    url = reverse("case_requests:request_cases")
    meeting = (timezone.localdate() + timedelta(days=40)).isoformat()
    region = world.country_a.region
    response = client.post(
        url, {"group": world.group_y.pk, "number": "11", "meeting_date": meeting, "notes": "kept"}
    )
    html = response.content.decode()
    assert "Ask for 10 cases or fewer." in html and "kept" in html
    response = client.post(url, {"group": world.group_x.pk, "number": "1", "meeting_date": meeting})
    assert "Choose your group." in response.content.decode()
    response = client.post(
        url,
        {"group": world.group_y.pk, "number": "2", "meeting_date": meeting, "regions": [region.pk]},
        follow=True,
    )
    assert "IAR has your request for 2 case(s)" in response.content.decode()
    request = CaseRequest.objects.get()
    assert (request.group, request.number, list(request.preferred_regions.all())) == (
        world.group_y,
        2,
        [region],
    )
    assert OutboundMessage.objects.filter(template="case-request-received").exists()


def test_bad_dates_on_case_request_are_explained(world, client_for):
    client = client_for("member_y")
    url = reverse("case_requests:request_cases")
    for value, message in [
        ("31/02/2026", "Enter a real date"),
        ((timezone.localdate() - timedelta(days=1)).isoformat(), "cannot be in the past"),
    ]:
        response = client.post(
            url, {"group": world.group_y.pk, "number": "1", "meeting_date": value}
        )
        assert message in response.content.decode()
    assert not CaseRequest.objects.exists()


def test_case_request_and_fulfilment_tell_the_group(world):
    meeting = timezone.localdate() + timezone.timedelta(days=30)
    request = group_services.request_cases(
        world.group_y,
        number=1,
        meeting_date=meeting,
        notes="Women's rights please",
        actor=world.member_y,
    )
    assert messages_for("case-request-received")
    group_services.fulfil_case_request(
        request, cases=[world.case_unallocated_a], response="Enjoy", actor=world.staff
    )
    request.refresh_from_db()
    assert request.status == "fulfilled" and world.case_unallocated_a.reference in request.response
    assert Allocation.objects.filter(case=world.case_unallocated_a, group=world.group_y).exists()
    [told] = messages_for("case-request-fulfilled")
    subject, text, html = outbox.render(told)
    assert world.case_unallocated_a.reference in text and "Enjoy" in html


def test_case_request_from_a_non_member_is_refused(world):
    with pytest.raises(group_services.GroupError):
        group_services.request_cases(
            world.group_x,
            number=1,
            meeting_date=timezone.localdate(),
            actor=world.member_y,
        )


def test_case_requests_short_notice_flag_and_fulfil(world, client_for):
    soon = CaseRequest.objects.create(
        group=world.group_y, number=1, meeting_date=timezone.localdate() + timedelta(days=10)
    )
    later = CaseRequest.objects.create(
        group=world.group_x, number=1, meeting_date=timezone.localdate() + timedelta(days=60)
    )
    client = client_for("staff")
    html = client.get(reverse("case_requests:case_requests")).content.decode()
    assert html.index("Group Y") < html.index("Group X")
    assert html.count("Short notice") == 1
    response = client.post(
        reverse("case_requests:case_request", args=[soon.pk]),
        {"cases": [world.case_unallocated_a.pk], "how": "offer", "response": ""},
        follow=True,
    )
    assert response.status_code == 200
    soon.refresh_from_db()
    assert soon.status == "fulfilled"
    assert OutboundMessage.objects.filter(template="case-request-fulfilled").exists()
    response = client.post(
        reverse("case_requests:case_request", args=[later.pk]), {"how": "offer", "response": ""}
    )
    assert "Choose at least one case, or write a message." in response.content.decode()
