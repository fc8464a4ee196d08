"""The casefile holder: naming one, and on a confidential case asking the coordinator first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_member, may_approve_holder_change, may_change_holder
from iar_site import audit
from notifications.services import notify_user

from ..models import Allocation, Case, HolderChange
from .common import (
    CaseError,
    case_context,
    case_url,
    coordinator_case_url,
    lock_allocation,
    notify_iar,
)

if TYPE_CHECKING:
    from accounts.models import User


def needs_approval(case: Case, actor: User) -> bool:
    """A holder reads a confidential case: naming one there waits for the coordinator, unless the
    person naming them could approve it themselves."""
    return case.sensitivity == Case.Sensitivity.CONFIDENTIAL and not may_approve_holder_change(
        actor, case
    )


def pending_holder_change(allocation: Allocation) -> HolderChange | None:
    return (
        allocation.holder_changes.filter(status=HolderChange.Status.PENDING)
        .select_related("to_user", "changed_by")
        .first()
    )


def _approvals_url() -> str:
    return settings.SITE_URL + reverse("coordinators:home") + "#holder-requests"


def tell_group_of_holder_change(
    allocation: Allocation, change: HolderChange, *, state: str
) -> None:
    """Every holder change (asked for, made, refused) reaches each of the group's administrators,
    so a member naming someone cannot go unseen; also whoever asked and the new holder. By
    reference and link only."""
    group = allocation.group
    member_ids = set(group.memberships.values_list("user_id", flat=True))
    # The membership model through the relation: groups sits above cases and is not imported.
    admin_role = group.memberships.model.Role.ADMIN
    admins = [
        m.user
        for m in group.memberships.filter(role=admin_role, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]
    extra = [change.changed_by] if state != "pending" else []
    if state == "changed":
        extra.append(change.to_user)
    recipients = {user.pk: user for user in admins}
    for user in extra:
        if user is not None and user.is_active and user.pk in member_ids:
            recipients.setdefault(user.pk, user)
    case = allocation.case
    for user in recipients.values():
        if not user.email:
            continue
        notify_user(
            user,
            key=f"holder-change:{change.pk}:{state}:group",
            template="holder-change-group",
            context={"reference": case.reference, "case_url": case_url(case), "state": state},
            case=case,
        )


def request_holder_change(
    allocation: Allocation, *, from_user: User | None, to_user: User, actor: User
) -> HolderChange:
    change = HolderChange.objects.create(
        allocation=allocation,
        from_user=from_user,
        to_user=to_user,
        changed_by=actor,
        status=HolderChange.Status.PENDING,
    )
    audit.record(
        "holder_change.requested",
        change,
        actor=actor,
        changes={
            "allocation": allocation.pk,
            "holder": [from_user.pk if from_user else None, to_user.pk],
        },
    )
    case = allocation.case
    context = {"reference": case.reference, "approvals_url": _approvals_url()}
    if case.coordinator is not None:
        notify_user(
            case.coordinator.user,
            key=f"holder-change:{change.pk}:requested",
            template="holder-change-requested",
            context=context,
            case=case,
        )
    else:
        # Nobody coordinates the case yet: IAR staff may approve, so the request goes to them.
        notify_iar(
            key=f"holder-change:{change.pk}:requested",
            template="holder-change-requested",
            context=context,
            case=case,
        )
    tell_group_of_holder_change(allocation, change, state="pending")
    return change


def _apply_holder_change(allocation: Allocation, change: HolderChange, *, actor: User) -> None:
    """Give the casefile (and with it, on a confidential case, the narrative) to the new holder."""
    assert change.to_user is not None  # only a change naming the new holder is applied
    previous = allocation.holder
    allocation.holder = change.to_user
    allocation.save(update_fields=["holder"])
    audit.record(
        "allocation.holder_changed",
        allocation,
        actor=actor,
        changes={
            "holder": [previous.pk if previous else None, change.to_user.pk],
            "holder_change": change.pk,
            "asked_by": change.changed_by_id,
        },
    )
    case = allocation.case
    context = {
        **case_context(case),
        "group_name": allocation.group.name,
        "from_name": previous.full_name if previous else "",
        "to_name_holder": change.to_user.full_name,
    }
    if case.coordinator is not None:
        notify_user(
            case.coordinator.user,
            key=f"holder-change:{change.pk}",
            template="holder-changed",
            context={**context, "case_url": coordinator_case_url(case)},
            case=case,
        )
    notify_iar(
        key=f"holder-change:{change.pk}", template="holder-changed", context=context, case=case
    )
    tell_group_of_holder_change(allocation, change, state="changed")


def change_holder(allocation: Allocation, *, to_user: User, actor: User) -> HolderChange | None:
    """Name another member of the group as casefile holder; the coordinator, IAR and the group's
    administrators hear.

    Only the group's administrators, the current holder and IAR staff may. On a confidential
    case the change is a request (returned pending) until the case's country coordinator or IAR
    staff approve it; the current holder stays meanwhile. Returns None when `to_user` already
    holds the casefile.
    """
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if not may_change_holder(actor, allocation):
            raise CaseError(
                "Only the group's administrators and its casefile holder can change the "
                "casefile holder."
            )
        if allocation.status != Allocation.Status.ACTIVE:
            raise CaseError("The casefile holder can be changed only while the case is active.")
        if not is_member(to_user, allocation.group):
            raise CaseError("The casefile holder must be a member of the group.")
        waiting = pending_holder_change(allocation)
        if waiting is not None:
            if waiting.to_user_id == to_user.pk:
                return waiting
            raise CaseError(
                "A change of casefile holder is already waiting for the country coordinator's "
                "approval. Ask them to decide it first."
            )
        previous = allocation.holder
        if previous == to_user:
            return None
        if needs_approval(allocation.case, actor):
            return request_holder_change(
                allocation, from_user=previous, to_user=to_user, actor=actor
            )
        change = HolderChange.objects.create(
            allocation=allocation,
            from_user=previous,
            to_user=to_user,
            changed_by=actor,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _apply_holder_change(allocation, change, actor=actor)
    return change


def _lock_holder_change(change: HolderChange) -> tuple[Allocation, HolderChange]:
    # The allocation first, as change_holder locks it: the same order everywhere, no deadlock.
    allocation = lock_allocation(change.allocation)
    change = (
        HolderChange.objects.select_for_update(of=("self",))
        .select_related("to_user", "changed_by")
        .get(pk=change.pk)
    )
    return allocation, change


def approve_holder_change(change: HolderChange, *, actor: User) -> HolderChange:
    """The case's country coordinator (or IAR staff) lets a requested holder take the casefile."""
    with transaction.atomic():
        allocation, change = _lock_holder_change(change)
        if not may_approve_holder_change(actor, allocation.case):
            raise CaseError("Only the case's country coordinator or IAR staff can decide this.")
        if change.status == HolderChange.Status.APPROVED:
            return change
        if change.status != HolderChange.Status.PENDING:
            raise CaseError("This request was already turned down.")
        if allocation.status != Allocation.Status.ACTIVE:
            raise CaseError("The group no longer works on this case; reject the request instead.")
        if change.to_user is None or not is_member(change.to_user, allocation.group):
            raise CaseError(
                "The member named is no longer in the group; reject the request instead."
            )
        change.status = HolderChange.Status.APPROVED
        change.decided_by = actor
        change.decided_at = timezone.now()
        fields = ["status", "decided_by", "decided_at"]
        if allocation.holder != change.to_user:
            change.from_user = allocation.holder
            fields.append("from_user")
        change.save(update_fields=fields)
        audit.record("holder_change.approved", change, actor=actor)
        if allocation.holder != change.to_user:
            _apply_holder_change(allocation, change, actor=actor)
    return change


def reject_holder_change(change: HolderChange, *, actor: User) -> HolderChange:
    """The coordinator (or IAR staff) turns a holder request down; the holder stays as it was."""
    with transaction.atomic():
        allocation, change = _lock_holder_change(change)
        if not may_approve_holder_change(actor, allocation.case):
            raise CaseError("Only the case's country coordinator or IAR staff can decide this.")
        if change.status == HolderChange.Status.REJECTED:
            return change
        if change.status != HolderChange.Status.PENDING:
            raise CaseError("This request was already approved.")
        change.status = HolderChange.Status.REJECTED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record("holder_change.rejected", change, actor=actor)
        tell_group_of_holder_change(allocation, change, state="rejected")
    return change
