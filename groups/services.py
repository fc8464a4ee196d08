"""Writes for groups and their work. Views, commands and the admin call these."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from cases.models import Allocation
from iar_site import audit

from .models import Activity, Membership

if TYPE_CHECKING:
    from accounts.models import User


class GroupError(Exception):
    """A user-safe reason a group action cannot be done."""


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def next_report_due(started_on: date | None, reports_in: int) -> date | None:
    """Each active allocation owes a report a year from its start, then every year after."""
    if started_on is None:
        return None
    return add_years(started_on, reports_in + 1)


def record_activity(
    allocation: Allocation,
    *,
    kind: str,
    on: date,
    count: int = 1,
    notes: str = "",
    outcome: str = "",
    outcome_notes: str = "",
    actor: User,
) -> Activity:
    """Log what a group did. Only a member of the group may, and only on an active allocation."""
    with transaction.atomic():
        allocation = (
            Allocation.objects.select_for_update().select_related("case").get(pk=allocation.pk)
        )
        if not Membership.objects.filter(user=actor, group_id=allocation.group_id).exists():
            raise GroupError("Only members of the group can record its actions.")
        if allocation.status != Allocation.Status.ACTIVE:
            raise GroupError("This case is no longer active for your group.")
        if on > timezone.localdate():
            raise GroupError("The date cannot be in the future.")
        if on < timezone.localdate() - timedelta(days=366 * 3):
            raise GroupError("The date must be within the last three years.")
        if not 1 <= count <= Activity.MAX_COUNT:
            raise GroupError(f"The number must be between 1 and {Activity.MAX_COUNT:,}.")
        activity = Activity.objects.create(
            allocation=allocation,
            kind=kind,
            date=on,
            count=count,
            notes=notes,
            outcome=outcome,
            outcome_notes=outcome_notes,
            recorded_by=actor,
        )
        audit.record(
            "activity.recorded",
            activity,
            actor=actor,
            changes={"kind": kind, "date": on.isoformat(), "count": count, "outcome": outcome},
        )
    return activity
