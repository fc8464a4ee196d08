from __future__ import annotations

from django import forms
from django.utils import timezone

from cases.models import CaseUpdate

from .uploads import ALLOWED_LABEL, UploadRejected, check_upload, max_upload_bytes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Enter a real date, for example 03/11/2026."}


def _limit_text() -> str:
    return f"{ALLOWED_LABEL[0].upper()}{ALLOWED_LABEL[1:]}, up to {max_upload_bytes() // (1024 * 1024)} MB."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several attachments in one go; each is checked by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault(
            "error_messages",
            {"empty": "The file is empty. Choose the file again, or check it opens."},
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        else:
            files = [super().clean(data, initial)] if data else []
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except UploadRejected as exc:
                errors.append(f"{upload.name}: {exc}")
        if errors:
            raise forms.ValidationError(errors)
        return files


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of update is this?",
        choices=CaseUpdate.Kind.choices,
        widget=forms.RadioSelect,
        initial=CaseUpdate.Kind.DEVELOPMENT,
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Groups see this first. For a public case it may appear in the email.",
        error_messages={"required": "Enter a title for the update."},
    )
    body = forms.CharField(
        label="The update",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Leave a blank line between paragraphs. **Two stars** make bold text, *one star* "
            "italics; start lines with “- ” for a list; [words](https://…) make a link. "
            "This text is shown on the site only, never in emails."
        ),
        error_messages={"required": "Write the update for the groups."},
    )
    attachments = MultipleFileField(label="Attach files (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _limit_text() + " You can choose several."


class TargetForm(forms.Form):
    authority = forms.CharField(
        label="Authority",
        max_length=200,
        help_text="For example Minister of Justice",
        error_messages={"required": "Enter who the authority is, for example Minister of Justice."},
    )
    title = forms.CharField(label="Name and honorific (optional)", max_length=200, required=False)
    postal_address = forms.CharField(
        label="Postal address",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter the postal address groups should write to."},
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    salutation = forms.CharField(label="Salutation", max_length=120, initial="Dear Minister")
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
        self.fields["file"].help_text = _limit_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class AcknowledgeReportForm(forms.Form):
    comment = forms.CharField(
        label="Your reply to the group (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The group reads this on the case page; it is not put in the email.",
    )
