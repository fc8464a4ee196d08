from __future__ import annotations

from django.db.models import Max, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.models import Allocation, Case


def coordinator_home(request: HttpRequest) -> HttpResponse:
    """A coordinator's cases by country, with the groups working on each."""
    allocations = (
        Allocation.objects.open()
        .select_related("group", "holder")
        .annotate(last_action=Max("activities__date"))
        .order_by("group__name")
    )
    cases = (
        Case.objects.visible_to(request.user)
        .exclude(status=Case.Status.DRAFT)
        .filter(country__coordinators__user=request.user)
        .select_related("country")
        .prefetch_related(Prefetch("allocations", queryset=allocations, to_attr="open_allocations"))
        .order_by("country__name", "status", "reference")
    )
    by_country: dict[str, list[Case]] = {}
    for case in cases:
        by_country.setdefault(case.country.name, []).append(case)
    return render(request, "coordinators/home.html", {"by_country": by_country})
