"""IAR decides "which actions (public or non-public)" suit a case. Where publicity could put the
person at risk, groups may only write letters, send solidarity and see officials in private; the
change is made by staff with a reason, and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from accounts.access import is_staff
from iar_site import audit

from ..models import Case
from .common import CaseError, lock_case

if TYPE_CHECKING:
    from accounts.models import User


def set_public_action(case: Case, *, allowed: bool, reason: str, actor: User) -> Case:
    """Allow or forbid public action (stalls, media, vigils, petitions, events) on a case."""
    if not is_staff(actor):
        raise CaseError("Only IAR staff can decide whether a case may be publicised.")
    reason = reason.strip()
    if not reason:
        raise CaseError("Say why, so groups and colleagues understand the decision.")
    with transaction.atomic():
        case = lock_case(case)
        if case.public_action_allowed == allowed:
            return case
        case.public_action_allowed = allowed
        case.save(update_fields=["public_action_allowed", "updated_at"])
        # The reason is staff's own words about the decision, kept in the audit trail; it is
        # never sent to groups, so it may mention what the person fears.
        audit.record(
            "case.public_action_changed",
            case,
            actor=actor,
            changes={"public_action_allowed": [not allowed, allowed], "reason": reason[:500]},
        )
    return case
