"""What a person's name may contain: one line of ordinary text that an email can be addressed to."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Bidirectional embedding, override and isolate marks: invisible, and able to make a name read
# differently from what was typed (e.g. right-to-left override).
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# An email address, not a name.
_ADDRESS_CHARACTERS = frozenset("<>@")
# The outbox addresses an email as `name <address>`; with any of these in the name, the mail
# library cannot read the address back and the email is never sent.
_HEADER_SPECIALS = frozenset(",;:()[]\\")


def validate_person_name(value: str) -> None:
    """Refuse a name that would break the emails, letters and exports it appears in."""
    if any(
        unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS for char in value
    ):
        raise ValidationError(
            "Write the name on one line, without line breaks, tabs or other hidden characters.",
            code="name_control_character",
        )
    if any(char in _ADDRESS_CHARACTERS for char in value):
        raise ValidationError(
            "Type only the name here, not an email address: a name cannot contain <, > or @.",
            code="name_address_character",
        )
    found = sorted({char for char in value if char in _HEADER_SPECIALS})
    if found:
        raise ValidationError(
            "Leave out %(characters)s: emails cannot be addressed to a name containing "
            "them. For example, write “John Smith” rather than “Smith, John”.",
            code="name_header_character",
            params={"characters": " ".join(found)},
        )
