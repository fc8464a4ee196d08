"""Request checks that run before any view."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class RejectNulMiddleware:
    """A NUL character in the path or the query string is a 400 Bad Request. No browser form
    sends one, and PostgreSQL refuses it in text, so it would otherwise reach a query and fail
    there (a 500) from any URL or search box."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            raise BadRequest("NUL character in the URL")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Every response says which browser features the site may use (settings.PERMISSIONS_POLICY).

    It sits just below SecurityMiddleware, above WhiteNoise, so static files carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = policy
        return response
