from __future__ import annotations

from django import forms

from cases.uploads import UploadRejected, check_upload, limit_text

from .services import MAX_BODY


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Write your message before sending it.",
            "max_length": f"Keep the message under {MAX_BODY} characters.",
        },
    )
    attachment = forms.FileField(
        label="Attach a file (optional)",
        required=False,
        error_messages={"empty": "The file is empty. Choose the file again, or check it opens."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = limit_text()

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                check_upload(upload)
            except UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload
