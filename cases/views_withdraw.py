"""IAR take a group off a case, with a reason the group is told."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest, staff_required

from .models import Allocation
from .services import CaseError
from .services.loose_ends import withdraw_group


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why the group is taken off the case",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The group is told this (on a confidential case it stays with IAR). "
        "The group will never be proposed for this case again.",
        error_messages={"required": "Give the reason: the group is told it."},
    )


@staff_required
def withdraw(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    allocation = get_object_or_404(
        Allocation.objects.open().select_related("case", "group"), pk=allocation_id
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_group(allocation, reason=form.cleaned_data["reason"], actor=request.user)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{allocation.group.name} no longer works on the case.")
            return redirect("staff:case", allocation.case.reference)
    return render(request, "cases/staff/withdraw.html", {"allocation": allocation, "form": form})
