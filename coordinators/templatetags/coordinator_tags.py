"""The coordinator's news on the case page, without the case page's view having to know of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import timezone

from accounts.access import is_coordinator, is_staff, manages
from cases.models import Allocation, Case
from groups.models import AnnualReport, Membership

from ..models import CaseUpdate, CaseUpdateNotice

register = template.Library()

PANEL_UPDATES = 5


@register.simple_tag(takes_context=True)
def case_updates_panel(context: template.Context, case: Case) -> dict[str, Any] | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or case is None:
        return None
    # What the including view has already read for this very case, offered in the context
    # (`case_updates_given`, see `given_for`): its scoped lookup of the case is the proof that
    # the user sees it, and its casefile and reports need not be read a second time.
    given = given_for(context, case)
    # Without that proof, the check keeps the panel safe wherever it is included.
    if given is None and not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        return None
    # Only staff and coordinators manage cases: a member's page asks nothing to know they do not.
    is_manager = (is_staff(user) or is_coordinator(user)) and manages(user, case)
    groups = Membership.objects.filter(user=user).values("group_id")
    unread = list(
        CaseUpdateNotice.objects.filter(
            update__case=case,
            update__status=CaseUpdate.Status.PUBLISHED,
            allocation__group_id__in=groups,
            allocation__status=Allocation.Status.ACTIVE,
            read_at__isnull=True,
        ).select_related("update")
    )
    updates = list(
        case.updates.filter(status=CaseUpdate.Status.PUBLISHED).order_by("-published_at")[
            : PANEL_UPDATES + 1
        ]
    )
    document = given["document"] if given is not None else case.current_document()
    # The same rule as the download itself (holder, coordinator and IAR staff only), answered
    # once for the page: the case's name on it asks the same question (`may_read_case`).
    may_download = case.may_be_named_to(user)
    return {
        "is_manager": is_manager,
        "unread_targets": [n for n in unread if n.update.kind == CaseUpdate.Kind.TARGETS_CHANGED],
        "unread_ids": {n.update_id for n in unread},
        "updates": updates[:PANEL_UPDATES],
        "more": len(updates) > PANEL_UPDATES,
        "document": document,
        "may_download": may_download,
        "acknowledged_reports": _latest_acknowledged(given["reports"])
        if given is not None
        else _acknowledged_reports(user, case, groups),
    }


def given_for(context: template.Context, case: Case) -> dict[str, Any] | None:
    """What the view gave the panel for this case (`case_updates_given`: `case_pk`, its current
    `document`, and the `reports` of the active allocation the page is about), or None. Given for
    another case it counts for nothing."""
    given = context.get("case_updates_given")
    if not isinstance(given, dict) or given.get("case_pk") != case.pk:
        return None
    return given


def _latest_acknowledged(reports: Iterable[AnnualReport]) -> list[AnnualReport]:
    """As `_acknowledged_reports` orders them (a missing date first), from reports in hand."""
    done = [r for r in reports if r.status == AnnualReport.Status.ACKNOWLEDGED]
    return sorted(done, key=lambda r: r.acknowledged_at or timezone.now())[-1:]


def _acknowledged_reports(user: Any, case: Case, groups: Any) -> list[AnnualReport]:
    acknowledged = (
        AnnualReport.objects.visible_to(user)
        .filter(
            allocation__case=case,
            allocation__group_id__in=groups,
            allocation__status=Allocation.Status.ACTIVE,
            status=AnnualReport.Status.ACKNOWLEDGED,
        )
        .select_related("allocation__group", "acknowledged_by")
        .order_by("-acknowledged_at")[:1]
    )
    return list(acknowledged)
