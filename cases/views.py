from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from groups.models import Activity
from iar_site import audit, roles

from .models import Allocation, Case


def can_read_confidential(user, case: Case, allocations: list[Allocation]) -> bool:
    """A confidential summary is for staff, the case's coordinators and the casefile holders."""
    user_roles = roles.roles_of(user)
    if roles.STAFF in user_roles:
        return True
    if case.country.coordinators.filter(user=user).exists():
        return True
    return any(a.holder_id == user.pk and a.is_open for a in allocations)


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.visible_to(request.user)
        .select_related("country", "country__region", "coordinator__user")
        .prefetch_related("themes", "people"),
        reference=reference,
    )
    user = request.user
    user_roles = roles.roles_of(user)
    sees_all_groups = bool({roles.STAFF, roles.COORDINATOR} & user_roles) and (
        roles.STAFF in user_roles or case.country.coordinators.filter(user=user).exists()
    )
    allocations = Allocation.objects.visible_to(user).filter(case=case).open()
    if not sees_all_groups:
        allocations = allocations.filter(group__memberships__user=user)
    allocations = list(allocations.select_related("group", "holder").order_by("group__name"))

    show_summary = case.sensitivity != Case.Sensitivity.CONFIDENTIAL or can_read_confidential(
        user, case, allocations
    )
    if case.sensitivity == Case.Sensitivity.CONFIDENTIAL and show_summary:
        audit.record("case.viewed_confidential", case, actor=user)

    activities = (
        Activity.objects.visible_to(user)
        .filter(allocation__in=allocations)
        .select_related("allocation__group", "recorded_by")
        .order_by("-date", "-id")[:15]
    )
    own_active = [
        a for a in allocations if a.status == Allocation.Status.ACTIVE and not sees_all_groups
    ]
    context = {
        "case": case,
        "targets": case.current_targets(),
        "document": case.current_document(),
        "allocations": allocations,
        "activities": activities,
        "show_summary": show_summary,
        "sees_all_groups": sees_all_groups,
        "record_allocation": own_active[0] if own_active else None,
    }
    return render(request, "cases/detail.html", context)
