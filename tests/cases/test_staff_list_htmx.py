"""The staff lists: with htmx, filters, sorting and paging return the results alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["staff:case_list", "staff:group_list"])
def test_plain_request_is_the_full_page(world, client_for, name):
    response = client_for("staff").get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="results"' in html
    assert 'hx-get="' + reverse(name) + '"' in html and 'hx-push-url="true"' in html


@pytest.mark.parametrize("name", ["staff:case_list", "staff:group_list"])
def test_htmx_request_is_the_results_partial(world, client_for, name):
    response = client_for("staff").get(reverse(name) + "?page=1", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "cases/staff/_results.html"
    assert "<html" not in html and html.lstrip().startswith("<section")
    assert 'id="results"' in html and "found</h2>" in html


def test_htmx_filter_narrows_the_results(world, client_for):
    client = client_for("staff")
    query = {"q": world.case_y.reference}
    html = client.get(reverse("staff:case_list"), query, HTTP_HX_REQUEST="true").content.decode()
    assert world.case_y.reference in html and world.case_x.reference not in html


def test_history_restore_gets_the_full_page(world, client_for):
    response = client_for("staff").get(
        reverse("staff:case_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_exports_are_not_boosted(world, client_for):
    html = client_for("staff").get(reverse("staff:case_list")).content.decode()
    assert '<p hx-boost="false">Download this page as shown' in html
