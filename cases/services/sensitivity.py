"""IAR staff say how sensitive a case is. A confidential case's person's name is shown only to
its casefile holder, its coordinator and staff, so the change is audited on its own, whichever
page or admin form makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from accounts.access import is_staff
from iar_site import audit

from ..models import Case
from .common import CaseError, lock_case, reseal_private_fields

if TYPE_CHECKING:
    from accounts.models import User


def set_sensitivity(case: Case, sensitivity: str, *, actor: User) -> Case:
    """Set how sensitive a case is: public, restricted, or confidential (its person's name hidden
    from all but the casefile holder, the coordinator and staff)."""
    if sensitivity not in Case.Sensitivity.values:
        raise CaseError("Choose public, restricted or confidential.")
    if not is_staff(actor):
        raise CaseError("Only IAR staff can change whether a case is confidential.")
    with transaction.atomic():
        case = lock_case(case)
        if case.sensitivity == sensitivity:
            return case
        previous = case.sensitivity
        case.sensitivity = sensitivity
        case.save(update_fields=["sensitivity", "updated_at"])
        # A confidential case's name and story are stored sealed, a public one's plain.
        reseal_private_fields(case)
        audit.record(
            "case.sensitivity_changed",
            case,
            actor=actor,
            changes={"sensitivity": [previous, sensitivity]},
        )
    return case
