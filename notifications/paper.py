"""What a postal item carries: everything the email would link to, on paper.

A group that asked for post cannot "log in and open this link", so each item in a print batch
holds the page behind the link: the coordinator's update in full, the current targets with their
addresses, the suggested letter, the casefile document (its pages appended after the group's
letter), a report form to fill in by hand, a reply slip for a stop or an offer.

    batch ──► envelopes (one per recipient address, in address order)
                ├─ cover sheet ── the items, each with its enclosures
                └─ the casefile PDFs of its items, appended page by page
          ──► the label sheet, last

Sensitivity: a confidential case's name and narrative go only to its casefile holder, by name, in
an envelope of their own marked "Private and confidential". Without a holder the item carries the
reference and the country only.

This app sits below cases and groups, so it reads them through the message's relations
(`message.case`, `case.current_targets()`), never by importing their modules.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from . import outbox
from .models import OutboundMessage

log = logging.getLogger(__name__)

# Case.Sensitivity.CONFIDENTIAL and the allocation states: cases sits above this app.
CONFIDENTIAL = "confidential"
OPEN_ALLOCATION = ("offered", "active")

# What each kind of notice links to, and so what its paper copy carries.
WITH_UPDATE = {"case-update"}
WITH_TARGETS = {"case-update", "allocation-made", "allocation-offered"}
WITH_LETTER = {"case-update", "allocation-made"}
WITH_CASEFILE = {"allocation-made", "allocation-offered"}
WITH_REPORT_FORM = {"report-reminder"}
WITH_STOP_SLIP = {"case-stopped"}
WITH_OFFER_SLIP = {"allocation-offered"}

_URL = re.compile(r"(https?://|/\S+/)")


@dataclass
class Casefile:
    title: str
    version: int
    pdf: bytes | None  # None: not a PDF, or no file; listed by name instead
    kind: str  # what the file is, for a person: "PDF", "Word document", ...


@dataclass
class Item:
    subject: str
    text: str
    reference: str = ""
    case_label: str = ""
    private: bool = False
    public_action_allowed: bool = True
    summary: str = ""
    update: dict[str, str] | None = None
    targets: list[dict[str, Any]] = field(default_factory=list)
    letter_text: str = ""
    casefile: Casefile | None = None
    casefile_withheld: bool = False
    report_form: dict[str, str] | None = None
    stop_slip: bool = False
    offer_slip: bool = False


@dataclass
class Envelope:
    name: str
    address_lines: list[str]
    private: bool = False
    items: list[Item] = field(default_factory=list)

    @property
    def window_lines(self) -> list[str]:
        lines = ["Private and confidential"] if self.private else []
        return [*lines, self.name, *self.address_lines]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def address_key(envelope: Envelope) -> tuple[str, ...]:
    """Address order: by postcode (the last line of a UK address), then the rest of it."""
    lines = [line.casefold() for line in envelope.address_lines]
    return (lines[-1] if lines else "", *lines, envelope.name.casefold())


def paper_text(message: OutboundMessage) -> tuple[str, str]:
    """Subject and letter text for paper: the item's own postal wording where it has one
    (templates/post/<name>.txt), otherwise the email text without its links, which a reader
    on paper cannot follow."""
    subject, text, _html = outbox.render(message)
    context = {"to_name": message.to_name, **message.context}
    try:
        return subject, render_to_string(f"post/{message.template}.txt", context).strip()
    except TemplateDoesNotExist:
        pass
    kept: list[str] = []
    for line in text.splitlines():
        if _URL.search(line) or "log in" in line.lower():
            # The line that introduced the link ("Open the case:") goes with it.
            if kept and kept[-1].rstrip().endswith(":"):
                kept.pop()
            continue
        kept.append(line)
    return subject, re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _holder(message: OutboundMessage) -> Any:
    case = message.case
    if case is None or message.recipient_group_id is None:
        return None
    allocation = (
        case.allocations.filter(group_id=message.recipient_group_id, status__in=OPEN_ALLOCATION)
        .select_related("holder")
        .first()
    )
    return allocation.holder if allocation and allocation.holder_id else None


def _opens(data: bytes) -> bool:
    from pypdf import PdfReader

    try:
        return len(PdfReader(BytesIO(data)).pages) > 0
    except Exception:  # noqa: BLE001 - any unreadable file is listed by name instead
        return False


def _casefile(case: Any, *, private: bool) -> Casefile | None:
    document = case.current_document()
    if document is None:
        return None
    # A confidential casefile's title often names the person: outside a private envelope it
    # is called by the case's reference.
    title = document.title if private or case.sensitivity != CONFIDENTIAL else "Casefile"
    pdf: bytes | None = None
    kind = "document"
    if document.file:
        suffix = document.file.name.rsplit(".", 1)[-1].lower()
        kind = {"pdf": "PDF", "doc": "Word document", "docx": "Word document"}.get(
            suffix, f"{suffix.upper()} file"
        )
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            log.warning("casefile %s could not be read for printing", document.pk)
            data = b""
        # Checked by content, not by name: only a PDF that opens is merged into the batch.
        if data.startswith(b"%PDF-") and _opens(data):
            pdf = data
    return Casefile(title=title, version=document.version, pdf=pdf, kind=kind)


def _update(message: OutboundMessage, case: Any) -> tuple[dict[str, str] | None, bool]:
    """The update in full, and whether the casefile comes with it: when it is new since the
    update before, a post group would otherwise never see the new version."""
    updates = case.updates.filter(status="published").order_by("-published_at", "-pk")
    update_id = message.context.get("update_id")
    update = updates.filter(pk=update_id).first() if update_id else updates.first()
    if update is None:
        return None, False
    author = update.author.full_name if update.author_id else "Your country coordinator"
    earlier = updates.filter(published_at__lt=update.published_at).first()
    document = case.current_document()
    new_casefile = document is not None and (
        earlier is None or document.uploaded_at >= earlier.published_at
    )
    return {"title": update.title, "body": update.body, "author": author}, new_casefile


def build_item(message: OutboundMessage, *, private: bool) -> Item:
    subject, text = paper_text(message)
    template = message.template
    case = message.case
    context = message.context
    item = Item(
        subject=subject,
        text=text,
        reference=context.get("case_reference") or context.get("reference") or "",
        stop_slip=template in WITH_STOP_SLIP,
        offer_slip=template in WITH_OFFER_SLIP,
    )
    if template in WITH_REPORT_FORM:
        item.report_form = {
            "period_start": str(context.get("period_start", "")),
            "due_on": str(context.get("due_on", "")),
        }
    if case is None:
        return item
    item.reference = case.reference
    item.private = private
    item.public_action_allowed = case.public_action_allowed
    # Only the holder's own envelope names a confidential case; everyone else sees the
    # reference and the country.
    may_name = private or case.sensitivity != CONFIDENTIAL
    item.case_label = f"{case.reference} {case.title}" if may_name else case.label_without_name()
    casefile_wanted = template in WITH_CASEFILE
    if template in WITH_UPDATE and may_name:
        item.update, casefile_wanted = _update(message, case)
    if template in WITH_TARGETS:
        item.targets = [
            {"lines": t.address_lines(), "salutation": t.salutation, "email": t.email}
            for t in case.current_targets()
        ]
    if template in WITH_LETTER and may_name:
        item.letter_text = case.suggested_letter.strip()
    if template in WITH_CASEFILE and may_name:
        # The case page the email links to begins with what the case is about.
        item.summary = case.summary.strip()
    if casefile_wanted:
        if may_name:
            item.casefile = _casefile(case, private=private)
        else:
            item.casefile_withheld = case.current_document() is not None
    return item


def envelopes(messages: list[OutboundMessage]) -> list[Envelope]:
    """The batch's items grouped into envelopes, in address order."""
    by_key: dict[tuple[str, str, bool], Envelope] = {}
    for message in messages:
        case = message.case
        holder = _holder(message) if case and case.sensitivity == CONFIDENTIAL else None
        private = holder is not None
        address = _lines(message.postal_address)
        if holder is not None:
            name = holder.full_name
            address = [f"c/o {message.to_name}", *address]
        else:
            name = message.to_name
        key = (name, "\n".join(address), private)
        if key not in by_key:
            by_key[key] = Envelope(name=name, address_lines=address, private=private)
        by_key[key].items.append(build_item(message, private=private))
    return sorted(by_key.values(), key=address_key)


def _render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_to_string(template, context)).write_pdf()
    return pdf


def batch_pdf(batch: Any, messages: list[OutboundMessage], today: Any) -> bytes:
    """One PDF: each envelope's cover sheet and items, then its casefile pages; the label
    sheet last."""
    from pypdf import PdfReader, PdfWriter

    found = envelopes(messages)
    writer = PdfWriter()
    for envelope in found:
        part = _render_pdf(
            "notifications/print_envelope.html",
            {"batch": batch, "envelope": envelope, "today": today},
        )
        writer.append(PdfReader(BytesIO(part)))
        for item in envelope.items:
            if item.casefile and item.casefile.pdf:
                try:
                    writer.append(PdfReader(BytesIO(item.casefile.pdf)))
                except Exception:  # noqa: BLE001 - a damaged file is listed, not printed
                    log.warning("casefile of an item in batch %s could not be merged", batch.pk)
                    item.casefile.pdf = None
    labels = _render_pdf(
        "notifications/print_labels.html", {"batch": batch, "envelopes": found, "today": today}
    )
    writer.append(PdfReader(BytesIO(labels)))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
