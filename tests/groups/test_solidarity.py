"""Solidarity: the group's case page shows where messages go (or that there is nowhere), a
suggested message, and prints it as a PDF with the address once; a confidential case's address
stays with those who may know who the case is about."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from cases.models import Case

from .. import factories as f

pytestmark = pytest.mark.django_db

ADDRESS = "Amina Diallo\nCentral Prison\nBlock C\nCentral Prison\nCapital City"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def solidarity_url(case):
    return f"/groups/cases/{case.reference}/solidarity/"


@pytest.fixture
def with_address(world):
    world.case_x.solidarity_address = ADDRESS
    world.case_x.save()
    f.CasePersonFactory(case=world.case_x, name="Amina Diallo")
    return world.case_x


def test_case_page_shows_the_address_and_a_suggested_message(world, with_address, client_for):
    page = client_for("member_x").get(f"/groups/cases/{with_address.reference}/").content.decode()
    assert "Central Prison" in page and "A message you could send" in page
    assert solidarity_url(with_address) in page


def test_case_page_says_when_there_is_no_address(world, client_for):
    page = client_for("member_x").get(f"/groups/cases/{world.case_x.reference}/").content.decode()
    assert "There is no address for solidarity messages on this case" in page
    solidarity = client_for("member_x").get(solidarity_url(world.case_x)).content.decode()
    assert "There is no address for solidarity messages" in solidarity
    assert "Download the message" not in solidarity


def test_the_message_prints_with_the_address_once(world, with_address, client_for):
    client = client_for("member_x")
    page = client.get(solidarity_url(with_address)).content.decode()
    assert "Dear Amina," in page and "Group X" in page
    response = client.post(
        solidarity_url(with_address), {"text": "Dear Amina,\n\nYou are not forgotten.\n\nGroup X"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="solidarity-IAR-2026-101.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert text.count("Central Prison") == 1 and text.count("Amina Diallo") == 1
    assert "You are not forgotten." in text and text.count("Dear Amina,") == 1
    empty = client.post(solidarity_url(with_address), {"text": "  "})
    assert empty.status_code == 200 and "Write your message." in empty.content.decode()


def test_a_confidential_address_stays_with_the_holder(world, client_for):
    case = world.case_confidential_x
    case.solidarity_address = "Confidential of X\nWomen's Prison\nCapital City"
    case.save()
    member = client_for("member_x")
    page = member.get(solidarity_url(case)).content.decode()
    assert "Women's Prison" not in page and "Confidential of X" not in page
    assert "your casefile holder" in page
    assert member.post(solidarity_url(case), {"text": "Hello"})["Content-Type"].startswith(
        "text/html"
    )
    case_page = member.get(f"/groups/cases/{case.reference}/").content.decode()
    assert "Women's Prison" not in case_page
    holder = client_for("holder_x").post(solidarity_url(case), {"text": "Dear friend, hello."})
    assert holder["Content-Type"] == "application/pdf"
    assert "Women's Prison" in pdf_text(holder.content)


def test_other_groups_cannot_reach_the_page(world, with_address, client_for):
    assert client_for("member_y").get(solidarity_url(with_address)).status_code == 404
    assert client_for("outsider").get(solidarity_url(with_address)).status_code == 404


def test_a_group_or_community_case_is_greeted_as_friends(world, client_for):
    case = world.case_x
    case.kind = Case.Kind.COMMUNITY
    case.solidarity_address = "Community Centre\nRiver Town"
    case.save()
    page = client_for("member_x").get(solidarity_url(case)).content.decode()
    assert "Dear friends," in page
