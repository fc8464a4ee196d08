"""Reads for yearly reports: the periods an allocation owes and what the group logged in each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.utils import timezone

from cases.models import Allocation

from .models import Activity, AnnualReport
from .services import report_period


@dataclass
class KindTotal:
    kind: str
    label: str
    entries: int
    total: int


@dataclass
class ReportSummary:
    """What the group logged in a period: the part of the report the app fills in."""

    start: date
    end: date
    kinds: list[KindTotal] = field(default_factory=list)
    outcomes: list[Activity] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return sum(k.entries for k in self.kinds)


def report_summary(allocation: Allocation, start: date, end: date) -> ReportSummary:
    in_period = Activity.objects.filter(allocation=allocation, date__gte=start, date__lt=end)
    labels = dict(Activity.Kind.choices)
    rows = in_period.values("kind").annotate(entries=Count("id"), total=Sum("count"))
    by_kind = {row["kind"]: row for row in rows}
    kinds = [
        KindTotal(kind, labels[kind], by_kind[kind]["entries"], by_kind[kind]["total"])
        for kind in Activity.Kind.values
        if kind in by_kind
    ]
    outcomes = list(in_period.exclude(outcome="").order_by("date", "id"))
    return ReportSummary(start=start, end=end, kinds=kinds, outcomes=outcomes)


def media_notes(allocation: Allocation, start: date, end: date) -> str:
    """The notes of the period's local-media entries, a starting point for "media coverage"."""
    lines = [
        f"{a.date:%d %b %Y}: {a.notes.strip()}"
        for a in Activity.objects.filter(
            allocation=allocation,
            kind=Activity.Kind.LOCAL_MEDIA,
            date__gte=start,
            date__lt=end,
        ).order_by("date", "id")
        if a.notes.strip()
    ]
    return "\n".join(lines)


@dataclass
class Period:
    start: date
    end: date
    report: AnnualReport | None
    today: date

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"

    @property
    def is_done(self) -> bool:
        return self.status in (AnnualReport.Status.SUBMITTED, AnnualReport.Status.ACKNOWLEDGED)

    @property
    def overdue(self) -> bool:
        return not self.is_done and self.end < self.today

    @property
    def status_label(self) -> str:
        if self.report is None:
            return "Not started"
        return self.report.get_status_display()


def report_periods(allocation: Allocation) -> list[Period]:
    """Every period that has begun, newest first, with its report if there is one."""
    if allocation.started_on is None:
        return []
    today = timezone.localdate()
    reports = {r.period_start: r for r in allocation.annual_reports.all()}
    periods = []
    index = 0
    while True:
        start, end = report_period(allocation.started_on, index)
        if start > today:
            break
        if allocation.ended_on and start > allocation.ended_on:
            break
        periods.append(Period(start, end, reports.get(start), today))
        index += 1
    return list(reversed(periods))
