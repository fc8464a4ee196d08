"""Work a group does besides its long-term cases: Urgent Actions, region work, the magazine and
the monthly mailing, one-off actions, and what the group records it did on them."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .querysets import OneOffActionQuerySet, UrgentActionQuerySet

# "UA 123/26": the number Amnesty gives an Urgent Action and the year it was issued in.
UA_REFERENCE = re.compile(r"^UA \d{1,4}/\d{2}$")


def validate_ua_reference(value: str) -> None:
    if not UA_REFERENCE.match(value):
        raise ValidationError(
            "Write the reference as UA, a space, the number, / and the year, for example UA 123/26."
        )


class UrgentAction(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    class FollowUpKind(models.TextChoices):
        NONE = "", "Not a follow-up"
        FURTHER_INFORMATION = "further_information", "Further information"
        STOP_ACTION = "stop_action", "Stop action"

    reference = models.CharField(
        max_length=12, validators=[validate_ua_reference], help_text="For example UA 123/26"
    )
    title = models.CharField(max_length=200)
    country = models.ForeignKey("cases.Country", on_delete=models.PROTECT, related_name="+")
    themes = models.ManyToManyField("cases.Theme", blank=True, related_name="+")
    issued_on = models.DateField("issue date", default=timezone.localdate)
    deadline = models.DateField("act before")
    summary = models.TextField("what has happened", blank=True)
    suggested_letter = models.TextField("suggested letter text", blank=True)
    language_notes = models.TextField(
        "language notes", blank=True, help_text="For example: write in Spanish or English"
    )
    document = models.FileField(upload_to="urgent-actions/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    follow_up_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    follow_up_kind = models.CharField(
        max_length=30, choices=FollowUpKind.choices, blank=True, default=FollowUpKind.NONE
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = UrgentActionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "deadline", "-pk"]
        constraints = [
            # A follow-up keeps the original's reference, so only the originals are unique.
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(follow_up_of__isnull=True),
                name="ua_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_of__isnull=True, follow_up_kind="")
                | (Q(follow_up_of__isnull=False) & ~Q(follow_up_kind="")),
                name="ua_follow_up_has_kind",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("issued_on")), name="ua_deadline_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="ua_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        if self.follow_up_kind:
            return f"{self.reference} ({self.get_follow_up_kind_display().lower()}): {self.title}"
        return f"{self.reference}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deadline >= timezone.localdate()


class OneOffAction(models.Model):
    """An action that is not a long-term allocation: no yearly report is owed on it."""

    class Kind(models.TextChoices):
        LETTER = "letter", "Letter-writing action"
        EMAIL = "email", "Email action"
        CARD = "card", "Seasonal card"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LETTER)
    title = models.CharField(max_length=200)
    country = models.ForeignKey(
        "cases.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a card to the person of a case, the case",
    )
    deadline = models.DateField("act before")
    text = models.TextField("what to do and suggested text")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OneOffActionQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class ActionTarget(models.Model):
    """Who a letter goes to, with the address lines kept apart for window envelopes and labels."""

    urgent_action = models.ForeignKey(
        UrgentAction, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    one_off = models.ForeignKey(
        OneOffAction, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True)
    address_line_1 = models.CharField(max_length=150)
    address_line_2 = models.CharField(max_length=150, blank=True)
    address_line_3 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=30, blank=True)
    country_name = models.CharField("country", max_length=100, blank=True)
    email = models.EmailField(blank=True)
    salutation = models.CharField(max_length=100, blank=True, default="Dear Sir or Madam")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgent_action__isnull=False, one_off__isnull=True)
                | Q(urgent_action__isnull=True, one_off__isnull=False),
                name="action_target_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def address_lines(self) -> list[str]:
        lines = [
            self.name,
            self.title,
            self.address_line_1,
            self.address_line_2,
            self.address_line_3,
            self.town,
            self.postcode,
            self.country_name,
        ]
        return [line.strip() for line in lines if line and line.strip()]


class UASubscription(models.Model):
    """A group's sign-up to Urgent Actions: all of them, or those of some regions or themes."""

    group = models.OneToOneField(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="ua_subscription"
    )
    all_actions = models.BooleanField("every Urgent Action", default=True)
    regions = models.ManyToManyField("cases.Region", blank=True, related_name="+")
    themes = models.ManyToManyField("cases.Theme", blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Urgent Actions for {self.group}"


class UADelivery(models.Model):
    """A group an Urgent Action was sent to: its follow-ups go to exactly these groups."""

    urgent_action = models.ForeignKey(
        UrgentAction, on_delete=models.CASCADE, related_name="deliveries"
    )
    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="ua_deliveries"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["urgent_action", "group"], name="ua_delivery_once")
        ]

    def __str__(self) -> str:
        return f"Urgent Action {self.urgent_action_id} to group {self.group_id}"


class RegionSubscription(models.Model):
    """A group signed up to a world region's work: its bulletins reach the group."""

    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="region_subscriptions"
    )
    region = models.ForeignKey("cases.Region", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "region"], name="region_subscription_once")
        ]

    def __str__(self) -> str:
        return f"Group {self.group_id} signed up to region {self.region_id}"


class RegionBulletin(models.Model):
    region = models.ForeignKey("cases.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-posted_at"]

    def __str__(self) -> str:
        return self.title


class ActionBundle(models.Model):
    """The quarterly magazine or the monthly mailing, sent to every group."""

    class Kind(models.TextChoices):
        MAGAZINE = "magazine", "Quarterly magazine"
        MAILING = "mailing", "Monthly mailing"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    # From the guide: the magazine carries at least 9 cases; the mailing always a letter action.
    MAGAZINE_MINIMUM = 9

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200, help_text="For example: December 2026 mailing")
    introduction = models.TextField(blank=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+")
    urgent_actions = models.ManyToManyField(UrgentAction, blank=True, related_name="bundles")
    one_offs = models.ManyToManyField(OneOffAction, blank=True, related_name="bundles")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


class OneOffAttachment(models.Model):
    """A one-off action IAR gave a group, e.g. in answer to its request for cases."""

    one_off = models.ForeignKey(OneOffAction, on_delete=models.CASCADE, related_name="attachments")
    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="one_off_attachments"
    )
    case_request = models.ForeignKey(
        "groups.CaseRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["one_off", "group"], name="one_off_attached_once")
        ]

    def __str__(self) -> str:
        return f"One-off action {self.one_off_id} for group {self.group_id}"


class ActionRecord(models.Model):
    """What a group did on an Urgent Action, a bundle or a one-off action."""

    class Kind(models.TextChoices):
        LETTERS = "letters", "Letters sent"
        CARDS = "cards", "Cards sent"
        EMAILS = "emails", "Emails sent"

    MAX_COUNT = 100_000

    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="action_records"
    )
    urgent_action = models.ForeignKey(
        UrgentAction, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    bundle = models.ForeignKey(
        ActionBundle, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    one_off = models.ForeignKey(
        OneOffAction, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LETTERS)
    count = models.PositiveIntegerField(default=1)
    date = models.DateField(default=timezone.localdate)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=100_000),
                name="action_record_count_1_to_100000",
            ),
            models.CheckConstraint(
                condition=Q(urgent_action__isnull=False, bundle__isnull=True, one_off__isnull=True)
                | Q(urgent_action__isnull=True, bundle__isnull=False, one_off__isnull=True)
                | Q(urgent_action__isnull=True, bundle__isnull=True, one_off__isnull=False),
                name="action_record_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.get_kind_display().lower()} on {self.date:%d %b %Y}"

    @property
    def subject(self) -> UrgentAction | ActionBundle | OneOffAction:
        return self.urgent_action or self.bundle or self.one_off  # type: ignore[return-value]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar address; a new token revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
