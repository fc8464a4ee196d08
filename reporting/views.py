from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import AuthenticatedHttpRequest
from cases.models import Allocation, Case
from coordinators.querysets import silent_cases
from groups.models import LocalGroup

HOME_LIST_LIMIT = 25


def staff_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """IAR staff land on what needs allocating: cases short of groups, groups short of cases."""
    cases_needing = (
        Case.objects.visible_to(request.user)
        .filter(status=Case.Status.OPEN)
        # The case's own counter of open allocations (cases.counts), not a join and a count.
        .annotate(open_groups=F("open_allocations"))
        .filter(open_groups__lt=F("max_groups"))
        .select_related("country", "country__region")
        .order_by("open_groups", "opened_on")
    )
    groups_waiting = (
        LocalGroup.objects.visible_to(request.user)
        .filter(is_active=True)
        # The group's own counter of open cases (cases.counts), read in order from the
        # `group_waiting` index, not a count of every group's allocations.
        .filter(open_cases__lt=F("capacity"))
        .order_by("open_cases", "name")
    )
    holder_needed = (
        Allocation.objects.visible_to(request.user)
        .active()
        .filter(holder__isnull=True)
        .select_related("case", "group")
        .order_by("started_on")
    )
    silent = silent_cases()
    context = {
        "silent_cases": silent[:HOME_LIST_LIMIT],
        "silent_total": silent.count(),
        "silence_days": settings.COORDINATOR_SILENCE_DAYS,
        "cases_needing": cases_needing[:HOME_LIST_LIMIT],
        "cases_needing_total": cases_needing.count(),
        "groups_waiting": groups_waiting[:HOME_LIST_LIMIT],
        "groups_waiting_total": groups_waiting.count(),
        "holder_needed": holder_needed[:HOME_LIST_LIMIT],
        "holder_needed_total": holder_needed.count(),
    }
    return render(request, "reporting/staff_home.html", context)
