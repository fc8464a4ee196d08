"""Publishing an update: one notice per active allocation, by each group's channel, once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Allocation, Case
from coordinators.models import CaseUpdate, CaseUpdateNotice
from coordinators.services import CoordinatorError, publish_update
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage
from notifications.outbox import render

from .. import factories as f
from .helpers import make_update

pytestmark = pytest.mark.django_db


def end(allocation):
    allocation.status = Allocation.Status.ENDED
    allocation.end_reason = Allocation.EndReason.RELINQUISHED
    allocation.ended_on = timezone.localdate()
    allocation.save()


def test_k_active_allocations_give_exactly_k_notices(world):
    case = world.case_x
    case.max_groups = 10
    case.save()
    extra = [f.AllocationFactory(case=case) for _ in range(3)]
    ended = f.AllocationFactory(case=case)
    end(ended)
    offered = f.AllocationFactory(case=case, status=Allocation.Status.OFFERED, started_on=None)
    update = make_update(case, world.coordinator_a)

    created = publish_update(update, actor=world.coordinator_a)

    expected = {world.allocation_x.pk, *(a.pk for a in extra)}
    assert created == 4
    notices = CaseUpdateNotice.objects.filter(update=update)
    assert set(notices.values_list("allocation_id", flat=True)) == expected
    assert ended.pk not in expected and offered.pk not in expected
    # Every active group is told, and only they: one email to each group's contact address
    # plus the holder of group X.
    messages = OutboundMessage.objects.filter(idempotency_key__startswith=f"update:{update.pk}:")
    groups = set(messages.values_list("recipient_group_id", flat=True))
    assert groups == {world.group_x.pk, *(a.group_id for a in extra)}
    assert messages.filter(to_email="holder.x@example.org").count() == 1
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.PUBLISHED and update.published_at is not None
    assert AuditEntry.objects.filter(action="case_update.published", actor=world.coordinator_a)


def test_publishing_twice_sends_nothing_twice(world, client_for):
    update = make_update(world.case_x, world.coordinator_a)
    client = client_for("coordinator_a")
    first = client.post(f"/coordinator/updates/{update.pk}/publish/", follow=True)
    assert "Published. 1 group will be told about it." in first.content.decode()
    messages_before = OutboundMessage.objects.count()
    notices_before = CaseUpdateNotice.objects.count()

    second = client.post(f"/coordinator/updates/{update.pk}/publish/", follow=True)
    assert publish_update(update, actor=world.coordinator_a) == 0

    assert "already published; nothing was sent again" in second.content.decode()
    assert OutboundMessage.objects.count() == messages_before == 2
    assert CaseUpdateNotice.objects.count() == notices_before == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [("paused", "Work on this case is paused"), ("closed", "Amnesty has stopped work")],
)
def test_paused_and_stopped_cases_get_no_notices(world, client_for, status, message):
    update = make_update(world.case_x, world.coordinator_a)
    case = world.case_x
    case.status = status
    if status == "closed":
        case.closing_reason = Case.ClosingReason.RESOLVED
        case.closed_at = timezone.now()
    case.save()

    with pytest.raises(CoordinatorError, match=message):
        publish_update(update, actor=world.coordinator_a)
    response = client_for("coordinator_a").post(
        f"/coordinator/updates/{update.pk}/publish/", follow=True
    )

    assert message in response.content.decode()
    assert CaseUpdateNotice.objects.count() == 0
    assert OutboundMessage.objects.count() == 0
    update.refresh_from_db()
    assert update.status == CaseUpdate.Status.DRAFT


def test_ended_allocations_get_no_notice(world):
    end(world.allocation_x)
    update = make_update(world.case_x, world.coordinator_a)
    assert publish_update(update, actor=world.coordinator_a) == 0
    assert CaseUpdateNotice.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_post_group_gets_a_queued_postal_item(world):
    group = world.group_x
    group.channel = group.Channel.POST
    group.save()
    update = make_update(world.case_x, world.coordinator_a)
    publish_update(update, actor=world.coordinator_a)
    message = OutboundMessage.objects.get()
    assert message.channel == OutboundMessage.Channel.POST
    assert message.postal_address == group.postal_address
    assert message.status == OutboundMessage.Status.QUEUED


def test_confidential_case_email_has_reference_and_link_but_no_narrative(world):
    update = make_update(
        world.case_confidential_x, world.coordinator_a, title="Detained in Northern prison"
    )
    publish_update(update, actor=world.coordinator_a)
    message = OutboundMessage.objects.filter(to_email="holder.x@example.org").get()
    subject, text, html = render(message)
    link = f"/coordinator/updates/{update.pk}/"
    for part in (text, html):
        assert "IAR-2026-104" in part
        assert link in part
        assert "Detained in Northern prison" not in part
        assert "secret" not in part
        assert "Secret narrative of X" not in part
        assert "Confidential of X" not in part
    assert "IAR-2026-104" in subject


def test_public_case_email_may_carry_the_title_but_never_the_body(world):
    update = make_update(world.case_x, world.coordinator_a, title="Trial date set")
    publish_update(update, actor=world.coordinator_a)
    message = OutboundMessage.objects.filter(to_email="holder.x@example.org").get()
    subject, text, html = render(message)
    assert "Trial date set" in text and "Trial date set" in html
    assert "secret" not in text and "secret" not in html
    assert "Narrative of case X" not in text + html


def test_draft_then_preview_then_publish_in_the_browser(world, client_for):
    client = client_for("coordinator_a")
    response = client.post(
        "/coordinator/cases/IAR-2026-101/updates/new/",
        {
            "kind": "action_needed",
            "title": "Please write again",
            "body": "Write **now**.\n\n- to the minister\n- to the embassy\n\n<script>x</script>",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Draft: groups cannot see this yet." in html
    assert "<strong>now</strong>" in html
    assert "<li>to the minister</li>" in html
    assert "<script>x</script>" not in html
    assert "Group X" in html  # who will be told
    update = CaseUpdate.objects.get()
    assert update.status == "draft"
    assert OutboundMessage.objects.count() == 0

    client.post(f"/coordinator/updates/{update.pk}/publish/")
    assert CaseUpdateNotice.objects.filter(update=update).count() == 1


def test_update_form_errors_are_explained_and_values_kept(world, client_for):
    response = client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/updates/new/",
        {"kind": "gossip", "title": "", "body": "kept text"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a title for the update." in html
    assert "Select a valid choice" in html
    assert "kept text" in html
    assert CaseUpdate.objects.count() == 0
