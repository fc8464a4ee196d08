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


def _image_bytes(image_format: str) -> bytes:
    # Real (tiny) images: uploads are decoded, so a header followed by zeros is refused.
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


PNG_BYTES = _image_bytes("PNG")
JPEG_BYTES = _image_bytes("JPEG")


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
