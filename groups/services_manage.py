"""Staff create, edit and close local groups. Closing a group hands each of its cases back
(cases.services.loose_ends.withdraw_group, which tells the group and the case's coordinator) and
returns the cases that now need a new group, so staff see them at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from accounts.access import is_staff
from cases.models import Allocation, Case, Region, Theme
from cases.services.loose_ends import withdraw_group
from iar_site import audit

from .models import LocalGroup
from .services import GroupError

if TYPE_CHECKING:
    from accounts.models import User

GROUP_FIELDS = (
    "name",
    "town",
    "postal_address",
    "contact_email",
    "channel",
    "capacity",
    "preferred_gender",
    "preferred_kind",
    "next_meeting",
)


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise GroupError("Only IAR staff can change groups here.")


def save_group(
    group: LocalGroup | None,
    *,
    values: dict[str, Any],
    regions: Iterable[Region],
    themes: Iterable[Theme],
    actor: User,
) -> LocalGroup:
    """Create a group or change one, in one transaction: a refusal saves nothing."""
    _require_staff(actor)
    unknown = set(values) - set(GROUP_FIELDS)
    if unknown:
        raise GroupError(f"These cannot be set here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        if group is None:
            group = LocalGroup()
            action = "group.created"
            changes: dict[str, Any] = {"name": values.get("name")}
        else:
            group = LocalGroup.objects.select_for_update().get(pk=group.pk)
            action = "group.edited"
            changes = {
                name: "changed"
                if name == "postal_address"
                else [str(getattr(group, name)), str(value)]
                for name, value in values.items()
                if getattr(group, name) != value
            }
        for name, value in values.items():
            setattr(group, name, value)
        if group.channel == LocalGroup.Channel.EMAIL and not group.contact_email:
            raise GroupError(
                "Give a contact email, or choose that the group hears from us by post."
            )
        if not 0 <= group.capacity <= 20:
            raise GroupError("The number of cases must be between 0 and 20.")
        try:
            with transaction.atomic():
                group.save()
        except IntegrityError as exc:
            raise GroupError(
                f"Another group is already called {group.name}: choose a different name."
            ) from exc
        regions, themes = list(regions), list(themes)
        if {r.pk for r in group.preferred_regions.all()} != {r.pk for r in regions}:
            group.preferred_regions.set(regions)
            changes["preferred_regions"] = sorted(r.pk for r in regions)
        if {t.pk for t in group.preferred_themes.all()} != {t.pk for t in themes}:
            group.preferred_themes.set(themes)
            changes["preferred_themes"] = sorted(t.pk for t in themes)
        if changes or action == "group.created":
            audit.record(action, group, actor=actor, changes=changes)
    return group


def deactivate_group(group: LocalGroup, *, actor: User) -> list[Case]:
    """Close a group: its members lose access at once (scoped querysets read is_active), each
    case it had is handed back, and the open cases that now need a new group are returned."""
    _require_staff(actor)
    with transaction.atomic():
        # Cases before the group, in id order: every service that changes an allocation locks
        # its case and then recounts (and so locks) the case's groups (cases.counts). Taking the
        # group first here would deadlock with a change to one of its cases at the same moment.
        case_ids = Allocation.objects.filter(group=group).open().values("case_id")
        list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk").values("pk"))
        group = LocalGroup.objects.select_for_update().get(pk=group.pk)
        allocations = list(
            Allocation.objects.filter(group=group)
            .open()
            .select_related("case")
            .order_by("case__reference")
        )
        for allocation in allocations:
            withdraw_group(allocation, reason=f"{group.name} has closed.", actor=actor)
        if group.is_active:
            group.is_active = False
            group.save(update_fields=["is_active"])
            audit.record(
                "group.deactivated",
                group,
                actor=actor,
                changes={"is_active": [True, False], "cases_handed_back": len(allocations)},
            )
    return [a.case for a in allocations if a.case.status == Case.Status.OPEN]


def reactivate_group(group: LocalGroup, *, actor: User) -> LocalGroup:
    _require_staff(actor)
    with transaction.atomic():
        group = LocalGroup.objects.select_for_update().get(pk=group.pk)
        if not group.is_active:
            group.is_active = True
            group.save(update_fields=["is_active"])
            audit.record(
                "group.reactivated", group, actor=actor, changes={"is_active": [False, True]}
            )
    return group
