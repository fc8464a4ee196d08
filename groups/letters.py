"""Printable PDFs for groups: appeal letters for window envelopes, address labels, report copies.

Nothing about the case is printed but what the member typed and the authorities' addresses: a
letter may be opened by the very officials the case is about, and a sheet may be left on a stall.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.text import slugify

from cases.models import CampaignTarget, Case

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
    lines = [target.title, target.authority] if target.title else [target.authority]
    lines += [line.strip() for line in target.postal_address.splitlines() if line.strip()]
    # The authority is often the first line of the address as well.
    deduplicated: list[str] = []
    for line in lines:
        if not deduplicated or deduplicated[-1].casefold() != line.casefold():
            deduplicated.append(line)
    return deduplicated


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
            "paragraphs": [
                p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()
            ],
            "on": on,
        },
    )


def letter_plain_text(*, target: CampaignTarget, group: LocalGroup, text: str, on: date) -> str:
    address = "\n".join(target_address_lines(target))
    return (
        f"{address}\n\n{on.day} {on:%B %Y}\n\n{target.salutation},\n\n{text.strip()}\n\n"
        f"Yours sincerely,\n\n\n{group.name}\n"
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
