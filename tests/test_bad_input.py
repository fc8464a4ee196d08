"""Input a browser can send gives a clear 4xx or a form error, never a 500, on SQLite and on
PostgreSQL alike (run the suite with DATABASE_URL set for the second)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Region

from . import factories as f
from .conftest import require_postgres

pytestmark = pytest.mark.django_db

BIG = "9" * 20  # no integer column holds it


# ---- Changing an entry one cannot change --------------------------------------------------------


def test_opening_someone_elses_entry_to_change_says_why(world, client_for):
    activity = f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.holder_x)
    response = client_for("member_x").get(f"/groups/actions/{activity.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You can only change entries you recorded yourself" in html
    assert "Save changes" not in html  # no form that could never be saved


def test_opening_an_old_entry_to_change_says_why(world, client_for):
    activity = f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.member_x)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client_for("member_x").get(f"/groups/actions/{activity.pk}/edit/")
    assert response.status_code == 200
    assert "for 30 days after recording them" in response.content.decode()


def test_ones_own_recent_entry_still_opens_in_the_form(world, client_for):
    activity = f.ActivityFactory(allocation=world.allocation_x, recorded_by=world.member_x)
    html = client_for("member_x").get(f"/groups/actions/{activity.pk}/edit/").content.decode()
    assert "Save changes" in html
    assert "There is a problem" not in html


# ---- NUL characters ----------------------------------------------------------------------------

REF = "IAR-2026-101"
NUL_URLS = [
    ("member_x", "/cases/%00/"),
    ("member_x", "/groups/cases/%00/"),
    ("member_x", "/groups/cases/%00/letters/"),
    ("coordinator_a", "/coordinator/cases/%00/"),
    ("staff", "/staff/cases/%00/"),
    ("staff", f"/staff/cases/{REF}/match/?q=%00"),
    ("staff", "/staff/cases/?q=%00"),
    ("staff", "/staff/groups/?q=%00"),
    ("staff", "/staff/cases/?%00=1"),
    ("staff", "/admin/cases/case/?q=%00"),
    ("anonymous", "/invitations/accept/%00/"),
]


@pytest.mark.parametrize("persona,url", NUL_URLS)
def test_nul_in_a_url_is_a_bad_request_before_any_query(
    world, client_for, django_assert_max_num_queries, persona, url
):
    client = client_for(persona)
    with django_assert_max_num_queries(0):
        response = client.get(url)
    assert response.status_code == 400


@pytest.mark.postgres
@pytest.mark.parametrize(
    "persona,prefix",
    [
        ("member_x", "/cases/"),
        ("member_x", "/groups/cases/"),
        ("coordinator_a", "/coordinator/cases/"),
        ("staff", "/staff/cases/"),
    ],
)
def test_on_postgresql_a_nul_reference_matches_no_url_even_without_the_middleware(
    world, client_for, settings, persona, prefix
):
    """The second guard: PostgreSQL refuses NUL in text, and the reference converter keeps it
    from ever reaching a query."""
    require_postgres()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("RejectNulMiddleware")]
    client = client_for(persona)
    assert client.get(f"{prefix}%00/").status_code == 404
    assert client.get(f"{prefix}{'A' * 21}/").status_code == 404  # longer than any reference
    # The real reference still reaches its page (the old member URL answers with its redirect).
    assert client.get(f"{prefix}{REF}/", follow=True).status_code == 200


def test_every_reference_a_case_can_hold_still_has_its_pages(world, client_for):
    odd = f.CaseFactory(reference="UA 12.3_x~(A)+é" + "9" * 5, country=world.country_a)
    assert len(odd.reference) == Case._meta.get_field("reference").max_length
    url = reverse("staff:case", args=[odd.reference])
    assert client_for("staff").get(url).status_code == 200


# ---- Page sizes ---------------------------------------------------------------------------------


def _rows(client, url: str, **params) -> int:
    response = client.get(url, {**params, "export": "csv"})
    assert response.status_code == 200
    return len(list(csv.reader(io.StringIO(response.content.decode())))) - 1


@pytest.fixture
def many_cases(world):
    f.CaseFactory.create_batch(130, country=world.country_a)


@pytest.mark.parametrize(
    "per_page,rows",
    [
        ("-1", 25),
        ("0", 25),
        ("abc", 25),
        ("", 25),
        ("25", 25),
        ("30", 50),
        ("50", 50),
        ("100", 100),
        ("100000", 100),
        (BIG, 100),
    ],
)
def test_the_case_list_shows_an_allowed_number_of_rows(
    world, client_for, many_cases, per_page, rows
):
    client = client_for("staff")
    assert client.get("/staff/cases/", {"per_page": per_page}).status_code == 200
    assert _rows(client, "/staff/cases/", per_page=per_page) == rows


@pytest.mark.parametrize("per_page", ["-1", "0", "100000"])
def test_the_group_list_takes_any_page_size(world, client_for, per_page):
    f.GroupFactory.create_batch(3)
    assert client_for("staff").get("/staff/groups/", {"per_page": per_page}).status_code == 200


@pytest.mark.parametrize("page", ["-1", "0", "abc", BIG])
def test_a_page_outside_the_list_shows_an_end_of_it(world, client_for, many_cases, page):
    client = client_for("staff")
    assert client.get("/staff/cases/", {"page": page}).status_code == 200
    assert _rows(client, "/staff/cases/", page=page) > 0


# ---- Ids too large for any integer column -------------------------------------------------------


def test_an_integer_in_lookup_leaves_out_numbers_no_column_holds(world):
    region = Region.objects.first() or f.RegionFactory()
    assert list(Region.objects.filter(pk__in=[int(BIG)])) == []
    assert list(Region.objects.filter(pk__in=[int(BIG), region.pk])) == [region]
    assert list(Region.objects.filter(pk__in=[-int(BIG)])) == []
    assert Region.objects.exclude(pk__in=[int(BIG)]).filter(pk=region.pk).exists()


@pytest.mark.parametrize("param", ["country", "region", "theme", "coordinator"])
@pytest.mark.parametrize("url", ["/staff/cases/", "/staff/groups/"])
def test_a_huge_id_in_a_list_filter_is_a_filter_error(world, client_for, url, param):
    response = client_for("staff").get(url, {param: BIG})
    assert response.status_code == 200
    assert param in response.context["filter"].errors


def test_a_huge_id_in_the_regions_of_a_case_request_is_a_form_error(world, client_for):
    response = client_for("member_x").post(
        "/cases/ask-for-cases/",
        {
            "group": world.group_x.pk,
            "number": "1",
            "meeting_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "regions": [BIG],
            "themes": [BIG],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "regions" in errors and "themes" in errors


def test_a_huge_id_in_the_countries_of_an_invitation_is_a_form_error(world, client_for):
    response = client_for("staff").post(
        "/invitations/new/",
        {
            "email": "new.coordinator@example.org",
            "full_name": "New Coordinator",
            "role": "coordinator",
            "countries": [BIG, str(world.country_a.pk)],
        },
    )
    assert response.status_code == 200
    assert "countries" in response.context["form"].errors
