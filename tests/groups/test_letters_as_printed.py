"""Letters as they come out of the printer: read back from the PDF, every appeal letter has its
salutation, its sign-off and its addressee's name once, and an address prints each line once
however it was typed."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from cases import services as case_services
from cases.models import CampaignTarget, Case, address_without_name
from groups import letters
from groups.models import LocalGroup

from .. import factories as f

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 3)


def pdf_text(document) -> str:
    reader = PdfReader(BytesIO(letters.pdf_bytes(document)))
    # Whitespace collapsed: a long name wraps onto two lines on a label.
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def once(text: str, needle: str) -> bool:
    return text.count(needle) == 1


def test_a_text_with_its_own_salutation_and_sign_off_prints_each_once(world):
    target = f.TargetFactory(
        case=world.case_x,
        authority="Prosecutor General",
        title="Mr Tomas Berg",
        # Typed the old way: the name and the authority again at the top of the address.
        postal_address="Mr Tomas Berg\nProsecutor General\nOffice of the Prosecutor\n2 Court Road",
        salutation="Dear Prosecutor General,",
    )
    text = "Dear Prosecutor General,\n\nPlease release the prisoner.\n\nYours sincerely,"
    document = letters.letter_document(
        case=world.case_x, target=target, group=world.group_x, text=text, on=ON
    )
    printed = pdf_text(document)
    assert once(printed, "Dear Prosecutor General,")
    assert "Dear Prosecutor General,," not in printed
    assert once(printed, "Yours sincerely,")
    assert once(printed, "Mr Tomas Berg")
    assert once(printed, "Office of the Prosecutor")
    assert once(printed, "Please release the prisoner.")
    plain = letters.letter_plain_text(target=target, group=world.group_x, text=text, on=ON)
    assert plain.count("Dear Prosecutor General") == 1 and plain.count("Yours sincerely") == 1
    assert plain.count("Mr Tomas Berg") == 1


def test_label_sheet_prints_each_address_line_once(world):
    target = f.TargetFactory(
        case=world.case_x,
        authority="National Human Rights Commission",
        title="",
        postal_address="National Human Rights Commission\n12 Freedom Avenue\n12 freedom avenue,",
    )
    printed = pdf_text(letters.labels_document([target]))
    assert once(printed, "National Human Rights Commission")
    assert once(printed, "12 Freedom Avenue")


def test_the_letter_body_keeps_what_only_looks_like_a_greeting():
    assert letters.letter_body("Dear friends of the prisoner are worried.\nMore.") == "More."
    # A line that is a greeting is dropped; a sentence inside the body is not.
    body = "I am writing to you.\n\nYours sincerely, they said, is not enough."
    assert letters.letter_body(body) == body


def test_targets_saved_by_a_coordinator_keep_the_name_out_of_the_address(world):
    target = case_services.add_target(
        world.case_x,
        data={
            "authority": "Minister of the Interior",
            "title": "H.E. Sara Lind",
            "postal_address": "H.E. Sara Lind\nMinister of the Interior\nMinistry of the Interior\n"
            "3 Palace Road",
            "email": "",
            "salutation": "Dear Minister,",
        },
        valid_from=date.today(),
        actor=world.coordinator_a,
    )
    assert target.postal_address == "Ministry of the Interior\n3 Palace Road"
    assert target.salutation == "Dear Minister"
    assert target.address_lines() == [
        "H.E. Sara Lind",
        "Minister of the Interior",
        "Ministry of the Interior",
        "3 Palace Road",
    ]


def test_an_address_that_is_only_the_name_is_refused(world):
    with pytest.raises(case_services.CaseError, match="address lines"):
        case_services.add_target(
            world.case_x,
            data={
                "authority": "Minister of Justice",
                "title": "",
                "postal_address": "Minister of Justice",
                "salutation": "Dear Minister",
            },
            valid_from=date.today(),
            actor=world.coordinator_a,
        )


def test_address_without_name_drops_only_leading_name_and_authority_lines():
    assert (
        address_without_name(
            "Ms Ana Ruiz\nAttorney General\nOffice of the Attorney General\nCapital",
            title="Ms Ana Ruiz",
            authority="Attorney General",
        )
        == "Office of the Attorney General\nCapital"
    )


def test_every_demo_letter_and_label_sheet_prints_each_name_once():
    call_command("seed_demo", verbosity=0)
    # Every letter a demo group can print: the current targets of each open case it works on.
    cases = (
        Case.objects.filter(status=Case.Status.OPEN, allocations__status="active")
        .filter(targets__valid_to__isnull=True)
        .distinct()
        .order_by("reference")
    )
    assert cases.count() > 10
    checked = 0
    for case in cases:
        group = LocalGroup.objects.filter(allocations__case=case).order_by("pk").first()
        targets = list(case.current_targets())
        # The demo follows the shape the letters need: no name or authority in the address.
        for target in targets:
            assert target.title not in target.postal_address or not target.title
            assert target.authority not in target.postal_address.splitlines()
        labels = pdf_text(letters.labels_document(targets))
        for target in targets:
            assert once(labels, target.title or target.authority), (case.reference, labels)
            document = letters.letter_document(
                case=case, target=target, group=group, text=case.suggested_letter, on=ON
            )
            printed = pdf_text(document)
            assert once(printed, f"{target.salutation},"), (case.reference, printed)
            assert once(printed, "Yours sincerely,"), (case.reference, printed)
            if target.title:
                assert once(printed, target.title), (case.reference, printed)
            checked += 1
    assert checked == CampaignTarget.objects.filter(valid_to__isnull=True, case__in=cases).count()
