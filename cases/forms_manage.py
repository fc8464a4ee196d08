"""Forms of the staff pages that create and edit cases."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Case, Gender, Theme
from .services.manage import CASE_FIELDS, PersonData

REFERENCE_HELP = "For example IAR-2026-014: letters, digits and dashes"


class CaseForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label="Issues",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = CASE_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "solidarity_address": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": "Name of the case",
            "max_groups": "Most groups at once",
            "public_action_allowed": "Groups may campaign in public (stalls, media, vigils)",
            "coordinator": "Country coordinator",
        }
        help_texts = {"reference": REFERENCE_HELP}
        error_messages = {
            "reference": {
                "required": "Enter the case reference, for example IAR-2026-014.",
                "unique": "Another case already has this reference: choose a different one.",
            },
            "title": {"required": "Enter how the case is known."},
            "country": {
                "required": "Choose the country of the case.",
                "invalid_choice": "Choose a country from the list.",
            },
            "max_groups": {
                "required": "Enter how many groups may work on the case at once (1 to 50).",
                "invalid": "Enter a whole number from 1 to 50.",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["themes"].initial = list(self.instance.themes.all())
        self.fields["coordinator"].queryset = self.fields["coordinator"].queryset.select_related(  # type: ignore[attr-defined]
            "user"
        )
        self.fields["coordinator"].help_text = "Leave empty if the country has none yet"

    def clean_reference(self) -> str:
        reference: str = self.cleaned_data["reference"].strip().upper()
        if not reference or not all(c.isalnum() or c == "-" for c in reference):
            raise forms.ValidationError(REFERENCE_HELP + ".")
        if Case.objects.filter(reference=reference).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                "Another case already has this reference: choose a different one."
            )
        return reference

    def clean_max_groups(self) -> int:
        value: int = self.cleaned_data["max_groups"]
        if not 1 <= value <= 50:
            raise forms.ValidationError("Enter a whole number from 1 to 50.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        coordinator = data.get("coordinator")
        country = data.get("country")
        if coordinator and country and not coordinator.countries.filter(pk=country.pk).exists():
            self.add_error(
                "coordinator", f"This coordinator does not cover {country.name}: choose another."
            )
        return data

    def _post_clean(self) -> None:
        # The service writes the case; the form only checks the values (its model validation
        # would otherwise also run the checks the service does in one transaction).
        pass


class PersonForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150, required=False)
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, initial=Gender.UNSTATED)
    role = forms.CharField(
        label="Role (optional)", max_length=150, required=False, help_text="e.g. journalist"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") and not data.get("name", "").strip():
            self.add_error("name", "Enter the person's name, or clear their role.")
        return data


PeopleFormSet = forms.formset_factory(PersonForm, extra=2, max_num=30, validate_max=True)


def people_from(formset: Any) -> list[PersonData]:
    return [
        PersonData(
            name=form.cleaned_data["name"],
            gender=form.cleaned_data["gender"],
            role=form.cleaned_data.get("role", ""),
        )
        for form in formset.forms
        if form.cleaned_data.get("name", "").strip()
    ]


class ArchiveCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the case being archived?",
        choices=Case.ClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason."},
    )
