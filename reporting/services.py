"""Imports: a staff user uploads a file, the worker checks it (a dry run in a transaction that is
rolled back), the user reads what each row would do and confirms, and the worker imports it in
one transaction: every row or none. A job can be left and come back to; its state is a row.

While the worker runs, its progress goes to the cache (the import's own transaction is not
visible to the page until it commits); the page reads it from there.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

import tablib
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone

from accounts.access import is_staff
from iar_site import audit, crypto

from .import_cells import ColumnError
from .imports import RESOURCES
from .models import ImportJob

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from import_export.results import Result

    from accounts.models import User

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Rows kept on the job for its page: every row with a problem, and this many others.
ROWS_SHOWN = 500


class ImportRefused(Exception):
    """Why a file cannot be imported, in words fit to show the user."""


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def progress_of(job: ImportJob) -> int:
    if job.is_running:
        return int(cache.get(_progress_key(job.pk), job.progress))
    return job.progress


def detect_format(data: bytes) -> str:
    """Which format the content is (not what its name says)."""
    if data.startswith(b"PK\x03\x04"):
        return ImportJob.Format.XLSX
    if b"\x00" in data[:4096]:
        raise ImportRefused("This is not a CSV or Excel file. Save it as CSV or XLSX.")
    return ImportJob.Format.CSV


def read_dataset(data: bytes, fmt: str) -> tablib.Dataset:
    if fmt == ImportJob.Format.XLSX:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                    raise ImportRefused("This spreadsheet is too large once opened.")
            return tablib.Dataset().load(io.BytesIO(data), format="xlsx")
        except ImportRefused:
            raise
        except Exception as exc:
            raise ImportRefused("This Excel file cannot be read. Save it again as XLSX.") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            "This CSV file is not in UTF-8. In your spreadsheet, save it as “CSV UTF-8”."
        ) from exc
    try:
        return tablib.Dataset().load(text, format="csv")
    except Exception as exc:
        raise ImportRefused("This CSV file cannot be read. Check it has one heading row.") from exc


def start_import(kind: str, upload: UploadedFile[bytes], *, actor: User) -> ImportJob:
    """Keep the file and have the worker check it; nothing is imported yet."""
    if not is_staff(actor):
        raise ImportRefused("Only IAR staff can import files.")
    if kind not in RESOURCES:
        raise ImportRefused("Choose what the file holds.")
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportRefused("The file is larger than 10 MB: split it into smaller files.")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused("The file is larger than 10 MB: split it into smaller files.")
    fmt = detect_format(data)
    dataset = read_dataset(data, fmt)
    if not dataset.headers or len(dataset) == 0:
        raise ImportRefused("The file has no rows under its heading row.")
    if len(dataset) > MAX_ROWS:
        raise ImportRefused(f"The file has more than {MAX_ROWS:,} rows: split it.")
    with transaction.atomic():
        job = ImportJob.objects.create(
            # Sealed while it waits: a file of cases may name confidential cases' people.
            kind=kind,
            format=fmt,
            data=crypto.seal_bytes(data),
            total_rows=len(dataset),
            created_by=actor,
        )
        audit.record("import.uploaded", job, actor=actor, changes={"rows": len(dataset)})
        # Imported here: the tasks module imports this one to run the steps.
        from . import tasks

        tasks.check_import.delay_on_commit(job.pk)  # type: ignore[attr-defined]  # not in celery-types
    return job


def _message(error: Any) -> tuple[str, str]:
    """(column, message) of an error raised while reading a row; an unexpected one is not
    shown as it is (it could be a database's words), only that the row could not be saved."""
    exc = getattr(error, "error", error)
    if isinstance(exc, ColumnError):
        return exc.column, str(exc)
    if isinstance(exc, ValueError):
        return "", str(exc)
    return "", "This row could not be saved: check its values."


def _summarise(
    resource: Any, result: Result
) -> tuple[dict[str, int], list[dict[str, Any]], list[str]]:
    columns = {f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute}
    totals: dict[str, int] = {"new": 0, "update": 0, "skip": 0, "error": 0}
    rows: list[dict[str, Any]] = []
    others = 0
    for index, row_result in enumerate(result.rows):
        errors: list[dict[str, str]] = []
        if row_result.validation_error is not None:
            error = row_result.validation_error
            messages = getattr(error, "message_dict", {NON_FIELD_ERRORS: error.messages})
            for key, texts in messages.items():
                column = "" if key == NON_FIELD_ERRORS else columns.get(key, key)
                errors += [{"column": column, "message": text} for text in texts]
        for error in row_result.errors:
            column, message = _message(error)
            errors.append({"column": column, "message": message})
        action = "error" if errors else row_result.import_type
        totals[action] = totals.get(action, 0) + 1
        if errors or others < ROWS_SHOWN:
            others += 0 if errors else 1
            # Row 1 of the spreadsheet is its heading row, so data row i is row i + 1.
            rows.append({"row": index + 2, "action": action, "errors": errors})
    problems = [_message(e)[1] for e in result.base_errors]
    return totals, rows, problems


def _run(job: ImportJob, *, dry_run: bool) -> tuple[Result, Any]:
    resource = RESOURCES[job.kind](
        actor=job.created_by,
        job_id=job.pk,
        on_progress=lambda n: cache.set(_progress_key(job.pk), n, 3600),
    )
    dataset = read_dataset(crypto.unseal_bytes(bytes(job.data)), job.format)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    return result, resource


def _claim(job_id: int, status: str) -> ImportJob | None:
    job = (
        ImportJob.objects.select_for_update(of=("self",))
        .select_related("created_by")
        .get(pk=job_id)
    )
    return job if job.status == status else None


def check_import(job_id: int) -> ImportJob:
    """The dry run: what each row would do, and every problem with its row and column."""
    with transaction.atomic():
        job = _claim(job_id, ImportJob.Status.CHECKING)
        if job is None:
            return ImportJob.objects.get(pk=job_id)
    result, resource = _run(job, dry_run=True)
    totals, rows, problems = _summarise(resource, result)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJob.Status.CHECKING:
            return job
        bad = bool(problems or totals.get("error") or result.has_errors())
        job.status = ImportJob.Status.INVALID if bad else ImportJob.Status.CHECKED
        job.totals, job.rows = totals, rows
        job.problem = (problems[0] if problems else "")[:300]
        job.progress = job.total_rows
        if bad:
            job.data = b""  # nothing more will be done with it
            job.finished_at = timezone.now()
        job.save()
    return job


def confirm_import(job: ImportJob, *, actor: User) -> ImportJob:
    if not is_staff(actor):
        raise ImportRefused("Only IAR staff can import files.")
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (ImportJob.Status.IMPORTING, ImportJob.Status.DONE):
            return job
        if job.status != ImportJob.Status.CHECKED:
            raise ImportRefused("This file has not passed its check: upload it again.")
        job.status = ImportJob.Status.IMPORTING
        job.confirmed_at = timezone.now()
        job.progress = 0
        job.save(update_fields=["status", "confirmed_at", "progress"])
        audit.record("import.confirmed", job, actor=actor)
        from . import tasks  # as in start_import

        tasks.run_import.delay_on_commit(job.pk)  # type: ignore[attr-defined]  # not in celery-types
    return job


def run_import(job_id: int) -> ImportJob:
    """Every row or none: the import and the job's outcome commit together, so a worker that
    dies half-way leaves nothing written and the job still waiting to run again."""
    with transaction.atomic():
        job = _claim(job_id, ImportJob.Status.IMPORTING)
        if job is None:
            return ImportJob.objects.get(pk=job_id)
        result, resource = _run(job, dry_run=False)
        totals, rows, problems = _summarise(resource, result)
        failed = bool(problems or totals.get("error") or result.has_errors())
        job.status = ImportJob.Status.FAILED if failed else ImportJob.Status.DONE
        job.totals, job.rows = totals, rows
        job.problem = (problems[0] if problems else "")[:300]
        job.progress = job.total_rows
        job.data = b""
        job.finished_at = timezone.now()
        job.save()
        audit.record(
            "import.failed" if failed else "import.done",
            job,
            actor=job.created_by,
            changes={key: value for key, value in totals.items() if value},
        )
    return job
