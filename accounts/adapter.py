from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from iar_site.roles import needs_mfa


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # No open sign-up: people join through an invitation from IAR staff.
        return False


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Staff and coordinators must keep their authenticator app; others may remove theirs.
        if authenticator.type == "totp" and needs_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
