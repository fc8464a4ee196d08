from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import (
    AuthenticatedHttpRequest,
    coordinator_required,
    manages,
    may_read_case,
    may_read_confidential,
)
from cases import services as cases_services
from cases.downloads import private_file
from cases.models import Allocation, Case, HolderChange
from cases.querysets import in_managed_cases
from groups.models import AnnualReport, Membership
from groups.yearly import ReportState, report_due
from iar_site import audit

from . import inbox, services
from .forms import AcknowledgeReportForm, UpdateForm
from .markdown import render_markdown
from .models import CaseUpdate, CaseUpdateAttachment, CaseUpdateNotice
from .querysets import country_pages, draft_updates, workspace_allocations
from .services import CoordinatorError
from .workload import workload_of

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class AllocationRow(TypedDict):
    """An allocation on the coordinator's pages: annotated by the query, then given its report
    state and quietness by `_report_state`."""

    reports_in: int
    reports_waiting: int
    reports_acknowledged: int
    last_action: date | None
    report_due: date | None
    report_state: str
    is_quiet: bool


class CaseRow(TypedDict):
    """A case on the coordinator's home page, with its open allocations prefetched."""

    open_allocation_rows: list[WithAnnotations[Allocation, AllocationRow]]


HOLDER_CHANGE_DAYS = 90
LIST_LIMIT = 50

REPORTED = (AnnualReport.Status.SUBMITTED, AnnualReport.Status.ACKNOWLEDGED)


def _report_state(allocation: WithAnnotations[Allocation, AllocationRow], today: date) -> None:
    """Set report_due and report_state on an allocation annotated by workspace_allocations."""
    due = report_due(allocation.started_on, allocation.reports_in, today)
    allocation.report_due = due.on if due else None
    if allocation.status != Allocation.Status.ACTIVE or due is None:
        allocation.report_state = ""
    elif allocation.reports_waiting:
        allocation.report_state = "received"
    elif due.state != ReportState.NOT_DUE:
        allocation.report_state = due.state
    elif allocation.reports_acknowledged:
        allocation.report_state = "acknowledged"
    else:
        allocation.report_state = ReportState.NOT_DUE
    quiet_since = today - timedelta(days=settings.GROUP_QUIET_DAYS)
    news = getattr(allocation, "last_news", None)
    contact = max(
        (day for day in (allocation.last_action, news and timezone.localdate(news)) if day),
        default=None,
    )
    allocation.is_quiet = allocation.status == Allocation.Status.ACTIVE and (
        (contact or allocation.started_on or today) < quiet_since
    )


@coordinator_required
def coordinator_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A coordinator's cases by country, with the groups on each and what needs their attention."""
    user = request.user
    today = timezone.localdate()
    mine = Case.objects.managed_by(user)
    cases = (
        mine.exclude(status=Case.Status.DRAFT)
        .select_related("country")
        # Drafts a correlated count and the latest update the case's own column: no join to
        # the updates, so the country list and each country's count stay plain case queries.
        .annotate(drafts=draft_updates())
        .prefetch_related(
            Prefetch(
                "allocations", queryset=workspace_allocations(), to_attr="open_allocation_rows"
            )
        )
        # Within a country (each country is its own page, the countries by name): so a page is
        # read from the front of the (country, status, reference) index, however many cases.
        .order_by("status", "reference")
    )
    by_country = country_pages(cases, request.GET)
    for page in by_country.values():
        # The prefetched rows are named by `to_attr`, which the type checker cannot follow.
        for case in cast("list[WithAnnotations[Case, CaseRow]]", page):
            for allocation in case.open_allocation_rows:
                _report_state(allocation, today)
    reports_waiting = AnnualReport.objects.filter(
        status=AnnualReport.Status.SUBMITTED, allocation__case__in=mine
    ).count()
    holder_changes = list(
        HolderChange.objects.filter(
            allocation__case__in=mine,
            status=HolderChange.Status.APPROVED,
            changed_at__gte=timezone.now() - timedelta(days=HOLDER_CHANGE_DAYS),
        )
        .select_related("allocation__case", "allocation__group", "from_user", "to_user")
        .order_by("-changed_at")[:20]
    )
    holder_requests = list(
        HolderChange.objects.filter(
            allocation__case__in=mine,
            allocation__status=Allocation.Status.ACTIVE,
            status=HolderChange.Status.PENDING,
        )
        .select_related(
            "allocation__case", "allocation__group", "from_user", "to_user", "changed_by"
        )
        .order_by("changed_at")[:LIST_LIMIT]
    )
    # Whether the coordinator may read each confidential case's name, asked once for the whole
    # page instead of once per confidential card.
    Case.ask_names_for(
        [
            *(case for page in by_country.values() for case in page),
            *(change.allocation.case for change in (*holder_changes, *holder_requests)),
        ],
        user,
    )
    context = {
        "by_country": by_country,
        "reports_waiting": reports_waiting,
        "holder_changes": holder_changes,
        "holder_requests": holder_requests,
        "holder_change_days": HOLDER_CHANGE_DAYS,
        "quiet_days": settings.GROUP_QUIET_DAYS,
        "workload": workload_of(user),
    }
    return render(request, "coordinators/home.html", context)


@require_POST
def holder_change_decide(request: AuthenticatedHttpRequest, change_id: int) -> HttpResponse:
    """Approve or reject a group's request to change the holder of a confidential case. An object
    page: a change on a case the user does not manage is not found, whatever their role."""
    change = get_object_or_404(
        HolderChange.objects.filter(
            allocation__case__in=Case.objects.managed_by(request.user)
        ).select_related("allocation__case", "to_user"),
        pk=change_id,
    )
    decision = request.POST.get("decision")
    reference = change.allocation.case.reference
    name = change.to_user.full_name if change.to_user else "the member named"
    try:
        if decision == "approve":
            cases_services.approve_holder_change(change, actor=request.user)
            messages.success(request, f"Approved: {name} is now casefile holder on {reference}.")
        elif decision == "reject":
            cases_services.reject_holder_change(change, actor=request.user)
            messages.success(
                request, f"Rejected: the casefile holder on {reference} stays as it was."
            )
        else:
            messages.error(request, "Choose whether to approve or reject the change.")
    except cases_services.CaseError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("coordinators:home") + "#holder-requests")


def _managed_case(request: AuthenticatedHttpRequest, reference: str) -> Case:
    return get_object_or_404(
        Case.objects.managed_by(request.user).select_related("country", "coordinator__user"),
        reference=reference,
    )


def case_workspace(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _managed_case(request, reference)
    audit.record_view("case.viewed_confidential", case, actor=request.user)
    today = timezone.localdate()
    allocations = list(workspace_allocations().filter(case=case))
    for allocation in allocations:
        _report_state(allocation, today)
    updates = (
        case.updates.select_related("author")
        .annotate(
            notices_total=Count("notices", distinct=True),
            notices_read=Count("notices", filter=Q(notices__read_at__isnull=False), distinct=True),
            notices_acknowledged=Count(
                "notices", filter=Q(notices__acknowledged_at__isnull=False), distinct=True
            ),
        )
        .order_by("status", "-published_at", "-created_at")[:LIST_LIMIT]
    )
    targets = case.targets.select_related("replaces", "created_by").order_by(
        "valid_to", "-valid_from", "-id"
    )
    context = {
        "case": case,
        "allocations": allocations,
        "updates": updates,
        "current_targets": [t for t in targets if t.valid_to is None],
        "past_targets": [t for t in targets if t.valid_to is not None],
        "documents": case.documents.select_related("uploaded_by").order_by("-version"),
    }
    return render(request, "coordinators/case_workspace.html", context)


# ---- Updates --------------------------------------------------------------------------------


def update_create(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _managed_case(request, reference)
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = services.create_update(
                case,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                attachments=data["attachments"],
                actor=request.user,
            )
        except CoordinatorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Draft saved. Check the preview below, then publish it to the groups."
            )
            return redirect("coordinators:update_detail", update.pk)
    return render(
        request, "coordinators/update_form.html", {"case": case, "form": form, "update": None}
    )


def _visible_update(request: AuthenticatedHttpRequest, update_id: int) -> tuple[CaseUpdate, bool]:
    update = get_object_or_404(
        CaseUpdate.objects.filter(case__in=Case.objects.visible_to(request.user)).select_related(
            "case", "case__country", "author"
        ),
        pk=update_id,
    )
    is_manager = manages(request.user, update.case)
    if update.status == CaseUpdate.Status.DRAFT and not is_manager:
        raise Http404
    return update, is_manager


def _managed_draft(request: AuthenticatedHttpRequest, update_id: int) -> CaseUpdate:
    update = get_object_or_404(
        CaseUpdate.objects.filter(case__in=Case.objects.managed_by(request.user)).select_related(
            "case"
        ),
        pk=update_id,
    )
    return update


def update_edit(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    update = _managed_draft(request, update_id)
    if update.status != CaseUpdate.Status.DRAFT:
        messages.info(request, "This update is published and can no longer be changed.")
        return redirect("coordinators:update_detail", update.pk)
    initial = {"kind": update.kind, "title": update.title, "body": update.body}
    form = UpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_update(
                update,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                attachments=data["attachments"],
                actor=request.user,
            )
        except CoordinatorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Draft saved.")
            return redirect("coordinators:update_detail", update.pk)
    return render(
        request,
        "coordinators/update_form.html",
        {"case": update.case, "form": form, "update": update},
    )


def update_detail(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    """The update as groups see it; for the coordinator also a preview (draft) or who has read
    and acknowledged it (published)."""
    update, is_manager = _visible_update(request, update_id)
    own_notices = []
    if update.status == CaseUpdate.Status.PUBLISHED:
        groups = Membership.objects.filter(user=request.user).values("group_id")
        own_notices = list(
            update.notices.filter(allocation__group_id__in=groups).select_related(
                "allocation__group"
            )
        )
        if any(notice.read_at is None for notice in own_notices):
            services.mark_update_read(update, actor=request.user)
            for notice in own_notices:
                notice.read_at = notice.read_at or timezone.now()
    notices: QuerySet[CaseUpdateNotice] | list[CaseUpdateNotice] = []
    recipients: QuerySet[Allocation] | list[Allocation] = []
    if is_manager:
        if update.status == CaseUpdate.Status.PUBLISHED:
            notices = update.notices.select_related(
                "allocation__group", "read_by", "acknowledged_by"
            ).order_by("allocation__group__name")
        else:
            recipients = (
                Allocation.objects.filter(case=update.case, status=Allocation.Status.ACTIVE)
                .select_related("group")
                .order_by("group__name")
            )
    case = update.case
    # A confidential case's news is for its casefile holder, coordinator and IAR staff only: the
    # rest of the group sees that there is news, not what it says or what is attached.
    may_read = may_read_case(request.user, case)
    if case.sensitivity == Case.Sensitivity.CONFIDENTIAL and may_read:
        audit.record("case_update.viewed_confidential", update, actor=request.user)
    context = {
        "update": update,
        "case": case,
        "may_read": may_read,
        "body_html": render_markdown(update.body) if may_read else "",
        "attachments": update.attachments.all() if may_read else [],
        "is_manager": is_manager,
        "own_notices": own_notices,
        "needs_acknowledging": any(n.acknowledged_at is None for n in own_notices),
        "notices": notices,
        "recipients": recipients,
    }
    return render(request, "coordinators/update_detail.html", context)


@require_POST
def update_publish(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    update = _managed_draft(request, update_id)
    if update.status == CaseUpdate.Status.PUBLISHED:
        messages.info(request, "This update was already published; nothing was sent again.")
        return redirect("coordinators:update_detail", update.pk)
    try:
        count = services.publish_update(update, actor=request.user)
    except CoordinatorError as exc:
        messages.error(request, str(exc))
    else:
        groups = f"{count} group{'s' if count != 1 else ''}"
        messages.success(request, f"Published. {groups} will be told about it.")
    return redirect("coordinators:update_detail", update.pk)


@require_POST
def update_acknowledge(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    update, _ = _visible_update(request, update_id)
    try:
        services.acknowledge_update(update, actor=request.user)
    except CoordinatorError as exc:
        messages.error(request, str(exc))
    else:
        if request.htmx:
            # The acknowledgement section alone, swapped in place of the button.
            groups = Membership.objects.filter(user=request.user).values("group_id")
            own_notices = update.notices.filter(allocation__group_id__in=groups).select_related(
                "allocation__group"
            )
            return render(
                request,
                "coordinators/_acknowledge.html",
                {"update": update, "own_notices": own_notices, "acknowledged_now": True},
            )
        messages.success(request, "Thank you. Your coordinator can see your group has read it.")
    return redirect("coordinators:update_detail", update.pk)


@require_POST
def attachment_remove(request: AuthenticatedHttpRequest, attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(
        CaseUpdateAttachment.objects.filter(update__case__in=Case.objects.managed_by(request.user)),
        pk=attachment_id,
    )
    try:
        services.remove_attachment(attachment, actor=request.user)
    except CoordinatorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed {attachment.original_name}.")
    return redirect("coordinators:update_edit", attachment.update_id)


def case_updates(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Every published update on a case, for anyone who can see the case."""
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    groups = Membership.objects.filter(user=request.user).values("group_id")
    updates = (
        case.updates.filter(status=CaseUpdate.Status.PUBLISHED)
        .annotate(
            unread=Count(
                "notices",
                filter=Q(notices__allocation__group_id__in=groups, notices__read_at__isnull=True),
            )
        )
        .order_by("-published_at")
    )
    return render(
        request,
        "coordinators/case_updates.html",
        {"case": case, "updates": updates, "is_manager": manages(request.user, case)},
    )


def attachment_filename(attachment: CaseUpdateAttachment) -> str:
    """The name an attachment is served under: the case reference and the attachment's number,
    never the uploaded name (it may name the person, and downloads folders are shared)."""
    stored = attachment.file.name or ""
    extension = stored.rsplit(".", 1)[-1].lower() if "." in stored else "bin"
    return f"{attachment.update.case.reference}-update-{attachment.pk}.{extension}"


def attachment_download(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(
        CaseUpdateAttachment.objects.filter(
            update__case__in=Case.objects.visible_to(request.user)
        ).select_related("update__case"),
        pk=attachment_id,
    )
    case = attachment.update.case
    if attachment.update.status != CaseUpdate.Status.PUBLISHED and not manages(request.user, case):
        raise Http404
    if case.sensitivity == Case.Sensitivity.CONFIDENTIAL:
        # Not found, never forbidden, for anyone but the holder, coordinator and IAR staff.
        if not may_read_confidential(request.user, case):
            raise Http404
        audit.record("case.attachment_downloaded", attachment.update, actor=request.user)
    return private_file(
        attachment.file,
        filename=attachment_filename(attachment),
        content_type=attachment.content_type,
    )


# ---- Yearly reports -------------------------------------------------------------------------


def _inbox_reports(request: AuthenticatedHttpRequest):
    # The reports on the cases the user manages are all visible to them (a country's coordinator
    # sees its cases' reports), so `AnnualReport.visible_to`'s wider rule is not asked again.
    return AnnualReport.objects.filter(
        in_managed_cases(request.user, "allocation__case"), status__in=REPORTED
    )


@coordinator_required
def report_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reports waiting and reports overdue, each paged (`coordinators.inbox`)."""
    reports = inbox.listed(_inbox_reports(request))
    acknowledged = reports.filter(status=AnnualReport.Status.ACKNOWLEDGED).order_by(
        "-acknowledged_at"
    )[:20]
    context = {
        "waiting": inbox.waiting_page(reports, request.GET),
        "acknowledged": acknowledged,
        "overdue": inbox.overdue_page(request.user, request.GET, timezone.localdate()),
    }
    return render(request, "coordinators/report_inbox.html", context)


def report_detail(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(
        _inbox_reports(request).select_related(
            "allocation__case", "allocation__group", "submitted_by", "acknowledged_by"
        ),
        pk=report_id,
    )
    form = AcknowledgeReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge_report(
                report, comment=form.cleaned_data["comment"], actor=request.user
            )
        except CoordinatorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Acknowledged. {report.allocation.group.name} has been told."
            )
            return redirect("coordinators:report_inbox")
    activities = report.allocation.activities.filter(
        date__gte=report.period_start, date__lte=report.period_end
    ).order_by("-date")[:100]
    return render(
        request,
        "coordinators/report_detail.html",
        {"report": report, "form": form, "activities": activities},
    )
