from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format

from cases.models import Allocation

from .forms import ActivityForm
from .models import Activity
from .services import GroupError, next_report_due, record_activity


def my_cases(request: HttpRequest) -> HttpResponse:
    """A group member's home: one card per case their group works on now."""
    latest = Activity.objects.order_by("-date", "-id")
    allocations = (
        Allocation.objects.visible_to(request.user)
        .open()
        .filter(group__memberships__user=request.user)
        .select_related("case", "case__country", "group", "holder")
        .annotate(
            last_action_on=Max("activities__date"),
            reports_in=Count(
                "annual_reports",
                filter=Q(annual_reports__status__in=["submitted", "acknowledged"]),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("case__people"))
        .order_by("group__name", "case__reference")
    )
    cards = []
    for allocation in allocations:
        allocation.report_due = next_report_due(allocation.started_on, allocation.reports_in)
        cards.append(allocation)
    # The last action of each card in one query, not one per card.
    last_actions = {}
    if cards:
        for activity in latest.filter(allocation__in=cards):
            last_actions.setdefault(activity.allocation_id, activity)
    for allocation in cards:
        allocation.last_action = last_actions.get(allocation.pk)
    return render(request, "groups/my_cases.html", {"allocations": cards})


def record_action(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = get_object_or_404(
        Allocation.objects.visible_to(request.user)
        .active()
        .filter(group__memberships__user=request.user)
        .select_related("case", "group"),
        pk=allocation_id,
    )
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = record_activity(
                allocation,
                kind=data["kind"],
                on=data["date"],
                count=data["count"],
                notes=data["notes"],
                outcome=data["outcome"],
                outcome_notes=data["outcome_notes"],
                actor=request.user,
            )
        except GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Saved: {activity.count} × {activity.get_kind_display().lower()}, "
                f"{date_format(activity.date, 'j F Y')}.",
            )
            return redirect("cases:detail", reference=allocation.case.reference)
    return render(request, "groups/record_action.html", {"allocation": allocation, "form": form})
