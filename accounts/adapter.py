from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from iar_site.roles import needs_mfa


class AccountAdapter(DefaultAccountAdapter):
    # allauth's messages that people meet most, in the plain words the rest of the site uses.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "The email address or password is not right. Check both and try again."
        ),
        "too_many_login_attempts": (
            "There have been too many tries to log in. For your safety, wait a few minutes, "
            "then try again."
        ),
        "incorrect_code": "That code is not right. Check it and type it again.",
        "rate_limited": "You have asked too many times. Wait a few minutes, then try again.",
    }

    def is_open_for_signup(self, request) -> bool:
        # No open sign-up: people join through an invitation from IAR staff.
        return False


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "That code is not right. Type the code your app shows now: it changes every 30 seconds."
        ),
        "cannot_delete_authenticator": (
            "Staff and country coordinators must keep two-step login on. If you have a new "
            "phone, contact the IAR programme."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        # Staff and coordinators must keep their authenticator app; others may remove theirs.
        if authenticator.type == "totp" and needs_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
