"""Serving stored files: a casefile version, an update's attachment.

Files are never served from a public URL. Each download is a response built here, after the view
has found the object through a scoped queryset, with headers that keep the browser from sniffing,
caching or running what it receives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from accounts.access import may_read_confidential
from iar_site import audit

from .models import Case, CasefileDocument

if TYPE_CHECKING:
    from accounts.models import User

CASEFILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "png": "image/png",
}


def private_file(fieldfile: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def casefile_response(user: User, document_id: int) -> FileResponse:
    """The one download of a casefile version, whichever page links to it: not found unless the
    user sees the case and, on a confidential case, may read it (holder, coordinator, IAR staff);
    a confidential download is audited."""
    document = get_object_or_404(
        CasefileDocument.objects.filter(case__in=Case.objects.visible_to(user))
        .exclude(file="")
        .select_related("case"),
        pk=document_id,
    )
    case = document.case
    if case.sensitivity == Case.Sensitivity.CONFIDENTIAL:
        if not may_read_confidential(user, case):
            raise Http404
        audit.record("case.casefile_downloaded", document, actor=user)
    extension = (document.file.name or "").rsplit(".", 1)[-1].lower()
    return private_file(
        document.file,
        filename=f"{case.reference}-casefile-v{document.version}.{extension}",
        content_type=CASEFILE_TYPES.get(extension, "application/octet-stream"),
    )
