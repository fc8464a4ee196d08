"""The staff lists as tables: sortable columns, and the same cells exported as CSV or XLSX.
The case table is here; the group table (`groups.tables`) shares the paging and export."""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from iar_site.exports import export_response

from .models import Case

ATTRS = {"class": "table table-sm align-middle"}

# Rows a page may show: `per_page` in the query string picks one; nothing asks for every row.
PER_PAGE_CHOICES = (25, 50, 100)


class CaseTable(tables.Table):
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

    class Meta:
        attrs = ATTRS
        template_name = "django_tables2/bootstrap5.html"
        order_by = ("reference",)
        empty_text = "No case matches these filters."

    def render_reference(self, record: Case, value: str) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("staff:case", args=[record.reference]), value
        )

    def value_reference(self, value: str) -> str:
        return value

    def render_themes(self, record: Case) -> str:
        return ", ".join(theme.name for theme in record.themes.all())

    def render_kind(self, record: Case) -> str:
        return record.get_kind_display()

    def render_sensitivity(self, record: Case) -> str:
        return record.get_sensitivity_display()

    def render_status(self, record: Case) -> str:
        return record.get_status_display()

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
