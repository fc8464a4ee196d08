"""Scoped reads for groups and their work; see cases/querysets.py for the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from accounts.access import is_staff
from cases.querysets import OPEN, in_coordinated_countries, in_members_group

if TYPE_CHECKING:
    from accounts.models import User

    # Named as strings in the QuerySet base classes below, which linters do not read as uses.
    from .models import Activity, AnnualReport, LocalGroup  # noqa: F401


class LocalGroupQuerySet(models.QuerySet["LocalGroup"]):
    def visible_to(self, user: User) -> LocalGroupQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff(user):
            return self
        rule = in_members_group(user, "") | in_coordinated_countries(user, "allocations__case")
        return self.filter(pk__in=self.model.objects.filter(rule).values("pk"))


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: User) -> ActivityQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff(user):
            return self
        rule = (
            in_members_group(user, "allocation__group") & Q(allocation__status__in=OPEN)
        ) | in_coordinated_countries(user, "allocation__case")
        return self.filter(pk__in=self.model.objects.filter(rule).values("pk"))


class AnnualReportQuerySet(models.QuerySet["AnnualReport"]):
    def visible_to(self, user: User) -> AnnualReportQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff(user):
            return self
        rule = in_members_group(user, "allocation__group") | in_coordinated_countries(
            user, "allocation__case"
        )
        return self.filter(pk__in=self.model.objects.filter(rule).values("pk"))
