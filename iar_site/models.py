from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'system'} {self.action} {self.object_repr}"


class OutboundMessage(models.Model):
    """Every email or postal item the system sends, written in the same transaction as the change
    that causes it. The idempotency key makes a repeated cause a no-op, and the status row is
    what senders claim, so nothing is sent twice and nothing is lost."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    idempotency_key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    template = models.CharField(max_length=100, help_text="templates/emails/<name>-*.txt|html")
    context = models.JSONField(default=dict, blank=True)
    to_email = models.EmailField(blank=True)
    to_name = models.CharField(max_length=150, blank=True)
    postal_address = models.TextField(blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_group = models.ForeignKey(
        "groups.LocalGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        help_text="The case the message is about; a stopped case cancels what is still queued",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    print_batch = models.ForeignKey(
        "iar_site.PrintBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    routine = models.BooleanField(
        default=False, help_text="Routine notices may wait for a member's weekly digest"
    )
    held_for_digest = models.BooleanField(
        default=False,
        help_text="Waiting for the recipient's weekly digest instead of going out on its own",
    )
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digested",
        help_text="The weekly digest email this notice went out in",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["not_before"], condition=Q(status="queued"), name="outbox_queued_due"
            ),
            models.Index(fields=["case", "status"]),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="outbox_sending_claimed"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(to_email=""), name="outbox_email_has_address"
            ),
            models.CheckConstraint(
                condition=~Q(channel="post") | ~Q(postal_address=""),
                name="outbox_post_has_address",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} to {self.to_email or self.to_name} ({self.status})"


class Heartbeat(models.Model):
    """Last sign of life of the worker and the scheduler, shown by /healthz."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%H:%M:%S}"


class PrintBatch(models.Model):
    """Postal items printed together: staff download the batch PDF, then mark it posted."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "print batches"

    def __str__(self) -> str:
        return f"Print batch {self.pk} of {self.created_at:%d %b %Y}"


class SavedView(models.Model):
    """A staff member's named, filtered list (its query string), to come back to in one click."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    list_name = models.CharField(max_length=40, help_text="Which list, e.g. cases or groups")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["list_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name", "name"], name="saved_view_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
