"""What every spreadsheet export shares."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is read as a formula by spreadsheet programs; a leading
# quote keeps it text (CSV/formula injection). Tab and carriage return can hide a formula too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
