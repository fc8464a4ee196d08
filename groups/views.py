from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from accounts.services import AccountError, invite_person
from cases.models import Allocation, Case, CaseUpdateNotice
from cases.querysets import in_members_group, may_read_confidential
from cases.views import stopped_allocations_for
from iar_site import audit
from iar_site.exports import spreadsheet_safe

from . import letters
from .forms import (
    ActivityForm,
    ActivityStepForm,
    DateStepForm,
    GroupSettingsForm,
    InviteMemberForm,
    KindStepForm,
    LetterForm,
    ReportForm,
)
from .models import Activity, AnnualReport, LocalGroup, Membership
from .reports import media_notes, report_periods, report_summary
from .services import (
    GroupError,
    can_change_activity,
    change_member_role,
    delete_activity,
    edit_activity,
    is_group_admin,
    next_report_due,
    record_activity,
    remove_member,
    report_period_starting,
    save_report_draft,
    submit_report,
    update_group_settings,
)

UPDATES_TEMPLATE = "coordinators/_case_updates.html"

TIMELINE_LENGTH = 20  # actions shown on a group's case page before 'Show all'


def _member_allocations(user):
    """Allocations of the user's own active groups, as the scoping rules let them see."""
    return Allocation.objects.visible_to(user).filter(in_members_group(user))


def my_cases(request: HttpRequest) -> HttpResponse:
    """A group member's home: one card per case their group works on now."""
    latest = Activity.objects.order_by("-date", "-id")
    allocations = (
        _member_allocations(request.user)
        .open()
        .select_related("case", "case__country", "group", "holder")
        .with_reports_in()
        .annotate(
            last_action_on=Max("activities__date"),
            unread_updates=Count(
                "update_notices",
                filter=Q(update_notices__read_at__isnull=True),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("case__people"))
        .order_by("group__name", "case__reference")
    )
    today = timezone.localdate()
    # Offers are answered by a group's administrators: one query for all cards.
    admin_of = set(
        Membership.objects.filter(user=request.user, role=Membership.Role.ADMIN).values_list(
            "group_id", flat=True
        )
    )
    cards = []
    for allocation in allocations:
        allocation.may_answer = allocation.group_id in admin_of
        allocation.report_due = next_report_due(allocation.started_on, allocation.reports_in)
        allocation.report_overdue = bool(allocation.report_due and allocation.report_due < today)
        # The person's name is part of the summary a confidential case keeps to its holder.
        allocation.show_people = (
            allocation.case.sensitivity != Case.Sensitivity.CONFIDENTIAL
            or allocation.holder_id == request.user.pk
        )
        cards.append(allocation)
    # The last action of each card in one query, not one per card.
    last_actions = {}
    if cards:
        for activity in latest.filter(allocation__in=cards):
            last_actions.setdefault(activity.allocation_id, activity)
    for allocation in cards:
        allocation.last_action = last_actions.get(allocation.pk)
    groups = LocalGroup.objects.filter(in_members_group(request.user, "")).order_by("name")
    # Stopped cases whose stop the group has not yet confirmed: the one thing still to do on them.
    stopped = (
        stopped_allocations_for(request.user)
        .filter(stop_confirmed_at__isnull=True)
        .select_related("case", "group")
        .order_by("-ended_on")
    )
    return render(
        request,
        "groups/my_cases.html",
        {"allocations": cards, "groups": groups, "stopped": stopped},
    )


# ---- Recording an action, in three steps --------------------------------------------------------


def _active_allocation(request: HttpRequest, allocation_id: int) -> Allocation:
    return get_object_or_404(
        _member_allocations(request.user).active().select_related("case", "group"),
        pk=allocation_id,
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


ACTION_NOUNS = {
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


def record_action(request: HttpRequest, allocation_id: int) -> HttpResponse:
    """Three steps that work without JavaScript: the kind and the date travel in the query string,
    then in hidden fields of the last form."""
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
                return redirect("groups:case", reference=allocation.case.reference)
        kind = request.POST.get("kind", "")
        context.update(
            kind=kind,
            kind_label=dict(Activity.Kind.choices).get(kind, ""),
            chosen_date=getattr(form, "cleaned_data", {}).get("date"),
        )
        return render(request, "groups/record_action.html", {**context, "step": 3, "form": form})

    if "kind" not in request.GET:
        return render(
            request,
            "groups/record_action.html",
            {**context, "step": 1, "kinds": Activity.Kind.choices},
        )
    kind_form = KindStepForm(request.GET)
    if not kind_form.is_valid():
        return render(
            request,
            "groups/record_action.html",
            {**context, "step": 1, "kinds": Activity.Kind.choices, "form": kind_form},
        )
    kind = kind_form.cleaned_data["kind"]
    context["kind"] = kind
    context["kind_label"] = Activity.Kind(kind).label
    when = request.GET.get("when")
    typed = request.GET.get("date", "").strip()
    if "date" not in request.GET and when is None:
        return render(
            request,
            "groups/record_action.html",
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
        return render(
            request,
            "groups/record_action.html",
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
    return render(
        request,
        "groups/record_action.html",
        {**context, "step": 3, "form": form, "chosen_date": date_form.cleaned_data["date"]},
    )


def _own_group_activity(request: HttpRequest, activity_id: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(request.user)
        .filter(in_members_group(request.user, "allocation__group"))
        .select_related("allocation__case", "allocation__group"),
        pk=activity_id,
    )


def edit_action(request: HttpRequest, activity_id: int) -> HttpResponse:
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


def delete_action(request: HttpRequest, activity_id: int) -> HttpResponse:
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


def _own_case_allocation(request: HttpRequest, reference: str) -> Allocation:
    allocation = (
        _member_allocations(request.user)
        .open()
        .filter(case__reference=reference)
        .select_related("case", "case__country", "case__coordinator__user", "group", "holder")
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


def group_case(request: HttpRequest, reference: str) -> HttpResponse:
    """Our work on this case: what to send where, the casefile, news, and what we did."""
    allocation = _own_case_allocation(request, reference)
    case = allocation.case
    show_summary = case.sensitivity != Case.Sensitivity.CONFIDENTIAL or may_read_confidential(
        request.user, case
    )
    if case.sensitivity == Case.Sensitivity.CONFIDENTIAL and show_summary:
        audit.record("case.viewed_confidential", case, actor=request.user)
    # A phone page stays short: the latest actions, the rest on request (and in the export).
    show_all = request.GET.get("actions") == "all"
    timeline = allocation.activities.select_related("recorded_by").order_by("-date", "-id")
    total_activities = timeline.count()
    activities = list(timeline if show_all else timeline[:TIMELINE_LENGTH])
    for activity in activities:
        activity.changeable = can_change_activity(activity, request.user)
    notices = list(
        CaseUpdateNotice.objects.filter(allocation=allocation, update__status="published")
        .select_related("update")
        .order_by("-created_at")
    )
    context = {
        "case": case,
        "allocation": allocation,
        "show_summary": show_summary,
        "people": list(case.people.all()) if show_summary else [],
        "targets": list(case.current_targets()),
        "documents": list(case.documents.all().order_by("-version")),
        "activities": activities,
        "total_activities": total_activities,
        "notices": notices,
        "unread_count": sum(1 for n in notices if n.read_at is None),
        "updates_template": UPDATES_TEMPLATE if _updates_template_exists() else None,
        "periods": report_periods(allocation) if allocation.status == "active" else [],
        "can_act": allocation.status == Allocation.Status.ACTIVE
        and case.status == Case.Status.OPEN,
    }
    return render(request, "groups/case.html", context)


def casefile_download(request: HttpRequest, reference: str, version: int) -> FileResponse:
    allocation = _own_case_allocation(request, reference)
    document = get_object_or_404(allocation.case.documents.exclude(file=""), version=version)
    # One download path for casefiles: the coordinators' view holds the confidentiality rule
    # (holder, coordinator and staff only), the audit of confidential downloads and the headers.
    from coordinators.views import casefile_download as checked_download

    return checked_download(request, document.pk)


# ---- Letters and labels -------------------------------------------------------------------------


def _pdf_response(document, filename: str) -> HttpResponse:
    response = HttpResponse(letters.pdf_bytes(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def appeal_letter(request: HttpRequest, reference: str) -> HttpResponse:
    allocation = _own_case_allocation(request, reference)
    case = allocation.case
    targets = case.current_targets()
    context: dict = {"case": case, "allocation": allocation}
    if allocation.status != Allocation.Status.ACTIVE or case.status != Case.Status.OPEN:
        return render(request, "groups/letters.html", {**context, "blocked": True})
    may_see_text = case.sensitivity != Case.Sensitivity.CONFIDENTIAL or may_read_confidential(
        request.user, case
    )
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
                return _pdf_response(document, letters.letter_filename(case, target))
    else:
        form = LetterForm(
            targets=targets,
            initial={
                "target": first.pk if first else None,
                "text": case.suggested_letter if may_see_text else "",
            },
        )
    context.update({"form": form, "has_targets": first is not None, "may_see_text": may_see_text})
    return render(request, "groups/letters.html", context)


def address_labels(request: HttpRequest, reference: str) -> HttpResponse:
    allocation = _own_case_allocation(request, reference)
    targets = list(allocation.case.current_targets())
    if not targets:
        raise Http404("No current targets")
    return _pdf_response(
        letters.labels_document(targets), f"labels-{allocation.case.reference}.pdf"
    )


# ---- Yearly reports -----------------------------------------------------------------------------


def _report_allocation(request: HttpRequest, allocation_id: int) -> Allocation:
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


def reports(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = _report_allocation(request, allocation_id)
    return render(
        request,
        "groups/reports.html",
        {"allocation": allocation, "periods": report_periods(allocation)},
    )


def report(request: HttpRequest, allocation_id: int, period_start: str) -> HttpResponse:
    allocation = _report_allocation(request, allocation_id)
    start, end = _period(allocation, period_start)
    existing = AnnualReport.objects.filter(allocation=allocation, period_start=start).first()
    summary = report_summary(allocation, start, end)
    context = {
        "allocation": allocation,
        "case": allocation.case,
        "report": existing,
        "summary": summary,
        "start": start,
        "end": end,
        "overdue": end < timezone.localdate()
        and not (existing and existing.status != AnnualReport.Status.DRAFT),
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


def report_pdf(request: HttpRequest, allocation_id: int, period_start: str) -> HttpResponse:
    allocation = _report_allocation(request, allocation_id)
    start, end = _period(allocation, period_start)
    existing = AnnualReport.objects.filter(allocation=allocation, period_start=start).first()
    document = letters.report_document(existing, report_summary(allocation, start, end), allocation)
    return _pdf_response(document, f"report-{allocation.case.reference}-{start:%Y}-{end:%Y}.pdf")


# ---- Group settings -----------------------------------------------------------------------------


def _own_group(request: HttpRequest, group_id: int) -> LocalGroup:
    return get_object_or_404(
        LocalGroup.objects.visible_to(request.user).filter(in_members_group(request.user, "")),
        pk=group_id,
    )


def settings_index(request: HttpRequest) -> HttpResponse:
    groups = list(LocalGroup.objects.filter(in_members_group(request.user, "")).order_by("name"))
    if not groups:
        raise Http404("Not in a group")
    if len(groups) == 1:
        return redirect("groups:settings", group_id=groups[0].pk)
    return render(request, "groups/settings_index.html", {"groups": groups})


def _settings_context(request, group, form=None, invite_form=None) -> dict:
    admin = is_group_admin(request.user, group)
    return {
        "group": group,
        "is_admin": admin,
        "form": form or GroupSettingsForm(instance=group),
        "invite_form": invite_form or InviteMemberForm(),
        "memberships": group.memberships.select_related("user").order_by("user__full_name"),
        "roles": Membership.Role.choices,
    }


def group_settings(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    form = None
    if request.method == "POST":
        if not is_group_admin(request.user, group):
            raise PermissionDenied
        form = GroupSettingsForm(request.POST, instance=LocalGroup.objects.get(pk=group.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_group_settings(
                    group,
                    values={
                        k: v
                        for k, v in data.items()
                        if not k.startswith("preferred_r") and not k.startswith("preferred_t")
                    },
                    regions=list(data["preferred_regions"]),
                    themes=list(data["preferred_themes"]),
                    actor=request.user,
                )
            except GroupError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The group's settings are saved.")
                return redirect("groups:settings", group_id=group.pk)
    return render(request, "groups/settings.html", _settings_context(request, group, form=form))


@require_POST
def invite_member(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _own_group(request, group_id)
    if not is_group_admin(request.user, group):
        raise PermissionDenied
    invite_form = InviteMemberForm(request.POST)
    if invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            invite_person(
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                group=group,
                actor=request.user,
            )
        except AccountError as exc:
            invite_form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Invitation to {data['email']} is queued; they will get an email shortly."
            )
            return redirect("groups:settings", group_id=group.pk)
    return render(
        request,
        "groups/settings.html",
        _settings_context(request, group, invite_form=invite_form),
    )


def _group_membership(request, group_id: int, membership_id: int) -> tuple[LocalGroup, Membership]:
    group = _own_group(request, group_id)
    if not is_group_admin(request.user, group):
        raise PermissionDenied
    membership = get_object_or_404(group.memberships.select_related("user"), pk=membership_id)
    return group, membership


@require_POST
def member_role(request: HttpRequest, group_id: int, membership_id: int) -> HttpResponse:
    group, membership = _group_membership(request, group_id, membership_id)
    try:
        change_member_role(membership, role=request.POST.get("role", ""), actor=request.user)
    except GroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.user.full_name}'s role is saved.")
    return redirect("groups:settings", group_id=group.pk)


def member_remove(request: HttpRequest, group_id: int, membership_id: int) -> HttpResponse:
    group, membership = _group_membership(request, group_id, membership_id)
    if request.method == "POST":
        try:
            remove_member(membership, actor=request.user)
        except GroupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{membership.user.full_name} is no longer in the group.")
        return redirect("groups:settings", group_id=group.pk)
    return render(request, "groups/member_remove.html", {"group": group, "membership": membership})


# ---- Export of the group's action log -----------------------------------------------------------

EXPORT_HEADERS = [
    "Date",
    "Case reference",
    "Case",
    "Action",
    "Number",
    "Notes",
    "Outcome",
    "About the outcome",
    "Recorded by",
    "Recorded at",
]


def export_actions(request: HttpRequest, group_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    group = _own_group(request, group_id)
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(allocation__group=group)
        .select_related("allocation__case", "recorded_by")
        .order_by("-date", "-id")
    )
    dataset = tablib.Dataset(headers=EXPORT_HEADERS)
    for a in activities:
        case = a.allocation.case
        title = "" if case.sensitivity == Case.Sensitivity.CONFIDENTIAL else case.title
        row = [
            a.date.isoformat(),
            case.reference,
            title,
            a.get_kind_display(),
            a.count,
            a.notes,
            a.get_outcome_display() if a.outcome else "",
            a.outcome_notes,
            a.recorded_by.full_name if a.recorded_by else "",
            timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        dataset.append([spreadsheet_safe(v) for v in row])
    stem = f"actions-{group.pk}-{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            dataset.export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.headers)
    writer.writerows(dataset)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response
