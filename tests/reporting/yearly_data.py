"""A hand-built programme year (2025) for the figures and charts tests: rows that count, and
rows just outside the year that must not."""

from __future__ import annotations

from datetime import date, datetime

import time_machine
from django.utils import timezone

from cases.models import Allocation
from groups.models import Activity
from tests import factories as f

TODAY = date(2026, 6, 15)


def travel():
    """Today is 15 June 2026 for the test."""
    return time_machine.travel(timezone.make_aware(datetime(2026, 6, 15, 12)), tick=False)


def act(allocation, day, kind=Activity.Kind.APPEAL_LETTER, count=1, outcome=""):
    return f.ActivityFactory(
        allocation=allocation, date=day, kind=kind, count=count, outcome=outcome
    )


def build_year() -> dict:
    """2025 in two regions: rows that count, and rows just outside the year that must not."""
    africa = f.RegionFactory(name="Africa", code="africa")
    americas = f.RegionFactory(name="Americas", code="americas")
    kenya = f.CountryFactory(name="Kenya", region=africa)
    nigeria = f.CountryFactory(name="Nigeria", region=africa)
    peru = f.CountryFactory(name="Peru", region=americas)
    g1, g2, g3 = (f.GroupFactory(name=f"Group {n}") for n in (1, 2, 3))
    k1, k2 = f.CaseFactory(country=kenya), f.CaseFactory(country=kenya)
    n1 = f.CaseFactory(country=nigeria)
    p1, p2 = f.CaseFactory(country=peru), f.CaseFactory(country=peru)

    a1 = f.AllocationFactory(case=k1, group=g1, started_on=date(2024, 3, 1))
    a2 = f.AllocationFactory(case=k2, group=g1, started_on=date(2025, 5, 1))
    ended = {"status": Allocation.Status.ENDED, "end_reason": Allocation.EndReason.RELINQUISHED}
    # Ended the day before the year began: not worked in 2025.
    a3 = f.AllocationFactory(
        case=n1, group=g2, started_on=date(2023, 1, 1), ended_on=date(2024, 12, 31), **ended
    )
    # Worked for part of the year.
    a4 = f.AllocationFactory(
        case=n1, group=g1, started_on=date(2025, 2, 1), ended_on=date(2025, 8, 1), **ended
    )
    a5 = f.AllocationFactory(case=p1, group=g3, started_on=date(2026, 1, 10))
    f.AllocationFactory(case=p2, group=g2, status=Allocation.Status.OFFERED, started_on=None)
    a7 = f.AllocationFactory(case=p2, group=g3, started_on=date(2024, 1, 1))

    act(a1, date(2025, 1, 1), count=5, outcome=Activity.Outcome.REPLY)
    act(a1, date(2025, 3, 10), count=3)
    act(a1, date(2025, 3, 20), kind=Activity.Kind.STALL)
    act(a2, date(2025, 6, 1), count=2, outcome=Activity.Outcome.RELEASE)
    act(a2, date(2025, 6, 2), kind=Activity.Kind.PETITION, count=40, outcome="improvement")
    act(a4, date(2025, 7, 1), kind=Activity.Kind.SOLIDARITY, count=4)
    act(a7, date(2025, 12, 31), count=10, outcome=Activity.Outcome.IMPROVEMENT)
    # Outside 2025.
    act(a1, date(2024, 12, 31), count=100, outcome=Activity.Outcome.RELEASE)
    act(a3, date(2024, 6, 1), count=7)
    act(a5, date(2026, 1, 1), count=50)
    return {"africa": africa, "americas": americas, "peru": peru, "g1": g1, "g3": g3}
