"""IAR staff record what post groups send back: stop slips, offer slips, handwritten reports."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest, staff_required
from accounts.models import User
from cases.models import Allocation

from . import post_returns
from .forms_post import OfferAnswerForm, PostedReportForm
from .services import GroupError
from .yearly import report_periods

LIST_LIMIT = 200


def _members(allocation: Allocation) -> QuerySet[User]:
    return User.objects.filter(memberships__group=allocation.group, is_active=True).order_by(
        "full_name", "pk"
    )


@staff_required
def post_returns_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            allocation_id = int(request.POST.get("allocation", ""))
        except ValueError:
            allocation_id = 0
        if action == "stop":
            allocation = get_object_or_404(post_returns.stops_to_confirm(), pk=allocation_id)
            try:
                post_returns.record_stop_by_post(allocation, actor=request.user)
            except GroupError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"Recorded: {allocation.group.name} has stopped work on "
                    f"{allocation.case.reference}.",
                )
            return redirect("groups:post_returns")
        if action == "offer":
            allocation = get_object_or_404(post_returns.open_offers(), pk=allocation_id)
            form = OfferAnswerForm(
                request.POST, members=_members(allocation), prefix=f"o{allocation.pk}"
            )
            if form.is_valid():
                try:
                    post_returns.record_offer_by_post(
                        allocation, holder=form.cleaned_data["holder"], actor=request.user
                    )
                except GroupError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(
                        request,
                        f"Recorded: {allocation.group.name} takes {allocation.case.reference}.",
                    )
                return redirect("groups:post_returns")
            messages.error(request, "Choose the casefile holder the group named.")
            return redirect("groups:post_returns")
    offers = [
        (allocation, OfferAnswerForm(members=_members(allocation), prefix=f"o{allocation.pk}"))
        for allocation in post_returns.open_offers()[:LIST_LIMIT]
    ]
    return render(
        request,
        "groups/staff/post_returns.html",
        {
            "stops": post_returns.stops_to_confirm()[:LIST_LIMIT],
            "offers": offers,
            "allocations": post_returns.active_allocations()[:LIST_LIMIT],
        },
    )


@staff_required
def posted_report(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    allocation = get_object_or_404(post_returns.active_allocations(), pk=allocation_id)
    periods = report_periods(allocation)
    form = PostedReportForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            post_returns.record_report_by_post(
                allocation, period_start=data.pop("period_start"), actor=request.user, **data
            )
        except GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"The report from {allocation.group.name} is recorded as received by post and "
                "sent to the country coordinator.",
            )
            return redirect("groups:post_returns")
    return render(
        request,
        "groups/staff/posted_report.html",
        {
            "allocation": allocation,
            "form": form,
            "has_periods": form.has_periods,
        },  # type: ignore[attr-defined]
    )
