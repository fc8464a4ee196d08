"""Staff create, edit, close and reopen local groups in the site; writes go through
groups.services_manage."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required
from cases.models import Allocation

from . import services_manage
from .forms_manage import DeactivateGroupForm, StaffGroupForm
from .models import LocalGroup
from .services import GroupError


def _edit(request: AuthenticatedHttpRequest, group: LocalGroup | None) -> HttpResponse:
    form = StaffGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        values: dict[str, Any] = {
            name: form.cleaned_data[name] for name in services_manage.GROUP_FIELDS
        }
        try:
            saved = services_manage.save_group(
                group,
                values=values,
                regions=form.cleaned_data["preferred_regions"],
                themes=form.cleaned_data["preferred_themes"],
                actor=request.user,
            )
        except GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("group_manage:edit", pk=saved.pk)
    return render(request, "groups/manage/edit.html", {"group": group, "form": form})


@staff_required
def create_group(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@staff_required
def edit_group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(LocalGroup, pk=pk))


@staff_required
def deactivate_group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(LocalGroup, pk=pk)
    form = DeactivateGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cases = services_manage.deactivate_group(group, actor=request.user)
        except GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{group.name} is closed.")
            return render(
                request, "groups/manage/deactivated.html", {"group": group, "cases": cases}
            )
    allocations = (
        Allocation.objects.filter(group=group)
        .open()
        .select_related("case")
        .order_by("case__reference")
    )
    context = {"group": group, "form": form, "allocations": allocations}
    return render(request, "groups/manage/deactivate.html", context)


@staff_required
@require_POST
def reactivate_group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(LocalGroup, pk=pk)
    services_manage.reactivate_group(group, actor=request.user)
    messages.success(request, f"{group.name} is active again.")
    return redirect("group_manage:edit", pk=group.pk)
