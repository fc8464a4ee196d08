"""Scoped reads for the coordinator's workspace.

A coordinator manages the cases of the countries they cover; staff manage every case. Group
members see a case (Case.objects.visible_to) but manage none, so the workspace is a 404 for them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from cases.models import Case
from cases.querysets import is_staff

if TYPE_CHECKING:
    from accounts.models import User


def managed_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.visible_to(user)
    if is_staff(user):
        return cases
    if not user.is_authenticated:
        return cases.none()
    return cases.filter(pk__in=Case.objects.filter(country__coordinators__user=user).values("pk"))


def manages(user: User, case: Case) -> bool:
    return managed_cases(user).filter(pk=case.pk).exists()


def silent_cases(today=None) -> QuerySet[Case]:
    """Open cases whose coordinator has published no update for COORDINATOR_SILENCE_DAYS (a case
    younger than that counts from the day it opened)."""
    today = today or timezone.localdate()
    days = settings.COORDINATOR_SILENCE_DAYS
    cutoff_date = today - timedelta(days=days)
    cutoff = timezone.now() - timedelta(days=days)
    return (
        Case.objects.open()
        .annotate(
            last_update_at=Max("updates__published_at", filter=Q(updates__status="published"))
        )
        .filter(
            Q(last_update_at__lt=cutoff) | Q(last_update_at__isnull=True, opened_on__lt=cutoff_date)
        )
        .select_related("country", "coordinator__user")
        .order_by("last_update_at", "opened_on", "reference")
    )
