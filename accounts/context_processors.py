from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .access import primary_role, roles_of


def roles_context(request: HttpRequest) -> dict[str, Any]:
    """The user's programme roles, for the navigation every page shows."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "primary_role": None}
    return {"user_roles": roles_of(user), "primary_role": primary_role(user)}
