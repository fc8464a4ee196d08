"""Amnesty stops, pauses or resumes work on a case; groups confirm they have stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from accounts.access import is_member, is_staff
from iar_site import audit
from notifications import outbox
from notifications.services import notify_group

from ..counts import refresh_case_counters
from ..models import Allocation, Case
from .common import CaseError, group_url, lock_allocation, lock_case

if TYPE_CHECKING:
    from accounts.models import User


def stop_case(case: Case, *, reason: str, notes: str = "", actor: User) -> Case:
    """Amnesty stops work on a case: every group stops, and so does every message about it."""
    if reason not in Case.ClosingReason.values:
        raise CaseError("Choose why the case is being stopped.")
    with transaction.atomic():
        case = lock_case(case)
        if case.status == Case.Status.CLOSED:
            return case
        previous = case.status
        case.status = Case.Status.CLOSED
        case.closing_reason = reason
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closing_reason", "closed_at", "updated_at"])
        audit.record(
            "case.stopped",
            case,
            actor=actor,
            changes={"status": [previous, "closed"], "closing_reason": reason},
        )
        ended = list(
            Allocation.objects.select_for_update(of=("self",))
            .filter(case=case)
            .open()
            .select_related("group", "holder")
        )
        today = timezone.localdate()
        for allocation in ended:
            old = allocation.status
            allocation.status = Allocation.Status.ENDED
            allocation.ended_on = max(today, allocation.started_on or today)
            allocation.end_reason = Allocation.EndReason.CASE_CLOSED
            allocation.end_notes = notes.strip()
            allocation.save(update_fields=["status", "ended_on", "end_reason", "end_notes"])
            audit.record(
                "allocation.ended",
                allocation,
                actor=actor,
                changes={"status": [old, "ended"], "end_reason": "case_closed"},
            )
        refresh_case_counters([case.pk])
        cancelled = outbox.cancel_for_case(case)
        if cancelled:
            audit.record("case.messages_cancelled", case, actor=actor, changes={"count": cancelled})
        for allocation in ended:
            # The stop notice is the one message about a closed case that must still leave: the
            # outbox cancels anything linked to a closed case, so this one is queued with no case
            # link (the reference travels in its context) and after the cancellation above.
            notify_group(
                allocation.group,
                key=f"case-stopped:{case.pk}:allocation:{allocation.pk}",
                template="case-stopped",
                context={
                    "reference": case.reference,
                    "confirm_url": group_url(case, "cases:confirm_stop"),
                },
                case=None,
                holder=allocation.holder,
            )
    return case


def confirm_stop(allocation: Allocation, *, actor: User) -> Allocation:
    """The group tells IAR it has stopped all work on a closed case (or IAR staff record the
    reply slip a post group sent back)."""
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if not (is_member(actor, allocation.group) or is_staff(actor)):
            raise CaseError("Only members of the group can confirm this.")
        if allocation.end_reason != Allocation.EndReason.CASE_CLOSED:
            raise CaseError("This case has not been stopped.")
        if allocation.stop_confirmed_at is not None:
            return allocation
        allocation.stop_confirmed_at = timezone.now()
        allocation.save(update_fields=["stop_confirmed_at"])
        audit.record("allocation.stop_confirmed", allocation, actor=actor)
    return allocation


def pause_case(case: Case, *, actor: User) -> Case:
    """Hold a case: its reminders and notices wait in the outbox until it resumes."""
    with transaction.atomic():
        case = lock_case(case)
        if case.status == Case.Status.PAUSED:
            return case
        if case.status != Case.Status.OPEN:
            raise CaseError("Only an open case can be paused.")
        case.status = Case.Status.PAUSED
        case.save(update_fields=["status", "updated_at"])
        audit.record("case.paused", case, actor=actor, changes={"status": ["open", "paused"]})
    return case


def resume_case(case: Case, *, actor: User) -> Case:
    with transaction.atomic():
        case = lock_case(case)
        if case.status == Case.Status.OPEN:
            return case
        if case.status != Case.Status.PAUSED:
            raise CaseError("Only a paused case can be resumed.")
        case.status = Case.Status.OPEN
        case.save(update_fields=["status", "updated_at"])
        audit.record("case.resumed", case, actor=actor, changes={"status": ["paused", "open"]})
    return case
