"""Path converters for the site's URLs, registered in iar_site/urls.py."""

from __future__ import annotations


class ReferenceConverter:
    """A case reference (`<ref:reference>`): up to 20 characters, as Case.reference holds, with no
    slash and no control character (PostgreSQL refuses NUL in text). Anything else matches no URL,
    so it is a 404 before any query runs."""

    regex = r"[^/\x00-\x1f\x7f]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
