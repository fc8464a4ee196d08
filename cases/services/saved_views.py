"""Staff members' saved, filtered lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from iar_site import audit

from ..models import SavedView
from .common import CaseError

if TYPE_CHECKING:
    from accounts.models import User


def save_view(*, list_name: str, name: str, query: str, actor: User) -> SavedView:
    """Keep a staff member's filtered list under a name; saving the same name again replaces it."""
    name = name.strip()
    if not name:
        raise CaseError("Give the view a name.")
    if len(name) > 80:
        raise CaseError("Keep the name to 80 characters or fewer.")
    if len(query) > 1000:
        raise CaseError("This filter is too long to save; remove some choices.")
    with transaction.atomic():
        view, _ = SavedView.objects.update_or_create(
            user=actor, list_name=list_name, name=name, defaults={"query": query}
        )
        audit.record("saved_view.saved", view, actor=actor, changes={"list": list_name})
    return view


def delete_view(view: SavedView, *, actor: User) -> None:
    with transaction.atomic():
        if view.user_id != actor.pk:
            raise CaseError("You can only delete your own saved views.")
        audit.record("saved_view.deleted", view, actor=actor, changes={"list": view.list_name})
        view.delete()
