"""Reading the audit log for people: one object's history and a confidential case's view log.

The audit rows are written by the services (and the admin, tasks and commands through them); this
module only turns them into rows a member of staff can read: who, when, what, and each changed
field's value before and after. The rows never held a confidential name (`iar_site.audit`
scrubs it on the way in), so nothing here needs to hide one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from iar_site.audit import VIEW_ACTIONS
from iar_site.models import AuditEntry

# A page shows the latest rows; older ones are in the admin's audit list, filterable by object.
HISTORY_LIMIT = 300

# How a recorded action reads on the page; anything not listed reads as its words.
ACTION_LABELS = {
    "case.viewed_confidential": "Opened the case",
    "case_update.viewed_confidential": "Opened an update",
    "case.casefile_downloaded": "Downloaded the casefile",
    "case.attachment_downloaded": "Downloaded an update's attachment",
    "case.letter_downloaded": "Downloaded an appeal letter",
    "case.labels_downloaded": "Downloaded address labels",
    "admin.changed": "Changed in the administration pages",
    "admin.created": "Added in the administration pages",
    "admin.deleted": "Deleted in the administration pages",
    "person.erased": "Personal data erased",
    "retention.applied": "Old data removed (retention)",
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Row:
    at: datetime
    who: str
    action: str
    what: str
    changes: list[Change]


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    words = action.replace(".", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def _text(value: Any) -> str:
    if value is None:
        # The audit keeps a field's name but not its value for narrative text, files, secrets and
        # anything that would name the person of a confidential case.
        return "(not recorded)"
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if value == "":
        return "empty"
    return str(value)


# Fields whose recorded value is itself a list (the references of the cases sent, ...), never a
# `[before, after]` pair.
LIST_VALUED = frozenset({"cases", "people", "themes", "countries", "references"})


def changes_of(entry: AuditEntry) -> list[Change]:
    """Each changed field with its value before and after: services record a change as
    `[before, after]`; the admin records the new value and keeps the old one in `before`; any
    other single value is what the field became."""
    found: list[Change] = []
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    before = entry.before if isinstance(entry.before, dict) else {}
    for field, value in changes.items():
        label = str(field).replace("_", " ")
        if field in before:
            found.append(Change(label, _text(before[field]), _text(value)))
        elif isinstance(value, list | tuple) and len(value) == 2 and field not in LIST_VALUED:
            found.append(Change(label, _text(value[0]), _text(value[1])))
        elif isinstance(value, dict) and {"before", "after"} <= value.keys():
            found.append(Change(label, _text(value["before"]), _text(value["after"])))
        else:
            found.append(Change(label, "", _text(value)))
    return found


def rows(entries: Iterable[AuditEntry]) -> list[Row]:
    return [
        Row(
            at=entry.at,
            who=str(entry.actor) if entry.actor is not None else "The system (a scheduled task)",
            action=action_label(entry.action),
            what=entry.object_repr,
            changes=changes_of(entry),
        )
        for entry in entries
    ]


def _entries(condition: Q) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(condition).select_related("actor")[:HISTORY_LIMIT]


def about(object_type: str, *object_ids: Any) -> Q:
    return Q(object_type=object_type, object_id__in=[str(pk) for pk in object_ids])


def case_history(case_id: int) -> QuerySet[AuditEntry]:
    """What changed on a case and on everything that belongs to it (allocations, holders,
    targets, casefiles, updates); reading it is in the view log instead."""
    condition = Q(case_id=case_id) | about("cases.case", case_id)
    return _entries(condition & ~Q(action__in=VIEW_ACTIONS))


def view_log(case_id: int) -> QuerySet[AuditEntry]:
    """Who opened or downloaded what of a confidential case, latest first."""
    return _entries(Q(case_id=case_id, action__in=VIEW_ACTIONS))


def allocation_history(allocation: Any) -> QuerySet[AuditEntry]:
    holder_changes = allocation.holder_changes.values_list("pk", flat=True)
    reports = allocation.annual_reports.values_list("pk", flat=True)
    return _entries(
        about("cases.allocation", allocation.pk)
        | about("cases.holderchange", *holder_changes)
        | about("groups.annualreport", *reports)
    )


def _removed_memberships(**lookup: int) -> list[str]:
    # A removed membership's row is gone; its removal entry names the group and the person, and
    # through its id leads to the rest of that membership's history.
    return list(
        AuditEntry.objects.filter(
            object_type="groups.membership",
            action="membership.removed",
            **{f"changes__{key}": value for key, value in lookup.items()},
        ).values_list("object_id", flat=True)
    )


def group_history(group: Any) -> QuerySet[AuditEntry]:
    memberships = [*group.memberships.values_list("pk", flat=True)]
    memberships += _removed_memberships(group=group.pk)
    return _entries(about("groups.localgroup", group.pk) | about("groups.membership", *memberships))


def membership_history(membership_id: int) -> QuerySet[AuditEntry]:
    return _entries(about("groups.membership", membership_id))


def person_history(user: Any) -> QuerySet[AuditEntry]:
    """Changes to the person's account and roles (their memberships, past ones included)."""
    memberships = [*user.memberships.values_list("pk", flat=True)]
    memberships += _removed_memberships(user=user.pk)
    return _entries(about("accounts.user", user.pk) | about("groups.membership", *memberships))


def done_by(user_id: int) -> QuerySet[AuditEntry]:
    """What the person did, latest first."""
    return _entries(Q(actor_id=user_id))
