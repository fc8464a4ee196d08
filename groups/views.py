from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import (
    AuthenticatedHttpRequest,
    may_answer_offer,
    may_change_holder,
    may_read_case,
)
from cases import services as case_services
from cases.downloads import casefile_response
from cases.models import Allocation, Case
from cases.querysets import in_members_group
from iar_site import audit

from . import letters
from .cards import (
    UPDATE_PUBLISHED,
    build_cards,
    cards_of,
    unread_published_updates,
)
from .forms import (
    ActivityForm,
    ActivityStepForm,
    DateStepForm,
    KindStepForm,
    LetterForm,
    ReportForm,
)
from .models import Activity, AnnualReport, LocalGroup, Membership
from .reports import media_notes, report_summary
from .services import (
    GroupError,
    can_change_activity,
    delete_activity,
    edit_activity,
    record_activity,
    report_period_starting,
    save_report_draft,
    submit_report,
)
from .yearly import Period, long_date, report_periods, with_report_due

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ActivityRow(TypedDict):
    """An action on the case page, marked with whether the reader may change it."""

    changeable: bool


UPDATES_TEMPLATE = "coordinators/_case_updates.html"

TIMELINE_LENGTH = 20  # actions shown on a group's case page before 'Show all'
TIMELINE_COLUMNS = (
    "allocation_id",
    "kind",
    "date",
    "count",
    "notes",
    "outcome",
    "outcome_notes",
    "recorded_by_id",
    "created_at",
    "recorded_by__full_name",
)


def _member_allocations(user):
    """Allocations of the user's own active groups, as the scoping rules let them see."""
    return Allocation.objects.visible_to(user, as_member=True)


def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A group member's home: one card per case their group works on now."""
    allocations = cards_of(with_report_due(_member_allocations(request.user).open()))
    today = timezone.localdate()
    # Offers are answered by a group's administrators: one query for all cards.
    admin_of = set(
        Membership.objects.filter(user=request.user, role=Membership.Role.ADMIN).values_list(
            "group_id", flat=True
        )
    )
    cards = build_cards(allocations, request.user, today, admin_of)
    groups = LocalGroup.objects.filter(in_members_group(request.user, "")).order_by("name")
    # Stopped cases whose stop the group has not yet confirmed: the one thing still to do on them.
    stopped = (
        Allocation.objects.stopped_for(request.user)
        .filter(stop_confirmed_at__isnull=True)
        .select_related("case", "group")
        .order_by("-ended_on")
    )
    return render(
        request,
        "groups/my_cases.html",
        {"cards": cards, "groups": groups, "stopped": stopped},
    )


# ---- Recording an action, in three steps --------------------------------------------------------


def _active_allocation(request: AuthenticatedHttpRequest, allocation_id: int) -> Allocation:
    return get_object_or_404(
        _member_allocations(request.user).active().select_related("case", "group"),
        pk=allocation_id,
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


ACTION_NOUNS: dict[str, tuple[str, str]] = {
    Activity.Kind.APPEAL_LETTER: ("letter", "letters"),
    Activity.Kind.SOLIDARITY: ("solidarity message", "solidarity messages"),
    Activity.Kind.PETITION: ("petition signature", "petition signatures"),
    Activity.Kind.STALL: ("stall", "stalls"),
    Activity.Kind.LOCAL_MEDIA: ("local media piece", "local media pieces"),
    Activity.Kind.DEMONSTRATION: ("demonstration or vigil", "demonstrations or vigils"),
    Activity.Kind.OFFICIAL_MEETING: (
        "meeting with an MP or official",
        "meetings with MPs or officials",
    ),
    Activity.Kind.SOCIAL_MEDIA: ("social media post", "social media posts"),
    Activity.Kind.EVENT: ("event", "events"),
    Activity.Kind.OTHER: ("other action", "other actions"),
}


def confirmation(activity: Activity, targets: list) -> str:
    """'Saved: 12 letters to the Minister of Justice, 3 November'."""
    one, many = ACTION_NOUNS[activity.kind]
    text = _plural(activity.count, one, many)
    if activity.kind == Activity.Kind.APPEAL_LETTER:
        if len(targets) == 1:
            authority = targets[0].authority
            article = "" if authority.lower().startswith("the ") else "the "
            text += f" to {article}{authority}"
        else:
            text += " to the authorities"
    day = activity.date
    when = date_format(day, "j F" if day.year == timezone.localdate().year else "j F Y")
    return f"Saved: {text}, {when}"


def _record_step(request: AuthenticatedHttpRequest, context: dict) -> HttpResponse:
    """A step of recording an action: the whole page, or under htmx the step alone."""
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "groups/_record_step.html", {**context, "partial": True})
    else:
        response = render(request, "groups/record_action.html", context)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def record_action(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    """Three steps that work without JavaScript: the kind and the date travel in the query string,
    then in hidden fields of the last form. With htmx each step swaps in place of the last."""
    allocation = _active_allocation(request, allocation_id)
    context: dict = {"allocation": allocation}
    today = timezone.localdate()
    if request.method == "POST":
        form = ActivityStepForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = record_activity(
                    allocation,
                    kind=data["kind"],
                    on=data["date"],
                    count=data["count"],
                    notes=data["notes"],
                    outcome=data["outcome"],
                    outcome_notes=data["outcome_notes"],
                    actor=request.user,
                )
            except GroupError as exc:
                form.add_error(None, str(exc))
            else:
                targets = list(allocation.case.current_targets())
                messages.success(request, confirmation(activity, targets))
                case_url = reverse("groups:case", args=[allocation.case.reference])
                if request.htmx:
                    # The case page loads whole (a redirect inside htmx would swap it in place
                    # of the step); it shows the confirmation.
                    return HttpResponseClientRedirect(case_url)
                return redirect(case_url)
        kind = request.POST.get("kind", "")
        context.update(
            kind=kind,
            kind_label=dict(Activity.Kind.choices).get(kind, ""),
            chosen_date=getattr(form, "cleaned_data", {}).get("date"),
        )
        return _record_step(request, {**context, "step": 3, "form": form})

    if "kind" not in request.GET:
        return _record_step(
            request,
            {**context, "step": 1, "kinds": Activity.kinds_for(allocation.case)},
        )
    kind_form = KindStepForm(request.GET, kinds=Activity.kinds_for(allocation.case))
    if not kind_form.is_valid():
        return _record_step(
            request,
            {**context, "step": 1, "kinds": Activity.kinds_for(allocation.case), "form": kind_form},
        )
    kind = kind_form.cleaned_data["kind"]
    context["kind"] = kind
    context["kind_label"] = Activity.Kind(kind).label
    when = request.GET.get("when")
    typed = request.GET.get("date", "").strip()
    if "date" not in request.GET and when is None:
        return _record_step(
            request,
            {
                **context,
                "step": 2,
                "today": today,
                "yesterday": today - timedelta(days=1),
                "date_form": DateStepForm(initial={"kind": kind}),
            },
        )
    # A typed date wins: pressing Enter in the date box submits with the first button.
    if not typed and when in ("today", "yesterday"):
        typed = (today if when == "today" else today - timedelta(days=1)).isoformat()
    date_form = DateStepForm({"kind": kind, "date": typed})
    if not date_form.is_valid():
        return _record_step(
            request,
            {
                **context,
                "step": 2,
                "today": today,
                "yesterday": today - timedelta(days=1),
                "date_form": date_form,
            },
        )
    form = ActivityStepForm(
        initial={"kind": kind, "date": date_form.cleaned_data["date"], "count": 1}
    )
    return _record_step(
        request,
        {**context, "step": 3, "form": form, "chosen_date": date_form.cleaned_data["date"]},
    )


def _own_group_activity(request: AuthenticatedHttpRequest, activity_id: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(request.user)
        .filter(in_members_group(request.user, "allocation__group"))
        .select_related("allocation__case", "allocation__group"),
        pk=activity_id,
    )


def edit_action(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = _own_group_activity(request, activity_id)
    case_url = redirect("groups:case", reference=activity.allocation.case.reference)
    if request.method != "POST" and not can_change_activity(activity, request.user):
        # Say why instead of offering a form that cannot be saved.
        error = (
            "You can only change entries you recorded yourself, for 30 days after recording them."
        )
        return render(request, "groups/edit_action.html", {"activity": activity, "error": error})
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                edit_activity(
                    activity,
                    kind=data["kind"],
                    on=data["date"],
                    count=data["count"],
                    notes=data["notes"],
                    outcome=data["outcome"],
                    outcome_notes=data["outcome_notes"],
                    actor=request.user,
                )
            except GroupError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Your changes are saved.")
                return case_url
    else:
        form = ActivityForm(
            initial={
                "kind": activity.kind,
                "date": activity.date,
                "count": activity.count,
                "notes": activity.notes,
                "outcome": activity.outcome,
                "outcome_notes": activity.outcome_notes,
            }
        )
    return render(request, "groups/edit_action.html", {"activity": activity, "form": form})


def delete_action(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = _own_group_activity(request, activity_id)
    error = ""
    if request.method == "POST":
        reference = activity.allocation.case.reference
        try:
            delete_activity(activity, actor=request.user)
        except GroupError as exc:
            error = str(exc)
        else:
            messages.success(request, "The entry is deleted.")
            return redirect("groups:case", reference=reference)
    elif not can_change_activity(activity, request.user):
        error = (
            "You can only delete entries you recorded yourself, for 30 days after recording them."
        )
    return render(request, "groups/delete_action.html", {"activity": activity, "error": error})


# ---- The group's case page ----------------------------------------------------------------------


def _own_case_allocation(
    request: AuthenticatedHttpRequest, reference: str, *, count_unread: bool = False
) -> Allocation:
    allocations = _member_allocations(request.user)
    if count_unread:
        # The case page's count of unread news, in the same query rather than one of its own.
        allocations = allocations.annotate(unread_updates=unread_published_updates())
    allocation = (
        allocations.open()
        .filter(case__reference=reference)
        .select_related(
            "case", "case__country__region", "case__coordinator__user", "group", "holder"
        )
        .order_by("group__name")
        .first()
    )
    if allocation is None:
        raise Http404("No such case for your group")
    return allocation


def _updates_template_exists() -> bool:
    try:
        get_template(UPDATES_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    return True


def group_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Our work on this case: what to send where, the casefile, news, and what we did."""
    updates_template = UPDATES_TEMPLATE if _updates_template_exists() else None
    allocation = _own_case_allocation(request, reference, count_unread=bool(updates_template))
    case = allocation.case
    # The same answer names the case in the heading: asked once for the page.
    show_summary = case.may_be_named_to(request.user)
    if case.sensitivity == Case.Sensitivity.CONFIDENTIAL and show_summary:
        audit.record("case.viewed_confidential", case, actor=request.user)
    # A phone page stays short: the latest actions, the rest on request (and in the export).
    show_all = request.GET.get("actions") == "all"
    timeline = (
        allocation.activities.select_related("recorded_by")
        # What the timeline shows and can_change_activity asks, not the whole recorder.
        .only(*TIMELINE_COLUMNS)
        .order_by("-date", "-id")
    )
    activities = cast(
        "list[WithAnnotations[Activity, ActivityRow]]",
        list(timeline if show_all else timeline[:TIMELINE_LENGTH]),
    )
    total_activities = timeline.count()
    for activity in activities:
        activity.changeable = can_change_activity(activity, request.user)
        # Each date shows up to three times: formatted once.
        activity.day = long_date(activity.date)  # type: ignore[attr-defined]
    if updates_template:
        # The coordinators' panel lists the news: the page says only how many are unread.
        notices: list = []
        unread_count = allocation.unread_updates  # type: ignore[attr-defined]
    else:
        notices = list(
            allocation.update_notices.filter(update__status=UPDATE_PUBLISHED)
            .select_related("update")
            .order_by("-created_at")
        )
        unread_count = sum(1 for n in notices if n.read_at is None)
    active = allocation.status == Allocation.Status.ACTIVE
    # The holder may name another: a member of the active group, as the scoped lookup showed.
    is_holder = allocation.holder_id == request.user.pk
    documents = list(case.documents.all().order_by("-version"))
    if active:  # the reports read once: for the yearly reports and the panel's acknowledged one
        reports = AnnualReport.objects.select_related("acknowledged_by")
        prefetch_related_objects([allocation], Prefetch("annual_reports", reports))
    context = {
        "case": case,
        "allocation": allocation,
        "show_summary": show_summary,
        "people": list(case.people.all()) if show_summary else [],
        "targets": list(case.current_targets()),
        "documents": documents,
        "activities": activities,
        "total_activities": total_activities,
        "notices": notices,
        "unread_count": unread_count,
        "updates_template": updates_template,
        # Read already, for the panel (`given_for`): the member's scoped lookup shows they see it.
        "case_updates_given": {
            "case_pk": case.pk,
            "document": documents[0] if documents else None,
            "reports": allocation.annual_reports.all() if active else [],
        },
        "periods": report_periods(allocation) if active else [],
        "can_act": active and case.status == Case.Status.OPEN,
        # Answering the offer and naming the holder are for those who may (it is a 403 else),
        # asked only where the page offers them: an offer, an active allocation.
        "may_answer": allocation.status == Allocation.Status.OFFERED
        and may_answer_offer(request.user, allocation),
        "may_change_holder": active and (is_holder or may_change_holder(request.user, allocation)),
        "pending_holder_change": case_services.pending_holder_change(allocation)
        if active
        else None,
    }
    return render(request, "groups/case.html", context)


def casefile_download(
    request: AuthenticatedHttpRequest, reference: str, version: int
) -> FileResponse:
    allocation = _own_case_allocation(request, reference)
    document = get_object_or_404(allocation.case.documents.exclude(file=""), version=version)
    # One download path for casefiles: it holds the confidentiality rule (holder, coordinator and
    # staff only), the audit of confidential downloads and the headers.
    return casefile_response(request.user, document.pk)


# ---- Letters and labels -------------------------------------------------------------------------


def _pdf_response(document, filename: str) -> HttpResponse:
    response = HttpResponse(letters.pdf_bytes(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def appeal_letter(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    allocation = _own_case_allocation(request, reference)
    case = allocation.case
    targets = case.current_targets()
    context: dict = {"case": case, "allocation": allocation}
    if allocation.status != Allocation.Status.ACTIVE or case.status != Case.Status.OPEN:
        return render(request, "groups/letters.html", {**context, "blocked": True})
    may_see_text = may_read_case(request.user, case)
    first = targets.first()
    if request.method == "POST":
        form = LetterForm(request.POST, targets=targets)
        if form.is_valid():
            target, text = form.cleaned_data["target"], form.cleaned_data["text"]
            today = timezone.localdate()
            if request.POST.get("action") == "text":
                context["plain_text"] = letters.letter_plain_text(
                    target=target, group=allocation.group, text=text, on=today
                )
            else:
                document = letters.letter_document(
                    case=case, target=target, group=allocation.group, text=text, on=today
                )
                audit.record_view("case.letter_downloaded", case, actor=request.user)
                return _pdf_response(document, letters.letter_filename(case, target))
    else:
        form = LetterForm(
            targets=targets,
            initial={
                "target": first.pk if first else None,
                "text": letters.letter_body(case.suggested_letter) if may_see_text else "",
            },
        )
    context.update({"form": form, "has_targets": first is not None, "may_see_text": may_see_text})
    return render(request, "groups/letters.html", context)


def address_labels(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    allocation = _own_case_allocation(request, reference)
    targets = list(allocation.case.current_targets())
    if not targets:
        raise Http404("No current targets")
    audit.record_view("case.labels_downloaded", allocation.case, actor=request.user)
    return _pdf_response(
        letters.labels_document(targets), f"labels-{allocation.case.reference}.pdf"
    )


# ---- Yearly reports -----------------------------------------------------------------------------


def _report_allocation(request: AuthenticatedHttpRequest, allocation_id: int) -> Allocation:
    return get_object_or_404(
        _member_allocations(request.user)
        .active()
        .select_related("case", "case__coordinator__user", "group"),
        pk=allocation_id,
    )


def _period(allocation: Allocation, period_start: str) -> tuple[date, date]:
    try:
        start = date.fromisoformat(period_start)
        return report_period_starting(allocation, start)
    except (ValueError, GroupError):
        raise Http404("No such report period") from None


def reports(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    allocation = _report_allocation(request, allocation_id)
    return render(
        request,
        "groups/reports.html",
        {"allocation": allocation, "periods": report_periods(allocation)},
    )


def report(
    request: AuthenticatedHttpRequest, allocation_id: int, period_start: str
) -> HttpResponse:
    allocation = _report_allocation(request, allocation_id)
    start, end = _period(allocation, period_start)
    existing = AnnualReport.objects.filter(allocation=allocation, period_start=start).first()
    summary = report_summary(allocation, start, end)
    context: dict[str, object] = {
        "allocation": allocation,
        "case": allocation.case,
        "report": existing,
        "summary": summary,
        "start": start,
        "end": end,
        "overdue": Period(start, end, existing, timezone.localdate()).overdue,
    }
    if existing and existing.status != AnnualReport.Status.DRAFT:
        return render(request, "groups/report.html", context)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            service = submit_report if request.POST.get("action") == "submit" else save_report_draft
            try:
                saved = service(
                    allocation, period_start=start, actor=request.user, **form.cleaned_data
                )
            except GroupError as exc:
                form.add_error(None, str(exc))
            else:
                if saved.status == AnnualReport.Status.SUBMITTED:
                    messages.success(
                        request, "Thank you. Your report has been sent to the country coordinator."
                    )
                else:
                    messages.success(request, "Your draft is saved. You can finish it later.")
                return redirect(
                    "groups:report", allocation_id=allocation.pk, period_start=start.isoformat()
                )
    elif existing:
        form = ReportForm(initial={f: getattr(existing, f) for f in ReportForm.base_fields})
    else:
        form = ReportForm(initial={"media_coverage": media_notes(allocation, start, end)})
    context["form"] = form
    return render(request, "groups/report.html", context)


def report_pdf(
    request: AuthenticatedHttpRequest, allocation_id: int, period_start: str
) -> HttpResponse:
    allocation = _report_allocation(request, allocation_id)
    start, end = _period(allocation, period_start)
    existing = AnnualReport.objects.filter(allocation=allocation, period_start=start).first()
    document = letters.report_document(existing, report_summary(allocation, start, end), allocation)
    return _pdf_response(document, f"report-{allocation.case.reference}-{start:%Y}-{end:%Y}.pdf")
