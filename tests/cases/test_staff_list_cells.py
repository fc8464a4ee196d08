"""The staff lists render a page's cells in one pass (cases.tables.ListTable): the same cells
django-tables2 renders one by one, the same sort links, and no query more for more rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template import Context
from django.template.base import render_value_in_context
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case

from .. import factories as f

pytestmark = pytest.mark.django_db


def library_rows(table) -> list[str]:
    """The rows as django-tables2's own template renders them, cell by cell."""
    context = Context()
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, cell in row.items():
            attrs = column.attrs["td"].as_html()
            cells.append(f"<td{' ' + attrs if attrs else ''}>")
            cells.append(f"{render_value_in_context(cell, context)}</td>")
        rows.append("".join(cells))
    return rows


def some_cases(world) -> None:
    coordinator = world.coordinator_a.coordinator_profile
    for n in range(3):
        case = f.CaseFactory(
            title=f"<b>Tom & Jerry {n}</b>", coordinator=coordinator, kind=Case.Kind.GROUP
        )
        case.themes.add(f.ThemeFactory(name=f"Issue {n}"), f.ThemeFactory(name=f"Another {n}"))


@pytest.mark.parametrize(
    "query", [{}, {"sort": "-title"}, {"sort": "coordinator", "per_page": "50"}, {"page": "2"}]
)
def test_case_cells_are_the_library_s(world, client_for, query):
    some_cases(world)
    f.CaseFactory.create_batch(25)
    response = client_for("staff").get(reverse("staff:case_list"), query)
    table = response.context["table"]
    assert table.page_rows() == library_rows(table)
    assert len(table.page_rows()) > 0


@pytest.mark.parametrize("query", [{}, {"sort": "-last_new"}, {"sort": "is_active"}])
def test_group_cells_are_the_library_s(world, client_for, query):
    f.GroupFactory(name="Quiet & <small>", is_active=False)
    response = client_for("staff").get(reverse("staff:group_list"), query)
    table = response.context["table"]
    assert table.page_rows() == library_rows(table)
    html = response.content.decode()
    assert "Quiet &amp; &lt;small&gt;" in html and "never" in html


def test_case_list_shows_each_column_and_sorts(world, client_for):
    some_cases(world)
    html = client_for("staff").get(reverse("staff:case_list"), {"sort": "-opened_on"})
    html = html.content.decode()
    case = world.case_confidential_x
    # Staff may see a confidential case's name; its reference links to its page.
    assert f'<a href="/staff/cases/{case.reference}/">{case.reference}</a>' in html
    assert "<td>Confidential of X</td>" in html and "<td>Confidential</td>" in html
    assert "&lt;b&gt;Tom &amp; Jerry 0&lt;/b&gt;" in html
    assert "<td>Another 0, Issue 0</td>" in html
    # The sorted column says so to a screen reader, and its link sorts the other way.
    opened = re.search(r"<th ([^>]*)>\s*<a href=\"\?sort=opened_on\">Opened</a>", html)
    assert opened and 'aria-sort="descending"' in opened.group(1)
    assert 'class="desc orderable"' in opened.group(1)
    assert html.count("aria-sort=") == 1
    assert '<a href="?sort=-opened_on&amp;sort=reference">' not in html
    assert '<a href="?sort=reference">Reference</a>' in html
    assert re.search(r"<th\s+scope=\"col\">\s*Issues\s*</th>", html)  # not sortable
    # The table is a named, focusable region.
    assert '<div class="table-responsive" tabindex="0" role="region" aria-label=' in html


def test_a_filter_keeps_its_choice(world, client_for):
    query = {"country": world.country_b.pk, "status": "open", "allocation": "under"}
    html = client_for("staff").get(reverse("staff:case_list"), query).content.decode()
    assert f'<option value="{world.country_b.pk}" selected>{world.country_b.name}</option>' in html
    assert '<option value="open" selected>Open</option>' in html
    assert '<option value="under" selected>' in html
    assert '<select name="region" class="form-select" id="id_region">' in html


@pytest.mark.parametrize("name", ["staff:case_list", "staff:group_list"])
def test_queries_do_not_grow_with_the_rows(world, client_for, name):
    client = client_for("staff")
    client.get(reverse(name))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), {"per_page": "100"}).status_code == 200
        return len(queries)

    few = count()
    coordinator = world.coordinator_a.coordinator_profile
    for _ in range(30):
        case = f.CaseFactory(coordinator=coordinator)
        case.themes.add(f.ThemeFactory())
        f.GroupFactory()
    assert count() == few
