from __future__ import annotations

from django import forms

from cases.models import Case
from cases.uploads import UploadRejected, check_upload, limit_text

from .models import CaseUpdate


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
        choices=CaseUpdate.Kind.offered_choices(),
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
        self.fields["attachments"].help_text = limit_text() + " You can choose several."


class AcknowledgeReportForm(forms.Form):
    comment = forms.CharField(
        label="Your reply to the group (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The group reads this on the case page; it is not put in the email.",
    )


class StopRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why should work on this case stop?",
        choices=Case.ClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why work on the case should stop."},
    )
    explanation = forms.CharField(
        label="What has happened",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="IAR read this to decide. Groups do not see it.",
        error_messages={"required": "Tell IAR what has happened, so they can decide."},
    )


class RefuseStopForm(forms.Form):
    refusal_reason = forms.CharField(
        label="Why the case goes on",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The coordinator is told this.",
        error_messages={"required": "Tell the coordinator why the case goes on."},
    )
