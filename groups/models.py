from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cases.models import Case, Gender

from .querysets import ActivityQuerySet, AnnualReportQuerySet, LocalGroupQuerySet

# LocalGroup's columns written by cases.counts alone, never by an ordinary save.
COUNTERS = ("open_cases", "last_new_case_at")


class LocalGroup(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"

    name = models.CharField(max_length=150, unique=True)
    town = models.CharField(max_length=100)
    postal_address = models.TextField()
    contact_email = models.EmailField(blank=True)
    channel = models.CharField(
        "how the group wants to hear from us",
        max_length=10,
        choices=Channel.choices,
        default=Channel.EMAIL,
    )
    preferred_regions = models.ManyToManyField("cases.Region", blank=True, related_name="+")
    preferred_themes = models.ManyToManyField("cases.Theme", blank=True, related_name="+")
    preferred_gender = models.CharField(
        "preferred gender of the person",
        max_length=20,
        choices=Gender.choices,
        blank=True,
        help_text="Blank: no preference",
    )
    preferred_kind = models.CharField(
        "preferred kind of case",
        max_length=20,
        choices=Case.Kind.choices,
        blank=True,
        help_text="Blank: no preference",
    )
    capacity = models.PositiveSmallIntegerField("long-term cases the group can take", default=1)
    next_meeting = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Counters kept by the services (cases.counts.refresh_case_counters recounts the groups on
    # the cases it recounts, in the transaction of each change), so the staff home, the lists
    # and matching read a column instead of reading every group's allocations;
    # `check_case_counters` recounts them from the rows.
    open_cases = models.PositiveIntegerField(
        default=0, editable=False, help_text="Allocations offered or active now"
    )
    last_new_case_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="When the group was last offered a case it did not decline; empty: never",
    )

    objects = LocalGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The staff home's groups waiting for cases, active with a place free, fewest cases
            # first: read in order from this index of those groups alone, and counted from it
            # without reading the group rows, however many groups are full or closed.
            models.Index(
                fields=["open_cases", "name"],
                condition=Q(is_active=True, open_cases__lt=F("capacity")),
                name="group_waiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__lte=20), name="group_capacity_at_most_20"),
            # A group that wants email needs an address to send it to.
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(contact_email=""),
                name="group_email_channel_has_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The counters are written by their recount alone: a form or an import saves a row it
        # read a moment before, and writing every column would put back the values it read then.
        if (
            not self._state.adding
            and not kwargs.get("force_insert")
            and kwargs.get("update_fields") is None
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in COUNTERS
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        ADMIN = "admin", "Group administrator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(LocalGroup, on_delete=models.CASCADE, related_name="memberships")

    class Notices(models.TextChoices):
        IMMEDIATE = "immediate", "As they happen"
        WEEKLY = "weekly", "A weekly digest"

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(default=timezone.localdate)
    notices = models.CharField(
        "routine notices by email",
        max_length=10,
        choices=Notices.choices,
        default=Notices.IMMEDIATE,
        help_text="Reminders and stop notices always come at once",
    )

    class Meta:
        ordering = ["group", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"


class Activity(models.Model):
    """What a group did on a case, with the outcome if there was one."""

    class Kind(models.TextChoices):
        APPEAL_LETTER = "appeal_letter", "Letter to the authorities"
        SOLIDARITY = "solidarity", "Solidarity message"
        PETITION = "petition", "Petition"
        STALL = "stall", "Stall"
        LOCAL_MEDIA = "local_media", "Local media"
        DEMONSTRATION = "demonstration", "Demonstration or vigil"
        OFFICIAL_MEETING = "official_meeting", "Meeting with an MP or official"
        SOCIAL_MEDIA = "social_media", "Social media"
        EVENT = "event", "Event"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        NONE = "", "No outcome yet"
        REPLY = "reply", "Reply received"
        RELEASE = "release", "Release"
        IMPROVEMENT = "improvement", "Improvement for the person"
        OTHER = "other", "Another development"

    MAX_COUNT = 100_000
    # What a group may do on a case IAR keeps out of the public eye (Case.public_action_allowed):
    # letters, solidarity and a private appeal to an MP or official draw no attention to it.
    PRIVATE_KINDS = frozenset({Kind.APPEAL_LETTER, Kind.SOLIDARITY, Kind.OFFICIAL_MEETING})

    allocation = models.ForeignKey(
        "cases.Allocation", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(default=1, help_text="Letters sent or signatures gathered")
    notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["allocation", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=100_000),
                name="activity_count_between_1_and_100000",
            ),
            models.CheckConstraint(
                condition=Q(date__gte=date(1961, 5, 28)), name="activity_date_not_before_amnesty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"

    @classmethod
    def kinds_for(cls, case: Case) -> list[tuple[str, str]]:
        """The kinds a group may record on `case`, as (value, label) choices."""
        if case.public_action_allowed:
            return list(cls.Kind.choices)
        return [(value, label) for value, label in cls.Kind.choices if value in cls.PRIVATE_KINDS]


class AnnualReport(models.Model):
    """A group's yearly report on one allocation, to the case's country coordinator."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    allocation = models.ForeignKey(
        "cases.Allocation", on_delete=models.PROTECT, related_name="annual_reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    what_worked = models.TextField(blank=True)
    media_coverage = models.TextField(blank=True)
    plans = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledgement = models.TextField(blank=True)
    received_by_post = models.BooleanField(
        default=False,
        help_text="Sent on paper by a post group and typed in by IAR staff",
    )

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end"]
        indexes = [
            # The inbox's "recently acknowledged": the newest few, read from the end of this
            # index until the coordinator's are found, not sorted out of every report.
            models.Index(
                fields=["-acknowledged_at"],
                condition=Q(status="acknowledged"),
                name="report_acknowledged_newest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "period_start"], name="report_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="report_period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | Q(acknowledged_at__isnull=False),
                name="report_acknowledged_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.period_start:%Y}–{self.period_end:%Y} on {self.allocation}"


class CaseRequest(models.Model):
    """A group asks IAR for cases ahead of a meeting, as the guide invites them to."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FULFILLED = "fulfilled", "Fulfilled"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(LocalGroup, on_delete=models.CASCADE, related_name="case_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.PositiveSmallIntegerField("how many cases", default=1)
    meeting_date = models.DateField()
    preferred_regions = models.ManyToManyField("cases.Region", blank=True, related_name="+")
    preferred_themes = models.ManyToManyField("cases.Theme", blank=True, related_name="+")
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.TextField(blank=True, help_text="What IAR sent or allocated")

    class Meta:
        ordering = ["meeting_date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=10), name="case_request_1_to_10"
            ),
            models.CheckConstraint(
                condition=~Q(status="fulfilled") | Q(fulfilled_at__isnull=False),
                name="case_request_fulfilled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.number} case(s) for {self.meeting_date:%d %b %Y}"


class InterimReport(models.Model):
    """A report between yearly ones, sent whenever the group has news: the guide asks groups to
    report "on a regular basis, or at least once a year". It counts as the group being in touch
    (its coordinator's pages do not mark the group quiet) but never stands in for the yearly
    report, which stays due on its date."""

    allocation = models.ForeignKey(
        "cases.Allocation", on_delete=models.PROTECT, related_name="interim_reports"
    )
    news = models.TextField()
    plans = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["allocation", "-submitted_at"])]

    def __str__(self) -> str:
        # Never the text: str() feeds the admin and the audit log.
        return f"Interim report {self.pk} on allocation {self.allocation_id}"
