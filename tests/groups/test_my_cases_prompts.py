"""My cases puts the group's pending decisions first: an offer to answer, a stop to confirm."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.services import stop_case
from groups.models import Membership

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_an_offer_has_its_answer_button_on_the_card(world, client_for):
    # The group's administrators answer offers (a plain member is shown "See the offer").
    Membership.objects.filter(user=world.member_x).update(role=Membership.Role.ADMIN)
    case = f.CaseFactory(country=world.country_a, title="Offered case")
    f.AllocationFactory(case=case, group=world.group_x, status="offered", started_on=None)
    html = client_for("member_x").get("/").content.decode()
    assert "Accept or decline this case" in html
    assert f"/cases/{case.reference}/offer/" in html


def test_a_stopped_case_asks_the_group_to_confirm_until_it_has(world, client_for):
    stop_case(world.case_x, reason="ethical_concern", actor=world.staff)
    client = client_for("member_x")
    html = client.get("/").content.decode()
    assert f"Amnesty has stopped work on case {world.case_x.reference}" in html
    assert f"/cases/{world.case_x.reference}/confirm-stop/" in html
    assert "Case of X" not in html  # the stopped case's name is not repeated

    allocation = world.allocation_x
    allocation.refresh_from_db()
    allocation.stop_confirmed_at = timezone.now()
    allocation.save()
    assert "Amnesty has stopped work" not in client.get("/").content.decode()
    # Another group never sees it.
    assert "Amnesty has stopped work" not in client_for("member_y").get("/").content.decode()


def test_the_case_page_shows_the_latest_actions_and_all_on_request(world, client_for):
    f.ActivityFactory.create_batch(25, allocation=world.allocation_x, kind="stall")
    client = client_for("member_x")
    url = f"/groups/cases/{world.case_x.reference}/"
    short = client.get(url).content.decode()
    assert short.count("Stall") == 20
    assert "Show all 25 actions" in short
    full = client.get(url + "?actions=all").content.decode()
    assert full.count("Stall") == 25
    assert "Show all" not in full


def test_a_confidential_casefile_downloads_only_for_the_holder(world, client_for, settings):
    from django.core.files.base import ContentFile

    from cases.models import CasefileDocument

    document = CasefileDocument(case=world.case_confidential_x, version=1, title="Casefile")
    document.file.save("casefile.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    url = f"/groups/cases/{world.case_confidential_x.reference}/casefile/1/"
    assert client_for("member_x").get(url).status_code == 404
    response = client_for("holder_x").get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for("member_y").get(url).status_code == 404
