"""Path converters for the site's URLs, registered in iar_site/urls.py, and `url_maker` for a
page that links to many objects of one URL."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS


class ReferenceConverter:
    """A case reference (`<ref:reference>`): up to 20 characters, as Case.reference holds, with no
    slash and no control character (PostgreSQL refuses NUL in text). Anything else matches no URL,
    so it is a 404 before any query runs."""

    regex = r"[^/\x00-\x1f\x7f]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# A marker reverse() accepts for an <int:...> and a <ref:...> argument alike, found nowhere else
# in the URLs it is put in.
_MARKER = "8080808080"


def url_maker(viewname: str) -> Callable[[object], str]:
    """`reverse(viewname, args=[arg])` for many args from one reverse(): the prefix and suffix
    around the argument, which is quoted as reverse() quotes it."""
    head, tail = reverse(viewname, args=[_MARKER]).split(_MARKER)
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda arg: f"{head}{quote(str(arg), safe=safe)}{tail}"
