"""`overdue_first` tells in the database what `report_due` tells in Python: the same allocations
are overdue, in the same order, on the days around a 29 February start and a year's turn."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cases.models import Allocation
from groups.models import AnnualReport
from groups.yearly import ReportState, add_years, overdue_first, report_due
from tests import factories as f

pytestmark = pytest.mark.django_db

STARTS = [
    date(2024, 2, 29),
    date(2024, 2, 28),
    date(2024, 3, 1),
    date(2023, 2, 28),
    date(2020, 2, 29),
    date(2023, 12, 31),
    date(2024, 1, 1),
]

DAYS = [
    date(2025, 2, 27),
    date(2025, 2, 28),
    date(2025, 3, 1),
    date(2025, 3, 2),
    date(2026, 3, 1),
    date(2027, 3, 1),
    date(2028, 2, 29),
    date(2028, 3, 1),
    date(2100, 3, 1),  # not a leap year: the 29 February starts fall due on the 28th
]


def _allocations() -> list[Allocation]:
    made = []
    for sent in (0, 1, 2):
        for started_on in STARTS:
            allocation = f.AllocationFactory(started_on=started_on)
            for n in range(sent):
                start = add_years(started_on, n)
                AnnualReport.objects.create(
                    allocation=allocation,
                    period_start=start,
                    period_end=add_years(started_on, n + 1),
                    status=AnnualReport.Status.ACKNOWLEDGED if n else AnnualReport.Status.SUBMITTED,
                    submitted_at=timezone.now(),
                    acknowledged_at=timezone.now() if n else None,
                )
            # A draft is not a report sent: it moves nothing.
            AnnualReport.objects.create(
                allocation=allocation,
                period_start=add_years(started_on, sent),
                period_end=add_years(started_on, sent + 1),
            )
            made.append(allocation)
    return made


def test_overdue_first_is_report_due_told_in_the_database():
    ids = [allocation.pk for allocation in _allocations()]
    counts = []
    for today in DAYS:
        expected = []
        for allocation in Allocation.objects.filter(pk__in=ids):
            sent = allocation.annual_reports.exclude(status=AnnualReport.Status.DRAFT).count()
            due = report_due(allocation.started_on, sent, today)
            if due and due.state == ReportState.OVERDUE:
                expected.append((due.on, allocation.pk, sent))
        expected.sort()
        rows = overdue_first(Allocation.objects.filter(pk__in=ids), today)
        assert [(row.pk, row.reports_in) for row in rows] == [
            (pk, sent) for _, pk, sent in expected
        ], today
        assert rows.count() == len(expected)
        counts.append(len(expected))
    # The days chosen move allocations across the rule, one by one, until all are overdue.
    assert counts == sorted(counts) and len(set(counts)) >= 6
    assert counts[-1] == len(ids)
