"""Scoped reads: every list and page starts from `visible_to(user)`.

Staff see everything; a country coordinator sees the cases of the countries they cover; a group
member sees the cases their group works on now, while the group is active. Anything else is not
found (404), never forbidden, so nothing leaks that a case or allocation exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, Q

if TYPE_CHECKING:
    from accounts.models import User

OPEN = ("offered", "active")


def is_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def in_members_group(user: User, group_path: str = "group") -> Q:
    """Rows whose group (reached through `group_path`; "" for groups themselves) has `user` as a
    member and is active. Deactivating a group ends its members' access at once."""
    prefix = f"{group_path}__" if group_path else ""
    return Q(**{f"{prefix}memberships__user": user, f"{prefix}is_active": True})


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CaseQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff(user):
            return self
        rule = (
            Q(allocations__status__in=OPEN)
            & in_members_group(user, "allocations__group")
            & ~Q(status="draft")
        )
        rule |= Q(country__coordinators__user=user)
        # The filter spans to-many relations: deduplicate through a subquery rather than
        # DISTINCT, so callers may still order and annotate freely.
        return self.filter(pk__in=self.model.objects.filter(rule).values("pk"))

    def open(self) -> CaseQuerySet:
        return self.filter(status="open")


class AllocationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> AllocationQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff(user):
            return self
        rule = in_members_group(user) & Q(status__in=OPEN) & ~Q(case__status="draft")
        rule |= Q(case__country__coordinators__user=user)
        return self.filter(pk__in=self.model.objects.filter(rule).values("pk"))

    def open(self) -> AllocationQuerySet:
        return self.filter(status__in=OPEN)

    def active(self) -> AllocationQuerySet:
        return self.filter(status="active")

    def with_reports_in(self) -> AllocationQuerySet:
        """Annotate `reports_in`: yearly reports sent (submitted or acknowledged), from which
        groups.services.next_report_due gives the next due date."""
        return self.annotate(
            reports_in=Count(
                "annual_reports",
                filter=Q(annual_reports__status__in=("submitted", "acknowledged")),
                distinct=True,
            )
        )


def may_read_confidential(user: User, case) -> bool:
    """A confidential case's narrative, people and casefile are for IAR staff, the coordinators
    of its country and the casefile holders of the active groups working on it now: nobody else,
    even in those groups. The one rule every page and download asks."""
    if is_staff(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if case.country.coordinators.filter(user=user).exists():
        return True
    return case.allocations.filter(status__in=OPEN, holder=user, group__is_active=True).exists()


def is_group_admin(user: User, group) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    from groups.models import Membership  # groups.models imports this module's models

    return Membership.objects.filter(
        user=user, group=group, role=Membership.Role.ADMIN, group__is_active=True
    ).exists()


def may_answer_offer(user: User, allocation) -> bool:
    """Accepting an offer names the casefile holder, who may read a confidential case: only the
    group's administrators (and IAR staff) answer for the group."""
    return is_staff(user) or is_group_admin(user, allocation.group)


def may_change_holder(user: User, allocation) -> bool:
    """The group's administrators, the current casefile holder (handing over) and IAR staff. A
    plain member may not, or anyone could name themselves and read a confidential case."""
    if is_staff(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if allocation.holder_id is not None and allocation.holder_id == user.pk:
        return allocation.group.memberships.filter(user=user, group__is_active=True).exists()
    return is_group_admin(user, allocation.group)


def may_approve_holder_change(user: User, case) -> bool:
    """Who decides whether a holder change on a confidential case stands: the coordinators of the
    case's country and IAR staff, the people who may read it already."""
    if is_staff(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return case.country.coordinators.filter(user=user).exists()
