"""Explicit audit rows, written by services inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models

from .models import AuditEntry

# The relations followed to find the case an object belongs to (an allocation's case, an
# update's case, a holder change's allocation's case, ...).
_CASE_PATHS = ("case", "allocation", "update")

# Models whose str() is text someone typed about the person (a name, an uploaded file's name):
# on a confidential case the audit names them by kind and case only.
_FREE_TEXT_LABELS = frozenset({"cases.caseperson", "coordinators.caseupdateattachment"})


def record(
    action: str, obj: models.Model, *, actor: Any = None, changes: dict[str, Any] | None = None
) -> AuditEntry:
    # Only ids and short labels go in: an audit log must not become a copy of case narratives,
    # nor name the person of a confidential case (whose title is often their name).
    object_repr = str(obj)
    changes = changes or {}
    case = _confidential_case(obj)
    if case is not None:
        names = _names_of(case)
        if obj._meta.label_lower in _FREE_TEXT_LABELS or _mentions(object_repr, names):
            object_repr = f"{obj._meta.verbose_name} on {case.reference}"
        changes = {key: _without_names(value, names) for key, value in changes.items()}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=object_repr[:200],
        changes=changes,
    )


def _confidential_case(obj: models.Model, depth: int = 0) -> Any:
    """The case `obj` is or belongs to when that case has names to keep private (a confidential
    case answers `private_names()` with its title and people); None for anything else. The audit
    sits below every domain app, so it asks the object rather than importing the case model."""
    if hasattr(obj, "private_names"):
        return obj if obj.private_names() else None
    if depth > 2:
        return None
    for name in _CASE_PATHS:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.many_to_one:
            continue
        try:
            related = getattr(obj, name)
        except ObjectDoesNotExist:
            continue
        if related is not None:
            return _confidential_case(related, depth + 1)
    return None


def _names_of(case: Any) -> list[str]:
    """What would name the person: the case's title and the names of the people concerned."""
    return [name.strip().casefold() for name in case.private_names() if name and name.strip()]


def _mentions(text: str, names: list[str]) -> bool:
    folded = text.casefold()
    return any(name in folded for name in names)


def _without_names(value: Any, names: list[str]) -> Any:
    """A change's value, or None (the field's name kept, its value not) where it names the person."""
    if isinstance(value, str):
        return None if _mentions(value, names) else value
    if isinstance(value, list | tuple):
        return [_without_names(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _without_names(item, names) for key, item in value.items()}
    return value
