"""Reads for yearly reports: what the group logged in a period (the periods are in yearly.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum

from cases.models import Allocation

from .models import Activity


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
