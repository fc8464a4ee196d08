"""Every notice of allocating and stopping renders in text and HTML, with a reference and a
link, and never a case narrative."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import services
from groups import services as group_services
from groups.models import Membership
from notifications import outbox
from notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def drive_every_notice(world):
    # Offers are answered, and holders changed, by the groups' administrators.
    Membership.objects.filter(user__in=[world.member_x, world.member_y]).update(
        role=Membership.Role.ADMIN
    )
    world.case_unallocated_a.coordinator = world.coordinator_a.coordinator_profile
    world.case_unallocated_a.save()
    offer = services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)
    services.decline_offer(offer, reason="No room", actor=world.member_y)
    offer = services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)
    services.accept_offer(offer, holder=world.member_y, actor=world.member_y)
    services.allocate_case(world.case_unallocated_a, world.group_x, direct=True, actor=world.staff)
    services.change_holder(world.allocation_x, to_user=world.member_x, actor=world.member_x)
    services.request_relinquish(world.allocation_y, reason="Too busy", actor=world.member_y)
    services.confirm_relinquish(world.allocation_y, actor=world.staff)
    request = group_services.request_cases(
        world.group_y,
        number=1,
        meeting_date=timezone.localdate(),
        actor=world.member_y,
    )
    group_services.fulfil_case_request(
        request, response="A letter pack is on its way", actor=world.staff
    )
    services.stop_case(world.case_x, reason="resolved", actor=world.staff)


TEMPLATES = [
    "allocation-offered",
    "allocation-made",
    "allocation-coordinator",
    "allocation-accepted",
    "allocation-declined",
    "holder-changed",
    "holder-change-group",
    "relinquish-requested",
    "relinquish-confirmed",
    "case-request-received",
    "case-request-fulfilled",
    "case-stopped",
]


def test_every_notice_renders_both_parts_without_narrative(world, settings):
    settings.SITE_URL = "https://casework.example"
    drive_every_notice(world)
    seen = set(OutboundMessage.objects.values_list("template", flat=True))
    assert set(TEMPLATES) <= seen
    for message in OutboundMessage.objects.filter(template__in=TEMPLATES):
        subject, text, html = outbox.render(message)
        assert subject and "\n" not in subject
        if message.template != "relinquish-confirmed":  # the case is no longer theirs to open
            assert "https://casework.example/" in text, message.template
            assert 'href="https://casework.example/' in html, message.template
        for part in (subject, text, html):
            assert "Narrative" not in part, message.template
        assert "&#x27;" not in text and "&amp;" not in text
