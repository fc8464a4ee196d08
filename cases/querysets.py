"""Scoped reads: every list and page starts from `visible_to(user)`.

Staff see everything; a country coordinator sees the cases of the countries they cover; a group
member sees the cases their group works on now, while the group is active. Anything else is not
found (404), never forbidden, so nothing leaks that a case or allocation exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from accounts.access import is_coordinator, is_staff

if TYPE_CHECKING:
    from accounts.models import User

    # Named as strings in the QuerySet base classes below, which linters do not read as uses.
    from .models import Allocation, Case  # noqa: F401

# The models build their managers from these querysets, so the statuses they share are named
# here rather than imported: Allocation.Status.OFFERED and ACTIVE, Case.Status.DRAFT.
OPEN = ("offered", "active")
CASE_DRAFT = "draft"


def in_members_group(user: User, group_path: str = "group") -> Q:
    """Rows whose group (reached through `group_path`; "" for groups themselves) has `user` as a
    member and is active. Deactivating a group ends its members' access at once."""
    prefix = f"{group_path}__" if group_path else ""
    return Q(**{f"{prefix}memberships__user": user, f"{prefix}is_active": True})


def in_coordinated_countries(user: User, case_path: str = "") -> Q:
    """Rows whose case (reached through `case_path`; "" for cases themselves) is in a country
    `user` coordinates. For someone with no coordinator profile, most people, it is a condition
    that matches nothing and joins nothing, so their scoped queries carry no OR over LEFT JOINs
    to every country's coordinators: that OR doubled the tables the planner weighed, and
    planning cost more than running on a member's every page."""
    if not is_coordinator(user):
        return Q(pk__in=[])
    prefix = f"{case_path}__" if case_path else ""
    return Q(**{f"{prefix}country__coordinators__user": user})


def in_managed_cases(user: User, case_path: str = "") -> Q:
    """Rows whose case (reached through `case_path`; "" for cases themselves) `user` manages:
    every case for IAR staff, the cases of their countries for a coordinator, none for anyone
    else. A condition on the case's country, joined, not a list of case ids: a coordinator's
    page then reads their own rows instead of matching every row against their cases."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if is_staff(user):
        return Q()
    # The cases of a coordinator's countries are all visible to them (`visible_to`'s second
    # rule), so that wider rule, an OR over every group's memberships, is not asked again. The
    # join gives each row once: a user has one coordinator profile, covering a country once.
    return in_coordinated_countries(user, case_path)


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff(user):
            return self
        rule = (
            Q(allocations__status__in=OPEN)
            & in_members_group(user, "allocations__group")
            & ~Q(status=self.model.Status.DRAFT)
        )
        rule |= in_coordinated_countries(user)
        # The filter spans to-many relations: deduplicate through a subquery rather than
        # DISTINCT, so callers may still order and annotate freely.
        return self.filter(pk__in=self.model.objects.filter(rule).values("pk"))

    def open(self) -> CaseQuerySet:
        return self.filter(status=self.model.Status.OPEN)

    def managed_by(self, user: User) -> CaseQuerySet:
        """The cases `user` manages: a coordinator those of the countries they cover, IAR staff
        every case. Group members see cases but manage none, so the pages that change a case
        (its updates, targets and casefile) are a 404 for them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(in_managed_cases(user))


class AllocationQuerySet(models.QuerySet["Allocation"]):
    def visible_to(self, user: User, *, as_member: bool = False) -> AllocationQuerySet:
        """`as_member` narrows to the allocations of the user's own active groups: what
        `.filter(in_members_group(user))` after it gives, with the memberships joined once. A
        second filter() over the to-many relation joins them again, and the planner weighed
        that extra join on every member page for as long as the query took to run."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff(user):
            return self.filter(in_members_group(user)) if as_member else self
        open_work = Q(status__in=OPEN) & ~Q(case__status=CASE_DRAFT)
        rule = in_members_group(user) & open_work
        if not is_coordinator(user):
            # A user is a member of a group once (membership_unique), so the join repeats no
            # row: filtered in place, without the subquery the planner would weigh on every page.
            return self.filter(rule)
        if as_member:
            # In their countries a coordinator also sees their groups' ended work. One filter,
            # so one join of each to-many relation: a coordinator covers a country once.
            return self.filter(
                in_members_group(user) & (open_work | in_coordinated_countries(user, "case"))
            )
        rule |= in_coordinated_countries(user, "case")
        return self.filter(pk__in=self.model.objects.filter(rule).values("pk"))

    def stopped_for(self, user: User) -> AllocationQuerySet:
        """Ended allocations of a stopped case, for the user's active groups: they must still
        reach the page where they confirm they have stopped, although the case is no longer
        theirs to see."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(in_members_group(user), status="ended", end_reason="case_closed")

    def open(self) -> AllocationQuerySet:
        return self.filter(status__in=OPEN)

    def active(self) -> AllocationQuerySet:
        return self.filter(status=self.model.Status.ACTIVE)
