from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from accounts.validators import validate_person_name

from .models import Activity, LocalGroup, Membership


class BootstrapMixin:
    """Bootstrap classes on every widget, so fields fit a phone's width and look like the rest."""

    def _style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "")
            if css not in classes.split():
                widget.attrs["class"] = f"{classes} {css}".strip()


class ActivityForm(BootstrapMixin, forms.Form):
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
        self._style_widgets()

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


COUNT_LABELS = {
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
        self.fields["outcome"].choices = [("", "No outcome")] + [
            c for c in Activity.Outcome.choices if c[0]
        ]
        self.fields["outcome"].initial = ""
        self._style_widgets()


class LetterForm(BootstrapMixin, forms.Form):
    target = forms.ModelChoiceField(
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
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda t: (
            t.authority + (f" ({t.title})" if t.title else "")
        )


REPORT_TEXT = {"required": False, "max_length": 10_000}


class ReportForm(BootstrapMixin, forms.Form):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class GroupSettingsForm(BootstrapMixin, forms.ModelForm):
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
        self._style_widgets()

    def clean(self):
        data = super().clean()
        if data.get("channel") == LocalGroup.Channel.EMAIL and not data.get("contact_email"):
            self.add_error(
                "contact_email", "Give a contact email, or choose to hear from us by post."
            )
        return data


class InviteMemberForm(BootstrapMixin, forms.Form):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)
