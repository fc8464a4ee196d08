"""Writes for groups and their work. Views, commands and the admin call these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.access import is_group_admin, is_member, is_staff
from cases import services as case_services
from cases.models import Allocation, Case, Region, Theme
from iar_site import audit
from notifications.services import notify_group, notify_user

from . import yearly
from .models import Activity, AnnualReport, CaseRequest, LocalGroup, Membership
from .outcomes import tell_outcome

if TYPE_CHECKING:
    from accounts.models import User


class GroupError(Exception):
    """A user-safe reason a group action cannot be done."""


def record_activity(
    allocation: Allocation,
    *,
    kind: str,
    on: date,
    count: int = 1,
    notes: str = "",
    outcome: str = "",
    outcome_notes: str = "",
    actor: User,
) -> Activity:
    """Log what a group did. Only a member of the group may, and only on an active allocation."""
    with transaction.atomic():
        # The allocation row only: locking its case too, in the same statement, could deadlock
        # with stop_case, which locks the case and then its allocations.
        allocation = (
            Allocation.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=allocation.pk)
        )
        if not is_member(actor, allocation.group_id):
            raise GroupError("Only members of the group can record its actions.")
        if allocation.status != Allocation.Status.ACTIVE:
            raise GroupError("This case is no longer active for your group.")
        _check_activity_values(kind, on, count, outcome)
        _check_public_allowed(allocation.case, kind)
        activity = Activity.objects.create(
            allocation=allocation,
            kind=kind,
            date=on,
            count=count,
            notes=notes,
            outcome=outcome,
            outcome_notes=outcome_notes,
            recorded_by=actor,
        )
        audit.record(
            "activity.recorded",
            activity,
            actor=actor,
            changes={"kind": kind, "date": on.isoformat(), "count": count, "outcome": outcome},
        )
        tell_outcome(activity)
    return activity


# Members may correct their own entries for this long; after that the log is the group's record.
EDIT_WINDOW = timedelta(days=30)


def _check_activity_values(kind: str, on: date, count: int, outcome: str) -> None:
    if kind not in Activity.Kind.values:
        raise GroupError("Choose what you did from the list.")
    if outcome and outcome not in Activity.Outcome.values:
        raise GroupError("Choose an outcome from the list.")
    if on > timezone.localdate():
        raise GroupError("The date cannot be in the future.")
    if on < timezone.localdate() - timedelta(days=366 * 3):
        raise GroupError("The date must be within the last three years.")
    if not 1 <= count <= Activity.MAX_COUNT:
        raise GroupError(f"The number must be between 1 and {Activity.MAX_COUNT:,}.")


def _check_public_allowed(case: Case, kind: str) -> None:
    # Enforced here, not only in the form: a case IAR keeps out of the public eye must not get
    # a stall or a press story through any door (an old form, a typed URL, the admin).
    if not case.public_action_allowed and kind not in Activity.PRIVATE_KINDS:
        raise GroupError(
            "Please do not publicise this case: IAR has asked for private actions only "
            "(letters, solidarity messages and meetings with officials)."
        )


def _lock_own_activity(unlocked: Activity, actor: User) -> Activity:
    activity = (
        Activity.objects.select_for_update()
        .select_related("allocation")
        .filter(pk=unlocked.pk)
        .first()
    )
    if activity is None:
        raise GroupError("This entry has already been deleted.")
    if activity.recorded_by_id != actor.pk:
        raise GroupError("You can only change entries you recorded yourself.")
    if not is_member(actor, activity.allocation.group_id):
        raise GroupError("Only members of the group can change its actions.")
    if activity.allocation.status != Allocation.Status.ACTIVE:
        raise GroupError("This case is no longer active for your group.")
    if timezone.now() - activity.created_at > EDIT_WINDOW:
        raise GroupError(
            "Entries can only be changed for 30 days after they were recorded. "
            "If this one is wrong, please tell your country coordinator."
        )
    return activity


def can_change_activity(activity: Activity, user: User) -> bool:
    return (
        activity.recorded_by_id == user.pk and timezone.now() - activity.created_at <= EDIT_WINDOW
    )


def edit_activity(
    activity: Activity,
    *,
    kind: str,
    on: date,
    count: int,
    notes: str = "",
    outcome: str = "",
    outcome_notes: str = "",
    actor: User,
) -> Activity:
    """Correct an entry: only its author, only within 30 days of recording it."""
    with transaction.atomic():
        activity = _lock_own_activity(activity, actor)
        _check_activity_values(kind, on, count, outcome)
        if kind != activity.kind:
            _check_public_allowed(activity.allocation.case, kind)
        new = {
            "kind": kind,
            "date": on,
            "count": count,
            "notes": notes,
            "outcome": outcome,
            "outcome_notes": outcome_notes,
        }
        changes: dict[str, str | list[str]] = {}
        previous_outcome = activity.outcome
        for field, value in new.items():
            old = getattr(activity, field)
            if old != value:
                # Free text is noted as changed, not copied: notes may name people.
                if field in ("notes", "outcome_notes"):
                    changes[field] = "changed"
                else:
                    changes[field] = [str(old), str(value)]
                setattr(activity, field, value)
        if changes:
            activity.save()
            audit.record("activity.edited", activity, actor=actor, changes=changes)
            tell_outcome(activity, previous=previous_outcome)
    return activity


def delete_activity(activity: Activity, *, actor: User) -> None:
    """Remove an entry: only its author, only within 30 days of recording it."""
    with transaction.atomic():
        activity = _lock_own_activity(activity, actor)
        audit.record(
            "activity.deleted",
            activity,
            actor=actor,
            changes={
                "kind": activity.kind,
                "date": activity.date.isoformat(),
                "count": activity.count,
                "allocation": activity.allocation_id,
            },
        )
        activity.delete()


# ---- Yearly reports ---------------------------------------------------------------------------


def report_period_starting(allocation: Allocation, period_start: date) -> tuple[date, date]:
    """The period beginning on `period_start`, if that is one of the allocation's report periods
    that has begun; GroupError otherwise."""
    started = allocation.started_on
    if started is None:
        raise GroupError("This case has not started for your group yet.")
    period = yearly.period_starting(started, period_start, timezone.localdate())
    if period is None:
        raise GroupError("There is no report for that period.")
    return period


def _lock_report_allocation(allocation: Allocation, actor: User) -> Allocation:
    # Lock the allocation row only: the coordinator is on the nullable side of an outer join.
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("case", "case__coordinator__user", "group")
        .get(pk=allocation.pk)
    )
    # IAR staff type in the report a post group sent back on paper.
    if not (is_member(actor, allocation.group_id) or is_staff(actor)):
        raise GroupError("Only members of the group can write its reports.")
    if allocation.status != Allocation.Status.ACTIVE:
        raise GroupError("This case is no longer active for your group.")
    return allocation


REPORT_FIELDS = ("what_worked", "media_coverage", "plans", "concerns")


def save_report_draft(
    allocation: Allocation,
    *,
    period_start: date,
    what_worked: str = "",
    media_coverage: str = "",
    plans: str = "",
    concerns: str = "",
    actor: User,
) -> AnnualReport:
    """Create or update the draft of a period's report. A submitted report is not changed."""
    with transaction.atomic():
        allocation = _lock_report_allocation(allocation, actor)
        start, end = report_period_starting(allocation, period_start)
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            allocation=allocation,
            period_start=start,
            defaults={"period_end": end},
        )
        if report.status != AnnualReport.Status.DRAFT:
            raise GroupError("This report has already been sent to the coordinator.")
        report.what_worked = what_worked
        report.media_coverage = media_coverage
        report.plans = plans
        report.concerns = concerns
        report.save()
        audit.record(
            "report.created" if created else "report.draft_saved",
            report,
            actor=actor,
            changes={"period_start": start.isoformat()},
        )
    return report


def _report_path(report: AnnualReport) -> str:
    """The coordinator's page for the report when their workspace has one, else the case."""
    try:
        return reverse("coordinators:report_detail", args=[report.pk])
    except NoReverseMatch:
        return reverse("coordinators:case", args=[report.allocation.case.reference])


def submit_report(
    allocation: Allocation,
    *,
    period_start: date,
    what_worked: str = "",
    media_coverage: str = "",
    plans: str = "",
    concerns: str = "",
    actor: User,
) -> AnnualReport:
    """Save and send the report to the case's country coordinator (a reference and a link only)."""
    with transaction.atomic():
        report = save_report_draft(
            allocation,
            period_start=period_start,
            what_worked=what_worked,
            media_coverage=media_coverage,
            plans=plans,
            concerns=concerns,
            actor=actor,
        )
        if not any(getattr(report, field).strip() for field in REPORT_FIELDS):
            raise GroupError("Write at least one of the four parts before sending the report.")
        report.status = AnnualReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor
        report.save(update_fields=["status", "submitted_at", "submitted_by"])
        audit.record("report.submitted", report, actor=actor)
        allocation = report.allocation
        case = allocation.case
        coordinator = case.coordinator
        context = {
            "reference": case.reference,
            "group_name": allocation.group.name,
            "period": f"{report.period_start:%d %B %Y} to {report.period_end:%d %B %Y}",
            "path": _report_path(report),
        }
        key = f"annual-report-submitted:{report.pk}"
        if coordinator is not None:
            notify_user(
                coordinator.user,
                key=key,
                template="annual-report-submitted",
                context=context,
                case=case,
            )
        else:
            # Nobody coordinates the case: IAR read the report rather than nobody.
            case_services.notify_iar(
                key=key, template="annual-report-submitted", context=context, case=case
            )
    return report


# ---- Group settings ---------------------------------------------------------------------------


def _require_admin(group: LocalGroup, actor: User) -> None:
    # IAR staff look after every group (in the admin); otherwise only the group's own admins.
    if not (is_staff(actor) or is_group_admin(actor, group)):
        raise GroupError("Only the group's administrators can change its settings.")


SETTINGS_FIELDS = (
    "channel",
    "postal_address",
    "contact_email",
    "preferred_gender",
    "preferred_kind",
    "capacity",
    "next_meeting",
)


def update_group_settings(
    group: LocalGroup,
    *,
    values: dict[str, Any],
    regions: Iterable[Region] | None = None,
    themes: Iterable[Theme] | None = None,
    actor: User,
) -> LocalGroup:
    """Change how the group hears from IAR and what cases it would like."""
    with transaction.atomic():
        group = LocalGroup.objects.select_for_update().get(pk=group.pk)
        _require_admin(group, actor)
        changes: dict[str, Any] = {}
        for field in SETTINGS_FIELDS:
            if field not in values:
                continue
            old, new = getattr(group, field), values[field]
            if old != new:
                changes[field] = "changed" if field == "postal_address" else [str(old), str(new)]
                setattr(group, field, new)
        if group.channel == LocalGroup.Channel.EMAIL and not group.contact_email:
            raise GroupError("Give a contact email, or choose to hear from us by post.")
        if not 0 <= group.capacity <= 20:
            raise GroupError("The number of cases must be between 0 and 20.")
        group.save()
        if regions is not None:
            before = set(group.preferred_regions.values_list("pk", flat=True))
            group.preferred_regions.set(regions)
            if before != {r.pk for r in regions}:
                changes["preferred_regions"] = [sorted(before), sorted(r.pk for r in regions)]
        if themes is not None:
            before = set(group.preferred_themes.values_list("pk", flat=True))
            group.preferred_themes.set(themes)
            if before != {t.pk for t in themes}:
                changes["preferred_themes"] = [sorted(before), sorted(t.pk for t in themes)]
        if changes:
            audit.record("group.settings_changed", group, actor=actor, changes=changes)
    return group


def _other_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(group_id=membership.group_id, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


def add_member(group: LocalGroup, user: User, *, role: str, actor: User) -> Membership:
    """IAR staff put a person with a login straight into a group (everyone else joins through
    an invitation, which checks their email address)."""
    if role not in Membership.Role.values:
        raise GroupError("Choose member or group administrator.")
    if not is_staff(actor):
        raise GroupError("Only IAR staff can add a member directly; invite them instead.")
    with transaction.atomic():
        LocalGroup.objects.select_for_update().get(pk=group.pk)
        if Membership.objects.filter(group=group, user=user).exists():
            raise GroupError(f"{user} is already a member of {group.name}.")
        membership = Membership.objects.create(group=group, user=user, role=role)
        audit.record("membership.created", membership, actor=actor, changes={"role": role})
    return membership


def change_member_role(membership: Membership, *, role: str, actor: User) -> Membership:
    if role not in Membership.Role.values:
        raise GroupError("Choose member or group administrator.")
    with transaction.atomic():
        LocalGroup.objects.select_for_update().get(pk=membership.group_id)
        membership = Membership.objects.select_related("group", "user").get(pk=membership.pk)
        _require_admin(membership.group, actor)
        if membership.role == role:
            return membership
        if role == Membership.Role.MEMBER and not _other_admins(membership):
            raise GroupError(
                "The group needs at least one administrator. Make someone else an "
                "administrator first."
            )
        audit.record(
            "membership.role_changed",
            membership,
            actor=actor,
            changes={"role": [membership.role, role]},
        )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(membership: Membership, *, actor: User) -> None:
    with transaction.atomic():
        LocalGroup.objects.select_for_update().get(pk=membership.group_id)
        membership = Membership.objects.select_related("group", "user").get(pk=membership.pk)
        _require_admin(membership.group, actor)
        if membership.role == Membership.Role.ADMIN and not _other_admins(membership):
            raise GroupError(
                "The group needs at least one administrator. Make someone else an "
                "administrator first."
            )
        if Allocation.objects.filter(
            group_id=membership.group_id,
            holder_id=membership.user_id,
            status__in=Allocation.OPEN_STATUSES,
        ).exists():
            raise GroupError(
                f"{membership.user.full_name} holds a casefile. Ask IAR to name a new casefile "
                "holder first."
            )
        audit.record(
            "membership.removed",
            membership,
            actor=actor,
            changes={"user": membership.user_id, "group": membership.group_id},
        )
        membership.delete()


# ---- Case requests ----------------------------------------------------------------------------


def request_cases(
    group: LocalGroup,
    *,
    number: int,
    meeting_date: date,
    regions: Iterable[Region] = (),
    themes: Iterable[Theme] = (),
    notes: str = "",
    actor: User,
) -> CaseRequest:
    """A group asks IAR for cases ahead of a meeting."""
    with transaction.atomic():
        if not is_member(actor, group.pk):
            raise GroupError("Only members of the group can ask for cases for it.")
        if not 1 <= number <= 10:
            raise GroupError("Ask for between 1 and 10 cases.")
        if meeting_date < timezone.localdate():
            raise GroupError("The meeting date cannot be in the past.")
        case_request = CaseRequest.objects.create(
            group=group,
            requested_by=actor,
            number=number,
            meeting_date=meeting_date,
            notes=notes.strip(),
        )
        case_request.preferred_regions.set(list(regions))
        case_request.preferred_themes.set(list(themes))
        audit.record(
            "case_request.made",
            case_request,
            actor=actor,
            changes={"number": number, "meeting_date": meeting_date.isoformat()},
        )
        case_services.notify_iar(
            key=f"case-request:{case_request.pk}:received",
            template="case-request-received",
            context={
                "group_name": group.name,
                "number": number,
                "meeting_date": meeting_date.isoformat(),
                "staff_url": settings.SITE_URL
                + reverse("case_requests:case_request", args=[case_request.pk]),
            },
            case=None,
        )
    return case_request


def fulfil_case_request(
    case_request: CaseRequest,
    *,
    cases: Iterable[Case] = (),
    response: str = "",
    direct: bool = False,
    actor: User,
) -> CaseRequest:
    """Answer a group's request: allocate cases to it, or record what IAR sent, and tell it."""
    cases = list(cases)
    response = response.strip()
    with transaction.atomic():
        case_request = CaseRequest.objects.select_for_update().get(pk=case_request.pk)
        if case_request.status != CaseRequest.Status.OPEN:
            raise GroupError("This request has already been answered.")
        if not cases and not response:
            raise GroupError("Choose at least one case, or write what IAR sent.")
        if len(cases) > case_request.number:
            raise GroupError(f"The group asked for {case_request.number} case(s) at most.")
        group = case_request.group
        try:
            allocations = [
                case_services.allocate_case(c, group, direct=direct, actor=actor) for c in cases
            ]
        except case_services.CaseError as exc:
            raise GroupError(str(exc)) from exc
        references = [a.case.reference for a in allocations]
        case_request.status = CaseRequest.Status.FULFILLED
        case_request.fulfilled_at = timezone.now()
        case_request.fulfilled_by = actor
        case_request.response = "\n".join(filter(None, [", ".join(references), response]))
        case_request.save(update_fields=["status", "fulfilled_at", "fulfilled_by", "response"])
        audit.record(
            "case_request.fulfilled",
            case_request,
            actor=actor,
            changes={"status": ["open", "fulfilled"], "cases": references},
        )
        notify_group(
            group,
            key=f"case-request:{case_request.pk}:fulfilled",
            template="case-request-fulfilled",
            context={
                "references": references,
                "response": response,
                "meeting_date": case_request.meeting_date.isoformat(),
                "my_cases_url": settings.SITE_URL + reverse("home"),
            },
        )
    return case_request
