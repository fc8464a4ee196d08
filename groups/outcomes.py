"""Outcomes reach people: when a group records a reply from an authority, a release or an
improvement, the case's coordinator hears of it at once (IAR when the case has none), and a
release is told to IAR too, since it may end the case.
"""

from __future__ import annotations

from django.utils.formats import date_format

from cases.models import Case
from cases.services import notify_iar
from cases.services.common import coordinator_case_url
from notifications.services import notify_user

from .models import Activity

TEMPLATE = "activity-outcome"


def tell_outcome(activity: Activity, *, previous: str = "") -> None:
    """Queue the notices for an activity's outcome, inside the caller's transaction. Nothing when
    there is no outcome or it has not changed; the same outcome is never told twice."""
    if not activity.outcome or activity.outcome == previous:
        return
    allocation = activity.allocation
    case = allocation.case
    # An email is for nobody in particular: a sensitive case's notes stay on the site.
    public = case.sensitivity == Case.Sensitivity.PUBLIC
    context = {
        "reference": case.reference,
        "case_title": case.title if case.may_be_named_to(None) else "",
        "group_name": allocation.group.name,
        "outcome": activity.outcome,
        "outcome_label": activity.get_outcome_display(),
        "on": date_format(activity.date, "j F Y"),
        "notes": activity.outcome_notes if public else "",
        "case_url": coordinator_case_url(case),
    }
    key = f"outcome:{activity.pk}:{activity.outcome}"
    coordinator = case.coordinator
    if coordinator is not None:
        notify_user(coordinator.user, key=key, template=TEMPLATE, context=context, case=case)
    if coordinator is None or activity.outcome == Activity.Outcome.RELEASE:
        notify_iar(key=key, template=TEMPLATE, context=context, case=case)
