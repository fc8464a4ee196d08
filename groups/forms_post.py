"""Forms IAR staff use to record what a post group sent back."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms

from accounts.models import User

from .forms import ReportForm
from .yearly import Period


class OfferAnswerForm(forms.Form):
    holder: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Casefile holder named on the slip",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose the casefile holder the group named.",
            "invalid_choice": "Choose one of the group's members.",
        },
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[User]", self.fields["holder"])
        field.queryset = members
        # Django lets a form set this per field instance; django-stubs declares it a method.
        field.label_from_instance = lambda obj: obj.full_name or obj.email  # type: ignore[method-assign]


class PostedReportForm(ReportForm):
    period_start = forms.TypedChoiceField(
        label="The year the report covers",
        coerce=date.fromisoformat,
        error_messages={
            "required": "Choose the year the report covers.",
            "invalid_choice": "Choose one of the years listed.",
        },
    )

    field_order = ["period_start", "what_worked", "media_coverage", "plans", "concerns"]

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.TypedChoiceField", self.fields["period_start"]).choices = [
            (p.start.isoformat(), f"{p.start:%-d %B %Y} to {p.end:%-d %B %Y}")
            for p in periods
            if not p.is_done
        ]

    @property
    def has_periods(self) -> bool:
        return bool(cast("forms.TypedChoiceField", self.fields["period_start"]).choices)
