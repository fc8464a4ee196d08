"""Acknowledging an update: in place with htmx, by a plain form post and redirect without it."""

from __future__ import annotations

import pytest

from coordinators.models import CaseUpdateNotice
from coordinators.services import publish_update

from .helpers import make_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    update = make_update(world.case_x, world.coordinator_a, title="Released on bail")
    publish_update(update, actor=world.coordinator_a)
    return update


def test_page_offers_the_button_with_and_without_javascript(world, client_for, published):
    html = client_for("member_x").get(f"/coordinator/updates/{published.pk}/").content.decode()
    url = f"/coordinator/updates/{published.pk}/acknowledge/"
    assert f'action="{url}"' in html and f'hx-post="{url}"' in html


def test_htmx_acknowledgement_swaps_the_button_for_acknowledged(world, client_for, published):
    response = client_for("member_x").post(
        f"/coordinator/updates/{published.pk}/acknowledge/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "coordinators/_acknowledge.html"
    html = response.content.decode()
    assert "<html" not in html
    assert "Acknowledged." in html and "Group X acknowledged this on" in html
    assert "We have read this" not in html
    notice = CaseUpdateNotice.objects.get(update=published)
    assert notice.acknowledged_by == world.member_x


def test_plain_post_redirects_to_the_full_page(world, client_for, published):
    client = client_for("member_x")
    url = f"/coordinator/updates/{published.pk}/acknowledge/"
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/coordinator/updates/{published.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "<html" in page and "Group X acknowledged this on" in page
