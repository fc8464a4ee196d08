from __future__ import annotations

from django import forms
from django.utils import timezone

from accounts.models import User
from groups.models import LocalGroup

from .models import Case, Region, Theme

HOW_CHOICES = [
    ("offer", "Offer it: the group accepts and names its casefile holder, or declines"),
    ("direct", "Allocate it now: the group starts work at once"),
]


def members_of(group: LocalGroup):
    return User.objects.filter(memberships__group=group, is_active=True).order_by("full_name")


class AllocateForm(forms.Form):
    holder = forms.ModelChoiceField(
        label="Casefile holder (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Let the group choose",
        error_messages={"invalid_choice": "Choose a member of the group."},
    )
    how = forms.ChoiceField(
        label="How?", choices=HOW_CHOICES, widget=forms.RadioSelect, initial="offer"
    )

    def __init__(self, *args, group: LocalGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = members_of(group)


class OfferResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Will your group take this case?",
        choices=[("accept", "Yes, we will take it"), ("decline", "No, we cannot take it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    holder = forms.ModelChoiceField(
        label="Who will be the casefile holder?",
        queryset=User.objects.none(),
        required=False,
        help_text="The member who leads the work on this case",
        error_messages={"invalid_choice": "Choose a member of your group."},
    )
    reason = forms.CharField(
        label="If not, why not?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It helps us offer a case that suits your group better",
    )

    def __init__(self, *args, group: LocalGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = members_of(group)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("holder"):
            self.add_error("holder", "Choose who will be the casefile holder.")
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tell us briefly why your group cannot take it.")
        return data


class HolderForm(forms.Form):
    holder = forms.ModelChoiceField(
        label="New casefile holder",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose a member of your group.",
            "invalid_choice": "Choose a member of your group.",
        },
    )

    def __init__(self, *args, group: LocalGroup, current: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = members_of(group)
        if current is not None:
            queryset = queryset.exclude(pk=current.pk)
        self.fields["holder"].queryset = queryset


class RelinquishForm(forms.Form):
    reason = forms.CharField(
        label="Why does your group want to give up this case?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell us briefly why."},
    )


class StopCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is Amnesty stopping work on this case?",
        choices=Case.ClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason."},
    )
    notes = forms.CharField(
        label="Notes for IAR staff (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept on the record only; groups are not sent these notes",
    )
    confirm = forms.BooleanField(
        label="I understand every group will be told to stop work at once",
        error_messages={"required": "Tick the box to confirm."},
    )


class CaseRequestForm(forms.Form):
    group = forms.ModelChoiceField(
        label="For which group?",
        queryset=LocalGroup.objects.none(),
        error_messages={"invalid_choice": "Choose your group."},
    )
    number = forms.IntegerField(
        label="How many cases?",
        min_value=1,
        max_value=10,
        initial=1,
        error_messages={
            "min_value": "Ask for at least 1 case.",
            "max_value": "Ask for 10 cases or fewer.",
            "invalid": "Enter a whole number, for example 2.",
        },
    )
    meeting_date = forms.DateField(
        label="Date of the meeting where you will start",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Please give us at least three weeks",
        error_messages={"invalid": "Enter a real date, for example 03/11/2026."},
    )
    regions = forms.ModelMultipleChoiceField(
        label="Regions you would like (optional)",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Issues you would like (optional)",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Anything else we should know? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        groups = LocalGroup.objects.filter(memberships__user=user, is_active=True)
        self.fields["group"].queryset = groups
        if len(groups) == 1:
            self.fields["group"].initial = groups[0]
            self.fields["group"].empty_label = None

    def clean_meeting_date(self):
        value = self.cleaned_data["meeting_date"]
        if value < timezone.localdate():
            raise forms.ValidationError("The meeting date cannot be in the past.")
        if value.year > timezone.localdate().year + 2:
            raise forms.ValidationError("Enter a date within the next two years.")
        return value


class FulfilRequestForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(
        label="Cases to allocate (optional)",
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose cases from the list."},
    )
    how = forms.ChoiceField(
        label="How?", choices=HOW_CHOICES, widget=forms.RadioSelect, initial="offer"
    )
    response = forms.CharField(
        label="Message to the group (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example what IAR is sending instead",
    )

    def __init__(self, *args, cases, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        # A staff form: staff may read every case, so each choice names it in full (str() of a
        # confidential case is its reference only).
        self.fields["cases"].label_from_instance = lambda case: f"{case.reference} {case.title}"
        self.number = number

    def clean(self):
        data = super().clean()
        chosen = data.get("cases") or []
        if len(chosen) > self.number:
            self.add_error("cases", f"The group asked for {self.number} case(s); choose fewer.")
        if not chosen and not (data.get("response") or "").strip():
            raise forms.ValidationError("Choose at least one case, or write a message.")
        return data


class SaveViewForm(forms.Form):
    name = forms.CharField(
        label="Save this view as",
        max_length=80,
        error_messages={"required": "Give the view a name."},
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    list_name = forms.ChoiceField(
        choices=[("cases", "cases"), ("groups", "groups")], widget=forms.HiddenInput
    )
