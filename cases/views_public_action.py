"""The staff page where IAR decides whether a case may be publicised."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest, staff_required

from . import services
from .models import Case


class PublicActionForm(forms.Form):
    allowed = forms.TypedChoiceField(
        label="What may groups do on this case?",
        choices=[
            ("yes", "Public and private actions: letters, stalls, media, vigils, petitions"),
            ("no", "Private actions only: letters, solidarity messages, meetings with officials"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose public and private, or private only."},
    )
    reason = forms.CharField(
        label="Why?",
        help_text="Kept in the case's history for colleagues; groups are not shown it.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why, so colleagues understand the decision."},
    )


@staff_required
def public_action(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    initial = {"allowed": "yes" if case.public_action_allowed else "no"}
    form = PublicActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_public_action(
                case,
                allowed=form.cleaned_data["allowed"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{case.reference}: groups may now take "
                + (
                    "public and private actions."
                    if form.cleaned_data["allowed"]
                    else "private actions only."
                ),
            )
            return redirect("staff:case", reference=case.reference)
    return render(request, "cases/staff/public_action.html", {"case": case, "form": form})
