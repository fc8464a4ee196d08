"""The staff form for a local group: its name and town, and everything its settings page has."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .forms import GroupSettingsForm
from .models import LocalGroup


class StaffGroupForm(GroupSettingsForm):
    class Meta(GroupSettingsForm.Meta):
        fields = ["name", "town", *GroupSettingsForm.Meta.fields]
        labels = {
            **GroupSettingsForm.Meta.labels,
            "name": "Name of the group",
            "channel": "How does the group want to hear from us?",
            "next_meeting": "Date of the group's next meeting",
            "capacity": "How many long-term cases can the group take?",
            "preferred_regions": "Regions the group would like cases from (optional)",
            "preferred_themes": "Issues the group would like to work on (optional)",
        }
        error_messages = {
            "name": {
                "required": "Enter the group's name.",
                "unique": "Another group already has this name: choose a different one.",
            },
            "town": {"required": "Enter the group's town."},
        }

    def validate_unique(self) -> None:
        # The name's uniqueness is checked here, beside the field; the table's check
        # constraints are the clean() rules above in plain words, so they are not repeated.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())  # type: ignore[attr-defined]  # Django's own hook, not in the stubs
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]  # as above


class DeactivateGroupForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand the group's cases will be handed back and its members lose access",
        error_messages={"required": "Tick the box to confirm."},
    )

    def clean(self) -> dict[str, Any]:
        return super().clean() or {}


__all__ = ["DeactivateGroupForm", "LocalGroup", "StaffGroupForm"]
