"""What a signed-in person sees is not kept by their browser or by a proxy on the way."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def test_home_page_of_a_member_is_not_stored(world, client_for):
    response = client_for("member_x").get("/")

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_staff_pages_and_their_exports_are_not_stored(world, client_for):
    client = client_for("staff")
    url = reverse("staff:case_list")

    page = client.get(url)
    export = client.get(url, {"export": "csv"})
    admin = client.get(reverse("admin:index"))

    assert page.status_code == 200 and page["Cache-Control"] == PRIVATE
    assert export["Content-Type"].startswith("text/csv")
    assert export["Cache-Control"] == PRIVATE
    assert admin.status_code == 200 and "no-store" in admin["Cache-Control"]


def test_a_groups_csv_export_and_letter_pdf_are_not_stored(world, client_for):
    client = client_for("member_x")

    export = client.get(f"/groups/{world.group_x.pk}/actions.csv")
    labels = client.get(f"/groups/cases/{world.case_x.reference}/labels.pdf")

    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert export["Cache-Control"] == PRIVATE
    assert labels.status_code == 200 and labels.content.startswith(b"%PDF")
    assert labels["Cache-Control"] == PRIVATE


def test_a_redirect_to_a_signed_in_person_is_not_stored_either(world, client_for):
    # A member of one group is sent on to that group's settings page.
    response = client_for("member_x").get(reverse("groups:settings_index"))

    assert response.status_code == 302
    assert response["Cache-Control"] == PRIVATE


def test_a_view_that_says_how_it_is_cached_keeps_its_own_header(world, client_for):
    # /healthz is never cached, by its own decorator: its fuller header is kept as it is.
    response = client_for("staff").get("/healthz")

    assert "no-store" in response["Cache-Control"]
    assert response["Cache-Control"] != PRIVATE
