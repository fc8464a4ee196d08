"""Allocating, holders, giving up, stopping and pausing: the rules and the notices they send."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import services
from cases.models import Allocation, Case, HolderChange
from cases.services import allocation as allocation_services
from groups.models import Membership
from iar_site.models import AuditEntry
from notifications import outbox
from notifications.models import OutboundMessage

from .. import factories as f

pytestmark = pytest.mark.django_db


def messages_for(template: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(template=template).order_by("pk"))


def make_admin(user) -> None:
    # Answering offers and changing holders is for a group's administrators.
    Membership.objects.filter(user=user).update(role=Membership.Role.ADMIN)


def test_offer_goes_to_the_group_and_the_coordinator_with_a_link(world):
    allocation = services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)
    assert allocation.status == Allocation.Status.OFFERED
    assert allocation.allocated_by == world.staff
    offered = messages_for("allocation-offered")
    assert [m.to_email for m in offered] == [world.group_y.contact_email]
    subject, text, html = outbox.render(offered[0])
    assert world.case_unallocated_a.reference in subject
    assert f"/cases/{world.case_unallocated_a.reference}/offer/" in text
    assert f"/cases/{world.case_unallocated_a.reference}/offer/" in html
    # A restricted case: the narrative never travels by email.
    assert "Narrative" not in text and "Narrative" not in html
    assert AuditEntry.objects.filter(action="allocation.offered", actor=world.staff).count() == 1


def test_coordinator_is_told_of_an_allocation(world):
    case = f.CaseFactory(
        country=world.country_a, coordinator=world.coordinator_a.coordinator_profile
    )
    services.allocate_case(case, world.group_y, direct=True, actor=world.staff)
    [told] = messages_for("allocation-coordinator")
    assert told.recipient_user == world.coordinator_a
    subject, text, html = outbox.render(told)
    assert "allocated to Group Y" in subject
    assert case.reference in text and case.reference in html


def test_post_group_gets_a_postal_item(world):
    group = f.GroupFactory(channel="post", contact_email="")
    allocation = services.allocate_case(
        world.case_unallocated_a, group, direct=True, actor=world.staff
    )
    assert allocation.status == Allocation.Status.ACTIVE
    [item] = messages_for("allocation-made")
    assert item.channel == "post" and item.postal_address == group.postal_address


def test_a_failed_notice_rolls_back_the_allocation(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(allocation_services, "notify_group", broken)
    with pytest.raises(RuntimeError):
        services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)
    assert not Allocation.objects.filter(case=world.case_unallocated_a).exists()


def test_one_open_allocation_per_case_and_group(world):
    with pytest.raises(services.CaseError, match="already has"):
        services.allocate_case(world.case_x, world.group_x, actor=world.staff)
    # And the database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(case=world.case_x, group=world.group_x)


def test_never_more_groups_than_the_case_allows(world):
    case = f.CaseFactory(max_groups=1)
    services.allocate_case(case, world.group_x, actor=world.staff)
    with pytest.raises(services.CaseError, match="1 of 1 groups"):
        services.allocate_case(case, world.group_y, actor=world.staff)
    assert Allocation.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("status", ["draft", "paused"])
def test_only_open_cases_are_allocated(world, status):
    case = f.CaseFactory(status=status)
    with pytest.raises(services.CaseError, match="only open cases"):
        services.allocate_case(case, world.group_x, actor=world.staff)


def test_holder_must_be_a_member_of_the_group(world):
    with pytest.raises(services.CaseError, match="member of the group"):
        services.allocate_case(
            world.case_unallocated_a, world.group_y, holder=world.holder_x, actor=world.staff
        )


def test_group_accepts_names_its_holder_and_it_is_recorded(world):
    make_admin(world.member_y)
    allocation = services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)
    services.accept_offer(allocation, holder=world.member_y, actor=world.member_y)
    allocation.refresh_from_db()
    assert allocation.status == "active" and allocation.holder == world.member_y
    assert allocation.started_on == timezone.localdate()
    assert HolderChange.objects.get(allocation=allocation).to_user == world.member_y
    assert messages_for("allocation-accepted")  # IAR hears


def test_another_group_cannot_answer_an_offer(world):
    allocation = services.allocate_case(world.case_unallocated_a, world.group_y, actor=world.staff)
    with pytest.raises(services.CaseError):
        services.accept_offer(allocation, holder=world.member_x, actor=world.member_x)


def test_declining_frees_the_place(world):
    make_admin(world.member_y)
    case = f.CaseFactory(max_groups=1)
    allocation = services.allocate_case(case, world.group_y, actor=world.staff)
    services.decline_offer(allocation, reason="We are full this year", actor=world.member_y)
    allocation.refresh_from_db()
    assert (allocation.status, allocation.end_reason) == ("ended", "declined")
    services.allocate_case(case, world.group_x, actor=world.staff)  # the place is free again
    [iar] = messages_for("allocation-declined")
    assert "We are full this year" in outbox.render(iar)[1]


def test_holder_change_is_a_row_and_tells_coordinator_and_iar(world, settings):
    settings.IAR_EMAIL = "iar-test@example.org"
    make_admin(world.member_x)
    services.change_holder(world.allocation_x, to_user=world.member_x, actor=world.member_x)
    change = HolderChange.objects.get(allocation=world.allocation_x)
    assert (change.from_user, change.to_user, change.changed_by) == (
        world.holder_x,
        world.member_x,
        world.member_x,
    )
    recipients = {m.to_email for m in messages_for("holder-changed")}
    assert recipients == {"coord.a@example.org", "iar-test@example.org"}
    subject, text, html = outbox.render(messages_for("holder-changed")[0])
    assert "Max Member" in text and "Hana Holder" in text and "Max Member" in html
    # The same change again does nothing.
    services.change_holder(world.allocation_x, to_user=world.member_x, actor=world.member_x)
    assert HolderChange.objects.count() == 1


def test_holder_change_to_a_non_member_is_refused(world):
    make_admin(world.member_x)
    with pytest.raises(services.CaseError, match="member of the group"):
        services.change_holder(world.allocation_x, to_user=world.member_y, actor=world.member_x)


def test_relinquished_group_is_never_offered_the_case_again(world):
    services.request_relinquish(world.allocation_x, reason="Too few members", actor=world.member_x)
    assert messages_for("relinquish-requested")
    services.confirm_relinquish(world.allocation_x, actor=world.staff)
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.end_reason == "relinquished"
    assert world.allocation_x.end_notes == "Too few members"
    with pytest.raises(services.CaseError, match="gave up"):
        services.allocate_case(world.case_x, world.group_x, actor=world.staff)
    assert messages_for("relinquish-confirmed")


def test_stop_ends_allocations_cancels_waiting_messages_and_sends_only_the_stop_notice(world):
    waiting = outbox.queue_message(
        key="reminder:test", template="allocation-made", to_email="a@example.org", case=world.case_x
    )
    services.stop_case(world.case_x, reason="resolved", notes="released", actor=world.staff)
    world.case_x.refresh_from_db()
    assert world.case_x.status == "closed" and world.case_x.closing_reason == "resolved"
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.end_reason == "case_closed"
    waiting.refresh_from_db()
    assert waiting.status == "cancelled"
    stop_notices = messages_for("case-stopped")
    assert {m.to_email for m in stop_notices} == {
        "holder.x@example.org",
        world.group_x.contact_email,
    }
    subject, text, html = outbox.render(stop_notices[0])
    assert world.case_x.reference in subject
    assert "Narrative" not in text and "Case of X" not in text and "Case of X" not in html
    assert f"/cases/{world.case_x.reference}/confirm-stop/" in html
    # The stop notice leaves even though the case is closed; nothing else about it does.
    assert outbox.deliver(stop_notices[0].pk) == "sent"
    assert AuditEntry.objects.filter(action="case.stopped").exists()


def test_after_a_stop_nothing_more_is_sent_about_the_case(world):
    services.stop_case(world.case_x, reason="is_decision", actor=world.staff)
    before = set(OutboundMessage.objects.values_list("pk", flat=True))
    with pytest.raises(services.CaseError):
        services.allocate_case(world.case_x, world.group_y, actor=world.staff)
    late = outbox.queue_message(
        key="late:1", template="allocation-made", to_email="a@example.org", case=world.case_x
    )
    assert outbox.deliver(late.pk) == "skipped"
    late.refresh_from_db()
    assert late.status == "cancelled"
    assert set(OutboundMessage.objects.exclude(pk=late.pk).values_list("pk", flat=True)) == before


def test_stop_is_idempotent(world):
    services.stop_case(world.case_x, reason="resolved", actor=world.staff)
    count = OutboundMessage.objects.count()
    services.stop_case(world.case_x, reason="other", actor=world.staff)
    world.case_x.refresh_from_db()
    assert world.case_x.closing_reason == "resolved"
    assert OutboundMessage.objects.count() == count


def test_group_confirms_the_stop(world):
    services.stop_case(world.case_x, reason="resolved", actor=world.staff)
    world.allocation_x.refresh_from_db()
    with pytest.raises(services.CaseError):
        services.confirm_stop(world.allocation_x, actor=world.member_y)
    services.confirm_stop(world.allocation_x, actor=world.member_x)
    world.allocation_x.refresh_from_db()
    assert world.allocation_x.stop_confirmed_at is not None


def test_pause_holds_notices_until_resume(world):
    message = outbox.queue_message(
        key="update:1", template="allocation-made", to_email="a@example.org", case=world.case_x
    )
    services.pause_case(world.case_x, actor=world.staff)
    assert outbox.deliver(message.pk) == "skipped"
    message.refresh_from_db()
    assert message.status == "queued"
    assert message.pk not in outbox.due_ids()
    services.resume_case(world.case_x, actor=world.staff)
    assert message.pk in outbox.due_ids()
    assert outbox.deliver(message.pk) == "sent"


def test_paused_case_cannot_be_stopped_twice_or_resumed_when_closed(world):
    services.stop_case(world.case_x, reason="resolved", actor=world.staff)
    with pytest.raises(services.CaseError):
        services.resume_case(Case.objects.get(pk=world.case_x.pk), actor=world.staff)
