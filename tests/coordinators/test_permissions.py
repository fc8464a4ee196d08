"""A coordinator works only on the cases of their countries; everything else is not found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import CampaignTarget
from coordinators.models import CaseUpdate
from coordinators.services import CoordinatorError, create_update

from ..conftest import PERSONAS
from .helpers import make_update

pytestmark = pytest.mark.django_db

WORKSPACE_ACCESS = {"staff", "coordinator_a"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "path",
    [
        "/coordinator/cases/IAR-2026-101/",
        "/coordinator/cases/IAR-2026-101/updates/new/",
        "/coordinator/cases/IAR-2026-101/targets/new/",
        "/coordinator/cases/IAR-2026-101/casefile/new/",
    ],
)
def test_case_workspace_pages_are_for_the_cases_coordinator_and_staff(
    world, client_for, persona, path
):
    response = client_for(persona).get(path)
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in WORKSPACE_ACCESS:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_and_inbox(world, client_for, persona):
    client = client_for(persona)
    for name in ("coordinators:home", "coordinators:report_inbox"):
        response = client.get(reverse(name))
        expected = {"anonymous": 302, "staff": 200, "coordinator_a": 200, "coordinator_b": 200}
        assert response.status_code == expected.get(persona, 403)


def test_coordinator_cannot_post_to_another_countrys_case(world, client_for):
    response = client_for("coordinator_b").post(
        "/coordinator/cases/IAR-2026-101/updates/new/",
        {"kind": "development", "title": "Intrusion", "body": "text"},
    )
    assert response.status_code == 404
    assert CaseUpdate.objects.count() == 0
    with pytest.raises(CoordinatorError):
        create_update(
            world.case_x, kind="development", title="x", body="y", actor=world.coordinator_b
        )


def test_coordinator_cannot_publish_edit_or_see_another_countrys_update(world, client_for):
    update = make_update(world.case_x, world.coordinator_a)
    client = client_for("coordinator_b")
    assert client.get(f"/coordinator/updates/{update.pk}/").status_code == 404
    assert client.get(f"/coordinator/updates/{update.pk}/edit/").status_code == 404
    assert client.post(f"/coordinator/updates/{update.pk}/publish/").status_code == 404
    update.refresh_from_db()
    assert update.status == "draft"


def test_members_cannot_publish(world, client_for):
    update = make_update(world.case_x, world.coordinator_a)
    assert (
        client_for("holder_x").post(f"/coordinator/updates/{update.pk}/publish/").status_code == 404
    )
    update.refresh_from_db()
    assert update.status == "draft"


def test_coordinator_cannot_change_another_countrys_targets(world, client_for):
    target = CampaignTarget.objects.get(case=world.case_x)
    client = client_for("coordinator_b")
    assert client.get(f"/coordinator/targets/{target.pk}/edit/").status_code == 404
    assert (
        client.post(f"/coordinator/targets/{target.pk}/retire/", {"on": "2026-01-01"}).status_code
        == 404
    )
    target.refresh_from_db()
    assert target.valid_to is None


def test_bad_ids_are_404_not_500(world, client_for):
    client = client_for("coordinator_a")
    for path in (
        "/coordinator/updates/999999/",
        "/coordinator/attachments/999999/",
        "/coordinator/casefiles/999999/",
        "/coordinator/targets/999999/edit/",
        "/coordinator/reports/999999/",
        "/coordinator/cases/NOPE/",
        "/coordinator/updates/99999999999999999999999/",
        "/coordinator/casefiles/99999999999999999999999/",
    ):
        assert client.get(path).status_code == 404, path
