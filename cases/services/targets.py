"""A case's campaign targets: who groups write to. Targets are versioned: a change retires the
current row and adds its replacement, so the history of who groups were asked to write to stays
readable. Every change is announced to the groups (see cases.signals.targets_changed)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from iar_site import audit

from ..models import CampaignTarget, Case, address_without_name
from ..signals import targets_changed
from .common import CaseError, lock_case, require_manager

if TYPE_CHECKING:
    from accounts.models import User

TARGET_FIELDS = ("authority", "title", "postal_address", "email", "salutation")


def _check_effective(on: date, *, not_before: date | None = None) -> None:
    if on > timezone.localdate():
        raise CaseError(
            "The date cannot be in the future: make the change on the day it takes effect."
        )
    if not_before is not None and on < not_before:
        raise CaseError(
            f"The date cannot be before {date_format(not_before, 'j F Y')}, when the current "
            "target took effect."
        )


def _announce(case: Case, *, summary: str, on: date, actor: User) -> None:
    """Every target change tells the groups: the coordinators app answers this signal with a
    'targets changed' update, published at once on an open case, kept as a draft on a paused
    one for the coordinator to send later."""
    targets_changed.send(sender=CampaignTarget, case=case, summary=summary, on=on, actor=actor)


def _target_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {field: (data.get(field) or "").strip() for field in TARGET_FIELDS}
    # The name and the authority have fields of their own: typed again at the top of the
    # address, they would print twice on every letter and label.
    values["postal_address"] = address_without_name(
        values["postal_address"], title=values["title"], authority=values["authority"]
    )
    values["salutation"] = values["salutation"].rstrip(",").strip()
    if not values["postal_address"]:
        raise CaseError("Enter the address lines below the name and the authority.")
    return values


def _target_changes(target: CampaignTarget) -> dict[str, Any]:
    return {"authority": target.authority, "valid_from": target.valid_from.isoformat()}


def add_target(
    case: Case, *, data: dict[str, Any], valid_from: date, actor: User
) -> CampaignTarget:
    with transaction.atomic():
        case = lock_case(case)
        require_manager(case, actor)
        if case.status == Case.Status.CLOSED:
            raise CaseError("Amnesty has stopped work on this case: targets cannot change.")
        _check_effective(valid_from)
        target = CampaignTarget.objects.create(
            case=case,
            valid_from=valid_from,
            created_by=actor,
            **_target_values(data),
        )
        audit.record("target.added", target, actor=actor, changes=_target_changes(target))
        _announce(case, summary=f"New target: **{target.authority}**.", on=valid_from, actor=actor)
    return target


def change_target(
    target: CampaignTarget, *, data: dict[str, Any], valid_from: date, actor: User
) -> CampaignTarget:
    """Editing a target retires the current row and adds its replacement, so the history of who
    groups were asked to write to stays readable."""
    with transaction.atomic():
        case = lock_case(target.case)
        require_manager(case, actor)
        old = CampaignTarget.objects.select_for_update().get(pk=target.pk)
        if old.valid_to is not None:
            raise CaseError("This target has already been replaced or retired.")
        if case.status == Case.Status.CLOSED:
            raise CaseError("Amnesty has stopped work on this case: targets cannot change.")
        _check_effective(valid_from, not_before=old.valid_from)
        new_values = _target_values(data)
        if all(getattr(old, field) == value for field, value in new_values.items()):
            raise CaseError("Nothing has changed: edit at least one detail.")
        old.valid_to = valid_from
        old.save(update_fields=["valid_to"])
        new = CampaignTarget.objects.create(
            case=case, valid_from=valid_from, replaces=old, created_by=actor, **new_values
        )
        audit.record(
            "target.replaced",
            new,
            actor=actor,
            changes={**_target_changes(new), "replaces": old.pk},
        )
        summary = (
            f"**{old.authority}** has changed: please use the new details."
            if old.authority == new.authority
            else f"**{old.authority}** is replaced by **{new.authority}**."
        )
        _announce(case, summary=summary, on=valid_from, actor=actor)
    return new


def retire_target(target: CampaignTarget, *, on: date, actor: User) -> CampaignTarget:
    with transaction.atomic():
        case = lock_case(target.case)
        require_manager(case, actor)
        target = CampaignTarget.objects.select_for_update().get(pk=target.pk)
        if target.valid_to is not None:
            return target
        if case.status == Case.Status.CLOSED:
            raise CaseError("Amnesty has stopped work on this case: targets cannot change.")
        _check_effective(on, not_before=target.valid_from)
        target.valid_to = on
        target.save(update_fields=["valid_to"])
        audit.record("target.retired", target, actor=actor, changes={"valid_to": on.isoformat()})
        _announce(
            case,
            summary=f"Please stop writing to **{target.authority}**.",
            on=on,
            actor=actor,
        )
    return target
