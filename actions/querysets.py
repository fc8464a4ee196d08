from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models

from accounts.access import is_staff

if TYPE_CHECKING:
    # Named as strings in the QuerySet base classes below, which linters do not read as uses.
    from .models import OneOffAction, UrgentAction  # noqa: F401


class UrgentActionQuerySet(models.QuerySet["UrgentAction"]):
    def visible_to(self, user: Any) -> UrgentActionQuerySet:
        """Staff see drafts too; every signed-in member sees what has been published."""
        if is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.exclude(status="draft")

    def open_on(self, day: date) -> UrgentActionQuerySet:
        """Published and still within its deadline on `day`."""
        return self.filter(status="published", deadline__gte=day)

    def newest_first(self) -> UrgentActionQuerySet:
        # Newest first, and of those issued the same day the soonest deadline first.
        return self.order_by("-issued_on", "deadline", "-pk")


class OneOffActionQuerySet(models.QuerySet["OneOffAction"]):
    def visible_to(self, user: Any) -> OneOffActionQuerySet:
        if is_staff(user):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(is_active=True)

    def open_on(self, day: date) -> OneOffActionQuerySet:
        return self.filter(is_active=True, deadline__gte=day)
