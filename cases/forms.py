from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone

from accounts.models import User

from .models import Case
from .uploads import UploadRejected, check_upload, limit_text

if TYPE_CHECKING:
    from groups.models import LocalGroup

HOW_CHOICES = [
    ("offer", "Offer it: the group accepts and names its casefile holder, or declines"),
    ("direct", "Allocate it now: the group starts work at once"),
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Enter a real date, for example 03/11/2026."}


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
        cast("forms.ModelChoiceField[User]", self.fields["holder"]).queryset = members_of(group)


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
        cast("forms.ModelChoiceField[User]", self.fields["holder"]).queryset = members_of(group)

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
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
        cast("forms.ModelChoiceField[User]", self.fields["holder"]).queryset = queryset


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


class TargetForm(forms.Form):
    authority = forms.CharField(
        label="Authority",
        max_length=200,
        help_text="For example Minister of Justice",
        error_messages={"required": "Enter who the authority is, for example Minister of Justice."},
    )
    title = forms.CharField(
        label="Name and honorific (optional)",
        max_length=200,
        required=False,
        help_text="For example H.E. Jane Doe",
    )
    postal_address = forms.CharField(
        label="Address lines",
        help_text="Only the lines below the name and the authority: office, street, town, "
        "country. Letters print the name and the authority above them.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter the postal address groups should write to."},
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    salutation = forms.CharField(
        label="Salutation",
        max_length=120,
        initial="Dear Minister",
        help_text="How the letter begins, for example Dear Minister. The letter adds the comma.",
    )
    valid_from = forms.DateField(
        label="Takes effect on",
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": "Enter the date the change takes effect."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return value


class RetireTargetForm(forms.Form):
    on = forms.DateField(
        label="Stop writing to this target from",
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": "Enter the date to stop from."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class CasefileForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title, for example Casefile, May 2026."},
    )
    notes = forms.CharField(
        label="What changed in this version (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose the casefile document to upload.",
            "empty": "The file is empty. Choose the file again, or check it opens.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = limit_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


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
