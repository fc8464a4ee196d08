"""The coordinator's news on the case page, without the case page's view having to know of it."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.access import manages
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
    # The case page itself is scoped; this re-check keeps the panel safe wherever it is included.
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        return None
    is_manager = manages(user, case)
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
    document = case.current_document()
    # The same rule as the download itself (holder, coordinator and IAR staff only), answered
    # once for the page: the case's name on it asks the same question (`may_read_case`).
    may_download = case.may_be_named_to(user)
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
    return {
        "is_manager": is_manager,
        "unread_targets": [n for n in unread if n.update.kind == CaseUpdate.Kind.TARGETS_CHANGED],
        "unread_ids": {n.update_id for n in unread},
        "updates": updates[:PANEL_UPDATES],
        "more": len(updates) > PANEL_UPDATES,
        "document": document,
        "may_download": may_download,
        "acknowledged_reports": list(acknowledged),
    }
