"""Printable PDFs for groups: appeal letters for window envelopes, address labels, report copies.

Nothing about the case is printed but what the member typed and the authorities' addresses: a
letter may be opened by the very officials the case is about, and a sheet may be left on a stall.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.text import slugify

from cases.models import CampaignTarget, Case, unique_lines

from .models import AnnualReport, LocalGroup
from .reports import ReportSummary

if TYPE_CHECKING:
    import weasyprint

# Avery L7160 and compatible sheets: 3 × 7 labels of 63.5 × 38.1 mm.
LABELS_PER_SHEET = 21


def _document(template: str, context: dict) -> weasyprint.Document:
    html = render_to_string(template, context)
    # Imported here: loading WeasyPrint costs every process a second and most never print.
    import weasyprint

    return weasyprint.HTML(string=html).render()


def pdf_bytes(document: weasyprint.Document) -> bytes:
    return document.write_pdf()


MM_PER_PX = 25.4 / 96


def text_boxes(document: weasyprint.Document) -> list[tuple[int, str, float, float]]:
    """(page number, text, mm from the left edge, mm from the top) of every piece of text laid
    out, absolutely placed blocks included: how checks see where an address will print."""
    found: list[tuple[int, str, float, float]] = []

    def walk(box, page_number: int) -> None:
        text = getattr(box, "text", None)
        if text:
            found.append(
                (page_number, text, box.position_x * MM_PER_PX, box.position_y * MM_PER_PX)
            )
        for child in getattr(box, "children", ()):
            walk(child, page_number)

    for number, page in enumerate(document.pages, start=1):
        walk(page._page_box, number)
    return found


def document_text(document: weasyprint.Document) -> str:
    return "\n".join(text for _, text, _, _ in text_boxes(document))


def case_label(case: Case) -> str:
    """How a printout names the case, as pages name it to those who may not know who it is
    about: a sheet can be left on a stall, so a confidential case never carries the name."""
    return case.display_name_for(None)


def letter_filename(case: Case, target: CampaignTarget) -> str:
    # The reference, never the person's name: downloads folders are shared and synced.
    return f"letter-{case.reference}-{slugify(target.authority)[:40] or target.pk}.pdf"


def target_address_lines(target: CampaignTarget) -> list[str]:
    return target.address_lines()


# A suggested text is the body of the letter: the letter adds the target's salutation and the
# sign-off, so a text that carries its own would print them twice.
SALUTATION = re.compile(
    r"^(dear\b.*|your (excellency|majesty|highness|honou?r)|to whom it may concern)[,.:]?$", re.I
)
SIGN_OFF = re.compile(
    r"^(yours (sincerely|faithfully|truly|respectfully)|sincerely( yours)?|kind regards|"
    r"best regards|with (respect|regards)|respectfully( yours)?)[,.]?$",
    re.I,
)
SIGN_OFF_TEXT = "Yours sincerely,"


def letter_body(text: str) -> str:
    """The text without an opening salutation line or a closing sign-off line."""
    lines = text.replace("\r\n", "\n").strip().split("\n")
    if lines and SALUTATION.match(lines[0].strip()):
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and SIGN_OFF.match(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in letter_body(text).split("\n\n") if p.strip()]


def public_action_note(case: Case) -> str:
    """What every letter and pack of a non-public case says to the group."""
    if case.public_action_allowed:
        return ""
    return "Please do not publicise this case: write letters and send solidarity only."


def letter_document(
    *, case: Case, target: CampaignTarget, group: LocalGroup, text: str, on: date
) -> weasyprint.Document:
    return _document(
        "letters/appeal_letter.html",
        {
            "case": case,
            "target": target,
            "address_lines": target_address_lines(target),
            "group": group,
            "return_lines": [group.name]
            + [line.strip() for line in group.postal_address.splitlines() if line.strip()],
            "paragraphs": _paragraphs(text),
            "salutation": target.salutation.strip().rstrip(","),
            "sign_off": SIGN_OFF_TEXT,
            "on": on,
        },
    )


def letter_plain_text(*, target: CampaignTarget, group: LocalGroup, text: str, on: date) -> str:
    address = "\n".join(target_address_lines(target))
    return (
        f"{address}\n\n{on.day} {on:%B %Y}\n\n{target.salutation.strip().rstrip(',')},\n\n{letter_body(text)}\n\n"
        f"{SIGN_OFF_TEXT}\n\n\n{group.name}\n"
    )


def labels_document(targets: Iterable[CampaignTarget]) -> weasyprint.Document:
    labels = [target_address_lines(t) for t in targets]
    sheets = [labels[i : i + LABELS_PER_SHEET] for i in range(0, len(labels), LABELS_PER_SHEET)]
    return _document("letters/labels.html", {"sheets": sheets or [[]]})


def report_document(
    report: AnnualReport | None, summary: ReportSummary, allocation
) -> weasyprint.Document:
    return _document(
        "letters/annual_report.html",
        {
            "report": report,
            "summary": summary,
            "allocation": allocation,
            "case_label": case_label(allocation.case),
        },
    )


# ---- Solidarity ---------------------------------------------------------------------------------


def solidarity_greeting(case: Case, *, may_name: bool) -> str:
    """The greeting: "Dear Amina," to a named person, else "Dear friend," or "Dear friends,"."""
    if case.kind != Case.Kind.INDIVIDUAL:
        return "Dear friends,"
    person = case.people.order_by("pk").first() if may_name else None
    if person is None:
        return "Dear friend,"
    return f"Dear {person.name.split()[0]},"


def suggested_solidarity_message(case: Case, group: LocalGroup, *, may_name: bool) -> str:
    # Warmth, not politics: a message may be read by guards or officials before it is handed
    # over, so it says only that people care, never what the case is about.
    place = group.town or "the United Kingdom"
    return (
        f"{solidarity_greeting(case, may_name=may_name)}\n\n"
        f"We are members of Amnesty International in {place}, in the United Kingdom. "
        "We want you to know that you are not forgotten. We think of you and your loved ones "
        "often, and we send you our warmest wishes and our hope.\n\n"
        f"With love and solidarity,\n{group.name}"
    )


def solidarity_address_lines(case: Case) -> list[str]:
    return unique_lines(case.solidarity_address.splitlines())


def solidarity_filename(case: Case) -> str:
    return f"solidarity-{case.reference}.pdf"


def solidarity_document(*, case: Case, text: str, on: date) -> weasyprint.Document:
    """An A4 sheet that folds into a DL window envelope: the address, the date, the message as
    the group wrote it (it carries its own greeting and signature)."""
    return _document(
        "letters/solidarity.html",
        {
            "address_lines": solidarity_address_lines(case),
            "paragraphs": [
                p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()
            ],
            "on": on,
        },
    )
