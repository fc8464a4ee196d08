from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect

from .access import needs_mfa

# Paths a staff member or coordinator may reach before enrolling an authenticator app: the login,
# password and MFA pages, static files, the health check and accepting an invitation. Not the rest
# of /invitations/: inviting people is staff work, which needs MFA like any other.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/invitations/accept/")


# What counts as a second step: an authenticator app or a passkey. Recovery codes alone do not:
# they are the way back in when the phone is lost, not a way in on their own.
SECOND_FACTORS = ("totp", "webauthn")


class RequireMFAMiddleware:
    """Send staff and coordinators with neither an authenticator app nor a passkey to enrol one
    first. The set-up page offers both."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and needs_mfa(user)
            and not user.authenticator_set.filter(type__in=SECOND_FACTORS).exists()
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or a proxy: pages, PDFs, exports.

    A response that already says how it may be cached (a view's own Cache-Control) is left as it
    is. Static files never reach here: WhiteNoise answers them earlier."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
