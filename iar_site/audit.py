"""Explicit audit rows, written by services inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def record(
    action: str, obj: models.Model, *, actor: Any = None, changes: dict[str, Any] | None = None
) -> AuditEntry:
    # Only ids and short labels go in: an audit log must not become a copy of case narratives.
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )
