"""Small builders for the coordinator tests: updates, reports and files of every kind."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coordinators.models import CaseUpdate
from groups.models import AnnualReport

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64 + b"\xff\xd9"


def zip_bytes(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_update(case, author, *, kind=CaseUpdate.Kind.DEVELOPMENT, title="News on the case"):
    return CaseUpdate.objects.create(
        case=case, kind=kind, title=title, body="The **secret** narrative body.", author=author
    )


def make_report(allocation, *, status="submitted", start: date | None = None):
    start = start or allocation.started_on
    return AnnualReport.objects.create(
        allocation=allocation,
        period_start=start,
        period_end=start.replace(year=start.year + 1),
        status=status,
        what_worked="Letters and a stall.",
        submitted_at=timezone.now() if status != "draft" else None,
        acknowledged_at=timezone.now() if status == "acknowledged" else None,
    )
