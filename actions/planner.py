"""The meeting planner: what a group has to work on at its next meeting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cases.models import Allocation
from groups.models import LocalGroup
from groups.yearly import ReportDue, report_due, with_report_due

from .models import ActionBundle, OneOffAction, UrgentAction


@dataclass
class CaseDue:
    allocation: Allocation
    report: ReportDue | None


@dataclass
class MeetingPlan:
    group: LocalGroup
    on: date
    cases: list[CaseDue] = field(default_factory=list)
    urgent_actions: list[UrgentAction] = field(default_factory=list)
    mailing: ActionBundle | None = None
    magazine: ActionBundle | None = None
    one_offs: list[OneOffAction] = field(default_factory=list)

    @property
    def reports_due(self) -> list[CaseDue]:
        """Reports falling due by the meeting (or already overdue), to agree at it."""
        return [c for c in self.cases if c.report is not None and c.report.on <= self.on]

    def letter_actions(self) -> list[Any]:
        """Every action with letters to write, in the order of the pack."""
        actions: list[Any] = list(self.urgent_actions) + list(self.one_offs)
        for bundle in (self.mailing, self.magazine):
            if bundle is not None:
                actions += [o for o in bundle.one_offs.all() if o not in actions]
                actions += [u for u in bundle.urgent_actions.all() if u not in actions]
        return actions


def latest_bundle(kind: str, *, before: date | None = None) -> ActionBundle | None:
    bundles = ActionBundle.objects.filter(kind=kind, status=ActionBundle.Status.PUBLISHED)
    if before is not None:
        bundles = bundles.filter(published_at__date__lte=before)
    return (
        bundles.prefetch_related("cases__country", "urgent_actions", "one_offs")
        .order_by("-published_at")
        .first()
    )


def meeting_plan(group: LocalGroup, on: date, *, today: date) -> MeetingPlan:
    """What is for the meeting on `on`: only actions still open that day, so nothing in the pack
    is already too late when the group writes."""
    allocations = with_report_due(
        Allocation.objects.filter(group=group, status=Allocation.Status.ACTIVE).select_related(
            "case__country"
        )
    ).order_by("case__reference")
    plan = MeetingPlan(group=group, on=on)
    plan.cases = [
        CaseDue(a, report_due(a.started_on, a.reports_in, today))  # type: ignore[attr-defined]
        for a in allocations
    ]
    urgent = UrgentAction.objects.filter(
        status=UrgentAction.Status.PUBLISHED, deadline__gt=on, issued_on__lte=on
    )
    # A signed-up group plans with what was sent to it; a group not signed up sees every open UA.
    if hasattr(group, "ua_subscription") or group.ua_deliveries.exists():
        urgent = urgent.filter(deliveries__group=group)
    plan.urgent_actions = list(
        urgent.distinct().select_related("country").prefetch_related("targets").order_by("deadline")
    )
    plan.mailing = latest_bundle(ActionBundle.Kind.MAILING, before=on)
    plan.magazine = latest_bundle(ActionBundle.Kind.MAGAZINE, before=on)
    plan.one_offs = list(
        OneOffAction.objects.filter(
            attachments__group=group, is_active=True, deadline__gte=on
        ).prefetch_related("targets")
    )
    return plan


def next_meeting(group: LocalGroup, *, today: date) -> date | None:
    """The group's own next meeting date, or else the meeting it last asked IAR for cases for."""
    if group.next_meeting and group.next_meeting >= today:
        return group.next_meeting
    request = group.case_requests.filter(meeting_date__gte=today).order_by("meeting_date").first()
    return request.meeting_date if request else None
