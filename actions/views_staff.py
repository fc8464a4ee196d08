"""IAR staff pages: write, preview and publish Urgent Actions, bundles and one-off actions, and
answer a group's request for cases with one-off actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required
from groups.models import CaseRequest

from . import services
from .forms import (
    AttachOneOffsForm,
    BundleForm,
    OneOffForm,
    TargetFormSet,
    UrgentActionForm,
    target_initial,
    target_values,
)
from .models import ActionBundle, OneOffAction, UrgentAction


@staff_required
def staff_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "actions/staff/index.html",
        {
            "drafts": UrgentAction.objects.filter(status="draft").select_related("country"),
            "recent": UrgentAction.objects.exclude(status="draft")
            .select_related("country")
            .newest_first()[:20],
            "bundles": ActionBundle.objects.all()[:12],
            "one_offs": OneOffAction.objects.filter(is_active=True)[:20],
        },
    )


def _ua_initial(ua: UrgentAction) -> dict[str, Any]:
    return {
        "reference": ua.reference,
        "title": ua.title,
        "country": ua.country_id,
        "themes": list(ua.themes.all()),
        "issued_on": ua.issued_on,
        "deadline": ua.deadline,
        "summary": ua.summary,
        "suggested_letter": ua.suggested_letter,
        "language_notes": ua.language_notes,
    }


def _ua_form_page(
    request: AuthenticatedHttpRequest,
    *,
    ua: UrgentAction | None = None,
    original: UrgentAction | None = None,
) -> HttpResponse:
    follow_up = original is not None
    if ua is not None:
        initial, targets = _ua_initial(ua), target_initial(ua.targets.all())
    elif original is not None:
        initial = {**_ua_initial(original), "issued_on": timezone.localdate()}
        targets = target_initial(original.targets.all())
    else:
        initial, targets = {}, []
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = UrgentActionForm(data, files, initial=initial, follow_up=follow_up)
    formset = TargetFormSet(data, initial=targets, prefix="targets")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        values = dict(form.cleaned_data)
        if follow_up:
            values["reference"] = original.reference  # type: ignore[union-attr]
        try:
            saved = services.save_urgent_action(
                ua,
                values=values,
                themes=values["themes"],
                targets=target_values(formset),
                document=values.get("document"),
                follow_up_of=original,
                follow_up_kind=values.get("follow_up_kind", ""),
                actor=request.user,
            )
        except services.ActionsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved as a draft. Check the preview, then publish it.")
            return redirect("actions:ua_detail", pk=saved.pk)
    return render(
        request,
        "actions/staff/ua_form.html",
        {"form": form, "formset": formset, "ua": ua, "original": original},
    )


@staff_required
def ua_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _ua_form_page(request)


@staff_required
def ua_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ua = get_object_or_404(UrgentAction, pk=pk, status=UrgentAction.Status.DRAFT)
    return _ua_form_page(request, ua=ua, original=ua.follow_up_of)


@staff_required
def ua_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    original: UrgentAction = get_object_or_404(UrgentAction.objects.exclude(status="draft"), pk=pk)
    return _ua_form_page(request, original=original.follow_up_of or original)


@staff_required
@require_POST
def ua_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ua = get_object_or_404(UrgentAction, pk=pk)
    _publish(request, lambda: services.publish_urgent_action(ua, actor=request.user), ua.reference)
    return redirect("actions:ua_detail", pk=ua.pk)


def _publish(request: AuthenticatedHttpRequest, publish: Callable[[], int], name: str) -> None:
    """Publish through the service and say how many groups it went to, or why it could not."""
    try:
        sent = publish()
    except services.ActionsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Published {name}; sent to {sent} group(s).")


# ---- Bundles ----------------------------------------------------------------------------------


def _bundle_form_page(
    request: AuthenticatedHttpRequest, bundle: ActionBundle | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if bundle is not None:
        initial = {
            "kind": bundle.kind,
            "title": bundle.title,
            "introduction": bundle.introduction,
            "cases": list(bundle.cases.all()),
            "urgent_actions": list(bundle.urgent_actions.all()),
            "one_offs": list(bundle.one_offs.all()),
        }
    form = BundleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_bundle(
                bundle,
                kind=data["kind"],
                title=data["title"],
                introduction=data["introduction"],
                cases=data["cases"],
                urgent_actions=data["urgent_actions"],
                one_offs=data["one_offs"],
                actor=request.user,
            )
        except services.ActionsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved. Check the preview, then publish it.")
            return redirect("actions:bundle", pk=saved.pk)
    return render(request, "actions/staff/bundle_form.html", {"form": form, "bundle": bundle})


@staff_required
def bundle_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _bundle_form_page(request, None)


@staff_required
def bundle_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _bundle_form_page(
        request, get_object_or_404(ActionBundle, pk=pk, status=ActionBundle.Status.DRAFT)
    )


@staff_required
@require_POST
def bundle_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bundle = get_object_or_404(ActionBundle, pk=pk)
    _publish(request, lambda: services.publish_bundle(bundle, actor=request.user), bundle.title)
    return redirect("actions:bundle", pk=bundle.pk)


# ---- One-off actions --------------------------------------------------------------------------


def _one_off_form_page(
    request: AuthenticatedHttpRequest, one_off: OneOffAction | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    targets: list[dict[str, str]] = []
    if one_off is not None:
        initial = {
            "kind": one_off.kind,
            "title": one_off.title,
            "country": one_off.country_id,
            "case": one_off.case_id,
            "deadline": one_off.deadline,
            "text": one_off.text,
        }
        targets = target_initial(one_off.targets.all())
    data = request.POST if request.method == "POST" else None
    form = OneOffForm(data, initial=initial)
    formset = TargetFormSet(data, initial=targets, prefix="targets")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.save_one_off(
                one_off,
                values=form.cleaned_data,
                targets=target_values(formset),
                actor=request.user,
            )
        except services.ActionsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "One-off action saved.")
            return redirect("actions:one_off", pk=saved.pk)
    return render(
        request,
        "actions/staff/one_off_form.html",
        {"form": form, "formset": formset, "one_off": one_off},
    )


@staff_required
def one_off_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _one_off_form_page(request, None)


@staff_required
def one_off_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _one_off_form_page(request, get_object_or_404(OneOffAction, pk=pk))


@staff_required
def request_one_offs(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case_request = get_object_or_404(CaseRequest.objects.select_related("group"), pk=pk)
    form = AttachOneOffsForm(request.POST or None)
    if (
        request.method == "POST"
        and case_request.status == CaseRequest.Status.OPEN
        and form.is_valid()
    ):
        try:
            services.answer_request_with_one_offs(
                case_request,
                one_offs=form.cleaned_data["one_offs"],
                message=form.cleaned_data["message"],
                actor=request.user,
            )
        except services.ActionsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Answered {case_request.group.name} with one-off actions; they have been told.",
            )
            return redirect("case_requests:case_requests")
    return render(
        request, "actions/staff/request_one_offs.html", {"case_request": case_request, "form": form}
    )
