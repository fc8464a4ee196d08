"""A group sends its news between yearly reports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest
from cases.models import Allocation
from cases.querysets import in_members_group

from .interim import MAX_TEXT, send_interim_report
from .services import GroupError


class InterimReportForm(forms.Form):
    news = forms.CharField(
        label="What has happened since you last reported",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Actions, replies, press coverage, anything the coordinator should know.",
        error_messages={"required": "Tell your coordinator your news before sending."},
    )
    plans = forms.CharField(
        label="What you plan next (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def interim_report(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    # Only the member's own group's active allocation: any other is not found.
    allocation = get_object_or_404(
        Allocation.objects.active()
        .filter(in_members_group(request.user))
        .select_related("case", "case__country", "group"),
        pk=allocation_id,
    )
    form = InterimReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            send_interim_report(
                allocation,
                news=form.cleaned_data["news"],
                plans=form.cleaned_data["plans"],
                actor=request.user,
            )
        except GroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Thank you: your news has gone to the coordinator. Your yearly report "
                "is still due on its date.",
            )
            return redirect("groups:case", allocation.case.reference)
    return render(request, "groups/interim_report.html", {"allocation": allocation, "form": form})
