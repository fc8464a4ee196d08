from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from cases.models import Case, Country, Region, Theme
from cases.uploads import limit_text
from groups.forms import DateStepForm
from groups.models import LocalGroup

from .models import (
    ActionBundle,
    ActionRecord,
    OneOffAction,
    UrgentAction,
    validate_ua_reference,
)


def _date_widget() -> forms.DateInput:
    # ISO format: the value a browser date picker reads and sends, whatever the locale.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": "Enter a real date, for example 03/11/2026."}


class UrgentActionForm(forms.Form):
    reference = forms.CharField(
        max_length=12, validators=[validate_ua_reference], help_text="For example UA 123/26"
    )
    title = forms.CharField(max_length=200)
    country = forms.ModelChoiceField(
        queryset=Country.objects.all(), error_messages={"invalid_choice": "Choose a country."}
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    issued_on = forms.DateField(
        label="Issue date",
        widget=_date_widget(),
        initial=timezone.localdate,
        error_messages=DATE_ERRORS,
    )
    deadline = forms.DateField(
        label="Act before", widget=_date_widget(), error_messages=DATE_ERRORS
    )
    summary = forms.CharField(
        label="What has happened",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    suggested_letter = forms.CharField(
        label="Suggested letter text",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    language_notes = forms.CharField(
        label="Language notes (optional)",
        required=False,
        max_length=2000,
        help_text="For example: write in Spanish, French or English",
    )
    document = forms.FileField(label="The Urgent Action document (optional)", required=False)

    def __init__(self, *args: Any, follow_up: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = limit_text()
        if follow_up:
            # A follow-up keeps the original's reference.
            del self.fields["reference"]
            self.fields["follow_up_kind"] = forms.ChoiceField(
                label="Kind of follow-up",
                choices=[c for c in UrgentAction.FollowUpKind.choices if c[0]],
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())
        issued, deadline = data.get("issued_on"), data.get("deadline")
        if issued and deadline and deadline < issued:
            self.add_error("deadline", "The deadline cannot be before the issue date.")
        return data


class TargetForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150)
    title = forms.CharField(label="Title or position (optional)", max_length=150, required=False)
    address_line_1 = forms.CharField(label="Address line 1", max_length=150)
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=150, required=False
    )
    address_line_3 = forms.CharField(
        label="Address line 3 (optional)", max_length=150, required=False
    )
    town = forms.CharField(label="Town or city (optional)", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode (optional)", max_length=30, required=False)
    country_name = forms.CharField(label="Country (optional)", max_length=100, required=False)
    email = forms.EmailField(label="Email (optional)", required=False)
    salutation = forms.CharField(
        label="Start the letter with (optional)",
        max_length=100,
        required=False,
        help_text="For example: Dear Minister. Left empty: Dear Sir or Madam",
    )


TargetFormSet = forms.formset_factory(TargetForm, extra=2, max_num=10)

TARGET_FIELDS = list(TargetForm.base_fields)


def target_initial(targets: Any) -> list[dict[str, str]]:
    return [{f: getattr(t, f) for f in TARGET_FIELDS} for t in targets]


def target_values(formset: Any) -> list[dict[str, str]]:
    return [
        {
            **form.cleaned_data,
            "salutation": form.cleaned_data.get("salutation") or "Dear Sir or Madam",
        }
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class OneOffForm(forms.Form):
    kind = forms.ChoiceField(choices=OneOffAction.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(max_length=200)
    country = forms.ModelChoiceField(queryset=Country.objects.all(), required=False)
    case = forms.ModelChoiceField(
        label="Case (for a card to the person of a case, optional)",
        queryset=Case.objects.filter(status=Case.Status.OPEN),
        required=False,
    )
    deadline = forms.DateField(
        label="Act before", widget=_date_widget(), error_messages=DATE_ERRORS
    )
    text = forms.CharField(
        label="What to do, and the suggested text",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = cast("forms.ModelChoiceField[Case]", self.fields["case"])
        # Staff only: staff may read every case, so the choice names it in full.
        case_field.label_from_instance = lambda obj: f"{obj.reference} {obj.title}"  # type: ignore[method-assign]


class BundleForm(forms.Form):
    kind = forms.ChoiceField(choices=ActionBundle.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(max_length=200, help_text="For example: December 2026 mailing")
    introduction = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    cases = forms.ModelMultipleChoiceField(
        queryset=Case.objects.filter(status=Case.Status.OPEN),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgent_actions: forms.ModelMultipleChoiceField[UrgentAction] = forms.ModelMultipleChoiceField(
        label="Urgent Actions",
        queryset=UrgentAction.objects.filter(status=UrgentAction.Status.PUBLISHED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    one_offs: forms.ModelMultipleChoiceField[OneOffAction] = forms.ModelMultipleChoiceField(
        label="One-off actions",
        queryset=OneOffAction.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = cast("forms.ModelMultipleChoiceField[Case]", self.fields["cases"])
        case_field.label_from_instance = lambda obj: f"{obj.reference} {obj.title}"  # type: ignore[method-assign]


class AttachOneOffsForm(forms.Form):
    one_offs: forms.ModelMultipleChoiceField[OneOffAction] = forms.ModelMultipleChoiceField(
        label="One-off actions to give the group",
        queryset=OneOffAction.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one one-off action."},
    )
    message = forms.CharField(
        label="Message to the group (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, today: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[OneOffAction]", self.fields["one_offs"])
        field.queryset = OneOffAction.objects.open_on(today or timezone.localdate())


class SubscriptionForm(forms.Form):
    CHOICES = [
        ("all", "Every Urgent Action"),
        ("some", "Only those of the regions or themes I choose below"),
        ("none", "No Urgent Actions"),
    ]
    which = forms.ChoiceField(
        label="Which Urgent Actions should we send you?", choices=CHOICES, widget=forms.RadioSelect
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Urgent Actions from these regions",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Urgent Actions on these themes",
    )
    region_work = forms.ModelMultipleChoiceField(
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Region work: news and actions from these regions",
        help_text="Coordinators of the region's countries send bulletins to groups signed up here.",
    )

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())
        if data.get("which") == "some" and not (data.get("regions") or data.get("themes")):
            self.add_error(
                "regions", "Choose at least one region or theme, or choose every Urgent Action."
            )
        return data


class BulletinForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(label="Text", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))


COUNT_LABELS: dict[str, str] = {
    ActionRecord.Kind.LETTERS: "How many letters?",
    ActionRecord.Kind.CARDS: "How many cards?",
    ActionRecord.Kind.EMAILS: "How many emails?",
}


class RecordStepForm(forms.Form):
    """The last of the three steps: what was sent and when come from the earlier steps in hidden
    fields; the group is asked here only of someone in more than one group."""

    kind = forms.ChoiceField(
        choices=ActionRecord.Kind.choices,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose letters, cards or emails."},
    )
    date = forms.DateField(widget=forms.HiddenInput, error_messages=DATE_ERRORS)
    count = forms.IntegerField(
        label="How many?",
        min_value=1,
        max_value=ActionRecord.MAX_COUNT,
        initial=1,
        help_text="Leave it at 1 if you sent one.",
        error_messages={
            "min_value": "Enter a number of at least 1.",
            "max_value": f"Enter a number no larger than {ActionRecord.MAX_COUNT:,}.",
            "invalid": "Enter a whole number, for example 12.",
        },
    )
    group = forms.ModelChoiceField(
        label="For which group?",
        queryset=LocalGroup.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of your groups."},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # The same rule as the date step (and as casework): not in the future, within three years.
    clean_date = DateStepForm.clean_date

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = str(self.data.get("kind") or self.initial.get("kind") or "")
        self.fields["count"].label = COUNT_LABELS.get(kind, "How many?")
        field = cast("forms.ModelChoiceField[LocalGroup]", self.fields["group"])
        field.queryset = groups
        if len(groups) == 1:
            field.widget = forms.HiddenInput()
            field.initial = groups[0].pk


class MeetingDateForm(forms.Form):
    next_meeting = forms.DateField(
        label="Date of your next meeting", widget=_date_widget(), error_messages=DATE_ERRORS
    )

    def clean_next_meeting(self) -> Any:
        day = self.cleaned_data["next_meeting"]
        if day < timezone.localdate():
            raise forms.ValidationError("The meeting date cannot be in the past.")
        return day
