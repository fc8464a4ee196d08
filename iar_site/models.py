from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who changed what, and when. Written explicitly by services (not by request signals), so
    changes made by tasks and commands are recorded too. Holds no narrative of a case."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # The values the changed fields had before, where `changes` holds only the new ones (the
    # admin's edits); services record `[before, after]` in `changes` itself.
    before = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The case the object belongs to (a case, its allocation, target, casefile, update...), so a
    # case's history and its view log are one indexed read. An id, not a foreign key: the audit
    # sits below the cases app and outlives what it describes.
    case_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["case_id", "at"], name="audit_case_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'system'} {self.action} {self.object_repr}"


class Heartbeat(models.Model):
    """Last sign of life of the worker and the scheduler, shown by /healthz."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%H:%M:%S}"
