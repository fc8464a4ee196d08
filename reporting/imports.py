"""What an import file holds, kind by kind: the columns, how each is read, and the rules a row
must pass. django-import-export does the reading and the create-or-update by natural key
(`import_id_fields`), so importing the same file twice changes nothing the second time.

Every problem is reported against its row and column: a value that cannot be read raises
ColumnError (reporting/import_cells.py), the kinds' rules raise a ValidationError keyed by
column, and the field names are the column names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from import_export import resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from accounts.models import User
from cases.counts import refresh_case_counters
from cases.models import Allocation, Case, CasePerson, Country, Gender, Region, Theme
from cases.services import reseal_private_fields
from coordinators.models import CountryCoordinator
from groups.models import LocalGroup, Membership
from iar_site import audit

from .import_cells import (
    LIST_SEPARATOR,
    PROGRESS_EVERY,
    ChoiceWidget,
    Column,
    DayWidget,
    LookupListWidget,
    LookupWidget,
    WholeNumberWidget,
    YesNoWidget,
    cell_text,
    column,
)


class Base(resources.ModelResource):
    """What every kind shares: plain-word checks, skipping unchanged rows, audit.

    The check (a dry run) writes nothing at all: each row is read, looked up and checked, but not
    saved, so even a large file is checked quickly. The import saves each row and audits it.
    django-import-export's own diff and full_clean are off: they cost queries per row, and the
    rules they would check are the kinds' own checks below (in plain words)."""

    audit_action = ""

    def __init__(
        self,
        *,
        actor: User | None = None,
        job_id: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self.actor = actor
        self.job_id = job_id
        self.on_progress = on_progress
        self._seen: dict[tuple[str, ...], int] = {}
        self._before: dict[str, Any] | None = None

    class Meta:
        clean_model_instances = False
        skip_diff = True
        report_skipped = True
        use_transactions = True

    def expected_columns(self) -> list[str]:
        return [f.column_name for f in self.get_import_fields()]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        # A misspelt column would otherwise be ignored without a word.
        headers = [(h or "").strip() for h in dataset.headers or []]
        dataset.headers = headers
        unknown = [h for h in headers if h not in self.expected_columns()]
        if unknown:
            raise ValueError(
                f"The column “{unknown[0]}” is not one this import reads. Use the template's "
                f"columns: {', '.join(self.expected_columns())}."
            )
        missing = [c for c in self.get_import_id_fields() if c not in headers]
        if missing:
            raise ValueError(f"The file has no “{missing[0]}” column, which every row needs.")

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # The same record twice in one file: the second would silently overwrite the first.
        number = kwargs.get("row_number") or 0
        id_fields = self.get_import_id_fields()
        key = tuple(cell_text(row.get(name)).casefold() for name in id_fields)
        first = self._seen.setdefault(key, number)
        if first != number:
            raise ValidationError({id_fields[0]: f"This repeats row {first + 1}."})

    def _m2m(self) -> list[Column]:
        return [
            f for f in self.get_import_fields() if isinstance(f.widget, widgets.ManyToManyWidget)
        ]

    def _values(self, instance: Any, row: Any, *, from_row: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in self.get_import_fields():
            if not field.attribute or field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                items = field.clean(row) if from_row else getattr(instance, field.attribute).all()
                values[field.column_name] = sorted(item.pk for item in items)
            else:
                values[field.column_name] = getattr(instance, field.attribute)
        return values

    def after_init_instance(self, instance: Any, new: bool, row: Any, **kwargs: Any) -> None:
        self._before = None if new else self._values(instance, row, from_row=False)

    def skip_row(
        self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None
    ) -> bool:
        """An existing record the row would not change is skipped (so a file imported twice
        changes nothing the second time)."""
        if import_validation_errors or self._before is None:
            return False
        try:
            return self._values(instance, row, from_row=True) == self._before
        except ValueError:
            return False

    def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        # Lists of related rows are read here too, so their problems are reported with the
        # row's other problems rather than later, one at a time.
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._m2m():
            if field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        errors = dict(import_validation_errors or {})
        # Blank, too long, not a choice: no queries. Related rows were found by their lookups.
        relations = [f.name for f in instance._meta.fields if f.is_relation]
        try:
            instance.clean_fields(exclude=[*errors, *relations])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
        if self._is_dry_run(kwargs):
            self.before_save_instance(instance, row, **kwargs)  # its checks, without the write
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if not self._is_dry_run(kwargs):
            super().save_m2m(instance, row, **kwargs)

    def after_import_row(self, row: Any, row_result: Any, **kwargs: Any) -> None:
        number = kwargs.get("row_number") or 0
        if self.on_progress is not None and number % PROGRESS_EVERY == 0:
            self.on_progress(number)

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        # Imported changes are audited like any other, naming the import they came from.
        audit.record(self.audit_action, instance, actor=self.actor, changes={"import": self.job_id})


class CaseResource(Base):
    audit_action = "case.imported"
    reference = column("reference")
    title = column("title")
    kind = column("kind", ChoiceWidget(Case.Kind.choices, blank=None), keep_when_blank=True)
    country = column("country", LookupWidget(Country, "iso_code", "country with the code"))
    themes = Column(
        attribute="themes", column_name="themes", widget=LookupListWidget(Theme, "slug", "issue")
    )
    summary = column("summary")
    sensitivity = column(
        "sensitivity", ChoiceWidget(Case.Sensitivity.choices, blank=None), keep_when_blank=True
    )
    public_action_allowed = column("public_action_allowed", YesNoWidget(), keep_when_blank=True)
    max_groups = column("max_groups", WholeNumberWidget(), keep_when_blank=True)
    coordinator = column(
        "coordinator", LookupWidget(CountryCoordinator, "user__email", "coordinator with the email")
    )
    solidarity_address = column("solidarity_address")
    status = column(
        "status",
        ChoiceWidget([(s, s) for s in ("draft", "open", "paused")], blank=None),
        keep_when_blank=True,
    )
    people = Column(attribute=None, column_name="people")

    class Meta(Base.Meta):
        model = Case
        import_id_fields = ("reference",)
        instance_loader_class = CachedInstanceLoader
        fields = (
            "reference",
            "title",
            "kind",
            "country",
            "themes",
            "summary",
            "sensitivity",
            "public_action_allowed",
            "max_groups",
            "coordinator",
            "solidarity_address",
            "status",
            "people",
        )

    def expected_columns(self) -> list[str]:
        return [*super().expected_columns(), "people"]

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        row["_people"] = parse_people(row.get("people"))
        number = cell_text(row.get("max_groups"))
        if number.isdigit() and not 1 <= int(number) <= 50:
            raise ValidationError({"max_groups": "Write a whole number from 1 to 50."})

    def before_save_instance(self, instance: Case, row: Any, **kwargs: Any) -> None:
        if (
            instance.coordinator
            and not instance.coordinator.countries.filter(pk=instance.country_id).exists()
        ):
            raise ValidationError({"coordinator": "This coordinator does not cover the country."})

    def skip_row(
        self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None
    ) -> bool:
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        return "people" not in row or _people_of(instance) == row["_people"]

    def after_save_instance(self, instance: Case, row: Any, **kwargs: Any) -> None:
        before = self._before or {}
        if "people" in row and _people_of(instance) != list(row["_people"]):
            CasePerson.objects.filter(case=instance).delete()
            CasePerson.objects.bulk_create(
                CasePerson(case=instance, name=n, gender=g, role=r) for n, g, r in row["_people"]
            )
        elif before.get("sensitivity", instance.sensitivity) != instance.sensitivity:
            # Made confidential or public by the file: the people's names are stored anew, sealed
            # or plain (the case's own fields were just saved so).
            reseal_private_fields(instance)
        super().after_save_instance(instance, row, **kwargs)


def _people_of(case: Case) -> list[tuple[str, str, str]]:
    return list(
        CasePerson.objects.filter(case=case).order_by("id").values_list("name", "gender", "role")
    )


PERSON_FORMAT = "Name | gender | role; Name | gender"


def parse_people(value: Any) -> list[tuple[str, str, str]]:
    people = []
    for entry in cell_text(value).split(LIST_SEPARATOR):
        if not entry.strip():
            continue
        parts = [p.strip() for p in entry.split("|")]
        name = parts[0]
        gender = (parts[1] if len(parts) > 1 else "unstated").lower().replace(
            " ", "_"
        ) or "unstated"
        role = parts[2] if len(parts) > 2 else ""
        if not name or gender not in Gender.values or len(parts) > 3:
            raise ValidationError(
                {
                    "people": f"Write each person as “{PERSON_FORMAT}”; gender is one of: "
                    f"{', '.join(Gender.values)}."
                }
            )
        people.append((name, gender, role))
    return people


class GroupResource(Base):
    audit_action = "group.imported"
    name = column("name")
    town = column("town")
    postal_address = column("postal_address")
    contact_email = column("contact_email")
    channel = column(
        "channel", ChoiceWidget(LocalGroup.Channel.choices, blank=None), keep_when_blank=True
    )
    capacity = column("capacity", WholeNumberWidget(), keep_when_blank=True)
    preferred_regions = Column(
        attribute="preferred_regions",
        column_name="preferred_regions",
        widget=LookupListWidget(Region, "code", "region with the code"),
    )
    preferred_themes = Column(
        attribute="preferred_themes",
        column_name="preferred_themes",
        widget=LookupListWidget(Theme, "slug", "issue"),
    )
    preferred_gender = column("preferred_gender", ChoiceWidget(Gender.choices, blank=""))
    preferred_kind = column("preferred_kind", ChoiceWidget(Case.Kind.choices, blank=""))
    next_meeting = column("next_meeting", DayWidget())

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        if cell_text(row.get("channel")).lower() == "email" and not cell_text(
            row.get("contact_email")
        ):
            raise ValidationError(
                {"contact_email": "Give a contact email, or write post in the channel column."}
            )
        number = cell_text(row.get("capacity"))
        if number.isdigit() and int(number) > 20:
            raise ValidationError({"capacity": "Write a whole number from 0 to 20."})

    class Meta(Base.Meta):
        model = LocalGroup
        import_id_fields = ("name",)
        instance_loader_class = CachedInstanceLoader
        fields = (
            "name",
            "town",
            "postal_address",
            "contact_email",
            "channel",
            "capacity",
            "preferred_regions",
            "preferred_themes",
            "preferred_gender",
            "preferred_kind",
            "next_meeting",
        )


class MemberResource(Base):
    audit_action = "membership.imported"
    email = column("email", LookupWidget(User, "email", "person with the email"), attribute="user")
    full_name = Column(attribute=None, column_name="full_name")
    group = column("group", LookupWidget(LocalGroup, "name", "group called"))
    role = column("role", ChoiceWidget(Membership.Role.choices, blank=None), keep_when_blank=True)

    class Meta(Base.Meta):
        model = Membership
        import_id_fields = ("email", "group")
        fields = ("email", "full_name", "group", "role")

    def expected_columns(self) -> list[str]:
        return [*super().expected_columns(), "full_name"]

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # A member new to the site gets an account with no password: they sign in by a code
        # sent to their email, or an administrator invites them.
        email = cell_text(row.get("email")).lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": f"“{email}” is not an email address."}) from exc
        row["email"] = email
        name = cell_text(row.get("full_name"))
        super().before_import_row(row, **kwargs)
        if not User.objects.filter(email__iexact=email).exists():
            if not name:
                raise ValidationError({"full_name": "Give the new member's full name."})
            User.objects.create_user(email=email, full_name=name)


class AllocationResource(Base):
    audit_action = "allocation.imported"
    case = column("case", LookupWidget(Case, "reference", "case with the reference"))
    group = column("group", LookupWidget(LocalGroup, "name", "group called"))
    status = column(
        "status", ChoiceWidget(Allocation.Status.choices, blank=None), keep_when_blank=True
    )
    started_on = column("started_on", DayWidget())
    ended_on = column("ended_on", DayWidget())
    end_reason = column("end_reason", ChoiceWidget(Allocation.EndReason.choices, blank=""))
    holder = column("holder", LookupWidget(User, "email", "person with the email"))

    class Meta(Base.Meta):
        model = Allocation
        import_id_fields = ("case", "group", "started_on")
        fields = ("case", "group", "status", "started_on", "ended_on", "end_reason", "holder")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cases: set[int] = set()

    def after_save_instance(self, instance: Allocation, row: Any, **kwargs: Any) -> None:
        self._cases.add(instance.case_id)
        super().after_save_instance(instance, row, **kwargs)

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        # The cases' counters, recounted once per case the file touched, in the import's
        # transaction (a dry run saves nothing, so there is nothing to count).
        super().after_import(dataset, result, **kwargs)
        if not self._is_dry_run(kwargs):
            refresh_case_counters(self._cases)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # The table's rules, checked first so they come back in plain words.
        super().before_import_row(row, **kwargs)
        status = cell_text(row.get("status")).lower()
        started, ended = cell_text(row.get("started_on")), cell_text(row.get("ended_on"))
        reason = cell_text(row.get("end_reason"))
        if status == "active" and not started:
            raise ValidationError({"started_on": "An active allocation needs the day it started."})
        if status == "ended" and not (ended and reason):
            raise ValidationError(
                {"ended_on": "An ended allocation needs the day it ended and an end_reason."}
            )
        if status in ("offered", "active") and (ended or reason):
            raise ValidationError(
                {"ended_on": "Only an ended allocation has ended_on and end_reason."}
            )

    def before_save_instance(self, instance: Allocation, row: Any, **kwargs: Any) -> None:
        if instance.ended_on and instance.started_on and instance.ended_on < instance.started_on:
            raise ValidationError({"ended_on": "The end day is before the start day."})
        if (
            instance.holder_id
            and not Membership.objects.filter(
                user_id=instance.holder_id, group_id=instance.group_id
            ).exists()
        ):
            raise ValidationError({"holder": "The casefile holder must be a member of the group."})
        if instance.status in Allocation.OPEN_STATUSES:
            taken = (
                Allocation.objects.filter(case_id=instance.case_id)
                .open()
                .exclude(pk=instance.pk)
                .count()
            )
            if taken >= instance.case.max_groups:
                raise ValidationError(
                    {"case": f"{instance.case.reference} already has as many groups as it allows."}
                )


RESOURCES: dict[str, type[Base]] = {
    "cases": CaseResource,
    "groups": GroupResource,
    "members": MemberResource,
    "allocations": AllocationResource,
}

# One example row per kind for the downloadable template.
EXAMPLES: dict[str, dict[str, str]] = {
    "cases": {
        "reference": "IAR-2026-014",
        "title": "Name of the person or community",
        "kind": "individual",
        "country": "KE",
        "themes": "human-rights-defender; freedom-of-expression",
        "summary": "What happened and what we ask for.",
        "sensitivity": "public",
        "public_action_allowed": "yes",
        "max_groups": "2",
        "coordinator": "coordinator@example.org",
        "solidarity_address": "",
        "status": "draft",
        "people": "Name of the person | female | journalist",
    },
    "groups": {
        "name": "Kendal Amnesty Group",
        "town": "Kendal",
        "postal_address": "1 Market Place, Kendal LA9 4TN",
        "contact_email": "kendal@example.org",
        "channel": "email",
        "capacity": "2",
        "preferred_regions": "africa; americas",
        "preferred_themes": "death-penalty",
        "preferred_gender": "",
        "preferred_kind": "",
        "next_meeting": "2026-03-31",
    },
    "members": {
        "email": "member@example.org",
        "full_name": "Full Name",
        "group": "Kendal Amnesty Group",
        "role": "member",
    },
    "allocations": {
        "case": "IAR-2026-014",
        "group": "Kendal Amnesty Group",
        "status": "active",
        "started_on": "2025-04-01",
        "ended_on": "",
        "end_reason": "",
        "holder": "member@example.org",
    },
}
