from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from cases.models import Country
from groups.models import LocalGroup

from .models import Invitation


class InvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    role = forms.ChoiceField(label="Role", choices=Invitation.Role.choices)
    group = forms.ModelChoiceField(
        label="Group (for group members and administrators)",
        queryset=LocalGroup.objects.filter(is_active=True),
        required=False,
    )
    countries = forms.ModelMultipleChoiceField(
        label="Countries covered (for coordinators)",
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (Invitation.Role.GROUP_MEMBER, Invitation.Role.GROUP_ADMIN) and not data.get(
            "group"
        ):
            self.add_error("group", "Choose the group this person is joining.")
        if role == Invitation.Role.COORDINATOR and not data.get("countries"):
            self.add_error("countries", "Choose at least one country the coordinator covers.")
        return data


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150)
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "The two passwords are different. Type them again.")
        return data
