"""The casefile document: each upload is the next version; earlier ones stay as history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from iar_site import audit

from ..models import Case, CasefileDocument
from ..uploads import UploadRejected, check_upload
from .common import CaseError, lock_case, require_manager

if TYPE_CHECKING:
    from accounts.models import User


def upload_casefile(
    case: Case, *, title: str, notes: str, upload: UploadedFile[bytes], actor: User
) -> CasefileDocument:
    """Add the next version of the casefile; earlier versions stay downloadable as history."""
    with transaction.atomic():
        case = lock_case(case)
        require_manager(case, actor)
        if case.status == Case.Status.CLOSED:
            raise CaseError("Amnesty has stopped work on this case: the casefile is final.")
        try:
            kind = check_upload(upload)
        except UploadRejected as exc:
            raise CaseError(str(exc)) from exc
        latest = case.documents.aggregate(v=Max("version"))["v"] or 0
        document = CasefileDocument(
            case=case,
            version=latest + 1,
            title=title.strip(),
            notes=notes,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        document.file.save(f"casefile.{kind.extension}", upload, save=False)
        document.save()
        audit.record(
            "casefile.uploaded",
            document,
            actor=actor,
            changes={"version": document.version, "type": kind.extension, "size": upload.size},
        )
    return document
