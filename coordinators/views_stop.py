"""Asking IAR to stop a case (coordinators) and answering the request (IAR staff)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.access import AuthenticatedHttpRequest, coordinator_required, staff_required
from cases.models import Case

from . import stop_requests
from .forms import RefuseStopForm, StopRequestForm
from .models import StopRequest
from .services import CoordinatorError


@coordinator_required
def request_stop(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.managed_by(request.user).select_related("country"), reference=reference
    )
    waiting = case.stop_requests.filter(status=StopRequest.Status.WAITING).first()
    form = StopRequestForm(request.POST or None)
    if request.method == "POST" and waiting is None and form.is_valid():
        try:
            stop_requests.request_stop(
                case,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                actor=request.user,
            )
        except CoordinatorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "IAR have your request to stop the case. We will tell you.")
            return redirect("coordinators:case", case.reference)
    return render(
        request, "coordinators/stop_request.html", {"case": case, "form": form, "waiting": waiting}
    )


@staff_required
def waiting(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "coordinators/stop_requests.html",
        {"waiting": stop_requests.waiting_stop_requests()[:100], "form": RefuseStopForm()},
    )


@staff_required
def decide(request: AuthenticatedHttpRequest, stop_id: int) -> HttpResponse:
    stop = get_object_or_404(StopRequest.objects.select_related("case"), pk=stop_id)
    if request.method != "POST":
        return redirect("stop_requests:waiting")
    reference = stop.case.reference
    try:
        if request.POST.get("decision") == "confirm":
            stop_requests.confirm_stop_request(stop, actor=request.user)
            messages.success(
                request, f"{reference} is stopped. The groups and coordinator are told."
            )
        elif request.POST.get("decision") == "refuse":
            form = RefuseStopForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "coordinators/stop_requests.html",
                    {
                        "waiting": stop_requests.waiting_stop_requests()[:100],
                        "form": form,
                        "blank_form": RefuseStopForm(),
                        "refusing": stop.pk,
                    },
                    status=400,
                )
            stop_requests.refuse_stop_request(
                stop, reason=form.cleaned_data["refusal_reason"], actor=request.user
            )
            messages.success(request, f"{reference} goes on. The coordinator is told why.")
        else:
            messages.error(request, "Choose whether to stop the case or not.")
    except CoordinatorError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("stop_requests:waiting"))
