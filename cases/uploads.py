"""Checking uploaded files by what they contain, not by their name.

Only PDF, Word (DOCX), JPEG and PNG files are accepted, up to a size limit. The browser's content
type and the file's name are ignored: a script renamed ".pdf" is still a script. Stored files get a
name of our choosing and are served only through views that check who may see the case.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALLOWED_LABEL = "a PDF, a Word document (.docx), a JPEG photo or a PNG image"


@dataclass(frozen=True)
class Kind:
    mime: str
    extension: str
    label: str


PDF = Kind("application/pdf", "pdf", "PDF")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "Word document",
)
JPEG = Kind("image/jpeg", "jpg", "JPEG photo")
PNG = Kind("image/png", "png", "PNG image")
ALLOWED = {kind.mime: kind for kind in (PDF, DOCX, JPEG, PNG)}


class UploadRejected(Exception):
    """A user-safe reason the file was not accepted."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "CASEWORK_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def limit_text() -> str:
    """What a file field's help text says may be uploaded."""
    return f"{ALLOWED_LABEL[0].upper()}{ALLOWED_LABEL[1:]}, up to {max_upload_bytes() // (1024 * 1024)} MB."


def safe_original_name(name: str | None, kind: Kind) -> str:
    """The uploaded name, kept for the download, without any path and with the extension that
    matches the content."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '"<>:/\\|?*;')[:150]
    return f"{stem or 'document'}.{kind.extension}"


def _is_docx(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "word/document.xml" in names and "[Content_Types].xml" in names


def _pdf_has_end(upload: UploadedFile, size: int) -> bool:
    # A PDF ends with "%%EOF" (some writers add a little after it); a cut-off download does not.
    tail_length = min(size, 4096)
    upload.seek(size - tail_length)
    tail = upload.read(tail_length)
    upload.seek(0)
    return b"%%EOF" in tail


def check_upload(upload: UploadedFile | None) -> Kind:
    """Return the file's kind, or raise UploadRejected saying what to do instead."""
    if upload is None:
        raise UploadRejected("Choose a file to upload.")
    size = upload.size or 0
    if size == 0:
        raise UploadRejected("The file is empty. Choose the file again, or check it opens.")
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRejected(
            f"The file is {_megabytes(size)}; files can be at most {_megabytes(limit)}. "
            "Try saving a smaller copy (for example a PDF with lower image quality)."
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    kind = ALLOWED.get(guessed.mime) if guessed else None
    if kind is None and head.startswith(b"PK\x03\x04") and _is_docx(upload):
        kind = DOCX
    if kind is None:
        found = f" This file looks like {guessed.extension.upper()}." if guessed else ""
        raise UploadRejected(f"This type of file is not accepted.{found} Upload {ALLOWED_LABEL}.")
    if kind is PDF and not (head.startswith(b"%PDF-") and _pdf_has_end(upload, size)):
        raise UploadRejected(
            "This PDF looks damaged or incomplete. Open it to check, then save it again."
        )
    if kind is DOCX and not _is_docx(upload):
        raise UploadRejected(
            "This is not a Word document we can open. Save it as .docx or PDF and try again."
        )
    return kind
