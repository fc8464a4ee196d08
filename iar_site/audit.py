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

# Reading a confidential case, not changing it: the view log. Staff list these per case, and the
# retention task deletes them after `VIEW_LOG_RETENTION_DAYS` while the change history stays.
VIEW_ACTIONS = frozenset(
    {
        "case.viewed_confidential",
        "case_update.viewed_confidential",
        "case.casefile_downloaded",
        "case.attachment_downloaded",
        "case.letter_downloaded",
        "case.labels_downloaded",
    }
)


def record(
    action: str,
    obj: models.Model,
    *,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> AuditEntry:
    # Only ids and short labels go in: an audit log must not become a copy of case narratives,
    # nor name the person of a confidential case (whose title is often their name).
    object_repr = str(obj)
    changes = changes or {}
    owning_case = _case_of(obj)
    case = owning_case if owning_case is not None and owning_case.private_names() else None
    if case is not None:
        names = _names_of(case)
        if obj._meta.label_lower in _FREE_TEXT_LABELS or _mentions(object_repr, names):
            object_repr = f"{obj._meta.verbose_name} on {case.reference}"
        changes = {key: _without_names(value, names) for key, value in changes.items()}
        before = {key: _without_names(value, names) for key, value in (before or {}).items()}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=object_repr[:200],
        changes=changes,
        before=before or {},
        case_id=owning_case.pk if owning_case is not None else None,
    )


def record_view(action: str, case: Any, *, actor: Any, obj: models.Model | None = None) -> None:
    """Log that `actor` read or downloaded something of a confidential case (`obj`, or the case
    itself); reading any other case is not logged. `action` is one of VIEW_ACTIONS."""
    if action not in VIEW_ACTIONS:
        raise ValueError(f"not a view action: {action}")
    if case.private_names():
        record(action, obj if obj is not None else case, actor=actor)


def _case_of(obj: models.Model, depth: int = 0) -> Any:
    """The case `obj` is or belongs to (a case answers `private_names()`: its title and people
    when it is confidential), or None. The audit sits below every domain app, so it asks the
    object rather than importing the case model."""
    if hasattr(obj, "private_names"):
        return obj
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
            return _case_of(related, depth + 1)
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
