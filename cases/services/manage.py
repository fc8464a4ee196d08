"""Staff create and edit cases, open them for matching and archive them. Every write is audited;
a form that fails leaves nothing saved."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import is_staff
from iar_site import audit

from ..models import Allocation, Case, CasePerson, Gender, Theme
from .common import CaseError, lock_case, reseal_private_fields

if TYPE_CHECKING:
    from accounts.models import User

# The fields staff fill in on the case form, in the order the form shows them.
CASE_FIELDS = (
    "reference",
    "title",
    "kind",
    "country",
    "summary",
    "sensitivity",
    "public_action_allowed",
    "max_groups",
    "coordinator",
    "solidarity_address",
)


class PersonData(TypedDict):
    name: str
    gender: str
    role: str


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise CaseError("Only IAR staff can change cases here.")


def _changed(case: Case, values: dict[str, Any]) -> dict[str, Any]:
    # Audit text holds ids and short labels only: the summary and the title may name the person.
    changes: dict[str, Any] = {}
    for name, value in values.items():
        old = getattr(case, name)
        if old != value:
            if name in ("summary", "title", "solidarity_address"):
                changes[name] = "changed"
            else:
                changes[name] = [_short(old), _short(value)]
    return changes


def _short(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value


def _check_people(people: Sequence[PersonData]) -> None:
    for person in people:
        if not person["name"].strip():
            raise CaseError("Give each person concerned a name, or leave their row empty.")
        if person["gender"] not in Gender.values:
            raise CaseError("Choose a gender for each person concerned, or “Not stated”.")


def save_case(
    case: Case | None,
    *,
    values: dict[str, Any],
    themes: Iterable[Theme],
    people: Sequence[PersonData],
    actor: User,
) -> Case:
    """Create a case (as a draft) or change one; the people concerned are replaced by `people`.
    All of it is one transaction: a refusal saves nothing."""
    _require_staff(actor)
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise CaseError(f"These cannot be set here: {', '.join(sorted(unknown))}.")
    _check_people(people)
    with transaction.atomic():
        if case is None:
            case = Case(status=Case.Status.DRAFT)
            action, changes = "case.created", {"reference": values.get("reference")}
        else:
            case = lock_case(case)
            if case.status == Case.Status.CLOSED:
                raise CaseError(f"{case.reference} is archived: it can no longer be changed.")
            action, changes = "case.edited", _changed(case, values)
            taken = Allocation.objects.filter(case=case).open().count()
            if values.get("max_groups", case.max_groups) < taken:
                raise CaseError(
                    f"{taken} groups work on this case now: the most groups at once cannot be "
                    f"less than {taken}."
                )
        was_sealed = case.pk is not None and case.seals_private_fields()
        for name, value in values.items():
            setattr(case, name, value)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError as exc:
            raise CaseError(
                f"Another case already has the reference {values.get('reference')}: "
                "choose a different one."
            ) from exc
        case.themes.set(themes)
        existing = [
            (p.name, p.gender, p.role) for p in CasePerson.objects.filter(case=case).order_by("id")
        ]
        wanted = [(p["name"].strip(), p["gender"], p["role"].strip()) for p in people]
        if existing != wanted:
            CasePerson.objects.filter(case=case).delete()
            CasePerson.objects.bulk_create(
                CasePerson(case=case, name=name, gender=gender, role=role)
                for name, gender, role in wanted
            )
            changes["people"] = len(wanted)
        elif was_sealed != case.seals_private_fields():
            # Made confidential or public here: the people's names are stored anew, sealed or not.
            reseal_private_fields(case)
        if changes or action == "case.created":
            audit.record(action, case, actor=actor, changes=changes)
    return case


def open_case(case: Case, *, actor: User) -> Case:
    """A draft case goes into matching: staff can now offer it to groups."""
    _require_staff(actor)
    with transaction.atomic():
        case = lock_case(case)
        if case.status == Case.Status.OPEN:
            return case
        if case.status != Case.Status.DRAFT:
            raise CaseError(
                f"{case.reference} is {case.get_status_display().lower()}: only a draft can be "
                "opened for matching."
            )
        if not case.summary.strip():
            raise CaseError("Write a summary before opening the case: groups read it first.")
        case.status = Case.Status.OPEN
        case.opened_on = timezone.localdate()
        case.save(update_fields=["status", "opened_on", "updated_at"])
        audit.record("case.opened", case, actor=actor, changes={"status": ["draft", "open"]})
    return case


def archive_case(case: Case, *, reason: str, actor: User) -> Case:
    """Close a case no group works on. A case with groups is stopped instead (stop_case), which
    tells every group to stop."""
    _require_staff(actor)
    if reason not in Case.ClosingReason.values:
        raise CaseError("Choose why the case is being archived.")
    with transaction.atomic():
        case = lock_case(case)
        if case.status == Case.Status.CLOSED:
            return case
        if Allocation.objects.filter(case=case).open().exists():
            raise CaseError(
                f"Groups still work on {case.reference}: stop the case instead, so they are told."
            )
        previous = case.status
        case.status = Case.Status.CLOSED
        case.closing_reason = reason
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closing_reason", "closed_at", "updated_at"])
        audit.record(
            "case.archived",
            case,
            actor=actor,
            changes={"status": [previous, "closed"], "closing_reason": reason},
        )
    return case
