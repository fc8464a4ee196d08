"""Who may do what: the one set of access predicates and the view decorators built on them.

Every view, template tag, download and service asks these functions; nothing restates a rule.

The policy, one for every page:

- Another group's or another country's OBJECT is not found (404), never forbidden, so nothing
  hints that it exists. Object pages read through scoped querysets:
  ``get_object_or_404(Case.objects.visible_to(user), reference=...)``.
- A FUNCTION the user's role lacks (the staff pages, the coordinator's workspace, changing a
  group's settings as a plain member) is forbidden (403): the page exists for everyone, the role
  does not reach it. ``@staff_required`` and ``@coordinator_required`` say so.
- A visitor who is not signed in is sent to the login page by the login-required middleware
  before any of this is asked.

This module sits at the bottom of the layer order (only ``iar_site`` is below it): it reaches
cases, groups and coordinators only through reverse relations and ids on the objects it is given
(``user.memberships``, ``case.country.coordinators``, ``allocation.group.memberships``,
``case.allocations``), never by importing their modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User

    type AnyUser = User | AnonymousUser

STAFF = "staff"
COORDINATOR = "coordinator"
MEMBER = "member"

# Allocation states in which a group works on a case (kept equal to cases.querysets.OPEN).
OPEN = ("offered", "active")
ADMIN_ROLE = "admin"
CONFIDENTIAL = "confidential"

View = Callable[..., HttpResponse]


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind the login-required middleware receives: its user is signed in.
    Only an annotation (django-stubs' recommended way to type `request.user` as `User`)."""

    user: User
    htmx: HtmxDetails


def _signed_in(user: AnyUser | None) -> TypeGuard[User]:
    """A signed-in account that has not been deactivated: a deactivated user holds no role."""
    return bool(user is not None and user.is_authenticated and user.is_active)


# Roles


def is_staff(user: AnyUser | None) -> bool:
    """IAR programme staff (`User.is_staff`): they allocate cases and see every case."""
    return bool(_signed_in(user) and user.is_staff)


def is_coordinator(user: AnyUser | None) -> bool:
    """A country coordinator: someone with a coordinator profile, whatever countries it covers."""
    return _signed_in(user) and hasattr(user, "coordinator_profile")


def roles_of(user: AnyUser) -> set[str]:
    """The programme roles a user holds now, cached on the user for the request. Membership
    counts only in an active group: deactivating a group ends its members' access."""
    if not _signed_in(user):
        return set()
    cached: set[str] | None = getattr(user, "_iar_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    if user.is_staff:
        roles.add(STAFF)
    if is_coordinator(user):
        roles.add(COORDINATOR)
    if user.memberships.filter(group__is_active=True).exists():
        roles.add(MEMBER)
    user._iar_roles = roles
    return roles


def primary_role(user: AnyUser) -> str | None:
    """The role a user lands on: staff before coordinator before member."""
    roles = roles_of(user)
    for role in (STAFF, COORDINATOR, MEMBER):
        if role in roles:
            return role
    return None


def needs_mfa(user: AnyUser) -> bool:
    """Staff and coordinators see many cases, some of people in danger: they must use MFA."""
    return bool({STAFF, COORDINATOR} & roles_of(user))


# Cases and countries


def coordinates(user: AnyUser | None, case_or_country: Any) -> bool:
    """Whether `user` is a coordinator of the country (or of the case's country): the first point
    of contact for every case there."""
    if not _signed_in(user):
        return False
    country = getattr(case_or_country, "country", case_or_country)
    return bool(country.coordinators.filter(user=user).exists())


def manages(user: AnyUser | None, case: Any) -> bool:
    """Whether `user` may change a case (its updates, targets and casefile): the coordinators of
    its country and IAR staff. Group members read cases but manage none."""
    return is_staff(user) or coordinates(user, case)


def confidential_readable_ids(user: AnyUser | None, cases: Iterable[Any]) -> set[int]:
    """Of `cases`, the ids of those whose narrative, people and casefile `user` may read if they
    are confidential: IAR staff read all; otherwise the coordinators of the case's country and
    the casefile holders of the active groups working on it now, nobody else, even in those
    groups. The one rule every page and download asks, in bulk: one query however many cases, so
    a page of cards asks once, not once per card (`may_read_confidential` asks it for one)."""
    cases = list(cases)
    ids = {case.pk for case in cases}
    if is_staff(user):
        return ids
    if not _signed_in(user) or not ids:
        return set()
    # The case model is reached through the objects given, as everywhere in this module.
    manager = type(cases[0])._default_manager
    readable = (
        manager.filter(pk__in=ids)
        .filter(
            Q(country__coordinators__user=user)
            | Q(
                allocations__status__in=OPEN,
                allocations__holder=user,
                allocations__group__is_active=True,
            )
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    return set(readable)


def may_read_confidential(user: AnyUser | None, case: Any) -> bool:
    """Whether `user` may read a confidential case's narrative, people and casefile (see
    `confidential_readable_ids`, the rule)."""
    if is_staff(user):
        return True
    return case.pk in confidential_readable_ids(user, [case])


def may_read_case(user: AnyUser | None, case: Any) -> bool:
    """Whether `user`, who sees the case, may read its narrative, people, updates and casefile:
    everyone who sees it, except on a confidential case (see `may_read_confidential`)."""
    return case.sensitivity != CONFIDENTIAL or may_read_confidential(user, case)


# Groups


def is_member(user: AnyUser | None, group: Any) -> bool:
    """A member of the group while it is active: deactivating a group ends its members' access.
    `group` is a group or its id."""
    if not _signed_in(user):
        return False
    group_id = getattr(group, "pk", group)
    return bool(user.memberships.filter(group_id=group_id, group__is_active=True).exists())


def is_group_admin(user: AnyUser | None, group: Any) -> bool:
    """A group administrator of an active group: they answer offers, name the casefile holder
    and manage the group's members and settings."""
    if not _signed_in(user):
        return False
    return bool(
        group.memberships.filter(user=user, role=ADMIN_ROLE, group__is_active=True).exists()
    )


# Allocations and holders


def may_answer_offer(user: AnyUser | None, allocation: Any) -> bool:
    """Accepting an offer names the casefile holder, who may read a confidential case: only the
    group's administrators (and IAR staff) answer for the group."""
    return is_staff(user) or is_group_admin(user, allocation.group)


def may_change_holder(user: AnyUser | None, allocation: Any) -> bool:
    """The group's administrators, the current casefile holder (handing over) and IAR staff. A
    plain member may not, or anyone could name themselves and read a confidential case."""
    if is_staff(user):
        return True
    if not _signed_in(user):
        return False
    if allocation.holder_id is not None and allocation.holder_id == user.pk:
        return bool(allocation.group.memberships.filter(user=user, group__is_active=True).exists())
    return is_group_admin(user, allocation.group)


def may_approve_holder_change(user: AnyUser | None, case: Any) -> bool:
    """Who decides whether a holder change on a confidential case stands: the coordinators of the
    case's country and IAR staff, the people who may read it already."""
    return is_staff(user) or coordinates(user, case)


# View decorators


def staff_required(view: View) -> View:
    """A page for IAR staff only: forbidden (403) to every other signed-in user."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def coordinator_required(view: View) -> View:
    """A page of the coordinator's workspace: for coordinators and IAR staff, forbidden (403) to
    everyone else. Which cases it shows is still scoped by `Case.objects.managed_by(user)`."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (is_staff(request.user) or is_coordinator(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
