"""The print queue's batch form and a member's notice choice."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from .models import OutboundMessage


class BatchForm(forms.Form):
    items = forms.TypedMultipleChoiceField(
        label="Items to put in the batch",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one item to print.",
            "invalid_choice": "One of the chosen items is not waiting to be printed any more.",
        },
    )

    def __init__(self, *args: Any, items: list[OutboundMessage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["items"])
        field.choices = [
            (m.pk, f"{m.to_name}: {m.template.replace('-', ' ')} ({m.created_at:%d %b %Y})")
            for m in items
        ]
        field.initial = [m.pk for m in items]


class NoticesForm(forms.Form):
    def __init__(self, *args: Any, memberships: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for membership in memberships:
            self.fields[f"group_{membership.group_id}"] = forms.ChoiceField(
                label=f"Routine notices from {membership.group.name}",
                choices=membership.Notices.choices,
                initial=membership.notices,
                widget=forms.RadioSelect,
                help_text="Reminders and notices that a case has stopped always come at once.",
                error_messages={"required": "Choose how you want to get these notices."},
            )
