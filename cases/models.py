from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.access import confidential_readable_ids, may_read_confidential
from iar_site.fields import SealedCharField, SealedTextField

from .querysets import AllocationQuerySet, CaseQuerySet

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User


class Region(models.Model):
    """One of Amnesty's world regions."""

    name = models.CharField(max_length=80, unique=True)
    code = models.SlugField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    name = models.CharField(max_length=100, unique=True)
    iso_code = models.CharField("ISO code", max_length=2, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """An issue a case concerns (prisoner of conscience, forced eviction, ...)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    FEMALE = "female", "Woman"
    MALE = "male", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    UNSTATED = "unstated", "Not stated"


class Case(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group of people"
        COMMUNITY = "community", "Community"

    class Sensitivity(models.TextChoices):
        PUBLIC = "public", "Public"
        RESTRICTED = "restricted", "Restricted"
        CONFIDENTIAL = "confidential", "Confidential"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    class ClosingReason(models.TextChoices):
        RESOLVED = "resolved", "Resolved"
        ETHICAL_CONCERN = "ethical_concern", "Ethical concern"
        PERSON_REQUEST = "person_request", "At the person's request"
        IS_DECISION = "is_decision", "International Secretariat decision"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=20, unique=True, help_text="For example IAR-2026-014")
    # Title, summary, suggested letter, solidarity address and the people's names are sealed at
    # rest while the case is confidential (iar_site.fields): a database dump alone does not name the person.
    title = SealedCharField(
        max_length=200, help_text="How the case is known, e.g. the person's or community's name"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cases")
    themes = models.ManyToManyField(Theme, related_name="cases", blank=True)
    summary = SealedTextField(blank=True)
    suggested_letter = SealedTextField(
        blank=True,
        help_text="Suggested text for appeal letters, body only: the letter adds the salutation "
        "and the sign-off. Groups may edit it",
    )
    sensitivity = models.CharField(
        max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC
    )
    # IAR decides "which actions (public or non-public)" suit a case: where publicity could put
    # the person at risk, groups write letters and send solidarity but hold no stall or vigil.
    public_action_allowed = models.BooleanField(
        default=True,
        help_text="Whether groups may campaign in public (stalls, media, vigils) on this case",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    closing_reason = models.CharField(max_length=30, choices=ClosingReason.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    coordinator = models.ForeignKey(
        "coordinators.CountryCoordinator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    solidarity_address = SealedTextField(
        blank=True, help_text="Where solidarity messages go, if the person may receive them"
    )
    max_groups = models.PositiveSmallIntegerField(
        default=2, help_text="How many groups may work on the case at once"
    )
    opened_on = models.DateField(default=timezone.localdate)
    # Counters kept by the services (cases.counts.refresh_case_counters, in the transaction of
    # each change), so the home pages and lists read a column instead of aggregating every open
    # case's allocations and updates; `check_case_counters` recounts them from the rows.
    open_allocations = models.PositiveIntegerField(
        default=0, editable=False, help_text="Allocations offered or active now"
    )
    latest_update_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the latest update was published"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["status", "country"]),
            # Silent cases: open cases by their latest update, oldest first.
            # With opened_on, which a case with no update counts from: counted from the index.
            models.Index(
                fields=["status", "latest_update_at", "opened_on"], name="case_status_silence"
            ),
            # The staff case list, newest first: read backwards until a page is found, instead
            # of sorting every open case (EXPLAIN in docs/benchmarks.md).
            models.Index(fields=["status", "-opened_on"], name="case_status_newest"),
            # Open cases with a place free (staff home, case list): counted from this small
            # index alone, without reading the case rows and their long texts.
            models.Index(
                fields=["open_allocations", "max_groups"],
                condition=Q(status="open"),
                name="case_open_places",
            ),
            # The staff home's cases needing groups, fewest groups then oldest first: the page is
            # read from the front of this index of those cases alone (0.1 ms at 10x data), where
            # the index above gave every such case to a sort (25 ms for 60,000 cases).
            models.Index(
                fields=["open_allocations", "opened_on"],
                condition=Q(status="open", open_allocations__lt=F("max_groups")),
                name="case_needing_groups",
            ),
            # A coordinator's figures (coordinators.workload): their open cases counted, and the
            # cases their groups, reports and updates are counted from, read from this index
            # alone (the case rows, with their long texts, are not read).
            models.Index(
                fields=["coordinator", "status"],
                include=["id", "open_allocations", "latest_update_at"],
                name="case_coordinator_status",
            ),
            # A country's cases in the order the coordinator's home lists them: a page is read
            # from the front of this index, instead of sorting every case of the country; and,
            # with the id, the cases of a coordinator's countries that their reports and
            # allocations are joined from, without reading the case rows.
            models.Index(
                fields=["country", "status", "reference"],
                include=["id"],
                name="case_country_listing",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_groups__gte=1) & Q(max_groups__lte=50),
                name="case_max_groups_between_1_and_50",
            ),
            # A closed case always says why and when; any other case says neither.
            models.CheckConstraint(
                condition=(Q(status="closed", closed_at__isnull=False) & ~Q(closing_reason=""))
                | (~Q(status="closed") & Q(closed_at__isnull=True, closing_reason="")),
                name="case_closed_has_reason_and_date",
            ),
        ]

    def __str__(self) -> str:
        # str() feeds audit text, the admin, form choices and logs: a confidential case's title
        # (often the person's name) never goes there. Pages that may show it ask display_name_for.
        if self.sensitivity == self.Sensitivity.CONFIDENTIAL:
            return self.reference
        return f"{self.reference} {self.title}"

    def seals_private_fields(self) -> bool:
        """Whether the title, summary, suggested letter, solidarity address and the people's names
        are stored sealed."""
        return self.sensitivity == self.Sensitivity.CONFIDENTIAL

    def may_be_named_to(self, user: User | None) -> bool:
        """Whether `user` may see the case's title: anyone who sees the case, except on a
        confidential case, where only those `may_read_confidential` allows (holder, coordinator,
        IAR staff). `None` stands for nobody in particular (a printout, an email)."""
        if self.sensitivity != self.Sensitivity.CONFIDENTIAL:
            return True
        if user is None:
            return False
        # Asked once per page and person, however often the page names the case.
        answers = self.__dict__.setdefault("_named_to", {})
        key = getattr(user, "pk", None)
        if key not in answers:
            answers[key] = may_read_confidential(user, self)
        return answers[key]

    @staticmethod
    def ask_names_for(cases: Iterable[Case], user: User | None) -> None:
        """Answer `may_be_named_to(user)` for every confidential case of a page in one query
        (`confidential_readable_ids`), so naming its cards costs nothing more however many
        there are. Only the given instances remember the answer: they live for one request."""
        confidential = [c for c in cases if c.sensitivity == Case.Sensitivity.CONFIDENTIAL]
        if user is None or not confidential:
            return
        readable = confidential_readable_ids(user, confidential)
        key = getattr(user, "pk", None)
        for case in confidential:
            case.__dict__.setdefault("_named_to", {})[key] = case.pk in readable

    def label_without_name(self) -> str:
        """How the case is named to those who may not know who it is about."""
        return f"{self.reference} ({self.country.name})"

    def title_for(self, user: User | None) -> str:
        """The case's title for `user`, or a label without the name if they may not see it."""
        return self.title if self.may_be_named_to(user) else self.label_without_name()

    def display_name_for(self, user: User | None) -> str:
        """Reference and title for `user`, or a label without the name if they may not see it."""
        if self.may_be_named_to(user):
            return f"{self.reference} {self.title}"
        return self.label_without_name()

    def private_names(self) -> list[str]:
        """What would name the person of a confidential case (its title and the names of the
        people concerned), which stored text such as the audit log must never carry; empty for
        any other case."""
        if self.sensitivity != self.Sensitivity.CONFIDENTIAL:
            return []
        return [self.title, *self.people.values_list("name", flat=True)]

    def current_targets(self) -> models.QuerySet[CampaignTarget]:
        return self.targets.filter(valid_to__isnull=True)

    def current_document(self) -> CasefileDocument | None:
        return self.documents.order_by("-version").first()


class CasePerson(models.Model):
    """A person the case concerns (one for an individual case, several for a group)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    name = SealedCharField(max_length=150)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.UNSTATED)
    role = models.CharField(
        max_length=150, blank=True, help_text="e.g. journalist, trade unionist, community leader"
    )

    class Meta:
        ordering = ["case", "id"]
        verbose_name_plural = "people concerned"

    def __str__(self) -> str:
        return self.name

    def seals_private_fields(self) -> bool:
        # The case is loaded already wherever people are saved (forms, services, the seed).
        return self.case.seals_private_fields()


class CampaignTarget(models.Model):
    """An authority groups write to. Targets are versioned: a change retires the old row and adds
    a new one, so letters always use the current target and the history stays readable."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="targets")
    # Name, title and address are kept apart so a letter and a label print each line once:
    # `title` is the office-holder's name with honorific, `authority` their office, and
    # `postal_address` only the lines below them (ministry, street, town, country).
    authority = models.CharField(max_length=200, help_text="e.g. Minister of Justice")
    title = models.CharField(
        max_length=200, blank=True, help_text="Name and honorific, e.g. H.E. Jane Doe"
    )
    postal_address = models.TextField(
        help_text="The address lines below the name and the authority: office, street, town, "
        "country"
    )
    email = models.EmailField(blank=True)
    salutation = models.CharField(max_length=120, default="Dear Minister")
    valid_from = models.DateField(default=timezone.localdate)
    valid_to = models.DateField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="target_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} ({self.case.reference})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def address_lines(self) -> list[str]:
        """Name, authority, then the address: each line once, however the address was typed."""
        return unique_lines([self.title, self.authority, *self.postal_address.splitlines()])


def _line_key(line: str) -> str:
    return " ".join(line.split()).casefold().rstrip(",.")


def unique_lines(lines: list[str]) -> list[str]:
    """Non-empty lines, trimmed, each kept once (ignoring case, spacing and a trailing comma)."""
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        line = line.strip().rstrip(",").strip()
        if line and _line_key(line) not in seen:
            seen.add(_line_key(line))
            kept.append(line)
    return kept


def address_without_name(postal_address: str, *, title: str, authority: str) -> str:
    """The postal address without the name or authority lines it was typed with: those are
    fields of their own, and printing them again would name the addressee twice."""
    drop = {_line_key(title), _line_key(authority)} - {""}
    return "\n".join(
        line for line in unique_lines(postal_address.splitlines()) if _line_key(line) not in drop
    )


def casefile_upload_to(instance: CasefileDocument, filename: str) -> str:
    # The stored name carries no part of the uploaded name: it could name the person.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"casefiles/{instance.case_id}/v{instance.version}.{suffix}"


class CasefileDocument(models.Model):
    """One version of the casefile document sent to groups."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=casefile_upload_to, blank=True)
    notes = models.TextField(blank=True, help_text="What changed in this version")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="casefile_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="casefile_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} casefile v{self.version}"


class Allocation(models.Model):
    """A case worked on by a local group: offered → active → ended."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    class EndReason(models.TextChoices):
        DECLINED = "declined", "Offer declined"
        RELINQUISHED = "relinquished", "Relinquished by the group"
        CASE_CLOSED = "case_closed", "Case closed"
        WITHDRAWN = "withdrawn", "Withdrawn by IAR"
        EXPIRED = "expired", "Offer not answered in time"

    OPEN_STATUSES = (Status.OFFERED, Status.ACTIVE)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.PROTECT, related_name="allocations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_allocations",
        verbose_name="casefile holder",
    )
    offered_at = models.DateTimeField(default=timezone.now)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    end_notes = models.TextField(blank=True)
    stop_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the group confirmed it stopped work on a closed case"
    )
    relinquish_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="When the group asked to give up the case"
    )
    relinquish_reason = models.TextField(blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_at"]
        indexes = [
            models.Index(fields=["status", "case"]),
            models.Index(fields=["group", "status"]),
            # Counting a group's open allocations (ranking thousands of groups) and finding its
            # newest one: without these the planner scans the (case, group) unique index.
            models.Index(
                fields=["group"],
                condition=Q(status__in=["offered", "active"]),
                name="allocation_open_by_group",
            ),
            models.Index(fields=["group", "-offered_at"], name="allocation_group_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "group"],
                condition=Q(status__in=["offered", "active"]),
                name="allocation_one_open_per_case_group",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(started_on__isnull=False),
                name="allocation_active_has_start",
            ),
            models.CheckConstraint(
                condition=(Q(status="ended", ended_on__isnull=False) & ~Q(end_reason=""))
                | (~Q(status="ended") & Q(ended_on__isnull=True, end_reason="")),
                name="allocation_ended_has_reason_and_date",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="allocation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} → {self.group}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class HolderChange(models.Model):
    """Every change of casefile holder, as the guide asks groups to tell the coordinator and IAR.

    The holder reads a confidential case, so on such a case a change the group asks for is a
    request (pending): the holder stays until the case's country coordinator or IAR staff approve
    it. Every other change takes effect at once and is recorded as approved. `changed_by` is who
    asked; `decided_by` who approved or rejected it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="holder_changes"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_user__isnull=True)
                | Q(to_user__isnull=True)
                | ~Q(from_user=F("to_user")),
                name="holder_change_changes_something",
            ),
            # One open request per allocation: a second would race the first for approval.
            models.UniqueConstraint(
                fields=["allocation"],
                condition=Q(status="pending"),
                name="holder_change_one_pending_per_allocation",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(decided_at__isnull=True),
                name="holder_change_pending_is_undecided",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | Q(decided_at__isnull=False),
                name="holder_change_rejected_has_decision_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation}: {self.from_user} → {self.to_user}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


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
        db_table = "iar_site_savedview"
        ordering = ["list_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name", "name"], name="saved_view_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
