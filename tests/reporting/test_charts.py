"""The programme's charts: each chart's numbers against a hand-built year, the filters, the table
beside each chart, the vendored script under the CSP, who may see them, and the query budget."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Country
from groups.models import Activity
from reporting import charts
from tests import factories as f
from tests.reporting.yearly_data import act, build_year, travel

URL = "/staff/charts/"


@pytest.fixture
def year(db):
    with travel():
        yield build_year()


def by_slug(scope: charts.Scope) -> dict[str, charts.Chart]:
    return {chart.slug: chart for chart in charts.programme_charts(scope)}


def monthly(**months: int) -> list[int]:
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return [months.get(name, 0) for name in names]


def series(chart: charts.Chart) -> dict[str, list[int]]:
    return {serie.label: serie.values for serie in chart.series}


def test_each_chart_counts_the_hand_built_year(year):
    # A second group active in March, on a Peruvian case.
    peru_case = f.CaseFactory(country=year["peru"])
    allocation = f.AllocationFactory(case=peru_case, group=year["g3"], started_on=date(2025, 1, 1))
    act(allocation, date(2025, 3, 5), kind=Activity.Kind.SOCIAL_MEDIA)

    found = by_slug(charts.Scope(year=2025))
    assert series(found["actions"]) == {
        "Letter to the authorities": monthly(jan=1, mar=1, jun=1, dec=1),
        "Solidarity message": monthly(jul=1),
        "Petition": monthly(jun=1),
        "Stall": monthly(mar=1),
        "Social media": monthly(mar=1),
    }
    assert found["letters"].rows == [("Africa", [10]), ("Americas", [10])]
    assert series(found["groups"]) == {"Groups active": monthly(jan=1, mar=2, jun=1, jul=1, dec=1)}
    assert series(found["outcomes"]) == {
        "Reply received": monthly(jan=1),
        "Release": monthly(jun=1),
        "Improvement for the person": monthly(jun=1, dec=1),
    }


def test_region_and_country_filters(year):
    americas = by_slug(charts.Scope(year=2025, region=year["americas"]))
    assert series(americas["actions"]) == {"Letter to the authorities": monthly(dec=1)}
    assert americas["letters"].rows == [("Americas", [10])]
    peru = by_slug(charts.Scope(year=2025, country=year["peru"]))
    assert series(peru["outcomes"]) == {"Improvement for the person": monthly(dec=1)}
    quiet = by_slug(charts.Scope(year=2023))
    assert all(chart.is_empty for chart in quiet.values())


def test_the_page_shows_each_chart_with_its_table_and_data(year, client):
    client.force_login(f.StaffFactory())
    response = client.get(URL, {"year": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    for slug in ("actions", "letters", "groups", "outcomes"):
        assert f'data-chart-table="{slug}"' in page
        # The chart's numbers travel as JSON, never as an inline script.
        match = re.search(
            rf'<script id="chart-data-{slug}" type="application/json">(.*?)</script>', page
        )
        assert match, slug
    letters = json.loads(
        re.search(r'id="chart-data-letters" type="application/json">(.*?)</script>', page)[1]
    )
    assert letters == {
        "type": "bar",
        "stacked": False,
        "labels": ["Africa", "Americas"],
        "datasets": [{"label": "Letters", "data": [10, 10]}],
    }
    # The table beside it holds the same numbers, so the page is complete without the chart.
    assert re.search(
        r'<th scope="row" class="fw-normal">Africa</th><td class="text-end">10</td>', page
    )
    # Scripts are the vendored files, carrying the request's nonce; no inline code.
    nonce = response.context["csp_nonce"]
    assert f'src="/static/vendor/chartjs/chart.umd.min.js" nonce="{nonce}"' in page
    assert f'src="/static/js/charts.js" nonce="{nonce}"' in page
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
        assert "src=" in script[0] or 'type="application/json"' in script[0]
    # The chart holders stay hidden until the script draws into them.
    assert 'data-chart-source="chart-data-actions" hidden' in page


def test_filters_narrow_the_page_and_a_mismatch_says_how_to_fix_it(year, client):
    client.force_login(f.StaffFactory())
    kenya_pk = Country.objects.get(name="Kenya").pk
    response = client.get(URL, {"year": "2025", "country": kenya_pk})
    assert response.context["scope"].country.name == "Kenya"
    assert response.context["charts"][1].rows == [("Africa", [10])]
    mismatch = client.get(URL, {"year": "2025", "region": year["americas"].pk, "country": kenya_pk})
    assert mismatch.status_code == 200
    page = mismatch.content.decode()
    assert "There is a problem" in page
    assert "Kenya is not in Americas" in page
    # The year chosen is kept; the charts show the whole programme for it.
    assert mismatch.context["scope"] == charts.Scope(year=2025)
    unknown = client.get(URL, {"year": "2025", "region": "999999", "country": "abc"})
    assert "Choose a region from the list." in unknown.content.decode()
    assert "Choose a country from the list." in unknown.content.decode()
    assert unknown.context["scope"] == charts.Scope(year=2025)
    for bad in ({"region": "x"}, {"country": "99999"}, {"year": "abc"}, {"region": "9" * 30}):
        assert client.get(URL, bad).status_code == 200


def test_without_data_the_page_says_so(db, client):
    client.force_login(f.StaffFactory())
    page = client.get(URL).content.decode()
    assert page.count("Nothing recorded for") == 4


@pytest.mark.parametrize("persona", ["coordinator_a", "holder_x", "member_x", "outsider"])
def test_only_staff_see_the_charts(world, client_for, persona):
    assert client_for(persona).get(URL).status_code == 403


def test_queries_do_not_grow_with_the_data(year, client, django_assert_max_num_queries):
    client.force_login(f.StaffFactory())
    params = {"year": "2025", "region": year["africa"].pk}
    client.get(URL, params)
    counts = []
    for size in (2, 30):
        for n in range(size):
            case = f.CaseFactory(country=f.CountryFactory(region=year["africa"]))
            allocation = f.AllocationFactory(case=case, started_on=date(2025, 1, 1))
            act(allocation, date(2025, 1 + n % 12, 9), outcome=Activity.Outcome.REPLY)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(14):
            assert client.get(URL, params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_vendored_chart_library_is_the_pinned_version():
    root = Path(settings.BASE_DIR)
    pinned = json.loads((root / "package.json").read_text())["dependencies"]["chart.js"]
    built = (root / "static/vendor/chartjs/chart.umd.min.js").read_text()
    assert f"Chart.js v{pinned}" in built[:200]
    assert "sourceMappingURL" not in built
    assert f"chart.js {pinned}" in (root / "static/vendor/VERSIONS").read_text()


def test_this_year_shows_the_months_so_far(year):
    with travel():
        found = by_slug(charts.Scope(year=2026))
    # 15 June 2026: January to June, so the months to come do not read as months with nothing.
    assert found["actions"].categories == ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    assert series(found["actions"]) == {"Letter to the authorities": [1, 0, 0, 0, 0, 0]}
    assert len(found["groups"].series[0].values) == 6
