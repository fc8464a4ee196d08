"""Messages both ways: one conversation per allocation, between the group working on a case (its
casefile holder and members) and the case's country coordinator, which IAR staff read and join.

The conversation is the allocation itself: a message points at it, so a conversation starts with
its first message and ends, like everything else about the case, when the allocation does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .querysets import MessageQuerySet


class Message(models.Model):
    class Side(models.TextChoices):
        # Which side of the conversation wrote it: who is told about it depends on this.
        GROUP = "group", "Group"
        COORDINATOR = "coordinator", "Country coordinator"
        STAFF = "staff", "IAR staff"

    allocation = models.ForeignKey(
        "cases.Allocation", on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=12, choices=Side.choices)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["allocation", "created_at"])]

    def __str__(self) -> str:
        # Never the body: str() feeds the admin and the audit log.
        return f"Message {self.pk} on allocation {self.allocation_id}"


def attachment_upload_to(instance: MessageAttachment, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"messages/{instance.message.allocation_id}/{timezone.now():%Y%m%d%H%M%S%f}.{suffix}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReadMarker(models.Model):
    """How far one person has read one conversation: everything after `read_at` is new to them."""

    allocation = models.ForeignKey(
        "cases.Allocation", on_delete=models.CASCADE, related_name="message_read_markers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["allocation", "user"], name="read_marker_one_per_user")
        ]

    def __str__(self) -> str:
        return (
            f"{self.user_id} read allocation {self.allocation_id} at {self.read_at:%Y-%m-%d %H:%M}"
        )
