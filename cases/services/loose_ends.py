"""The loose ends of a case's life: offers nobody answers, stops nobody confirms, and a group
that IAR take off a case.

The daily sweep (`sweep_loose_ends`, cases.tasks) is idempotent: every reminder's key names its
cause and its date, so running it twice in a day, or again after a crash, queues nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import is_staff
from iar_site import audit
from notifications.services import notify_group

from ..counts import refresh_case_counters
from ..models import Allocation, Case
from .common import (
    CaseError,
    case_context,
    group_url,
    lock_allocation,
    notify_iar,
    tell_group_and_coordinator,
)

if TYPE_CHECKING:
    from accounts.models import User

REMIND_OFFER_DAYS_BEFORE = 7


@dataclass
class SweepResult:
    offer_reminders: int = 0
    offers_expired: int = 0
    stop_reminders: int = 0


def offer_expires_on(allocation: Allocation) -> date:
    return timezone.localdate(allocation.offered_at) + timedelta(days=settings.OFFER_EXPIRY_DAYS)


def _offer_context(allocation: Allocation) -> dict[str, object]:
    case = allocation.case
    return {
        **case_context(case),
        "group_name": allocation.group.name,
        "expires_on": date_format(offer_expires_on(allocation), "j F Y"),
        "respond_url": group_url(case, "cases:respond_offer"),
    }


def expire_offer(allocation: Allocation, *, today: date) -> bool:
    """End an offer nobody answered in time: the place is free for another group, and IAR and
    the group are told. False when the offer was answered meanwhile (nothing to do)."""
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if allocation.status != Allocation.Status.OFFERED or offer_expires_on(allocation) > today:
            return False
        allocation.status = Allocation.Status.ENDED
        allocation.ended_on = today
        allocation.end_reason = Allocation.EndReason.EXPIRED
        allocation.save(update_fields=["status", "ended_on", "end_reason"])
        refresh_case_counters([allocation.case_id])
        audit.record(
            "allocation.offer_expired",
            allocation,
            changes={"status": ["offered", "ended"], "end_reason": "expired"},
        )
        context = _offer_context(allocation)
        key = f"offer-expired:{allocation.pk}"
        notify_group(
            allocation.group,
            key=key,
            template="offer-expired",
            context=context,
            case=allocation.case,
            holder=allocation.holder,
        )
        notify_iar(key=key, template="offer-expired", context=context, case=allocation.case)
    return True


def _sweep_offers(today: date, result: SweepResult) -> None:
    days = settings.OFFER_EXPIRY_DAYS
    # offered_at is a moment; compare by day in the site's time zone, as the letters say.
    expiry_cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=days - 1), time.min)
    )
    offers = Allocation.objects.filter(
        status=Allocation.Status.OFFERED, case__status=Case.Status.OPEN
    ).select_related("case", "group", "holder")
    for allocation in offers.filter(offered_at__lt=expiry_cutoff).order_by("pk"):
        result.offers_expired += expire_offer(allocation, today=today)
    remind_cutoff = expiry_cutoff + timedelta(days=REMIND_OFFER_DAYS_BEFORE)
    waiting = offers.filter(offered_at__lt=remind_cutoff, offered_at__gte=expiry_cutoff)
    for allocation in waiting.order_by("pk"):
        with transaction.atomic():
            messages = notify_group(
                allocation.group,
                key=f"offer-reminder:{allocation.pk}",
                template="offer-reminder",
                context=_offer_context(allocation),
                case=allocation.case,
                holder=allocation.holder,
            )
        result.offer_reminders += bool(messages)


def days_waiting_to_confirm(allocation: Allocation, today: date) -> int:
    return (today - (allocation.ended_on or today)).days


def _sweep_stop_confirmations(today: date, result: SweepResult) -> None:
    every = settings.STOP_CONFIRMATION_REMINDER_DAYS
    waiting = Allocation.objects.filter(
        end_reason=Allocation.EndReason.CASE_CLOSED,
        stop_confirmed_at__isnull=True,
        ended_on__lte=today - timedelta(days=every),
        group__is_active=True,
    ).select_related("case", "group", "holder")
    for allocation in waiting.order_by("pk"):
        days = days_waiting_to_confirm(allocation, today)
        # One reminder per period: the 14th day, the 28th, ... whenever the sweep runs in it.
        round_ = days // every
        with transaction.atomic():
            # Not linked to the case: a stopped case's messages are cancelled, and this one
            # must still leave (the reference travels in its context).
            notify_group(
                allocation.group,
                key=f"stop-reminder:{allocation.pk}:{round_}",
                template="case-stopped-reminder",
                context={
                    "reference": allocation.case.reference,
                    "days": days,
                    "confirm_url": group_url(allocation.case, "cases:confirm_stop"),
                },
                case=None,
                holder=allocation.holder,
            )
        result.stop_reminders += 1


def sweep_loose_ends(today: date | None = None) -> SweepResult:
    """Daily: remind and expire unanswered offers, remind groups that have not confirmed a stop."""
    today = today or timezone.localdate()
    result = SweepResult()
    _sweep_offers(today, result)
    _sweep_stop_confirmations(today, result)
    return result


def withdraw_group(allocation: Allocation, *, reason: str, actor: User) -> Allocation:
    """IAR take a group off a case, saying why. Matching never proposes the group for the case
    again (an allocation withdrawn by IAR bars it); the group and the coordinator are told."""
    reason = reason.strip()
    with transaction.atomic():
        allocation = lock_allocation(allocation)
        if not is_staff(actor):
            raise CaseError("Only IAR staff can take a group off a case.")
        if allocation.status == Allocation.Status.ENDED:
            if allocation.end_reason == Allocation.EndReason.WITHDRAWN:
                return allocation
            raise CaseError("This group no longer works on the case.")
        if not reason:
            raise CaseError("Give the reason: the group is told it.")
        old = allocation.status
        allocation.status = Allocation.Status.ENDED
        allocation.ended_on = max(timezone.localdate(), allocation.started_on or date.min)
        allocation.end_reason = Allocation.EndReason.WITHDRAWN
        allocation.end_notes = reason
        allocation.save(update_fields=["status", "ended_on", "end_reason", "end_notes"])
        refresh_case_counters([allocation.case_id])
        audit.record(
            "allocation.withdrawn",
            allocation,
            actor=actor,
            changes={"status": [old, "ended"], "end_reason": "withdrawn"},
        )
        case = allocation.case
        # The reason is IAR's words to the group: it goes on paper and in email as written,
        # except on a confidential case, whose reason stays with IAR (it may name the person).
        context = {
            **case_context(case),
            "group_name": allocation.group.name,
            "reason": "" if case.private_names() else reason,
        }
        tell_group_and_coordinator(
            allocation,
            key=f"withdrawn:{allocation.pk}",
            template="group-withdrawn",
            context=context,
        )
    return allocation
