"""Every upload entry point refuses every file of the corpus with a message saying what to do,
and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.admin.documents import CasefileDocumentForm
from cases.models import CasefileDocument
from cases.uploads import DEFAULT_MAX_BYTES, UploadRejected, check_upload
from conversations.forms import MessageForm
from coordinators.models import CaseUpdate, CaseUpdateAttachment

from ..coordinators.helpers import JPEG_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes
from .upload_corpus import RAW_NAMES, bad_files

pytestmark = pytest.mark.django_db

CORPUS = bad_files(DEFAULT_MAX_BYTES)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def as_parsed(name: str) -> str:
    """The name as Django's upload parser hands it on (folders and unprintable characters
    dropped), for the tests that call a form without a request."""
    return "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 20
    assert len({bad.what for bad in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("bad", CORPUS, ids=lambda bad: bad.what)
def test_the_check_refuses_it_with_a_clear_message(bad):
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload(as_parsed(bad.name), bad.content))
    assert bad.message in str(refused.value)


@pytest.mark.parametrize("bad", CORPUS, ids=lambda bad: bad.what)
def test_the_casefile_upload_refuses_it(world, client_for, bad):
    response = client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/casefile/new/",
        {"title": "Casefile May", "notes": "kept notes", "file": upload(bad.name, bad.content)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert bad.message in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert "kept notes" in html
    assert CasefileDocument.objects.count() == 0


@pytest.mark.parametrize("bad", CORPUS, ids=lambda bad: bad.what)
def test_an_update_attachment_refuses_it(world, client_for, bad):
    response = client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/updates/new/",
        {
            "kind": "development",
            "title": "With a file",
            "body": "See attached.",
            "attachments": [upload("ok.pdf", PDF_BYTES), upload(bad.name, bad.content)],
        },
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert bad.message in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert CaseUpdate.objects.count() == 0
    assert CaseUpdateAttachment.objects.count() == 0


@pytest.mark.parametrize("bad", CORPUS, ids=lambda bad: bad.what)
def test_a_message_attachment_refuses_it(bad):
    form = MessageForm(
        {"body": "Here is the file."}, {"attachment": upload(as_parsed(bad.name), bad.content)}
    )
    assert not form.is_valid()
    assert bad.message in " ".join(form.errors["attachment"])


@pytest.mark.parametrize("bad", CORPUS, ids=lambda bad: bad.what)
def test_the_admin_casefile_form_refuses_it(world, bad):
    form = CasefileDocumentForm(
        {"case": world.case_x.pk, "title": "Casefile", "notes": ""},
        {"file": upload(as_parsed(bad.name), bad.content)},
    )
    assert not form.is_valid()
    assert bad.message in " ".join(form.errors["file"])


@pytest.mark.parametrize("bad", CORPUS, ids=lambda bad: bad.what)
def test_a_spreadsheet_import_refuses_it(world, client_for, bad):
    """Imports take CSV or Excel, not the casework kinds, and have their own checks: a file is
    refused at once, or its dry run (nothing written) refuses it with the reason shown."""
    from groups.models import LocalGroup
    from reporting import services as import_services
    from reporting.models import ImportJob

    groups_before = LocalGroup.objects.count()
    response = client_for("staff").post(
        "/staff/imports/", {"kind": "groups", "file": upload(bad.name, bad.content)}
    )
    if response.status_code == 200:
        html = response.content.decode()
        assert "There is a problem" in html
        assert not ImportJob.objects.exists()
    else:
        job = import_services.check_import(ImportJob.objects.get().pk)
        assert job.status == ImportJob.Status.INVALID
        assert job.problem or any(row.get("errors") for row in job.rows)
        assert job.data == b""
    assert LocalGroup.objects.count() == groups_before


@pytest.mark.parametrize(("name", "message"), RAW_NAMES)
def test_a_name_handed_to_a_service_directly_is_checked_too(name, message):
    bad = upload("x.pdf", PDF_BYTES)
    bad.name = "x"  # Django's own setter would strip the path: set what a script could pass.
    bad._name = name
    with pytest.raises(UploadRejected, match=message):
        check_upload(bad)


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("Report.pdf", PDF_BYTES, "pdf"),
        ("letter.docx", docx_bytes(), "docx"),
        ("photo.jpeg", JPEG_BYTES, "jpg"),
        ("map.png", PNG_BYTES, "png"),
        ("scan", PDF_BYTES, "pdf"),
    ],
)
def test_ordinary_files_still_pass(name, content, extension):
    """The control: the checks refuse what is harmful, not the files people really send."""
    assert check_upload(upload(name, content)).extension == extension


def test_a_real_photo_with_exif_and_a_real_pdf_pass(tmp_path):
    from PIL import Image

    image = Image.new("RGB", (1200, 900), (40, 90, 200))
    path = tmp_path / "photo.jpg"
    image.save(path, format="JPEG", quality=85, exif=Image.Exif())
    assert check_upload(upload("photo.jpg", path.read_bytes())).extension == "jpg"
    import weasyprint

    pdf = weasyprint.HTML(string="<h1>Letter</h1><p>Dear Minister</p>").write_pdf()
    assert check_upload(upload("letter.pdf", pdf)).extension == "pdf"


def test_every_file_field_in_the_apps_goes_through_the_check():
    """A new upload entry point must use the same check: every app module that declares a file
    field is in an app that calls `check_upload`."""
    root = Path(settings.BASE_DIR)
    apps_with_files, apps_checking = set(), set()
    for app in (path.parent for path in root.glob("*/apps.py")):
        if app.name in {"demo", "tests"}:
            continue
        for path in app.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "migrations" not in path.parts and (
                "forms.FileField(" in text or "models.FileField(" in text
            ):
                apps_with_files.add(app.name)
            if "check_upload(" in text or "def detect_format(" in text:
                # Spreadsheet imports take CSV or Excel, checked by their own content rules.
                apps_checking.add(app.name)
    apps_with_files.discard("iar_site")  # the admin helpers name FileField, they store nothing
    assert apps_with_files, "no upload found: the scan is broken"
    assert apps_with_files <= apps_checking, apps_with_files - apps_checking
