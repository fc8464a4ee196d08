"""What comes back by post: IAR staff record a post group's reply slips and handwritten reports.

A group that asked for post answers on paper (notifications.paper prints the slips and the
report form). Staff record each answer through the same services the group would use on the
site, with themselves as the actor, so the rules, the audit and the notices are the same; the
audit entry says the answer came by post.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from accounts.access import is_staff
from cases import services as case_services
from cases.models import Allocation
from iar_site import audit

from .models import AnnualReport, LocalGroup
from .services import GroupError, submit_report

if TYPE_CHECKING:
    from accounts.models import User


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise GroupError("Only IAR staff record what groups send back by post.")


def _post_allocations() -> QuerySet[Allocation]:
    return Allocation.objects.filter(group__channel=LocalGroup.Channel.POST).select_related(
        "case", "case__country", "group", "holder"
    )


def stops_to_confirm() -> QuerySet[Allocation]:
    """Post groups on a stopped case that have not yet sent back their reply slip."""
    return (
        _post_allocations()
        .filter(end_reason=Allocation.EndReason.CASE_CLOSED, stop_confirmed_at__isnull=True)
        .order_by("ended_on", "pk")
    )


def open_offers() -> QuerySet[Allocation]:
    return _post_allocations().filter(status=Allocation.Status.OFFERED).order_by("pk")


def active_allocations() -> QuerySet[Allocation]:
    return (
        _post_allocations()
        .filter(status=Allocation.Status.ACTIVE)
        .order_by("group__name", "case__reference")
    )


def record_stop_by_post(allocation: Allocation, *, actor: User) -> Allocation:
    _require_staff(actor)
    with transaction.atomic():
        already = allocation.stop_confirmed_at is not None
        try:
            allocation = case_services.confirm_stop(allocation, actor=actor)
        except case_services.CaseError as exc:
            raise GroupError(str(exc)) from exc
        if not already:
            audit.record("allocation.stop_confirmed_by_post", allocation, actor=actor)
    return allocation


def record_offer_by_post(allocation: Allocation, *, holder: User, actor: User) -> Allocation:
    _require_staff(actor)
    with transaction.atomic():
        try:
            allocation = case_services.accept_offer(allocation, holder=holder, actor=actor)
        except case_services.CaseError as exc:
            raise GroupError(str(exc)) from exc
        audit.record(
            "allocation.accepted_by_post", allocation, actor=actor, changes={"holder": holder.pk}
        )
    return allocation


def record_report_by_post(
    allocation: Allocation,
    *,
    period_start: date,
    what_worked: str = "",
    media_coverage: str = "",
    plans: str = "",
    concerns: str = "",
    actor: User,
) -> AnnualReport:
    """Type in a report the group posted, send it to the coordinator, mark it as by post."""
    _require_staff(actor)
    with transaction.atomic():
        report = submit_report(
            allocation,
            period_start=period_start,
            what_worked=what_worked,
            media_coverage=media_coverage,
            plans=plans,
            concerns=concerns,
            actor=actor,
        )
        report.received_by_post = True
        report.save(update_fields=["received_by_post"])
        audit.record(
            "report.received_by_post",
            report,
            actor=actor,
            changes={"period_start": report.period_start.isoformat()},
        )
    return report
