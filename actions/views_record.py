"""Recording what a group sent on an Urgent Action, a bundle or a one-off action: the same three
steps as recording an action on a long-term case (what, when, how many), each a whole page without
JavaScript and, under htmx, the step alone swapped in place of the last."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import AuthenticatedHttpRequest
from groups.forms import DateStepForm, KindStepForm

from . import services
from .forms import RecordStepForm
from .models import ActionBundle, ActionRecord, OneOffAction, UrgentAction
from .views import my_groups

# Where "Cancel" goes back to, by the kind of action in the address.
SUBJECT_PAGES = {
    "ua": "actions:ua_detail",
    "bundle": "actions:bundle",
    "one-off": "actions:one_off",
}

# A one-off card or email action offers its own kind first: the button most people want.
FIRST_KIND: dict[str, str] = {
    OneOffAction.Kind.CARD: ActionRecord.Kind.CARDS,
    OneOffAction.Kind.EMAIL: ActionRecord.Kind.EMAILS,
}


def _subject(request: AuthenticatedHttpRequest, what: str, pk: int) -> Any:
    if what == "ua":
        return get_object_or_404(
            UrgentAction.objects.visible_to(request.user).exclude(status="draft"), pk=pk
        )
    if what == "bundle":
        return get_object_or_404(ActionBundle.objects.filter(status="published"), pk=pk)
    if what == "one-off":
        return get_object_or_404(OneOffAction.objects.visible_to(request.user), pk=pk)
    raise Http404("No such action")


def kinds_for(subject: Any) -> list[tuple[str, str]]:
    kinds = list(ActionRecord.Kind.choices)
    first = FIRST_KIND.get(subject.kind) if isinstance(subject, OneOffAction) else None
    # A stable sort: the one kind moves to the front, the others keep their order.
    return sorted(kinds, key=lambda choice: choice[0] != first) if first else kinds


def _record_step(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    """A step: the whole page, or under htmx the step alone (as casework's steps)."""
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "actions/_record_step.html", {**context, "partial": True})
    else:
        response = render(request, "actions/record.html", context)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def record(request: AuthenticatedHttpRequest, what: str, pk: int) -> HttpResponse:
    """Three steps that work without JavaScript: what was sent and when travel in the query
    string, then in hidden fields of the last form, which alone writes (through the service)."""
    subject = _subject(request, what, pk)
    groups = my_groups(request.user)
    if not groups:
        raise PermissionDenied
    kinds = kinds_for(subject)
    context: dict[str, Any] = {
        "subject": subject,
        "subject_url": reverse(SUBJECT_PAGES[what], args=[subject.pk]),
        "group": groups[0] if len(groups) == 1 else None,
    }
    today = timezone.localdate()
    if request.method == "POST":
        form = RecordStepForm(request.POST, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.record_action(
                    data["group"],
                    subject=subject,
                    kind=data["kind"],
                    count=data["count"],
                    on=data["date"],
                    notes=data["notes"],
                    actor=request.user,
                )
            except services.ActionsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Thank you. {saved.count} {saved.get_kind_display().lower()} recorded "
                    f"for {saved.group.name}. Every letter counts.",
                )
                log_url = reverse("actions:log", kwargs={"group_id": saved.group.pk})
                if request.htmx:
                    # The log loads whole (a redirect inside htmx would swap it in place of the
                    # step); it shows the thank-you.
                    return HttpResponseClientRedirect(log_url)
                return redirect(log_url)
        kind = request.POST.get("kind", "")
        context.update(
            kind=kind,
            kind_label=dict(ActionRecord.Kind.choices).get(kind, ""),
            chosen_date=getattr(form, "cleaned_data", {}).get("date"),
        )
        return _record_step(request, {**context, "step": 3, "form": form})

    if "kind" not in request.GET:
        return _record_step(request, {**context, "step": 1, "kinds": kinds})
    kind_form = KindStepForm(request.GET, kinds=kinds)
    if not kind_form.is_valid():
        return _record_step(request, {**context, "step": 1, "kinds": kinds, "form": kind_form})
    kind = kind_form.cleaned_data["kind"]
    context.update(kind=kind, kind_label=ActionRecord.Kind(kind).label)
    dates = {"today": today, "yesterday": today - timedelta(days=1)}
    when = request.GET.get("when")
    typed = request.GET.get("date", "").strip()
    if "date" not in request.GET and when is None:
        date_form = DateStepForm(initial={"kind": kind}, kinds=kinds)
        return _record_step(request, {**context, **dates, "step": 2, "date_form": date_form})
    # A typed date wins: pressing Enter in the date box submits with the first button.
    if not typed and when in dates:
        typed = dates[when].isoformat()
    date_form = DateStepForm({"kind": kind, "date": typed}, kinds=kinds)
    if not date_form.is_valid():
        return _record_step(request, {**context, **dates, "step": 2, "date_form": date_form})
    chosen = date_form.cleaned_data["date"]
    form = RecordStepForm(initial={"kind": kind, "date": chosen, "count": 1}, groups=groups)
    return _record_step(request, {**context, "step": 3, "form": form, "chosen_date": chosen})
