"""Offering a case to a group, the group's answer, and giving the case up again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_member, is_staff, may_answer_offer
from iar_site import audit
from notifications.services import notify_group, notify_user

from ..counts import refresh_case_counters
from ..models import Allocation, Case, HolderChange
from .common import (
    CaseError,
    case_context,
    coordinator_case_url,
    group_url,
    lock_allocation,
    lock_case,
    notify_iar,
    tell_group_and_coordinator,
)
from .holders import needs_approval, request_holder_change, tell_group_of_holder_change

if TYPE_CHECKING:
    from accounts.models import User
    from groups.models import LocalGroup

# Test-only: called between the capacity check and the insert, so the concurrency test can widen
# the race window (its control run shows the race without the lock). Never set in the app.
_race_window_hook: Callable[[], None] | None = None


def allocate_case(
    case: Case,
    group: LocalGroup,
    *,
    holder: User | None = None,
    direct: bool = False,
    actor: User,
    _lock: bool = True,
) -> Allocation:
    """Offer `case` to `group` (or, with `direct`, make the allocation active at once).

    At most one open allocation per case and group, and never more open allocations than the
    case allows: the case row is locked while counting, so two staff allocating at once cannot
    both take the last place. `_lock=False` exists only for the test that shows the race.
    """
    with transaction.atomic():
        case = lock_case(case, lock=_lock)
        if case.status != Case.Status.OPEN:
            raise CaseError(
                f"{case.reference} is {case.get_status_display().lower()}: only open cases "
                "can be allocated."
            )
        group = type(group).objects.get(pk=group.pk)
        if not group.is_active:
            raise CaseError(f"{group.name} is not active.")
        if holder is not None and not is_member(holder, group):
            raise CaseError("The casefile holder must be a member of the group.")
        if holder is not None and not is_staff(actor):
            # Naming a holder grants access to a confidential case: IAR staff only.
            raise CaseError("Only IAR staff can name a casefile holder when allocating.")
        open_allocations = Allocation.objects.filter(case=case).open()
        if open_allocations.filter(group=group).exists():
            raise CaseError(f"{group.name} already has {case.reference}.")
        if Allocation.objects.filter(
            case=case,
            group=group,
            end_reason__in=[Allocation.EndReason.RELINQUISHED, Allocation.EndReason.WITHDRAWN],
        ).exists():
            raise CaseError(f"{group.name} gave up {case.reference} before; choose another group.")
        taken = open_allocations.count()
        if taken >= case.max_groups:
            raise CaseError(
                f"{case.reference} already has {taken} of {case.max_groups} groups: "
                "no place is free."
            )
        if _race_window_hook is not None:
            _race_window_hook()
        today = timezone.localdate()
        try:
            with transaction.atomic():
                allocation = Allocation.objects.create(
                    case=case,
                    group=group,
                    status=Allocation.Status.ACTIVE if direct else Allocation.Status.OFFERED,
                    started_on=today if direct else None,
                    holder=holder,
                    allocated_by=actor,
                )
        except IntegrityError as exc:
            raise CaseError(f"{group.name} already has {case.reference}.") from exc
        refresh_case_counters([case.pk])
        audit.record(
            "allocation.made" if direct else "allocation.offered",
            allocation,
            actor=actor,
            changes={
                "case": case.reference,
                "group": group.pk,
                "status": allocation.status,
                "holder": holder.pk if holder else None,
            },
        )
        if holder is not None:
            HolderChange.objects.create(
                allocation=allocation,
                to_user=holder,
                changed_by=actor,
                decided_by=actor,
                decided_at=timezone.now(),
            )
        context = {
            **case_context(case),
            "direct": direct,
            "holder_name": holder.full_name if holder else "",
            "respond_url": group_url(case, "cases:respond_offer"),
        }
        notify_group(
            group,
            key=f"allocation:{allocation.pk}",
            template="allocation-made" if direct else "allocation-offered",
            context=context,
            case=case,
            holder=holder,
        )
        if case.coordinator is not None:
            notify_user(
                case.coordinator.user,
                key=f"allocation:{allocation.pk}:coordinator",
                template="allocation-coordinator",
                context={
                    **context,
                    "group_name": group.name,
                    "group_town": group.town,
                    "case_url": coordinator_case_url(case),
                },
                case=case,
            )
    return allocation


def accept_offer(allocation: Allocation, *, holder: User, actor: User) -> Allocation:
    """The group takes the case and names its casefile holder.

    Only the group's administrators (or IAR staff) answer an offer. On a confidential case the
    holder they name is a request for the country coordinator to approve: the allocation becomes
    active with no new holder until then, so nobody reads the case on the group's word alone.
    """
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if not may_answer_offer(actor, allocation):
            raise CaseError("Only the group's administrators can answer this offer.")
        if allocation.status == Allocation.Status.ACTIVE:
            return allocation
        if allocation.status != Allocation.Status.OFFERED:
            raise CaseError("This offer is no longer open.")
        if allocation.case.status != Case.Status.OPEN:
            raise CaseError("This case is not open at the moment; please wait for news from IAR.")
        if not is_member(holder, allocation.group):
            raise CaseError("The casefile holder must be a member of your group.")
        case = allocation.case
        previous = allocation.holder
        pending = previous != holder and needs_approval(case, actor)
        allocation.status = Allocation.Status.ACTIVE
        allocation.started_on = timezone.localdate()
        if not pending:
            allocation.holder = holder
        # Offered and active are both open: the case's counters do not change.
        allocation.save(update_fields=["status", "started_on", "holder"])
        audit.record(
            "allocation.accepted",
            allocation,
            actor=actor,
            changes={
                "status": ["offered", "active"],
                "holder": allocation.holder.pk if allocation.holder else None,
                **({"holder_requested": holder.pk} if pending else {}),
            },
        )
        if pending:
            request_holder_change(allocation, from_user=previous, to_user=holder, actor=actor)
        elif previous != holder:
            change = HolderChange.objects.create(
                allocation=allocation,
                from_user=previous,
                to_user=holder,
                changed_by=actor,
                decided_by=actor,
                decided_at=timezone.now(),
            )
            tell_group_of_holder_change(allocation, change, state="changed")
        context = {
            **case_context(case),
            "group_name": allocation.group.name,
            "holder_name": allocation.holder.full_name if allocation.holder else "",
            "holder_pending": pending,
        }
        if case.coordinator is not None:
            notify_user(
                case.coordinator.user,
                key=f"allocation:{allocation.pk}:accepted",
                template="allocation-accepted",
                context={**context, "case_url": coordinator_case_url(case)},
                case=case,
            )
        notify_iar(
            key=f"allocation:{allocation.pk}:accepted",
            template="allocation-accepted",
            context=context,
            case=case,
        )
    return allocation


def decline_offer(allocation: Allocation, *, reason: str, actor: User) -> Allocation:
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if not may_answer_offer(actor, allocation):
            raise CaseError("Only the group's administrators can answer this offer.")
        if allocation.status != Allocation.Status.OFFERED:
            raise CaseError("This offer is no longer open.")
        if not reason.strip():
            raise CaseError("Please tell us why, so we can offer a better case.")
        allocation.status = Allocation.Status.ENDED
        allocation.ended_on = timezone.localdate()
        allocation.end_reason = Allocation.EndReason.DECLINED
        allocation.end_notes = reason.strip()
        allocation.save(update_fields=["status", "ended_on", "end_reason", "end_notes"])
        refresh_case_counters([allocation.case_id])
        audit.record(
            "allocation.declined",
            allocation,
            actor=actor,
            changes={"status": ["offered", "ended"], "end_reason": "declined"},
        )
        notify_iar(
            key=f"allocation:{allocation.pk}:declined",
            template="allocation-declined",
            context={
                **case_context(allocation.case),
                "group_name": allocation.group.name,
                "reason": allocation.end_notes,
            },
            case=allocation.case,
        )
    return allocation


def request_relinquish(allocation: Allocation, *, reason: str, actor: User) -> Allocation:
    """A group asks to give up a case; IAR staff confirm it."""
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if not is_member(actor, allocation.group):
            raise CaseError("Only members of the group can ask to give up its case.")
        if allocation.status != Allocation.Status.ACTIVE:
            raise CaseError("Only an active case can be given up.")
        if allocation.relinquish_requested_at is not None:
            return allocation
        if not reason.strip():
            raise CaseError("Please tell us why your group wants to give up the case.")
        allocation.relinquish_requested_at = timezone.now()
        allocation.relinquish_reason = reason.strip()
        allocation.save(update_fields=["relinquish_requested_at", "relinquish_reason"])
        audit.record("allocation.relinquish_requested", allocation, actor=actor)
        notify_iar(
            key=f"relinquish:{allocation.pk}:requested",
            template="relinquish-requested",
            context={
                **case_context(allocation.case),
                "group_name": allocation.group.name,
                "reason": allocation.relinquish_reason,
                "staff_url": settings.SITE_URL + reverse("staff:relinquish_requests"),
            },
            case=allocation.case,
        )
    return allocation


def confirm_relinquish(allocation: Allocation, *, actor: User) -> Allocation:
    """Staff end the allocation; the case goes back to matching without this group."""
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if allocation.status == Allocation.Status.ENDED:
            if allocation.end_reason == Allocation.EndReason.RELINQUISHED:
                return allocation
            raise CaseError("This allocation has already ended.")
        if allocation.relinquish_requested_at is None:
            raise CaseError("The group has not asked to give up this case.")
        allocation.status = Allocation.Status.ENDED
        allocation.ended_on = max(timezone.localdate(), allocation.started_on or date.min)
        allocation.end_reason = Allocation.EndReason.RELINQUISHED
        allocation.end_notes = allocation.relinquish_reason
        allocation.save(update_fields=["status", "ended_on", "end_reason", "end_notes"])
        refresh_case_counters([allocation.case_id])
        audit.record(
            "allocation.relinquished",
            allocation,
            actor=actor,
            changes={"status": ["active", "ended"], "end_reason": "relinquished"},
        )
        case = allocation.case
        tell_group_and_coordinator(
            allocation,
            key=f"relinquish:{allocation.pk}:confirmed",
            template="relinquish-confirmed",
            context={**case_context(case), "group_name": allocation.group.name},
        )
    return allocation
