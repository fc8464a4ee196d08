"""Writes for country coordinators: case updates and their notices (including the update that
announces a change of targets) and the acknowledgement of yearly reports. Views, tasks and the
admin call these; targets and casefile documents are written by cases.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import manages
from accounts.models import User
from cases.counts import refresh_case_counters
from cases.models import Allocation, Case
from cases.uploads import UploadRejected, check_upload, safe_original_name
from groups.models import AnnualReport, Membership
from iar_site import audit
from notifications.services import notify_group, notify_user

from .models import CaseUpdate, CaseUpdateAttachment, CaseUpdateNotice
from .querysets import silent_cases

UPDATE_TEMPLATE = "case-update"
REPORT_ACK_TEMPLATE = "coordinator-report-acknowledged"
SILENCE_TEMPLATE = "coordinator-silence"


class CoordinatorError(Exception):
    """A user-safe reason a coordinator's action cannot be done."""


def _require_manager(case: Case, actor: User) -> None:
    if not manages(actor, case):
        raise CoordinatorError("Only the case's country coordinator or IAR staff can do this.")


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _store_attachments(update: CaseUpdate, files: list[UploadedFile[bytes]]) -> list[str]:
    names = []
    for upload in files:
        try:
            kind = check_upload(upload)
        except UploadRejected as exc:
            raise CoordinatorError(f"{upload.name}: {exc}") from exc
        assert upload.size is not None  # check_upload rejects a file without a size
        attachment = CaseUpdateAttachment(
            update=update,
            original_name=safe_original_name(upload.name, kind),
            content_type=kind.mime,
            size=upload.size,
        )
        # The stored name is ours: the uploaded name could name the person at risk.
        attachment.file.save(f"upload.{kind.extension}", upload, save=False)
        attachment.save()
        names.append(attachment.original_name)
    return names


# ---- Case updates ---------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind == CaseUpdate.Kind.CASE_CLOSED:
        raise CoordinatorError(
            "An update cannot close a case. Ask IAR to stop it from the case's workspace."
        )
    if kind not in CaseUpdate.Kind.values:
        raise CoordinatorError("Choose what kind of update this is.")


def create_update(
    case: Case,
    *,
    kind: str,
    title: str,
    body: str,
    attachments: list[UploadedFile[bytes]] | None = None,
    actor: User,
) -> CaseUpdate:
    """Save a draft update; nothing reaches the groups until it is published."""
    with transaction.atomic():
        case = _lock_case(case)
        _require_manager(case, actor)
        if case.status == Case.Status.CLOSED:
            raise CoordinatorError("Amnesty has stopped work on this case: it takes no updates.")
        _check_kind(kind)
        update = CaseUpdate.objects.create(
            case=case, kind=kind, title=title.strip(), body=body, author=actor
        )
        names = _store_attachments(update, attachments or [])
        audit.record(
            "case_update.drafted",
            update,
            actor=actor,
            changes={"kind": kind, "attachments": len(names)},
        )
    return update


def edit_update(
    update: CaseUpdate,
    *,
    kind: str,
    title: str,
    body: str,
    attachments: list[UploadedFile[bytes]] | None = None,
    actor: User,
) -> CaseUpdate:
    with transaction.atomic():
        update = CaseUpdate.objects.select_for_update().select_related("case").get(pk=update.pk)
        _require_manager(update.case, actor)
        if update.status != CaseUpdate.Status.DRAFT:
            raise CoordinatorError("A published update cannot be changed. Post a new one.")
        _check_kind(kind)
        update.kind, update.title, update.body = kind, title.strip(), body
        update.save(update_fields=["kind", "title", "body"])
        names = _store_attachments(update, attachments or [])
        audit.record(
            "case_update.edited",
            update,
            actor=actor,
            changes={"kind": kind, "attachments_added": len(names)},
        )
    return update


def remove_attachment(attachment: CaseUpdateAttachment, *, actor: User) -> None:
    with transaction.atomic():
        attachment = (
            CaseUpdateAttachment.objects.select_for_update()
            .select_related("update__case")
            .get(pk=attachment.pk)
        )
        _require_manager(attachment.update.case, actor)
        if attachment.update.status != CaseUpdate.Status.DRAFT:
            raise CoordinatorError("Attachments of a published update stay with it.")
        audit.record(
            "case_update.attachment_removed",
            attachment.update,
            actor=actor,
            changes={"attachment": attachment.pk},
        )
        storage, name = attachment.file.storage, attachment.file.name
        assert name is not None  # a stored attachment always has a file name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def update_link(update: CaseUpdate) -> str:
    return settings.SITE_URL + reverse("coordinators:update_detail", args=[update.pk])


def _notice_context(update: CaseUpdate, case: Case) -> dict[str, Any]:
    # Only the reference and a link leave the building. A public case may carry the update's
    # title; a restricted or confidential one not even that. The body never goes in an email.
    return {
        "case_reference": case.reference,
        # The print queue puts the update itself in a post group's envelope: it is looked up
        # when printed, so the body is never stored in the message.
        "update_id": update.pk,
        "kind": update.kind,
        "kind_label": update.get_kind_display(),
        "title": update.title if case.sensitivity == Case.Sensitivity.PUBLIC else "",
        "link": update_link(update),
        "coordinator_name": str(update.author) if update.author else "Your country coordinator",
    }


def publish_update(update: CaseUpdate, *, actor: User) -> int:
    """Publish a draft: one notice per group with an active allocation, sent by the group's
    chosen channel in the same transaction. Returns the number of notices created; publishing
    an update that is already published creates and sends nothing."""
    with transaction.atomic():
        case = _lock_case(update.case)
        update = CaseUpdate.objects.select_for_update().get(pk=update.pk)
        _require_manager(case, actor)
        if update.status == CaseUpdate.Status.PUBLISHED:
            return 0
        if case.status == Case.Status.CLOSED:
            raise CoordinatorError(
                "Amnesty has stopped work on this case, so updates can no longer be sent to groups."
            )
        if case.status == Case.Status.PAUSED:
            raise CoordinatorError(
                "Work on this case is paused, so groups are not being contacted about it. "
                "Your update is kept as a draft: publish it when work resumes."
            )
        if case.status != Case.Status.OPEN:
            raise CoordinatorError("This case is not open yet, so no group can receive updates.")
        if not update.title.strip() or not update.body.strip():
            raise CoordinatorError("Give the update a title and some text before publishing.")
        now = timezone.now()
        update.status = CaseUpdate.Status.PUBLISHED
        update.published_at = now
        update.save(update_fields=["status", "published_at"])
        refresh_case_counters([case.pk])
        context = _notice_context(update, case)
        created = 0
        allocations = (
            Allocation.objects.filter(case=case, status=Allocation.Status.ACTIVE)
            .select_related("group", "holder")
            .order_by("pk")
        )
        for allocation in allocations:
            _, was_created = CaseUpdateNotice.objects.get_or_create(
                update=update, allocation=allocation, defaults={"created_at": now}
            )
            created += was_created
            notify_group(
                allocation.group,
                key=f"update:{update.pk}",
                template=UPDATE_TEMPLATE,
                context=context,
                case=case,
                holder=allocation.holder,
                routine=update.kind == CaseUpdate.Kind.DEVELOPMENT,
            )
        audit.record(
            "case_update.published",
            update,
            actor=actor,
            changes={"kind": update.kind, "notices": created},
        )
    return created


def _own_notices(update: CaseUpdate, actor: User) -> QuerySet[CaseUpdateNotice]:
    groups = Membership.objects.filter(user=actor).values("group_id")
    return CaseUpdateNotice.objects.select_for_update().filter(
        update=update, allocation__group_id__in=groups
    )


def mark_update_read(update: CaseUpdate, *, actor: User) -> int:
    """Record that the actor's group has read the update; the first reader counts."""
    with transaction.atomic():
        count = 0
        for notice in _own_notices(update, actor).filter(read_at__isnull=True):
            notice.read_at, notice.read_by = timezone.now(), actor
            notice.save(update_fields=["read_at", "read_by"])
            audit.record("case_update.read", notice, actor=actor)
            count += 1
    return count


def acknowledge_update(update: CaseUpdate, *, actor: User) -> int:
    """The group tells its coordinator it has taken the update in (reading it first if needed)."""
    with transaction.atomic():
        notices = list(_own_notices(update, actor).filter(acknowledged_at__isnull=True))
        if not notices and not _own_notices(update, actor).exists():
            raise CoordinatorError("Only a group that received this update can acknowledge it.")
        now = timezone.now()
        for notice in notices:
            if notice.read_at is None:
                notice.read_at, notice.read_by = now, actor
            notice.acknowledged_at, notice.acknowledged_by = now, actor
            notice.save(update_fields=["read_at", "read_by", "acknowledged_at", "acknowledged_by"])
            audit.record("case_update.acknowledged", notice, actor=actor)
    return len(notices)


# ---- Campaign targets -----------------------------------------------------------------------


def announce_targets(
    sender: type, *, case: Case, summary: str, on: date, actor: User, **kwargs: Any
) -> CaseUpdate:
    """Every change of a case's targets tells the groups (cases.signals.targets_changed, sent in
    the change's transaction): an automatic 'targets changed' update, published at once on an
    open case, kept as a draft on a paused one for the coordinator to send later."""
    update = CaseUpdate.objects.create(
        case=case,
        kind=CaseUpdate.Kind.TARGETS_CHANGED,
        title=f"Who to write to changed on {date_format(on, 'j F Y')}",
        body=f"{summary}\n\nThe case page always shows the current addresses. Please use them "
        "for your next letters.",
        author=actor,
    )
    if case.status == Case.Status.OPEN:
        publish_update(update, actor=actor)
    return update


# ---- Yearly reports -------------------------------------------------------------------------


def acknowledge_report(report: AnnualReport, *, comment: str, actor: User) -> AnnualReport:
    """The coordinator thanks the group for its yearly report; the group hears of it."""
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("allocation__case", "allocation__group", "allocation__holder")
            .get(pk=report.pk)
        )
        allocation = report.allocation
        _require_manager(allocation.case, actor)
        if report.status == AnnualReport.Status.ACKNOWLEDGED:
            return report
        if report.status != AnnualReport.Status.SUBMITTED:
            raise CoordinatorError("This report has not been submitted yet.")
        report.status = AnnualReport.Status.ACKNOWLEDGED
        report.acknowledged_at = timezone.now()
        report.acknowledged_by = actor
        report.acknowledgement = comment.strip()
        report.save(
            update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledgement"]
        )
        audit.record("report.acknowledged", report, actor=actor)
        case = allocation.case
        notify_group(
            allocation.group,
            key=f"report-acknowledged:{report.pk}",
            template=REPORT_ACK_TEMPLATE,
            context={
                "case_reference": case.reference,
                "period": f"{report.period_start:%Y}–{report.period_end:%Y}",
                "coordinator_name": str(actor),
                "has_comment": bool(report.acknowledgement),
                "link": settings.SITE_URL + reverse("groups:case", args=[case.reference]),
            },
            case=case,
            holder=allocation.holder,
        )
    return report


# ---- Silence digest for staff ---------------------------------------------------------------


def send_silence_digest(*, today: date | None = None) -> int:
    """Tell every IAR staff member which open cases have had no coordinator update for the
    configured period. One email per person per ISO week, however often this runs."""
    today = today or timezone.localdate()
    cases = list(silent_cases(today)[:200])
    if not cases:
        return 0
    year, week, _ = today.isocalendar()
    context = {
        "days": settings.COORDINATOR_SILENCE_DAYS,
        "count": len(cases),
        "cases": [
            {
                "reference": case.reference,
                "country": case.country.name,
                "coordinator": str(case.coordinator) if case.coordinator else "",
                "last_update": (
                    date_format(timezone.localtime(case.latest_update_at), "j F Y")
                    if case.latest_update_at
                    else ""
                ),
            }
            for case in cases
        ],
        "link": settings.SITE_URL + reverse("home"),
    }
    sent = 0
    with transaction.atomic():
        for user in User.objects.filter(is_staff=True, is_active=True).order_by("pk"):
            notify_user(
                user,
                key=f"coordinator-silence:{year}-W{week:02d}",
                template=SILENCE_TEMPLATE,
                context=context,
            )
            sent += 1
    return sent
