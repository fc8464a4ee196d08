"""Reads for the coordinator's workspace beyond the scoped case list (Case.objects.managed_by)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from cases.models import Case

from .models import CaseUpdate

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class LastUpdate(TypedDict):
    last_update_at: datetime | None


def silent_cases(today: date | None = None) -> QuerySet[WithAnnotations[Case, LastUpdate]]:
    """Open cases whose coordinator has published no update for COORDINATOR_SILENCE_DAYS (a case
    younger than that counts from the day it opened)."""
    today = today or timezone.localdate()
    days = settings.COORDINATOR_SILENCE_DAYS
    cutoff_date = today - timedelta(days=days)
    cutoff = timezone.now() - timedelta(days=days)
    # The plugin types the annotation as Any in a TypedDict of its own; name it for callers.
    return cast(
        "QuerySet[WithAnnotations[Case, LastUpdate]]",
        Case.objects.open()
        .annotate(
            last_update_at=Max(
                "updates__published_at", filter=Q(updates__status=CaseUpdate.Status.PUBLISHED)
            )
        )
        .filter(
            Q(last_update_at__lt=cutoff) | Q(last_update_at__isnull=True, opened_on__lt=cutoff_date)
        )
        .select_related("country", "coordinator__user")
        .order_by("last_update_at", "opened_on", "reference"),
    )
