"""Solidarity: where a group sends messages of support to the person, and a printable card."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import AuthenticatedHttpRequest
from cases.models import Allocation, Case

from . import letters
from .views import _own_case_allocation


class SolidarityForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=3000,
        help_text="Change it as you like. Keep it warm and personal: say nothing about the "
        "case or the authorities, as others may read it first.",
        error_messages={"required": "Write your message."},
    )


def solidarity(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    allocation = _own_case_allocation(request, reference)
    case = allocation.case
    # A confidential case's address usually carries the person's name: only those who may
    # know who the case is about see it and print the card.
    may_name = case.may_be_named_to(request.user)
    context: dict = {
        "case": case,
        "allocation": allocation,
        "may_name": may_name,
        "address_lines": letters.solidarity_address_lines(case) if may_name else [],
        "blocked": allocation.status != Allocation.Status.ACTIVE or case.status != Case.Status.OPEN,
    }
    can_print = bool(context["address_lines"]) and not context["blocked"]
    if request.method == "POST" and can_print:
        form = SolidarityForm(request.POST)
        if form.is_valid():
            document = letters.solidarity_document(
                case=case, text=form.cleaned_data["text"], on=timezone.localdate()
            )
            response = HttpResponse(letters.pdf_bytes(document), content_type="application/pdf")
            filename = letters.solidarity_filename(case)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    else:
        form = SolidarityForm(
            initial={
                "text": letters.suggested_solidarity_message(
                    case, allocation.group, may_name=may_name
                )
            }
        )
    context.update(form=form, can_print=can_print)
    return render(request, "groups/solidarity.html", context)
