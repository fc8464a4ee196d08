"""Staff forms for documents, one-off actions and bundles; list pages keep to a query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.models import ActionBundle, OneOffAction, UrgentAction

from .. import factories as f
from .helpers import TARGET, one_off, published_ua

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ua_data(world, **extra):
    today = timezone.localdate()
    return {
        "reference": "UA 88/26",
        "title": "Doctor detained",
        "country": world.country_a.pk,
        "issued_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=14)).isoformat(),
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        **{f"targets-0-{k}": v for k, v in TARGET.items()},
        **extra,
    }


def test_a_document_is_checked_by_its_content(world, client_for):
    client = client_for("staff")
    fake = SimpleUploadedFile(
        "ua.pdf", b"#!/bin/sh\necho not a pdf\n", content_type="application/pdf"
    )
    response = client.post("/urgent-actions/staff/new/", _ua_data(world, document=fake))
    assert response.status_code == 200
    assert "This type of file is not accepted" in response.content.decode()
    assert not UrgentAction.objects.exists()

    real = SimpleUploadedFile("Urgent action.pdf", PDF, content_type="application/pdf")
    response = client.post("/urgent-actions/staff/new/", _ua_data(world, document=real))
    ua = UrgentAction.objects.get()
    assert ua.document_name == "Urgent action.pdf"
    download = client_for("member_y").get(f"/urgent-actions/{ua.pk}/document/")
    assert download.status_code == 404  # still a draft: nobody but staff sees it
    download = client.get(f"/urgent-actions/{ua.pk}/document/")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_reference_already_used_is_refused(world, client_for):
    published_ua(world.staff, country=world.country_a, reference="UA 88/26")
    response = client_for("staff").post("/urgent-actions/staff/new/", _ua_data(world))
    assert "There is already an Urgent Action UA 88/26." in response.content.decode()
    assert UrgentAction.objects.count() == 1


def test_staff_write_a_one_off_action_with_its_addresses(world, client_for):
    response = client_for("staff").post(
        "/urgent-actions/staff/one-off/new/",
        {
            "kind": "card",
            "title": "Cards for New Year",
            "country": world.country_a.pk,
            "case": world.case_x.pk,
            "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "text": "Send a card with a short message of hope.",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            **{f"targets-0-{k}": v for k, v in TARGET.items()},
        },
    )
    action = OneOffAction.objects.get()
    assert response["Location"] == f"/urgent-actions/one-off/{action.pk}/"
    assert (action.kind, action.case) == ("card", world.case_x)
    page = client_for("member_y").get(response["Location"]).content.decode()
    assert "Cards for New Year" in page and "Ministry of the Interior" in page


def test_staff_assemble_a_bundle_and_see_the_problem_until_it_is_fixed(world, client_for):
    letter = one_off(world.staff)
    client = client_for("staff")
    response = client.post(
        "/urgent-actions/staff/bundles/new/",
        {"kind": "magazine", "title": "Winter magazine", "cases": [world.case_x.pk]},
    )
    bundle = ActionBundle.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "needs at least 9 cases or actions; it has 1" in preview
    assert client.post(f"/urgent-actions/staff/bundles/{bundle.pk}/publish/").status_code == 302
    bundle.refresh_from_db()
    assert bundle.status == "draft"
    client.post(
        f"/urgent-actions/staff/bundles/{bundle.pk}/edit/",
        {"kind": "mailing", "title": "Winter mailing", "one_offs": [letter.pk]},
    )
    client.post(f"/urgent-actions/staff/bundles/{bundle.pk}/publish/")
    bundle.refresh_from_db()
    assert (bundle.kind, bundle.status) == ("mailing", "published")


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_and_region_pages_keep_to_a_query_budget(
    world, client_for, django_assert_max_num_queries, rows
):
    theme = f.ThemeFactory()
    for n in range(rows):
        published_ua(
            world.staff, country=world.country_a, reference=f"UA {n + 1}/26", themes=[theme]
        )
        one_off(world.staff, country=world.country_a, title=f"One-off {n}")
    client = client_for("member_x")
    with django_assert_max_num_queries(14):
        assert client.get("/urgent-actions/").status_code == 200
    with django_assert_max_num_queries(16):
        assert (
            client.get(f"/urgent-actions/regions/{world.country_a.region.code}/").status_code == 200
        )
