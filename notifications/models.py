"""The outbox's rows and the print batches postal items go out in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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
        "notifications.PrintBatch",
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
        # The table keeps the name it was created with, so moving the model moved no rows.
        db_table = "iar_site_outboundmessage"
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
        db_table = "iar_site_printbatch"
        ordering = ["-created_at"]
        verbose_name_plural = "print batches"

    def __str__(self) -> str:
        return f"Print batch {self.pk} of {self.created_at:%d %b %Y}"
