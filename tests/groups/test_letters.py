"""Appeal letters for window envelopes, labels, plain text; sensitivity decides what prints."""

from __future__ import annotations

from datetime import date

import pytest

from cases.models import Case
from groups import letters

from .. import factories as f

pytestmark = pytest.mark.django_db


def url(case):
    return f"/groups/cases/{case.reference}/letters/"


def test_letter_page_offers_the_suggested_text_in_a_textarea(world, client_for):
    world.case_x.suggested_letter = "Please release the prisoner at once."
    world.case_x.save()
    html = client_for("member_x").get(url(world.case_x)).content.decode()
    assert "<textarea" in html and "Please release the prisoner at once." in html


def test_letter_pdf_holds_the_typed_text_and_the_targets_address(world, client_for):
    target = world.case_x.current_targets().get()
    response = client_for("member_x").post(
        url(world.case_x),
        {"target": target.pk, "text": "My own words for the minister.", "action": "pdf"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        'filename="letter-IAR-2026-101-minister-of-justice-of-a.pdf"'
        in (response["Content-Disposition"])
    )
    document = letters.letter_document(
        case=world.case_x,
        target=target,
        group=world.group_x,
        text="My own words for the minister.",
        on=date(2026, 11, 3),
    )
    text = letters.document_text(document)
    for line in ["Minister of Justice of A", "1 Government Square", "Capital City"]:
        assert line in text
    assert "My own words for the minister." in text
    assert "Group X" in text and "1 High Street" in text  # the group's return address
    assert "Narrative of case X." not in text


def test_address_sits_in_the_dl_window(world):
    target = world.case_x.current_targets().get()
    document = letters.letter_document(
        case=world.case_x, target=target, group=world.group_x, text="Text", on=date(2026, 1, 5)
    )
    boxes = {text: (page, x, y) for page, text, x, y in letters.text_boxes(document)}
    page, x, y = boxes[target.title]
    assert page == 1
    assert 18 <= x <= 22  # mm from the left edge
    assert 48 <= y <= 52  # mm from the top
    _, x, y = boxes["Capital City"]
    assert x < 110 and y < 90  # the whole address stays inside a 90 × 45 mm window


@pytest.mark.parametrize("sensitivity", ["restricted", "confidential"])
def test_sensitive_cases_print_only_what_the_member_typed(world, client_for, sensitivity):
    case = f.CaseFactory(
        reference="IAR-2026-555",
        title="Person Name Secret",
        country=world.country_a,
        sensitivity=sensitivity,
        summary="Narrative that must not print.",
        suggested_letter="Suggested text naming Person Name Secret.",
    )
    target = f.TargetFactory(case=case, authority="Prison Governor")
    f.AllocationFactory(case=case, group=world.group_x, holder=world.holder_x)
    member_page = client_for("member_x").get(url(case)).content.decode()
    if sensitivity == "confidential":
        # Only the casefile holder may read what the case says about the person.
        assert "Suggested text naming" not in member_page
        assert "Suggested text naming" in client_for("holder_x").get(url(case)).content.decode()
    response = client_for("member_x").post(
        url(case), {"target": target.pk, "text": "Typed words only.", "action": "pdf"}
    )
    assert response.status_code == 200
    assert "Person" not in response["Content-Disposition"]
    assert "IAR-2026-555" in response["Content-Disposition"]
    text = letters.document_text(
        letters.letter_document(
            case=case, target=target, group=world.group_x, text="Typed words only.", on=date.today()
        )
    )
    assert "Typed words only." in text
    assert "Narrative that must not print." not in text
    assert "Person Name Secret" not in text
    labels = client_for("member_x").get(f"/groups/cases/{case.reference}/labels.pdf")
    assert labels.status_code == 200
    assert "IAR-2026-555" in labels["Content-Disposition"]
    assert "Person" not in labels["Content-Disposition"]
    assert case.sensitivity == sensitivity


def test_plain_text_copy_and_labels_for_every_current_target(world, client_for):
    second = f.TargetFactory(case=world.case_x, authority="President of A", title="")
    retired = f.TargetFactory(
        case=world.case_x,
        authority="Old Minister",
        valid_to=date(2026, 1, 1),
        valid_from=date(2025, 1, 1),
    )
    response = client_for("member_x").post(
        url(world.case_x), {"target": second.pk, "text": "Copy me.", "action": "text"}
    )
    html = response.content.decode()
    assert "Your letter as plain text" in html
    assert "President of A" in html and "Copy me." in html and "Dear Minister," in html
    response = client_for("member_x").get(f"/groups/cases/{world.case_x.reference}/labels.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = letters.document_text(letters.labels_document(world.case_x.current_targets()))
    assert "President of A" in text and "Minister of Justice of A" in text
    assert "Old Minister" not in text
    assert retired.valid_to is not None


def test_labels_fill_a_3_by_7_sheet_then_a_new_page(world):
    targets = [f.TargetFactory(case=world.case_x, authority=f"Office {n:02d}") for n in range(22)]
    document = letters.labels_document(targets)
    assert len(document.pages) == 2
    positions = {t: (p, x, y) for p, t, x, y in letters.text_boxes(document)}
    assert positions["Office 00"][0] == 1 and positions["Office 21"][0] == 2
    columns = {round(positions[f"Office {n:02d}"][1]) for n in range(21)}
    rows = {round(positions[f"Office {n:02d}"][2]) for n in range(21)}
    assert len(columns) == 3 and len(rows) == 7


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write the text of your letter."),
        ({"target": "999999"}, "Choose one of the people listed."),
        ({"target": "not-a-number"}, "Choose one of the people listed."),
        ({"text": "x" * 10_001}, "at most 10000 characters"),
    ],
)
def test_bad_letter_input_is_explained(world, client_for, data, message):
    target = world.case_x.current_targets().get()
    form = {"target": target.pk, "text": "Hello", "action": "pdf"}
    form.update(data)
    response = client_for("member_x").post(url(world.case_x), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html


def test_another_cases_target_cannot_be_used(world, client_for):
    other = f.TargetFactory(case=world.case_y, authority="Other Country Minister")
    response = client_for("member_x").post(
        url(world.case_x), {"target": other.pk, "text": "Hello", "action": "pdf"}
    )
    assert response.status_code == 200
    assert "Choose one of the people listed." in response.content.decode()


def test_paused_case_prints_no_letters(world, client_for):
    Case.objects.filter(pk=world.case_x.pk).update(status="paused")
    html = client_for("member_x").get(url(world.case_x)).content.decode()
    assert "Letters can only be printed" in html
    assert "<textarea" not in html
