"""Staff pages reading the audit (a History page per case, allocation, group, membership and
person, and a confidential case's view log), erasing a former member, and every user's page to
download what the system holds about them."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required
from accounts.models import User
from cases.models import Allocation, Case
from groups.models import LocalGroup, Membership
from iar_site.models import AuditEntry

from . import export, history, services
from .forms import EraseForm


def _history_page(
    request: AuthenticatedHttpRequest, *, title: str, back: str, back_label: str, entries, **extra
) -> HttpResponse:
    context = {
        "title": title,
        "back": back,
        "back_label": back_label,
        "rows": history.rows(entries),
        "limit": history.HISTORY_LIMIT,
        **extra,
    }
    return render(request, "privacy/history.html", context)


@require_GET
@staff_required
def case_history(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    return _history_page(
        request,
        title=f"History of {case.reference}",
        back=reverse("staff:case", args=[case.reference]),
        back_label=f"Back to {case.reference}",
        entries=history.case_history(case.pk),
        case=case,
        confidential=case.sensitivity == Case.Sensitivity.CONFIDENTIAL,
    )


@require_GET
@staff_required
def case_view_log(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    return render(
        request,
        "privacy/view_log.html",
        {
            "case": case,
            "rows": history.rows(history.view_log(case.pk)),
            "limit": history.HISTORY_LIMIT,
            "retention_days": services.view_log_retention_days(),
        },
    )


@require_GET
@staff_required
def allocation_history(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    allocation = get_object_or_404(
        Allocation.objects.visible_to(request.user).select_related("case", "group"),
        pk=allocation_id,
    )
    return _history_page(
        request,
        title=f"History of {allocation.group.name}'s work on {allocation.case.reference}",
        back=reverse("staff:case", args=[allocation.case.reference]),
        back_label=f"Back to {allocation.case.reference}",
        entries=history.allocation_history(allocation),
    )


@require_GET
@staff_required
def group_history(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(LocalGroup.objects.visible_to(request.user), pk=group_id)
    return _history_page(
        request,
        title=f"History of {group.name}",
        back=reverse("staff:group", args=[group.pk]),
        back_label=f"Back to {group.name}",
        entries=history.group_history(group),
        members=list(group.memberships.select_related("user")),
    )


@require_GET
@staff_required
def membership_history(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    # A removed membership keeps its history: found by its audit rows when the row is gone.
    membership = Membership.objects.select_related("user", "group").filter(pk=membership_id).first()
    entries = history.membership_history(membership_id)
    if membership is None and not entries:
        raise Http404("No such membership")
    title = f"History of {membership}'s membership" if membership else "History of a membership"
    return _history_page(
        request,
        title=title,
        back=reverse("staff:group", args=[membership.group_id])
        if membership
        else reverse("staff:group_list"),
        back_label=f"Back to {membership.group.name}" if membership else "Back to groups",
        entries=entries,
    )


@require_GET
@staff_required
def person_history(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    return _history_page(
        request,
        title=f"History of {person}",
        back=reverse("admin:accounts_user_change", args=[person.pk]),
        back_label=f"Back to {person}",
        entries=history.person_history(person),
        person=person,
        done_rows=history.rows(history.done_by(person.pk)),
        may_erase=not services.is_erased(person),
    )


@staff_required
def erase(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    if services.is_erased(person):
        messages.info(request, "This person's personal data has already been erased.")
        return redirect("privacy:person_history", user_id=person.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_person(
                person, confirm_email=form.cleaned_data["confirm_email"], actor=request.user
            )
        except services.PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Done. They are now “{services.pseudonym_name(person)}” everywhere, their "
                "memberships have ended and they can no longer sign in.",
            )
            return redirect("privacy:person_history", user_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "blockers": services.erasure_blockers(person),
        "memberships": list(person.memberships.select_related("group")),
        "actions_count": AuditEntry.objects.filter(actor=person).count(),
    }
    return render(request, "privacy/erase.html", context)


@require_GET
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = export.personal_data(request.user)
    return render(request, "privacy/my_data.html", {"sections": export.sections(data)})


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-iar-data-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def my_data_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = export.personal_data(request.user)
    content = json.dumps(data, indent=2, ensure_ascii=False).encode()
    return _download(content, "application/json", "json")


@require_POST
def my_data_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _download(export.pdf_bytes(request.user), "application/pdf", "pdf")
