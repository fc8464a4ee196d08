from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import Case


class CountryCoordinator(models.Model):
    """A volunteer country coordinator: the groups' first point of contact on a case."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_profile"
    )
    countries = models.ManyToManyField("cases.Country", related_name="coordinators", blank=True)
    public_email = models.EmailField(
        blank=True, help_text="Address groups write to; defaults to the login email"
    )
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def contact_email(self) -> str:
        return self.public_email or self.user.email


class CaseUpdate(models.Model):
    """A coordinator's news on a case; publishing it gives every group on the case a notice."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", "Development"
        TARGETS_CHANGED = "targets_changed", "Targets changed"
        ACTION_NEEDED = "action_needed", "Action needed"
        # Kept for updates posted before stop requests: news never closes a case. To close one
        # the coordinator asks IAR to stop it (StopRequest), so everything stops together.
        CASE_CLOSED = "case_closed", "Case closed"

        @classmethod
        def offered_choices(cls) -> list[tuple[str, str]]:
            return [(value, label) for value, label in cls.choices if value != cls.CASE_CLOSED]

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DEVELOPMENT)
    title = models.CharField(max_length=200)
    body = models.TextField(
        help_text="A small Markdown subset: paragraphs, bold, italics, lists, links"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The three update tables keep the names they had when the models lived in cases: the
        # move changed no table and copied no row.
        db_table = "cases_caseupdate"
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["case", "status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="case_update_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.title}"


def update_attachment_upload_to(instance: CaseUpdateAttachment, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"updates/{instance.update.case_id}/{timezone.now():%Y%m%d%H%M%S%f}.{suffix}"


class CaseUpdateAttachment(models.Model):
    update = models.ForeignKey(CaseUpdate, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=update_attachment_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cases_caseupdateattachment"
        ordering = ["update", "id"]

    def __str__(self) -> str:
        return self.original_name


class CaseUpdateNotice(models.Model):
    """One group's copy of a published update, and whether the group has read and acknowledged it."""

    update = models.ForeignKey(CaseUpdate, on_delete=models.CASCADE, related_name="notices")
    allocation = models.ForeignKey(
        "cases.Allocation", on_delete=models.CASCADE, related_name="update_notices"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "cases_caseupdatenotice"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["update", "allocation"], name="notice_one_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.update} → {self.allocation.group}"


class StopRequest(models.Model):
    """A coordinator asks IAR to stop work on a case. IAR staff confirm it (the one stop flow,
    which ends every allocation, reminder and message together) or refuse it with a reason."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for IAR"
        CONFIRMED = "confirmed", "Confirmed: the case is stopped"
        REFUSED = "refused", "Refused"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="stop_requests")
    reason = models.CharField(max_length=30, choices=Case.ClosingReason.choices)
    explanation = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="waiting"), name="stop_request_one_waiting"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(decided_at__isnull=False),
                name="stop_request_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Stop request {self.pk} on {self.case.reference}"
