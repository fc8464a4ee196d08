"""The staff lists as tables: sortable columns, and the same cells exported as CSV or XLSX.
The case table is here; the group table (`groups.tables`) shares the paging and export."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cached_property
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django_tables2.rows import BoundRow
from django_tables2.utils import signature

from iar_site.converters import url_maker
from iar_site.exports import export_response

from .models import Case

ATTRS = {"class": "table table-sm align-middle"}

# Rows a page may show: `per_page` in the query string picks one; nothing asks for every row.
PER_PAGE_CHOICES = (25, 50, 100)

# What a table's own `render_<column>` method may ask for, as django-tables2 passes them.
RENDER_ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "table"})

Cell = Callable[[BoundRow], str]


class ListTable(tables.Table):
    """A staff list's table: django-tables2 keeps the columns, sorting, paging and export, but a
    page's cells are rendered in one pass (`page_rows`). The library inspects each column's
    render method's signature, builds its attributes and renders a template for every cell,
    which was most of a list's time; here that is decided once per column. The records are
    model instances, and the columns plain, date or boolean ones or the table's `render_<name>`
    methods, without links or `localize` (anything else goes through the library, cell by cell,
    as before). tests/cases/test_staff_list_cells.py holds the cells to the library's."""

    class Meta:
        attrs = ATTRS
        template_name = "cases/staff/_table.html"

    def page_rows(self) -> list[SafeString]:
        """Each row of the page on screen as its `<td>` cells, in the columns' order."""
        columns = [self._cell(column) for column in self.columns]
        rows = self.page.object_list if hasattr(self, "page") else self.rows
        # Every piece is escaped already (`_as_html`), so the row is joined as plain text.
        return [
            SafeString("".join([f"<td{td}>{cell(row)}</td>" for td, cell in columns]))
            for row in rows
        ]

    def _cell(self, bound: tables.columns.BoundColumn) -> tuple[str, Cell]:
        attrs = bound.attrs["td"].as_html()
        td = SafeString(f" {attrs}" if attrs else "")
        column = bound.column
        value_of = _value_getter(bound, getattr(self.data, "model", None))
        empty, default = column.empty_values, bound.default
        render: Callable[..., Any] | None = None
        if hasattr(self, f"render_{bound.name}"):
            arguments, catch_all = signature(bound.render)
            if catch_all is None and set(arguments) <= RENDER_ARGUMENTS:
                method, given = bound.render, frozenset(arguments)

                def render(value: Any, record: Any) -> Any:
                    offered = {"value": value, "record": record, "column": column}
                    offered |= {"bound_column": bound, "table": self}
                    return method(**{name: offered[name] for name in given})

        elif type(column) is tables.Column:

            def render(value: Any, record: Any) -> Any:
                return value

        elif isinstance(column, (tables.DateColumn, tables.DateTimeColumn)):
            # The column's template, `{{ value|date:format|default:default }}`, as a call.
            date_format = column.template_code.split('"')[1]

            def render(value: Any, record: Any) -> Any:
                return date_filter(template_localtime(value), date_format) or default

        elif isinstance(column, tables.BooleanColumn):

            def render(value: Any, record: Any) -> Any:
                return column.render(value=value, record=record, bound_column=bound)

        if render is None or bound.link or column.localize is not None:
            return td, lambda row: _as_html(row.get_cell(bound.name))

        def cell(row: BoundRow) -> str:
            record = row.record
            value = value_of(record)
            if value in empty:
                return _as_html(default)
            return _as_html(render(value, record))

        return td, cell


def _as_html(value: Any) -> str:
    """A cell's value as the template's `{{ cell }}` would print it: localised, and escaped
    unless it is safe already (Django's `escape` is `html.escape`)."""
    if isinstance(value, SafeString):
        return value
    if not isinstance(value, str):
        value = localize(template_localtime(value))
    return html.escape(str(value))


def _value_getter(
    bound: tables.columns.BoundColumn, model: type[models.Model] | None
) -> Callable[[Any], Any]:
    """How django-tables2 finds a cell's value: along the accessor, calling what is callable and
    stopping at None, with a field's display value when the field has choices."""
    bits = bound.accessor.bits
    try:
        field = bound.accessor.get_field(model) if model is not None else None
    except FieldDoesNotExist:
        field = None
    if field is not None and getattr(field, "choices", None):
        *path, last = bits
        display = f"get_{last}_display"

        def value_of(record: Any) -> Any:
            owner = _follow(record, path)
            return None if owner is None else getattr(owner, display)()

        return value_of
    return lambda record: _follow(record, bits)


def _follow(record: Any, bits: list[str] | tuple[str, ...]) -> Any:
    current = record
    for bit in bits:
        current = getattr(current, bit)
        if callable(current) and not getattr(current, "alters_data", False):
            current = current()
        if current is None:
            break
    return current


class CaseTable(ListTable):
    reference = tables.Column(verbose_name="Reference")
    title = tables.Column(verbose_name="Name")
    country = tables.Column(accessor="country__name", verbose_name="Country")
    region = tables.Column(accessor="country__region__name", verbose_name="Region")
    kind = tables.Column(verbose_name="Kind")
    themes = tables.Column(accessor="pk", verbose_name="Issues", orderable=False)
    sensitivity = tables.Column(verbose_name="Sensitivity")
    status = tables.Column(verbose_name="Status")
    coordinator = tables.Column(
        accessor="coordinator__user__full_name", verbose_name="Coordinator", default=""
    )
    open_groups = tables.Column(verbose_name="Groups")
    opened_on = tables.DateColumn(verbose_name="Opened", format="j M Y")

    class Meta(ListTable.Meta):
        order_by = ("reference",)
        empty_text = "No case matches these filters."

    @cached_property
    def case_url(self) -> Callable[[object], str]:
        # Built once for the page rather than reverse() for every row.
        return url_maker("staff:case")

    def render_reference(self, record: Case, value: str) -> str:
        return format_html('<a href="{}">{}</a>', self.case_url(record.reference), value)

    def value_reference(self, value: str) -> str:
        return value

    def render_themes(self, record: Case) -> str:
        return ", ".join(theme.name for theme in record.themes.all())

    def render_open_groups(self, record: Case, value: int) -> str:
        return f"{value} of {record.max_groups}"


def rows_per_page(asked: str | None) -> int:
    """`per_page` rounded up to one of PER_PAGE_CHOICES and capped at the largest; the smallest
    when it is missing or not a positive whole number."""
    try:
        number = int(asked or "")
    except ValueError:
        return PER_PAGE_CHOICES[0]
    if number < 1:
        return PER_PAGE_CHOICES[0]
    return next((n for n in PER_PAGE_CHOICES if n >= number), PER_PAGE_CHOICES[-1])


def configure(table: tables.Table, request: HttpRequest) -> tables.Table:
    """Sort and paginate `table` from the query string. The page size is one of
    PER_PAGE_CHOICES; a page number before the first or past the last shows that end."""
    tables.RequestConfig(request, paginate=False).configure(table)
    try:
        page = int(request.GET.get(table.prefixed_page_field) or 1)
    except ValueError:
        page = 1
    per_page = rows_per_page(request.GET.get(table.prefixed_per_page_field))
    try:
        table.paginate(page=page, per_page=per_page)
    except EmptyPage:
        table.page = table.paginator.page(1 if page < 1 else table.paginator.num_pages)
    return table


def export_page(table: tables.Table, fmt: str, filename: str) -> HttpResponse:
    """Exactly the rows and columns on screen (this page, these filters, this order)."""
    columns = [column for column in table.columns if column.visible]
    rows = table.page.object_list if hasattr(table, "page") else table.rows
    return export_response(
        [column.header for column in columns],
        ([row.get_cell_value(column.name) for column in columns] for row in rows),
        fmt,
        filename,
    )
