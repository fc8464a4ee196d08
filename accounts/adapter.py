import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from .access import needs_mfa


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

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The "key" of the login_failed rate limit: the account *and* the visitor's address.

        allauth keys it by the account alone, so five wrong passwords typed anywhere would lock
        the real person out too, and anyone knowing a staff address could keep them out. Keyed
        by both, wrong passwords slow down only the address they come from; the per-address
        limit still bounds guessing across accounts. IPv6 addresses count by their /64, as
        allauth's own per-address limits do."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{_network(self.get_client_ip(request))}"


def _network(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


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
        # Staff and coordinators must keep a second step: an app or a passkey may go only while
        # another app or passkey stays. Others may remove theirs.
        if authenticator.type in ("totp", "webauthn") and needs_mfa(authenticator.user):
            others = authenticator.user.authenticator_set.filter(
                type__in=("totp", "webauthn")
            ).exclude(pk=authenticator.pk)
            if not others.exists():
                return False
        return super().can_delete_authenticator(authenticator)
