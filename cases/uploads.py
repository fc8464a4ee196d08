"""Checking uploaded files by what they contain, not by their name.

Only PDF, Word (DOCX), JPEG and PNG files are accepted, up to a size limit. The browser's content
type and the file's name are ignored: a script renamed ".pdf" is still a script. Stored files get a
name of our choosing and are served only through views that check who may see the case.
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# A Word document is a zip: what it may unpack to, so a small "zip bomb" cannot fill a disk or a
# worker's memory when someone opens or converts it.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 200
# A photo of a letter is a few million pixels; a tiny file claiming billions is a decompression
# bomb aimed at whatever makes thumbnails or PDFs of it.
MAX_IMAGE_PIXELS = 40_000_000

# Names ending like this are refused even when the content is fine: a browser or a desktop that
# trusts the name would run or render the saved copy.
DANGEROUS_EXTENSIONS = frozenset(
    {
        "exe", "com", "bat", "cmd", "scr", "pif", "msi", "dll", "jar", "js", "mjs", "vbs", "vbe",
        "wsf", "ps1", "sh", "php", "phtml", "py", "pl", "rb", "hta", "lnk", "html", "htm",
        "xhtml", "shtml", "svg", "svgz", "xml", "swf", "docm", "dotm", "xlsm", "xltm", "pptm",
        "potm", "ppsm", "sldm", "xlam", "ppam", "iso", "img", "reg", "inf", "url", "desktop",
    }
)  # fmt: skip

# PDF names that run code, open other programs, carry other files or send data away.
ACTIVE_PDF_NAMES = frozenset(
    {
        b"javascript", b"js", b"launch", b"embeddedfile", b"embeddedfiles", b"richmedia",
        b"xfa", b"submitform", b"importdata", b"gotoe",
    }
)  # fmt: skip
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
# Markup a browser would run if it ever treated the file as a page (a "polyglot").
_WEB_CODE = re.compile(rb"<\s*(script|html|svg|iframe|object|embed)\b|<\?php|javascript:", re.I)
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


def check_name(name: str | None) -> None:
    """Refuse a name that hides what the file is (control or direction-changing characters, a
    NUL), points elsewhere (a path) or ends in a type that runs or renders when opened. Django's
    upload parser already strips paths and unprintable characters from names sent by a browser;
    this also covers files handed to the services in other ways."""
    name = name or ""
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise UploadRejected(
            "The file's name has hidden characters in it. Rename the file using letters, "
            "numbers and spaces, then try again."
        )
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name.split("/"):
        raise UploadRejected(
            "The file's name looks like a folder path. Rename the file using letters, numbers "
            "and spaces, then try again."
        )
    extension = name.rsplit(".", 1)[1].strip().lower() if "." in name else ""
    if extension in DANGEROUS_EXTENSIONS:
        raise UploadRejected(
            f"Files whose name ends in “.{extension}” are not accepted. Upload {ALLOWED_LABEL}."
        )


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _pdf_problem(content: bytes) -> str | None:
    names = {
        _PDF_HEX.sub(lambda m: bytes([int(m[1], 16)]), raw) for raw in _PDF_NAME.findall(content)
    }
    if {name.lower() for name in names} & ACTIVE_PDF_NAMES:
        return (
            "This PDF contains a script, an embedded file or a form that sends data, which we "
            "do not accept. Print it to a new PDF (or scan it) and upload that instead."
        )
    return None


def _image_problem(upload: UploadedFile, kind: Kind) -> str | None:
    # Pillow comes with WeasyPrint; imported here because most requests never check an image.
    from PIL import Image

    damaged = "This image looks damaged. Open it to check, then save it again as JPEG or PNG."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return (
                        f"This image is {width} × {height} pixels, too large to use. Save a "
                        "smaller copy (a few thousand pixels across is plenty)."
                    )
                if image.format != {"jpg": "JPEG", "png": "PNG"}[kind.extension]:
                    return damaged
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "This image is too large to use. Save a smaller copy and try again."
    except Exception:  # Pillow raises many kinds of error for a broken image; each means the same.
        return damaged
    finally:
        upload.seek(0)
    return None


def _docx_problem(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if (
                len(entries) > MAX_ZIP_ENTRIES
                or any(
                    e.file_size > MAX_UNZIPPED_BYTES
                    or (
                        e.file_size > 1024 * 1024
                        and e.file_size > e.compress_size * MAX_COMPRESSION_RATIO
                    )
                    for e in entries
                )
                or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES
            ):
                return (
                    "This Word document unpacks to far more than its size, as a damaged or "
                    "harmful file does. Save it again as .docx or PDF and try again."
                )
            names = [e.filename for e in entries]
            if any(n.startswith("/") or ".." in n.replace("\\", "/").split("/") for n in names):
                return "This is not a Word document we can open. Save it as .docx or PDF and try again."
            lowered = [n.lower() for n in names]
            content_types = archive.read("[Content_Types].xml").lower()
            rels = b"".join(archive.read(n) for n in names if n.lower().endswith(".rels"))
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return "This is not a Word document we can open. Save it as .docx or PDF and try again."
    finally:
        upload.seek(0)
    if b"macroenabled" in content_types or any(
        n.endswith("vbaproject.bin") or "/activex/" in n or "/embeddings/" in n for n in lowered
    ):
        return (
            "This Word document contains macros or embedded programs, which we do not accept. "
            "Save it as a plain Word document (.docx) or PDF and try again."
        )
    if re.search(
        rb'(attachedtemplate|oleobject|/frame")[^>]*targetmode="external"', rels.lower()
    ) or re.search(
        rb'targetmode="external"[^>]*(attachedtemplate|oleobject|/frame")', rels.lower()
    ):
        return (
            "This Word document loads content from the internet when opened, which we do not "
            "accept. Save it as PDF and try again."
        )
    return None


def check_upload(upload: UploadedFile | None) -> Kind:
    """Return the file's kind, or raise UploadRejected saying what to do instead."""
    if upload is None:
        raise UploadRejected("Choose a file to upload.")
    check_name(upload.name)
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
    problem = _docx_problem(upload) if kind is DOCX else _content_problem(upload, kind)
    if problem:
        raise UploadRejected(problem)
    return kind


def _content_problem(upload: UploadedFile, kind: Kind) -> str | None:
    """What is wrong inside a PDF or an image: a second file hidden in it (a "polyglot": also a
    zip, or also a web page), active PDF content, or an image that does not decode."""
    content = _read_all(upload)
    if zipfile.is_zipfile(upload) or _WEB_CODE.search(content):
        upload.seek(0)
        return (
            f"This {kind.label} has another kind of file hidden inside it, which we do not "
            "accept. Open it and save (or print) a new copy, then upload that."
        )
    upload.seek(0)
    if kind is PDF:
        return _pdf_problem(content)
    return _image_problem(upload, kind)
