"""Case requests: a group asks IAR for cases before a meeting; staff answer them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required
from cases.models import Case

from . import matching, services
from .forms import CaseRequestForm, FulfilRequestForm
from .matching import MATCH_LIMIT
from .models import CaseRequest, LocalGroup
from .services_requests import cancel_case_request

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class RequestRow(TypedDict):
    """An open request on the staff list, marked when its meeting is close."""

    short_notice: bool


# Less notice than this before the meeting, and staff see the request flagged.
SHORT_NOTICE = timedelta(weeks=3)


def request_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = LocalGroup.objects.filter(memberships__user=request.user, is_active=True)
    if not groups.exists():
        return render(request, "groups/request_cases.html", {"form": None, "previous": []})
    form = CaseRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_cases(
                data["group"],
                number=data["number"],
                meeting_date=data["meeting_date"],
                regions=data["regions"],
                themes=data["themes"],
                notes=data["notes"],
                actor=request.user,
            )
        except services.GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Thank you: IAR has your request for {data['number']} case(s) for "
                f"{data['group'].name}. We will reply before your meeting.",
            )
            return redirect("case_requests:request_cases")
    previous = (
        CaseRequest.objects.filter(group__in=groups)
        .select_related("group")
        .order_by("-created_at")[:10]
    )
    return render(request, "groups/request_cases.html", {"form": form, "previous": previous})


@require_POST
def cancel_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member cancels their group's open request; another group's request is not found."""
    case_request = get_object_or_404(
        CaseRequest.objects.filter(
            group__memberships__user=request.user, group__is_active=True
        ).distinct(),
        pk=pk,
    )
    try:
        cancel_case_request(case_request, actor=request.user)
    except services.GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your request is cancelled. IAR have been told.")
    return redirect("case_requests:request_cases")


@staff_required
def case_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    open_requests = cast(
        "list[WithAnnotations[CaseRequest, RequestRow]]",
        list(
            CaseRequest.objects.filter(status=CaseRequest.Status.OPEN)
            .select_related("group", "requested_by")
            .prefetch_related("preferred_regions", "preferred_themes")
            .order_by("meeting_date", "created_at")
        ),
    )
    for case_request in open_requests:
        case_request.short_notice = case_request.meeting_date - today < SHORT_NOTICE
    recent = (
        CaseRequest.objects.exclude(status=CaseRequest.Status.OPEN)
        .select_related("group", "fulfilled_by")
        .order_by("-fulfilled_at", "-created_at")[:10]
    )
    return render(
        request,
        "groups/staff/case_requests.html",
        {"open_requests": open_requests, "recent": recent},
    )


@staff_required
def case_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case_request = get_object_or_404(
        CaseRequest.objects.select_related("group", "requested_by").prefetch_related(
            "preferred_regions", "preferred_themes"
        ),
        pk=pk,
    )
    ranked = matching.rank_cases_for_group(case_request.group, case_request, limit=MATCH_LIMIT)
    form = FulfilRequestForm(
        request.POST or None,
        cases=Case.objects.filter(pk__in=[m.obj.pk for m in ranked]),
        number=case_request.number,
    )
    if (
        request.method == "POST"
        and case_request.status == CaseRequest.Status.OPEN
        and form.is_valid()
    ):
        data = form.cleaned_data
        try:
            services.fulfil_case_request(
                case_request,
                cases=data["cases"],
                response=data["response"],
                direct=data["how"] == "direct",
                actor=request.user,
            )
        except services.GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Answered the request of {case_request.group.name}; they have been told."
            )
            return redirect("case_requests:case_requests")
    context = {
        "case_request": case_request,
        "matches": ranked,
        "form": form,
        "short_notice": case_request.meeting_date - timezone.localdate() < SHORT_NOTICE,
    }
    return render(request, "groups/staff/case_request.html", context)
