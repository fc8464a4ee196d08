"""Staff create and edit cases in the site (not the admin), open them for matching and archive
them; every write goes through cases.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required

from . import services
from .forms_manage import ArchiveCaseForm, CaseForm, PeopleFormSet, people_from
from .models import Case, CasePerson


def _case(request: AuthenticatedHttpRequest, reference: str) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).prefetch_related(
            Prefetch("people", queryset=CasePerson.objects.order_by("id"))
        ),
        reference=reference,
    )


def _edit(request: AuthenticatedHttpRequest, case: Case | None) -> HttpResponse:
    if request.method == "POST":
        form = CaseForm(request.POST, instance=case)
        people = PeopleFormSet(request.POST, prefix="people")
        if form.is_valid() and people.is_valid():
            values: dict[str, Any] = {
                name: form.cleaned_data[name] for name in services.CASE_FIELDS
            }
            try:
                saved = services.save_case(
                    case,
                    values=values,
                    themes=form.cleaned_data["themes"],
                    people=people_from(people),
                    actor=request.user,
                )
            except services.CaseError as exc:
                form.add_error(None, str(exc))
            else:
                verb = "Saved" if case else "Created the draft case"
                messages.success(request, f"{verb} {saved.reference}.")
                return redirect("case_manage:edit", reference=saved.reference)
    else:
        form = CaseForm(instance=case)
        initial = (
            [{"name": p.name, "gender": p.gender, "role": p.role} for p in case.people.all()]
            if case
            else []
        )
        people = PeopleFormSet(prefix="people", initial=initial)
    return render(request, "cases/manage/edit.html", {"case": case, "form": form, "people": people})


@staff_required
def create_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@staff_required
def edit_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    return _edit(request, _case(request, reference))


@staff_required
@require_POST
def open_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    try:
        services.open_case(case, actor=request.user)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{case.reference} is open: you can now offer it to groups.")
    return redirect("case_manage:edit", reference=case.reference)


@staff_required
def archive_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = ArchiveCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.archive_case(case, reason=form.cleaned_data["reason"], actor=request.user)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{case.reference} is archived.")
            return redirect("staff:case", reference=case.reference)
    return render(request, "cases/manage/archive.html", {"case": case, "form": form})
