"""A case's campaign targets and casefile documents: the coordinator's pages that change them
(reached from the coordinator's workspace, under /coordinator/), the versions' history, and the
one casefile download."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest, manages, may_read_case

from . import services
from .downloads import casefile_response
from .forms import CasefileForm, RetireTargetForm, TargetForm
from .models import CampaignTarget, Case
from .services import CaseError


def _managed_case(request: AuthenticatedHttpRequest, reference: str) -> Case:
    return get_object_or_404(
        Case.objects.managed_by(request.user).select_related("country", "coordinator__user"),
        reference=reference,
    )


# ---- Casefile documents ---------------------------------------------------------------------


def casefile_history(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    documents = case.documents.select_related("uploaded_by").order_by("-version")
    may_download = may_read_case(request.user, case)
    return render(
        request,
        "cases/casefile_history.html",
        {
            "case": case,
            "documents": documents,
            "may_download": may_download,
            "is_manager": manages(request.user, case),
        },
    )


def casefile_download(request: AuthenticatedHttpRequest, document_id: int) -> FileResponse:
    return casefile_response(request.user, document_id)


def casefile_upload(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _managed_case(request, reference)
    form = CasefileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.upload_casefile(
                case,
                title=data["title"],
                notes=data["notes"],
                upload=data["file"],
                actor=request.user,
            )
        except CaseError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request, f"Casefile version {document.version} uploaded. Groups see it now."
            )
            return redirect("coordinators:case", case.reference)
    return render(request, "cases/casefile_form.html", {"case": case, "form": form})


# ---- Campaign targets -----------------------------------------------------------------------


def target_add(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _managed_case(request, reference)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_target(case, data=data, valid_from=data["valid_from"], actor=request.user)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _targets_message(case))
            return redirect("coordinators:case", case.reference)
    return render(request, "cases/target_form.html", {"case": case, "form": form, "target": None})


def _targets_message(case: Case) -> str:
    if case.status == Case.Status.OPEN:
        return "Target saved. Every group on the case has been told that the targets changed."
    return (
        "Target saved. Work on the case is paused, so the 'targets changed' update is kept as a "
        "draft for you to publish when work resumes."
    )


def _managed_target(request: AuthenticatedHttpRequest, target_id: int) -> CampaignTarget:
    return get_object_or_404(
        CampaignTarget.objects.filter(
            case__in=Case.objects.managed_by(request.user)
        ).select_related("case"),
        pk=target_id,
    )


def target_edit(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    target = _managed_target(request, target_id)
    case = target.case
    if target.valid_to is not None:
        messages.info(request, "That target was already replaced or retired.")
        return redirect("coordinators:case", case.reference)
    initial = {field: getattr(target, field) for field in services.TARGET_FIELDS}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_target(
                target, data=data, valid_from=data["valid_from"], actor=request.user
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _targets_message(case))
            return redirect("coordinators:case", case.reference)
    return render(request, "cases/target_form.html", {"case": case, "form": form, "target": target})


def target_retire(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    target = _managed_target(request, target_id)
    case = target.case
    if target.valid_to is not None:
        messages.info(request, "That target was already replaced or retired.")
        return redirect("coordinators:case", case.reference)
    form = RetireTargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_target(target, on=form.cleaned_data["on"], actor=request.user)
        except CaseError as exc:
            form.add_error("on", str(exc))
        else:
            messages.success(request, _targets_message(case))
            return redirect("coordinators:case", case.reference)
    return render(
        request, "cases/target_retire.html", {"case": case, "form": form, "target": target}
    )
