"""The one way the app exports a list: CSV or XLSX through tablib, with formula escaping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import tablib
from django.http import Http404, HttpResponse

# A cell starting with one of these is read as a formula by spreadsheet programs; a leading
# quote keeps it text (CSV/formula injection). Tab and carriage return can hide a formula too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_response(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, filename: str
) -> HttpResponse:
    """A download of `rows` under `headers` as `filename`.`fmt`, every cell made safe."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    dataset = tablib.Dataset(headers=[str(header) for header in headers])
    for row in rows:
        dataset.append([spreadsheet_safe(value) for value in row])
    response = HttpResponse(dataset.export(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
