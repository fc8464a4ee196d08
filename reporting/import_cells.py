"""How each cell of an import file is read: by natural key (a country's code, a group's name,
an email), as one of a field's choices, as a number, a date or yes/no. A value that cannot be
read raises ColumnError, a ValueError that names its column, so the check can say where it is."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db.models import Model, Q
from import_export import fields, widgets

LIST_SEPARATOR = ";"
PROGRESS_EVERY = 100
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class ColumnError(ValueError):
    """A value that cannot be read, with the column it is in."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 3 arrives as 3.0
    return str(value).strip()


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row found by a natural key (a country's code, a group's name, an email)."""

    def __init__(self, model: type[Model], field: str, what: str, **kwargs: Any) -> None:
        super().__init__(model, field=field, **kwargs)
        self.what = what

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = cell_text(value)
        if not text:
            return None
        try:
            return self.model.objects.get(**{f"{self.field}__iexact": text})
        except (ObjectDoesNotExist, MultipleObjectsReturned) as exc:
            raise ValueError(f"No {self.what} “{text}” is known here.") from exc


class LookupListWidget(widgets.ManyToManyWidget):
    """Several related rows by natural key, separated by semicolons; every one must exist."""

    def __init__(self, model: type[Model], field: str, what: str) -> None:
        super().__init__(model, separator=LIST_SEPARATOR, field=field)
        self.what = what

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        wanted = [part.strip() for part in cell_text(value).split(LIST_SEPARATOR) if part.strip()]
        if not wanted:
            return []
        # Codes as people type them: "Africa" finds the region coded "africa".
        matches = Q()
        for item in wanted:
            matches |= Q(**{f"{self.field}__iexact": item})
        found = {
            str(getattr(obj, self.field)).casefold(): obj
            for obj in self.model.objects.filter(matches)
        }
        missing = [w for w in wanted if w.casefold() not in found]
        if missing:
            raise ValueError(f"No {self.what} “{missing[0]}” is known here.")
        return [found[w.casefold()] for w in wanted]


class ChoiceWidget(widgets.Widget):
    """One of a field's choices; `blank` is what an empty cell means (None: keep the value)."""

    def __init__(self, choices: list[tuple[str, str]], blank: str | None = "") -> None:
        self.values = {value for value, _ in choices}
        self.blank = blank
        super().__init__()

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = cell_text(value).lower().replace(" ", "_")
        if text in self.values:
            return text
        if not text:
            return self.blank
        allowed = ", ".join(sorted(v for v in self.values if v))
        raise ValueError(f"“{cell_text(value)}” is not one of: {allowed}.")


class WholeNumberWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        text = cell_text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(f"“{text}” is not a whole number.")
        return int(text)


class YesNoWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        text = cell_text(value).lower()
        if not text:
            return None
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(f"Write yes or no, not “{cell_text(value)}”.")


class DayWidget(widgets.DateWidget):
    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if not cell_text(value):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as exc:
            raise ValueError(f"“{cell_text(value)}” is not a date like 2026-03-31.") from exc


class TextWidget(widgets.CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return cell_text(value)


class Column(fields.Field):
    """A field whose errors name its column."""

    def clean(self, row: Any, **kwargs: Any) -> Any:
        try:
            return super().clean(row, **kwargs)
        except ColumnError:
            raise
        except (ValueError, ObjectDoesNotExist) as exc:
            raise ColumnError(self.column_name, str(exc)) from exc


def column(
    name: str,
    widget: widgets.Widget | None = None,
    attribute: str | None = None,
    *,
    keep_when_blank: bool = False,
) -> Column:
    """`keep_when_blank`: an empty cell leaves the value as it is (the model's default for a
    new row) instead of clearing it."""
    return Column(
        attribute=attribute or name,
        column_name=name,
        widget=widget or TextWidget(),
        saves_null_values=not keep_when_blank,
    )
