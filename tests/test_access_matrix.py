"""Every URL pattern of the site, for every persona, GET and POST: the status each one gets is the
one written in tests/access_matrix.py. A pattern with no row there fails (see MISSING_HELP).

The whole matrix runs in one test against one data set (tests/access_world.py): every request
runs in a transaction that is rolled back, so a POST that succeeds changes nothing for the next.
A second pass asks for group Y's and country B's objects as the personas of group X and country
A, which must be a 404 wherever the persona's own object was reachable.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .access_matrix import KWARGS, expected_for, row_for
from .access_world import OF_X_OR_A, PERSONAS, AccessWorld, build_access_world, first_pk

LOGIN = "/accounts/login/"

MISSING_HELP = """\
These URL patterns have no row in tests/access_matrix.py:

{missing}

Add each one's name (or, for a pattern with no name, its full route as printed) to the GROUPS
entry whose rule it follows (e.g. "staff pages", "group X's objects"), or give it a line in
EXCEPTIONS with its own GET and POST expectations, one per persona in this order:
{personas}
Codes: 200, 302 (a redirect elsewhere), L (a redirect to the login page), 400, 403, 404, 405.
If a keyword in its route is new, say in KWARGS which object of group X / country A fills it."""


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name with its namespace, or the full route when it has no name
    parts: tuple[str, ...]  # the route (or regex) of each level, outermost first
    name: str | None


def walk(resolver: URLResolver | None = None, parts=(), namespace=None) -> Iterator[Pattern]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, (*parts, str(entry.pattern)), ns)
        elif isinstance(entry, URLPattern):
            route = (*parts, str(entry.pattern))
            full = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Pattern(key=full or "".join(route), parts=route, name=full)


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _admin_model(pattern: Pattern) -> str | None:
    route = "".join(pattern.parts)
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    return f"{match[1]}.{match[2]}" if match else None


def _value(pattern: Pattern, keyword: str, side: dict[str, Any], world: AccessWorld) -> str:
    if keyword == "object_id":
        label = _admin_model(pattern)
        if label in world.admin_objects:
            return str(world.admin_objects[label])
        return str(first_pk(apps.get_model(label))) if label else "1"
    source = KWARGS.get((pattern.key, keyword), KWARGS.get(keyword, keyword))
    for data in (side, world.own):  # what group Y has no twin of, both sides share
        if source in data:
            return str(data[source])
    if isinstance(source, str) and source.startswith("="):
        return source[1:]
    raise KeyError(
        f"{pattern.key}: no value for <{keyword}>. Say in tests/access_matrix.py's KWARGS which "
        "object of group X / country A fills it."
    )


def build_url(pattern: Pattern, side: dict[str, Any], world: AccessWorld) -> tuple[str, bool]:
    """The URL, and whether it names an object (so has a foreign twin)."""
    url, names_object = "", False
    for part in pattern.parts:
        if part.startswith("^") or part.endswith("$"):
            part = part.lstrip("^").rstrip("$")

            def regex_sub(match):
                return _value(pattern, match["name"], side, world)

            new = _REGEX_PARAM.sub(regex_sub, part)
            names_object = names_object or new != part
            url += new.replace("\\", "")
        else:

            def route_sub(match):
                return _value(pattern, match["name"], side, world)

            new = _ROUTE_PARAM.sub(route_sub, part)
            names_object = names_object or (new != part and "<" in part)
            url += new
    return "/" + url, names_object


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        return "L" if location.startswith((LOGIN, "/admin/login/")) else "302"
    return str(response.status_code)


def matches(got: str, want: str) -> bool:
    if want == "S":
        return got != "L" and not got.startswith("5")
    return got == want


def foreign_expectation(own: str, got: str) -> str:
    """What a persona of group X or country A may get for group Y's or country B's object.

    Where their own object answers, another's is not found. A 403 for their own (a function
    their role lacks, asked before any object is looked up) may stay a 403: it is the same
    whether the object exists or not, so it tells nothing either."""
    if own in ("200", "302"):
        return "404"
    if own == "403" and got == "404":
        return "404"
    return own


def request(client: Client, method: str, url: str) -> str:
    # The rollback undoes what the request wrote, a logout's deleted session included; the
    # cookies the response changed are put back by hand.
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    return outcome(response)


def clients(world: AccessWorld) -> dict[str, Client]:
    made = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        made[persona] = client
    return made


def test_every_url_pattern_has_a_row():
    missing = [p.key for p in walk() if row_for(p.key) is None]
    assert not missing, MISSING_HELP.format(
        missing="\n".join(f"    {key}" for key in missing), personas=" ".join(PERSONAS)
    )


@pytest.mark.django_db
def test_every_persona_gets_what_the_matrix_says(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    # Login rate limits live in the cache, which the per-request rollback does not undo: after
    # enough POSTs (a passkey login allows 10 a minute) they would answer 429 whoever asks.
    # Access, not rate limiting, is tested here (tests/test_accounts.py tests the limits).
    settings.ACCOUNT_RATE_LIMITS = False
    settings.MFA_RATE_LIMITS = False
    world = build_access_world()
    # ACCESS_MATRIX_ONLY=regex runs only the patterns whose key matches, while adding rows.
    only = re.compile(os.environ.get("ACCESS_MATRIX_ONLY", ""))
    patterns = [p for p in walk() if row_for(p.key) is not None and only.search(p.key)]
    by_persona = clients(world)
    wrong = []
    # Thousands of expected 403s and 404s would each be logged with a traceback: not needed here.
    logging.disable(logging.WARNING)
    request_finished.disconnect(close_old_connections)
    spent: dict[str, float] = {}
    for pattern in patterns:
        started = time.process_time()
        url, names_object = build_url(pattern, world.own, world)
        foreign_url = build_url(pattern, world.foreign, world)[0] if names_object else None
        for method in ("GET", "POST"):
            expected = expected_for(pattern.key, method)
            for persona, want in zip(PERSONAS, expected, strict=True):
                got = request(by_persona[persona], method, url)
                if not matches(got, want):
                    wrong.append(f"{method} {url} ({pattern.key}) as {persona}: {got}, not {want}")
                if foreign_url and foreign_url != url and persona in OF_X_OR_A:
                    got = request(by_persona[persona], method, foreign_url)
                    want_foreign = foreign_expectation(want, got)
                    if not matches(got, want_foreign):
                        wrong.append(
                            f"{method} {foreign_url} ({pattern.key}, another group's or country's)"
                            f" as {persona}: {got}, not {want_foreign}"
                        )
        spent[pattern.key] = time.process_time() - started
    if os.environ.get("ACCESS_MATRIX_TIMES"):
        slowest = sorted(spent.items(), key=lambda item: -item[1])[:20]
        print("\n".join(f"{seconds:6.2f}s {key}" for key, seconds in slowest))
        print(f"{sum(spent.values()):6.2f}s in all")
    logging.disable(logging.NOTSET)
    request_finished.connect(close_old_connections)
    assert not wrong, "\n".join(wrong)
