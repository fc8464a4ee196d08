"""Writes for cases and their allocations. Views, commands and the admin call these.

Each function runs in one transaction, writes an audit entry per change, and queues its notices
(through iar_site.notify) in that same transaction, so a change and its notices stand or fall
together. Idempotency keys name the cause, so repeating a call queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from groups.models import CaseRequest, LocalGroup, Membership
from iar_site import audit, outbox, roles
from iar_site.models import SavedView
from iar_site.notify import notify_group, notify_user

from .models import Allocation, Case, HolderChange, Region, Theme
from .querysets import (
    is_staff,
    may_answer_offer,
    may_approve_holder_change,
    may_change_holder,
)

if TYPE_CHECKING:
    from accounts.models import User


class CaseError(Exception):
    """A user-safe reason a case or allocation action cannot be done."""


# Test-only: called between the capacity check and the insert, so the concurrency test can widen
# the race window (its control run shows the race without the lock). Never set in the app.
_race_window_hook: Callable[[], None] | None = None


def iar_email() -> str:
    return getattr(settings, "IAR_EMAIL", "iar@amnesty.org.uk")


def case_url(case: Case) -> str:
    return settings.SITE_URL + reverse("cases:detail", args=[case.reference])


def _group_url(case: Case, name: str) -> str:
    return settings.SITE_URL + reverse(name, args=[case.reference])


def _notify_iar(*, key: str, template: str, context: dict[str, Any], case: Case | None) -> None:
    outbox.queue_message(
        key=f"{key}:iar",
        template=template,
        to_email=iar_email(),
        to_name="IAR programme",
        context=context,
        case=case,
    )


def _is_member(user: User | None, group: LocalGroup) -> bool:
    return roles.is_member_of(user, group.pk)


def _lock_case(case: Case, *, lock: bool = True) -> Case:
    qs = Case.objects.select_related("coordinator__user")
    if lock:
        # Only the case row: the coordinator join is nullable, which PostgreSQL cannot lock.
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=case.pk)


def _lock_allocation(allocation: Allocation) -> Allocation:
    return (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("case", "group", "holder", "case__coordinator__user")
        .get(pk=allocation.pk)
    )


def _case_context(case: Case) -> dict[str, Any]:
    # A reference, the case's name and a link; never the narrative of a sensitive case. A message
    # is for nobody in particular (it is stored, forwarded, printed), so a confidential case's
    # title, often the person's name, is left out: the reference and the link only.
    return {
        "reference": case.reference,
        "case_title": case.title if case.may_be_named_to(None) else "",
        "case_url": case_url(case),
    }


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
        case = _lock_case(case, lock=_lock)
        if case.status != Case.Status.OPEN:
            raise CaseError(
                f"{case.reference} is {case.get_status_display().lower()}: only open cases "
                "can be allocated."
            )
        group = LocalGroup.objects.get(pk=group.pk)
        if not group.is_active:
            raise CaseError(f"{group.name} is not active.")
        if holder is not None and not _is_member(holder, group):
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
            **_case_context(case),
            "direct": direct,
            "holder_name": holder.full_name if holder else "",
            "respond_url": _group_url(case, "cases:respond_offer"),
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
                context={**context, "group_name": group.name, "group_town": group.town},
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
        allocation = _lock_allocation(allocation)
        if not may_answer_offer(actor, allocation):
            raise CaseError("Only the group's administrators can answer this offer.")
        if allocation.status == Allocation.Status.ACTIVE:
            return allocation
        if allocation.status != Allocation.Status.OFFERED:
            raise CaseError("This offer is no longer open.")
        if allocation.case.status != Case.Status.OPEN:
            raise CaseError("This case is not open at the moment; please wait for news from IAR.")
        if not _is_member(holder, allocation.group):
            raise CaseError("The casefile holder must be a member of your group.")
        case = allocation.case
        previous = allocation.holder
        pending = previous != holder and _needs_approval(case, actor)
        allocation.status = Allocation.Status.ACTIVE
        allocation.started_on = timezone.localdate()
        if not pending:
            allocation.holder = holder
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
            _request_holder_change(allocation, from_user=previous, to_user=holder, actor=actor)
        elif previous != holder:
            change = HolderChange.objects.create(
                allocation=allocation,
                from_user=previous,
                to_user=holder,
                changed_by=actor,
                decided_by=actor,
                decided_at=timezone.now(),
            )
            _tell_group_of_holder_change(allocation, change, state="changed")
        context = {
            **_case_context(case),
            "group_name": allocation.group.name,
            "holder_name": allocation.holder.full_name if allocation.holder else "",
            "holder_pending": pending,
        }
        if case.coordinator is not None:
            notify_user(
                case.coordinator.user,
                key=f"allocation:{allocation.pk}:accepted",
                template="allocation-accepted",
                context=context,
                case=case,
            )
        _notify_iar(
            key=f"allocation:{allocation.pk}:accepted",
            template="allocation-accepted",
            context=context,
            case=case,
        )
    return allocation


def decline_offer(allocation: Allocation, *, reason: str, actor: User) -> Allocation:
    with transaction.atomic():
        allocation = _lock_allocation(allocation)
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
        audit.record(
            "allocation.declined",
            allocation,
            actor=actor,
            changes={"status": ["offered", "ended"], "end_reason": "declined"},
        )
        _notify_iar(
            key=f"allocation:{allocation.pk}:declined",
            template="allocation-declined",
            context={
                **_case_context(allocation.case),
                "group_name": allocation.group.name,
                "reason": allocation.end_notes,
            },
            case=allocation.case,
        )
    return allocation


def _needs_approval(case: Case, actor: User) -> bool:
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


def _tell_group_of_holder_change(
    allocation: Allocation, change: HolderChange, *, state: str
) -> None:
    """Every holder change (asked for, made, refused) reaches each of the group's administrators,
    so a member naming someone cannot go unseen; also whoever asked and the new holder. By
    reference and link only."""
    group = allocation.group
    member_ids = set(group.memberships.values_list("user_id", flat=True))
    admins = [
        m.user
        for m in group.memberships.filter(role=Membership.Role.ADMIN, user__is_active=True)
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


def _request_holder_change(
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
        _notify_iar(
            key=f"holder-change:{change.pk}:requested",
            template="holder-change-requested",
            context=context,
            case=case,
        )
    _tell_group_of_holder_change(allocation, change, state="pending")
    return change


def _apply_holder_change(allocation: Allocation, change: HolderChange, *, actor: User) -> None:
    """Give the casefile (and with it, on a confidential case, the narrative) to the new holder."""
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
        **_case_context(case),
        "group_name": allocation.group.name,
        "from_name": previous.full_name if previous else "",
        "to_name_holder": change.to_user.full_name,
    }
    if case.coordinator is not None:
        notify_user(
            case.coordinator.user,
            key=f"holder-change:{change.pk}",
            template="holder-changed",
            context=context,
            case=case,
        )
    _notify_iar(
        key=f"holder-change:{change.pk}", template="holder-changed", context=context, case=case
    )
    _tell_group_of_holder_change(allocation, change, state="changed")


def change_holder(allocation: Allocation, *, to_user: User, actor: User) -> HolderChange | None:
    """Name another member of the group as casefile holder; the coordinator, IAR and the group's
    administrators hear.

    Only the group's administrators, the current holder and IAR staff may. On a confidential
    case the change is a request (returned pending) until the case's country coordinator or IAR
    staff approve it; the current holder stays meanwhile. Returns None when `to_user` already
    holds the casefile.
    """
    with transaction.atomic():
        allocation = _lock_allocation(allocation)
        if not may_change_holder(actor, allocation):
            raise CaseError(
                "Only the group's administrators and its casefile holder can change the "
                "casefile holder."
            )
        if allocation.status != Allocation.Status.ACTIVE:
            raise CaseError("The casefile holder can be changed only while the case is active.")
        if not _is_member(to_user, allocation.group):
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
        if _needs_approval(allocation.case, actor):
            return _request_holder_change(
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
    allocation = _lock_allocation(change.allocation)
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
        if change.to_user is None or not _is_member(change.to_user, allocation.group):
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
        _tell_group_of_holder_change(allocation, change, state="rejected")
    return change


def request_relinquish(allocation: Allocation, *, reason: str, actor: User) -> Allocation:
    """A group asks to give up a case; IAR staff confirm it."""
    with transaction.atomic():
        allocation = _lock_allocation(allocation)
        if not _is_member(actor, allocation.group):
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
        _notify_iar(
            key=f"relinquish:{allocation.pk}:requested",
            template="relinquish-requested",
            context={
                **_case_context(allocation.case),
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
        allocation = _lock_allocation(allocation)
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
        audit.record(
            "allocation.relinquished",
            allocation,
            actor=actor,
            changes={"status": ["active", "ended"], "end_reason": "relinquished"},
        )
        case = allocation.case
        context = {**_case_context(case), "group_name": allocation.group.name}
        notify_group(
            allocation.group,
            key=f"relinquish:{allocation.pk}:confirmed",
            template="relinquish-confirmed",
            context=context,
            case=case,
            holder=allocation.holder,
        )
        if case.coordinator is not None:
            notify_user(
                case.coordinator.user,
                key=f"relinquish:{allocation.pk}:confirmed",
                template="relinquish-confirmed",
                context=context,
                case=case,
            )
    return allocation


def stop_case(case: Case, *, reason: str, notes: str = "", actor: User) -> Case:
    """Amnesty stops work on a case: every group stops, and so does every message about it."""
    if reason not in Case.ClosingReason.values:
        raise CaseError("Choose why the case is being stopped.")
    with transaction.atomic():
        case = _lock_case(case)
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
                    "confirm_url": _group_url(case, "cases:confirm_stop"),
                },
                case=None,
                holder=allocation.holder,
            )
    return case


def confirm_stop(allocation: Allocation, *, actor: User) -> Allocation:
    """The group tells IAR it has stopped all work on a closed case."""
    with transaction.atomic():
        allocation = _lock_allocation(allocation)
        if not _is_member(actor, allocation.group):
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
        case = _lock_case(case)
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
        case = _lock_case(case)
        if case.status == Case.Status.OPEN:
            return case
        if case.status != Case.Status.PAUSED:
            raise CaseError("Only a paused case can be resumed.")
        case.status = Case.Status.OPEN
        case.save(update_fields=["status", "updated_at"])
        audit.record("case.resumed", case, actor=actor, changes={"status": ["paused", "open"]})
    return case


def request_cases(
    group: LocalGroup,
    *,
    number: int,
    meeting_date: date,
    regions: Iterable[Region] = (),
    themes: Iterable[Theme] = (),
    notes: str = "",
    actor: User,
) -> CaseRequest:
    """A group asks IAR for cases ahead of a meeting."""
    with transaction.atomic():
        if not _is_member(actor, group):
            raise CaseError("Only members of the group can ask for cases for it.")
        if not 1 <= number <= 10:
            raise CaseError("Ask for between 1 and 10 cases.")
        if meeting_date < timezone.localdate():
            raise CaseError("The meeting date cannot be in the past.")
        case_request = CaseRequest.objects.create(
            group=group,
            requested_by=actor,
            number=number,
            meeting_date=meeting_date,
            notes=notes.strip(),
        )
        case_request.preferred_regions.set(list(regions))
        case_request.preferred_themes.set(list(themes))
        audit.record(
            "case_request.made",
            case_request,
            actor=actor,
            changes={"number": number, "meeting_date": meeting_date.isoformat()},
        )
        _notify_iar(
            key=f"case-request:{case_request.pk}:received",
            template="case-request-received",
            context={
                "group_name": group.name,
                "number": number,
                "meeting_date": meeting_date.isoformat(),
                "staff_url": settings.SITE_URL
                + reverse("staff:case_request", args=[case_request.pk]),
            },
            case=None,
        )
    return case_request


def fulfil_case_request(
    case_request: CaseRequest,
    *,
    cases: Iterable[Case] = (),
    response: str = "",
    direct: bool = False,
    actor: User,
) -> CaseRequest:
    """Answer a group's request: allocate cases to it, or record what IAR sent, and tell it."""
    cases = list(cases)
    response = response.strip()
    with transaction.atomic():
        case_request = CaseRequest.objects.select_for_update().get(pk=case_request.pk)
        if case_request.status != CaseRequest.Status.OPEN:
            raise CaseError("This request has already been answered.")
        if not cases and not response:
            raise CaseError("Choose at least one case, or write what IAR sent.")
        if len(cases) > case_request.number:
            raise CaseError(f"The group asked for {case_request.number} case(s) at most.")
        group = case_request.group
        allocations = [allocate_case(c, group, direct=direct, actor=actor) for c in cases]
        references = [a.case.reference for a in allocations]
        case_request.status = CaseRequest.Status.FULFILLED
        case_request.fulfilled_at = timezone.now()
        case_request.fulfilled_by = actor
        case_request.response = "\n".join(filter(None, [", ".join(references), response]))
        case_request.save(update_fields=["status", "fulfilled_at", "fulfilled_by", "response"])
        audit.record(
            "case_request.fulfilled",
            case_request,
            actor=actor,
            changes={"status": ["open", "fulfilled"], "cases": references},
        )
        notify_group(
            group,
            key=f"case-request:{case_request.pk}:fulfilled",
            template="case-request-fulfilled",
            context={
                "references": references,
                "response": response,
                "meeting_date": case_request.meeting_date.isoformat(),
                "my_cases_url": settings.SITE_URL + reverse("home"),
            },
        )
    return case_request


def save_view(*, list_name: str, name: str, query: str, actor: User) -> SavedView:
    """Keep a staff member's filtered list under a name; saving the same name again replaces it."""
    name = name.strip()
    if not name:
        raise CaseError("Give the view a name.")
    if len(name) > 80:
        raise CaseError("Keep the name to 80 characters or fewer.")
    if len(query) > 1000:
        raise CaseError("This filter is too long to save; remove some choices.")
    with transaction.atomic():
        view, _ = SavedView.objects.update_or_create(
            user=actor, list_name=list_name, name=name, defaults={"query": query}
        )
        audit.record("saved_view.saved", view, actor=actor, changes={"list": list_name})
    return view


def delete_view(view: SavedView, *, actor: User) -> None:
    with transaction.atomic():
        if view.user_id != actor.pk:
            raise CaseError("You can only delete your own saved views.")
        audit.record("saved_view.deleted", view, actor=actor, changes={"list": view.list_name})
        view.delete()
