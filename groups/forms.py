from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone

from accounts.models import User
from accounts.validators import validate_person_name
from cases.forms import HOW_CHOICES
from cases.models import Case, Region, Theme

from .models import Activity, LocalGroup, Membership

if TYPE_CHECKING:
    from cases.models import CampaignTarget


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


class KindStepForm(forms.Form):
    kind = forms.ChoiceField(
        label="What did you do?",
        choices=Activity.Kind.choices,
        error_messages={
            "required": "Choose what you did.",
            "invalid_choice": "Choose what you did from the list.",
        },
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            # A case kept out of the public eye offers only the private kinds.
            cast("forms.ChoiceField", self.fields["kind"]).choices = kinds


class DateStepForm(KindStepForm):
    date = forms.DateField(
        label="Another date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For example 3 November 2026",
        error_messages={
            "required": "Choose Today or Yesterday, or enter the date.",
            "invalid": "Enter a real date, for example 03/11/2026.",
        },
    )

    clean_date = ActivityForm.clean_date


COUNT_LABELS: dict[str | None, str] = {
    Activity.Kind.APPEAL_LETTER: "How many letters?",
    Activity.Kind.SOLIDARITY: "How many messages?",
    Activity.Kind.PETITION: "How many signatures?",
    Activity.Kind.SOCIAL_MEDIA: "How many posts?",
}


class ActivityStepForm(ActivityForm):
    """The last step: kind and date carried from the earlier steps in hidden fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.HiddenInput()
        self.fields["date"].widget = forms.HiddenInput()
        self.fields["date"].widget.format = "%Y-%m-%d"
        kind = self.data.get("kind") or self.initial.get("kind")
        self.fields["count"].label = COUNT_LABELS.get(kind, "How many?")
        self.fields["count"].help_text = "Leave it at 1 if you did it once."
        self.fields["outcome"].widget = forms.RadioSelect()
        cast("forms.ChoiceField", self.fields["outcome"]).choices = [("", "No outcome")] + [
            c for c in Activity.Outcome.choices if c[0]
        ]
        self.fields["outcome"].initial = ""


class LetterForm(forms.Form):
    target: forms.ModelChoiceField[CampaignTarget] = forms.ModelChoiceField(
        label="Who is the letter to?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose who the letter is to.",
            "invalid_choice": "Choose one of the people listed.",
        },
    )
    text = forms.CharField(
        label="Your letter",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=10_000,
        help_text="Change the text as you like. Leave a blank line between paragraphs.",
        error_messages={"required": "Write the text of your letter."},
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        target_field = cast("forms.ModelChoiceField[CampaignTarget]", self.fields["target"])
        target_field.queryset = targets
        # Django lets a form set this per field instance; django-stubs declares it a method.
        target_field.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            obj.authority + (f" ({obj.title})" if obj.title else "")
        )


REPORT_TEXT: dict[str, Any] = {"required": False, "max_length": 10_000}


class ReportForm(forms.Form):
    what_worked = forms.CharField(
        label="What worked well?",
        widget=forms.Textarea(attrs={"rows": 4}),
        **REPORT_TEXT,
    )
    media_coverage = forms.CharField(
        label="Media coverage",
        help_text="Newspaper, radio or online pieces about your work on the case",
        widget=forms.Textarea(attrs={"rows": 4}),
        **REPORT_TEXT,
    )
    plans = forms.CharField(
        label="Your plans for the coming year",
        widget=forms.Textarea(attrs={"rows": 4}),
        **REPORT_TEXT,
    )
    concerns = forms.CharField(
        label="Concerns or questions for the coordinator",
        widget=forms.Textarea(attrs={"rows": 4}),
        **REPORT_TEXT,
    )


class GroupSettingsForm(forms.ModelForm):
    class Meta:
        model = LocalGroup
        fields = [
            "channel",
            "contact_email",
            "postal_address",
            "next_meeting",
            "capacity",
            "preferred_regions",
            "preferred_themes",
            "preferred_gender",
            "preferred_kind",
        ]
        labels = {
            "channel": "How should we send you news?",
            "contact_email": "Group contact email",
            "postal_address": "Group postal address",
            "next_meeting": "Date of your next meeting",
            "capacity": "How many long-term cases can your group take?",
            "preferred_regions": "Regions you would like cases from (optional)",
            "preferred_themes": "Issues you would like to work on (optional)",
        }
        widgets = {
            "channel": forms.RadioSelect,
            "postal_address": forms.Textarea(attrs={"rows": 4}),
            "next_meeting": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "preferred_regions": forms.CheckboxSelectMultiple,
            "preferred_themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"] = forms.IntegerField(
            label=self.Meta.labels["capacity"],
            min_value=0,
            max_value=20,
            error_messages={
                "min_value": "Enter a number of at least 0.",
                "max_value": "Enter a number no larger than 20.",
                "invalid": "Enter a whole number, for example 2.",
            },
        )
        self.fields["next_meeting"].error_messages["invalid"] = (
            "Enter a real date, for example 03/11/2026."
        )
        self.fields["postal_address"].error_messages["required"] = (
            "Enter the group's postal address."
        )

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        if data.get("channel") == LocalGroup.Channel.EMAIL and not data.get("contact_email"):
            self.add_error(
                "contact_email", "Give a contact email, or choose to hear from us by post."
            )
        return data


class InviteMemberForm(forms.Form):
    full_name = forms.CharField(
        label="Their full name",
        max_length=150,
        validators=[validate_person_name],
        error_messages={"required": "Enter their name."},
    )
    email = forms.EmailField(
        label="Their email address",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=[
            ("group_member", "Group member"),
            ("group_admin", "Group administrator (can change these settings)"),
        ],
        initial="group_member",
        widget=forms.RadioSelect,
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


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
        group_field = cast("forms.ModelChoiceField[LocalGroup]", self.fields["group"])
        group_field.queryset = groups
        if len(groups) == 1:
            self.fields["group"].initial = groups[0]
            group_field.empty_label = None

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
        case_field = cast("forms.ModelMultipleChoiceField[Case]", self.fields["cases"])
        case_field.queryset = cases
        # A staff form: staff may read every case, so each choice names it in full (str() of a
        # confidential case is its reference only).
        # Django lets a form set this per field instance; django-stubs declares it a method.
        case_field.label_from_instance = lambda obj: f"{obj.reference} {obj.title}"  # type: ignore[method-assign]
        self.number = number

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        chosen = data.get("cases") or []
        if len(chosen) > self.number:
            self.add_error("cases", f"The group asked for {self.number} case(s); choose fewer.")
        if not chosen and not (data.get("response") or "").strip():
            raise forms.ValidationError("Choose at least one case, or write a message.")
        return data
