from __future__ import annotations

from django import forms


class EraseForm(forms.Form):
    confirm_email = forms.CharField(
        label="Type the person's email address to confirm",
        max_length=254,
        error_messages={"required": "Type the person's email address to confirm."},
        help_text="As shown above. This cannot be undone.",
    )
    understood = forms.BooleanField(
        label="I understand their name and email will be replaced everywhere, and they will no "
        "longer be able to sign in",
        error_messages={"required": "Tick the box to confirm you understand."},
    )
