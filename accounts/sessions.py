"""How long a login lasts, and ending a person's logins when their access ends.

- Idle timeout: nobody has been seen for SESSION_IDLE_MINUTES_STAFF (staff and coordinators, who
  see cases of people in danger) or SESSION_IDLE_MINUTES_MEMBER (everyone else) → logged out.
- Absolute lifetime: staff and coordinators log in again after SESSION_MAX_HOURS_STAFF, however
  busy; members' logins end with the session cookie (SESSION_COOKIE_AGE).
- A page about to time out warns first (static/js/session-timeout.js) and, if asked, pings the
  keep-alive URL, so what was typed into a form stays on the page.
- Deactivating a person ends every one of their sessions at once. A password change ends their
  other sessions (allauth.usersessions does it); removal from a group takes effect on the next
  request, since roles are read afresh each time (accounts.access.roles_of).

Times are read with time.time(), so tests move them with time-machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from .access import needs_mfa

if TYPE_CHECKING:
    from .models import User

LOGIN_AT = "_iar_login_at"
SEEN_AT = "_iar_seen_at"
# Writing the session on every request would cost a database write per page: the last-seen time
# is refreshed at most this often, well inside any idle limit.
SEEN_RESOLUTION_SECONDS = 60
EXPIRY_MARGIN_SECONDS = 15 * 60


def idle_seconds(user: User) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_STAFF
        if needs_mfa(user)
        else settings.SESSION_IDLE_MINUTES_MEMBER
    )
    return int(minutes) * 60


def lifetime_seconds(user: User) -> int | None:
    if needs_mfa(user):
        return int(settings.SESSION_MAX_HOURS_STAFF) * 3600
    return None


def _expired(request: HttpRequest, user: User, now: float) -> str | None:
    seen_at = request.session.get(SEEN_AT)
    login_at = request.session.get(LOGIN_AT)
    if seen_at is not None and now - seen_at > idle_seconds(user):
        minutes = idle_seconds(user) // 60
        return f"You were logged out because nothing happened for {minutes} minutes. Please log in again."
    lifetime = lifetime_seconds(user)
    if lifetime is not None and login_at is not None and now - login_at > lifetime:
        return (
            f"For safety, staff and coordinators log in again every {lifetime // 3600} hours. "
            "Please log in again."
        )
    return None


class SessionTimeoutMiddleware:
    """Ends a login that has been idle too long or, for staff and coordinators, lived too long."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        reason = _expired(request, user, now)
        if reason is not None:
            logout(request)
            if request.headers.get("HX-Request") or request.path == _keep_alive_path():
                return JsonResponse({"logged_out": True}, status=401)
            messages.info(request, reason)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        session = request.session
        if LOGIN_AT not in session:
            session[LOGIN_AT] = now
        seen_at = session.get(SEEN_AT)
        if seen_at is None or now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
            # The stored session (and its cookie) lapse soon after the idle limit too, as a
            # backstop: a little later, so this middleware sees the late visit and can say why.
            session.set_expiry(idle_seconds(user) + EXPIRY_MARGIN_SECONDS)
        return self.get_response(request)


def _keep_alive_path() -> str:
    from django.urls import reverse

    return reverse("session_keep_alive")


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """Pinged when the person answers the "still there?" warning: nothing else to do, since the
    middleware has already counted this request as activity."""
    request.session[SEEN_AT] = time.time()
    return JsonResponse({"idle_seconds": idle_seconds(request.user)})  # type: ignore[arg-type]


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of `user` (but `keep`, a session key). Returns how many ended."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user=user).exclude(session_key=keep or ""):
        user_session.end()
        ended += 1
    return ended


def end_sessions_of_deactivated(sender, instance, created: bool = False, **kwargs) -> None:
    """post_save of User: a deactivated person is logged out everywhere at once."""
    if not created and not instance.is_active:
        end_sessions(instance)


def session_timing(request: HttpRequest) -> dict[str, object]:
    """Template context: the idle limit the page's warning counts down from."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_idle_seconds": idle_seconds(user)}
