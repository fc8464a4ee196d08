"""Who someone is in the programme. One place, so the navigation, home pages and rules agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User

STAFF = "staff"
COORDINATOR = "coordinator"
MEMBER = "member"


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_iar_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    if user.is_staff:
        roles.add(STAFF)
    from coordinators.models import CountryCoordinator
    from groups.models import Membership

    if CountryCoordinator.objects.filter(user=user).exists():
        roles.add(COORDINATOR)
    if Membership.objects.filter(user=user, group__is_active=True).exists():
        roles.add(MEMBER)
    user._iar_roles = roles
    return roles


def is_member_of(user: User | None, group_id: int) -> bool:
    """A member of the group while it is active: deactivating a group ends its members' access."""
    from groups.models import Membership

    return bool(
        user
        and user.is_authenticated
        and Membership.objects.filter(user=user, group_id=group_id, group__is_active=True).exists()
    )


def primary_role(user: User) -> str | None:
    roles = roles_of(user)
    for role in (STAFF, COORDINATOR, MEMBER):
        if role in roles:
            return role
    return None


def needs_mfa(user: User) -> bool:
    """Staff and coordinators see many cases, some of people in danger: they must use MFA."""
    return bool({STAFF, COORDINATOR} & roles_of(user))
