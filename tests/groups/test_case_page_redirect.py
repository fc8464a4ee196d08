"""A member has one case page, their group's; the old case address sends each role to its own."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from cases import services
from notifications import outbox
from notifications.models import OutboundMessage

from ..conftest import PERSONAS

pytestmark = pytest.mark.django_db

# Where /cases/<ref>/ leads each persona who can see the case.
DESTINATIONS = {
    "case_x": {
        "staff": "staff:case",
        "coordinator_a": "coordinators:case",
        "holder_x": "groups:case",
        "member_x": "groups:case",
    },
    "case_y": {
        "staff": "staff:case",
        "coordinator_b": "coordinators:case",
        "member_y": "groups:case",
    },
    "case_unallocated_a": {"staff": "staff:case", "coordinator_a": "coordinators:case"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case_name", list(DESTINATIONS))
def test_old_case_address_redirects_each_role_to_its_page(world, client_for, persona, case_name):
    case = getattr(world, case_name)
    response = client_for(persona).get(f"/cases/{case.reference}/")
    destination = DESTINATIONS[case_name].get(persona)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif destination is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 301
        assert response["Location"] == reverse(destination, args=[case.reference])
        assert client_for(persona).get(response["Location"]).status_code == 200


def test_the_group_page_holds_what_the_member_page_had(world, client_for):
    html = client_for("holder_x").get(reverse("groups:case", args=[world.case_x.reference]))
    text = html.content.decode()
    assert "Our work on" in text
    assert "Give up this case" in text
    assert "Who to write to" in text
    assert "Issues:" in text
    assert "Record an action" in text


def test_emails_link_to_the_page_of_their_reader(world):
    case = world.case_unallocated_a
    case.coordinator = world.case_x.coordinator
    case.save()
    services.allocate_case(
        case, world.group_y, holder=world.member_y, direct=True, actor=world.staff
    )
    old_page = settings.SITE_URL + f"/cases/{case.reference}/"
    pages = {
        "allocation-made": reverse("groups:case", args=[case.reference]),
        "allocation-coordinator": reverse("coordinators:case", args=[case.reference]),
    }
    for template, page in pages.items():
        messages = OutboundMessage.objects.filter(template=template)
        assert messages
        for message in messages:
            _subject, text, html = outbox.render(message)
            assert settings.SITE_URL + page in text and page in html
            assert old_page not in text and old_page not in html
