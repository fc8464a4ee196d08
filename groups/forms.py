from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from .models import Activity


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label="What did you do?", choices=Activity.Kind.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(
        label="When?",
        # ISO format: the value a browser date picker reads and sends, whatever the locale.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For example 3 November 2026",
        error_messages={"invalid": "Enter a real date, for example 03/11/2026."},
    )
    count = forms.IntegerField(
        label="How many letters or signatures?",
        initial=1,
        min_value=1,
        max_value=Activity.MAX_COUNT,
        error_messages={
            "min_value": "Enter a number of at least 1.",
            "max_value": f"Enter a number no larger than {Activity.MAX_COUNT:,}.",
            "invalid": "Enter a whole number, for example 12.",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    outcome = forms.ChoiceField(
        label="Was there an outcome? (optional)", choices=Activity.Outcome.choices, required=False
    )
    outcome_notes = forms.CharField(
        label="About the outcome (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example who replied and what they said",
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        value = self.cleaned_data["date"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError("The date cannot be in the future.")
        if value < today - timedelta(days=366 * 3):
            raise forms.ValidationError("Enter a date within the last three years.")
        return value
