"""The programme's yearly figures: each number against a hand-built year, who may see them, the
CSV, XLSX and PDF, and a number of queries that does not grow with the data."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import Activity
from reporting import figures
from tests import factories as f
from tests.reporting.yearly_data import act, build_year, travel

URL = "/staff/figures/"
FIGURE_KEYS = [key for key, _ in figures.COLUMNS]


@pytest.fixture
def year(db):
    with travel():
        yield build_year()


def values(row):
    return dict(zip(FIGURE_KEYS, row.cells, strict=True))


def expected(letters, actions, groups, cases, replies, releases, improvements):
    return dict(
        zip(
            FIGURE_KEYS,
            [letters, actions, groups, cases, replies, releases, improvements],
            strict=True,
        )
    )


def test_figures_of_a_hand_built_year(year):
    result = figures.year_figures(2025)
    africa, americas = result.regions
    assert africa.total.name == "Africa"
    kenya, nigeria = africa.countries
    assert (kenya.name, nigeria.name) == ("Kenya", "Nigeria")
    assert values(kenya) == expected(10, 5, 1, 2, 1, 1, 1)
    assert values(nigeria) == expected(0, 1, 1, 1, 0, 0, 0)
    # Group 1 worked in both countries: one group of the region, not two.
    assert values(africa.total) == expected(10, 6, 1, 3, 1, 1, 1)
    [peru] = americas.countries
    assert values(peru) == expected(10, 1, 1, 1, 0, 0, 1)
    assert values(americas.total) == expected(10, 1, 1, 1, 0, 0, 1)
    assert values(result.total) == expected(20, 7, 2, 4, 1, 1, 2)


def test_another_year_counts_its_own_rows(year):
    result = figures.year_figures(2024)
    assert values(result.total) == expected(107, 2, 2, 3, 0, 1, 0)
    assert figures.year_figures(2019).regions == []


def test_staff_see_the_figures_for_the_chosen_year(year, client):
    client.force_login(f.StaffFactory())
    response = client.get(URL, {"year": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The programme's figures for 2025" in page
    assert '<option value="2024"' in page  # the earliest year with an action is offered
    assert "Kenya" in page and "Nigeria" in page and "Peru" in page


def test_no_year_shows_this_year_and_a_bad_year_says_so(year, client):
    client.force_login(f.StaffFactory())
    first = client.get(URL)
    assert first.status_code == 200
    assert first.context["figures"].year == 2026
    assert "There is a problem" not in first.content.decode()
    for bad in ("1900", "not-a-year", "9" * 40):
        response = client.get(URL, {"year": bad})
        assert response.status_code == 200
        assert response.context["figures"].year == 2026
        assert "Choose a year from the list." in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "holder_x", "member_x", "outsider"])
def test_only_staff_see_the_figures(world, client_for, persona):
    client = client_for(persona)
    for url in (URL, URL + "?export=csv", "/staff/figures/report.pdf"):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(world, client_for):
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_csv_holds_every_row_and_escapes_formulas(year, client):
    f.CountryFactory(name="=HYPERLINK(1)", region=year["americas"])
    bad = f.CaseFactory(country=f.CountryFactory(name="+Sum", region=year["americas"]))
    act(f.AllocationFactory(case=bad, started_on=date(2025, 1, 1)), date(2025, 2, 2), count=3)
    client.force_login(f.StaffFactory())
    response = client.get(URL, {"year": "2025", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="iar-figures-2025.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == figures.EXPORT_HEADERS
    assert rows[1] == ["Africa", "Kenya", "10", "5", "1", "2", "1", "1", "1"]
    assert rows[2] == ["Africa", "Nigeria", "0", "1", "1", "1", "0", "0", "0"]
    assert rows[3] == ["Africa", "All countries", "10", "6", "1", "3", "1", "1", "1"]
    assert rows[4] == ["Americas", "'+Sum", "3", "1", "1", "1", "0", "0", "0"]
    assert rows[5][:3] == ["Americas", "Peru", "10"]
    assert rows[6] == ["Americas", "All countries", "13", "2", "2", "2", "0", "0", "1"]
    assert rows[7] == ["All regions", "All countries", "23", "8", "3", "5", "1", "1", "2"]
    assert len(rows) == 8


def test_xlsx_holds_the_same_figures(year, client):
    client.force_login(f.StaffFactory())
    response = client.get(URL, {"year": "2025", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == figures.EXPORT_HEADERS
    assert rows[-1] == ["All regions", "All countries", 20, 7, 2, 4, 1, 1, 2]
    assert ["Americas", "Peru", 10, 1, 1, 1, 0, 0, 1] in rows


def test_pdf_report_prints_the_year_the_table_and_the_definitions(year, client):
    client.force_login(f.StaffFactory())
    response = client.get("/staff/figures/report.pdf", {"year": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="iar-figures-2025.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "figures for 2025" in text
    for name in ("Kenya", "Nigeria", "Peru", "All regions", "Cases worked", "Groups active"):
        assert name in text
    assert "What each figure means" in text


def _more_data(size: int) -> None:
    region = f.RegionFactory()
    for n in range(size):
        allocation = f.AllocationFactory(
            case=f.CaseFactory(country=f.CountryFactory(region=region)),
            started_on=date(2025, 1, 1),
        )
        act(allocation, date(2025, 1 + n % 12, 3), count=2, outcome=Activity.Outcome.REPLY)


@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
def test_queries_do_not_grow_with_the_data(year, client, django_assert_max_num_queries, fmt):
    client.force_login(f.StaffFactory())
    params = {"year": "2025", **({"export": fmt} if fmt else {})}
    client.get(URL, params)  # the session is saved on the first request only
    counts = []
    for size in (2, 25):
        _more_data(size)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(15):
            assert client.get(URL, params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
