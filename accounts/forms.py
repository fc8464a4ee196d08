from __future__ import annotations

from typing import Any, cast

from django import forms

from cases.models import Country
from groups.models import LocalGroup

from .models import Invitation
from .validators import validate_person_name


class InvitationForm(forms.Form):
    # autocomplete off: the browser must not fill in the inviting staff member's own details.
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the full name of the person you are inviting."},
    )
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the email address of the person you are inviting.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Invitation.Role.choices,
        widget=forms.Select,
    )
    group = forms.ModelChoiceField(
        label="Group (for group members and administrators)",
        queryset=LocalGroup.objects.filter(is_active=True),
        required=False,
        widget=forms.Select,
    )
    countries = forms.ModelMultipleChoiceField(
        label="Countries covered (for coordinators)",
        help_text="To choose more than one, hold Ctrl (or Cmd on a Mac) as you click.",
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        role = data.get("role")
        if role in (Invitation.Role.GROUP_MEMBER, Invitation.Role.GROUP_ADMIN) and not data.get(
            "group"
        ):
            self.add_error("group", "Choose the group this person is joining.")
        if role == Invitation.Role.COORDINATOR and not data.get("countries"):
            self.add_error("countries", "Choose at least one country the coordinator covers.")
        return data


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Your name",
        max_length=150,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name."},
    )
    # strip=False: a password is kept exactly as typed, as the login form reads it; stripping
    # spaces here would save a different password from the one the person types to log in.
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        # Plain words for AUTH_PASSWORD_VALIDATORS (length 8, not common, not all numbers, not like
        # the name or email); the validators themselves still decide.
        help_text=(
            "At least 8 characters. Not all numbers, not a common password, and not like your "
            "name or email address. Tip: three or four random words are easy to remember and "
            "hard to guess."
        ),
        error_messages={"required": "Choose a password."},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again, to check it."},
    )

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "The two passwords are different. Type them again.")
        return data


class JoinWithExistingLoginForm(forms.Form):
    """Joining with the login one already has: nothing to fill in, the button is the consent."""
