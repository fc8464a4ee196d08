"""The yearly-report rules: report periods, when the next report is due, whether it is overdue,
and the daily reminder sweep.

Every active allocation owes its group's report a year after it started, then every year after:
period n runs from the start plus n years to the start plus n + 1 years, and with k reports sent
(submitted or acknowledged) the next one is due k + 1 years after the start. A report is "due"
from REPORT_REMINDER_DAYS_BEFORE days before that date up to the date itself, and "overdue" from
the day after.

Every page asks the same way: start from `with_report_due(allocations)` (one annotation, in the
same query as the page's other reads) and read each row with `report_due(...)`.

The sweep finds each allocation's reminder step for today and queues the notice for that step
under a key naming the allocation, the due date and the step, so running the sweep twice (or two
schedulers at once) queues nothing new:

    REPORT_REMINDER_DAYS_BEFORE before the due date   "before"   to the group
    on the due date                                   "due"      to the group
    every REPORT_OVERDUE_REPEAT_DAYS while overdue    "overdue-N" to the group
    REPORT_ESCALATE_COORDINATOR_DAYS overdue          to the case's country coordinator
    REPORT_ESCALATE_STAFF_DAYS overdue                to IAR staff

A step whose day was missed (the scheduler was down) is sent on the next sweep; only the latest
step reached is sent, never a backlog. Nothing goes about an ended allocation or a paused or
stopped case, and once the report for the period is in, the next due date is a year later.
The sweep reads in one query and writes in one bulk insert, however many allocations there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Mod
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.http import RFC3986_SUBDELIMS

from cases.models import Allocation, Case
from notifications.models import OutboundMessage
from notifications.outbox import queue_many

from .models import AnnualReport, LocalGroup

# An outbox message as its field values (notifications.outbox.queue_many inserts them).
type MessageRow = dict[str, Any]

REPORTS_IN = (AnnualReport.Status.SUBMITTED, AnnualReport.Status.ACKNOWLEDGED)


# ---- Periods ----------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def report_period(started_on: date, index: int) -> tuple[date, date]:
    """Period `index` (0 = first year) of an allocation: [start + n years, start + n+1 years)."""
    return add_years(started_on, index), add_years(started_on, index + 1)


def period_starting(started_on: date, period_start: date, today: date) -> tuple[date, date] | None:
    """The report period beginning on `period_start`, if it is one of an allocation started on
    `started_on` and has begun by `today`; None otherwise."""
    index = period_start.year - started_on.year
    if index < 0:
        return None
    start, end = report_period(started_on, index)
    if start != period_start or start > today:
        return None
    return start, end


# ---- Due and overdue --------------------------------------------------------------------------


class ReportState(models.TextChoices):
    NOT_DUE = "not_due", "Not due yet"
    DUE = "due", "Due"
    OVERDUE = "overdue", "Overdue"


def next_report_due(started_on: date | None, reports_in: int) -> date | None:
    """Each active allocation owes a report a year from its start, then every year after."""
    if started_on is None:
        return None
    return add_years(started_on, reports_in + 1)


def report_state(due: date, today: date) -> ReportState:
    """Due from REPORT_REMINDER_DAYS_BEFORE days ahead up to the day itself, overdue after it."""
    if due < today:
        return ReportState.OVERDUE
    if due <= today + timedelta(days=settings.REPORT_REMINDER_DAYS_BEFORE):
        return ReportState.DUE
    return ReportState.NOT_DUE


def _reports_in() -> Coalesce:
    sent = (
        AnnualReport.objects.filter(allocation=OuterRef("pk"), status__in=REPORTS_IN)
        .order_by()
        .values("allocation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sent), Value(0), output_field=IntegerField())


def with_report_due[QS: models.QuerySet[Allocation, Any]](allocations: QS) -> QS:
    """Annotate `reports_in` (the yearly reports sent) on a queryset of allocations, in the same
    query: all `report_due` needs to tell each one's next due date and state."""
    return allocations.annotate(reports_in=_reports_in())


def _due_number() -> Any:
    """`next_report_due` of each row annotated with `reports_in`, as the number YYYYMMDD, in
    SQL: the start's month and day in the year reports_in + 1 after it, a 29 February start
    falling due on the 28th in a year that has none (`add_years`). A number, not a date, because
    date arithmetic differs between databases and a number compares and sorts as the date."""
    year = ExtractYear("started_on") + F("reports_in") + 1
    month = ExtractMonth("started_on")
    day = ExtractDay("started_on")
    leap = Exact(Mod(year, 4), 0) & (~Exact(Mod(year, 100), 0) | Exact(Mod(year, 400), 0))
    due_day = models.Case(
        models.When(Exact(month, 2) & Exact(day, 29) & ~leap, then=Value(28)),
        default=day,
        output_field=IntegerField(),
    )
    return ExpressionWrapper(year * 10000 + month * 100 + due_day, output_field=IntegerField())


def overdue_first[QS: models.QuerySet[Allocation, Any]](allocations: QS, today: date) -> QS:
    """The allocations whose next report is overdue on `today` (`report_due`'s rule, told in the
    database), annotated with `reports_in` as `with_report_due` does, most overdue first: a list
    of them is paged in SQL and only the page's rows are read.

    The reports are counted by a join and GROUP BY here, not `with_report_due`'s subquery: the
    condition then runs after the allocations are narrowed (HAVING), where the subquery, a
    condition on the allocation row alone, would be counted for every active allocation."""
    sent = Count("annual_reports", filter=Q(annual_reports__status__in=REPORTS_IN))
    return (
        allocations.annotate(reports_in=sent)
        .alias(due_number=_due_number())
        .filter(due_number__lt=today.year * 10000 + today.month * 100 + today.day)
        .order_by("due_number", "pk")
    )


@dataclass(frozen=True)
class ReportDue:
    on: date
    state: ReportState
    days_overdue: int  # 0 unless overdue


def report_due(started_on: date | None, reports_in: int, today: date) -> ReportDue | None:
    """The next report of an allocation annotated by `with_report_due`; None before it starts."""
    due = next_report_due(started_on, reports_in)
    if due is None:
        return None
    return ReportDue(
        on=due, state=report_state(due, today), days_overdue=max((today - due).days, 0)
    )


@dataclass
class Period:
    start: date
    end: date
    report: AnnualReport | None
    today: date

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"

    @property
    def is_done(self) -> bool:
        return self.status in REPORTS_IN

    @property
    def overdue(self) -> bool:
        return not self.is_done and report_state(self.end, self.today) == ReportState.OVERDUE

    @property
    def status_label(self) -> str:
        if self.report is None:
            return "Not started"
        return self.report.get_status_display()


def report_periods(allocation: Allocation) -> list[Period]:
    """Every period that has begun, newest first, with its report if there is one."""
    if allocation.started_on is None:
        return []
    today = timezone.localdate()
    reports = {r.period_start: r for r in allocation.annual_reports.all()}
    periods = []
    index = 0
    while True:
        start, end = report_period(allocation.started_on, index)
        if start > today:
            break
        if allocation.ended_on and start > allocation.ended_on:
            break
        periods.append(Period(start, end, reports.get(start), today))
        index += 1
    return list(reversed(periods))


# ---- The reminder sweep -----------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    allocations_due: int
    messages: int  # built for today; those queued before are skipped, not counted apart


def report_step(due: date, today: date) -> str | None:
    """The group's reminder step for `today`, or None when nothing is owed yet."""
    if report_state(due, today) == ReportState.NOT_DUE:
        return None
    offset = (today - due).days
    if offset < 0:
        return "before"
    repeats = offset // settings.REPORT_OVERDUE_REPEAT_DAYS
    return "due" if repeats == 0 else f"overdue-{repeats * settings.REPORT_OVERDUE_REPEAT_DAYS}"


class _Paths:
    """URLs for many rows: each URL name is reversed once with stand-in arguments and filled in
    per row. The sweep builds tens of thousands of links, and reverse() costs tens of
    microseconds each, which made it most of the sweep's time."""

    def __init__(self) -> None:
        self._templates: dict[tuple[str, int], tuple[str, list[str]]] = {}

    def __call__(self, name: str, *args: object) -> str:
        key = (name, len(args))
        if key not in self._templates:
            stand_ins = [f"90000000{i}7" for i in range(len(args))]
            self._templates[key] = (reverse(name, args=stand_ins), stand_ins)
        path, stand_ins = self._templates[key]
        for stand_in, arg in zip(stand_ins, args, strict=True):
            path = path.replace(stand_in, quote(str(arg), safe=RFC3986_SUBDELIMS + "/~:@"), 1)
        return path


def long_date(day: date | None) -> str:
    """What `{{ day|date:"j F Y" }}` shows ("3 November 2026"), for emails and for the many dates
    of a page."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def _due_allocations(today: date) -> list[Mapping[str, Any]]:
    # An allocation cannot be due sooner than a year after it started.
    latest_start = add_years(today + timedelta(days=settings.REPORT_REMINDER_DAYS_BEFORE), -1)
    owing = Allocation.objects.filter(
        status=Allocation.Status.ACTIVE,
        ended_on__isnull=True,
        started_on__isnull=False,
        started_on__lte=latest_start,
        case__status=Case.Status.OPEN,
        group__is_active=True,
    )
    rows = owing.values(
        "pk",
        "started_on",
        "case_id",
        "case__reference",
        "case__coordinator__user_id",
        "case__coordinator__user__email",
        "case__coordinator__user__full_name",
        "group_id",
        "group__name",
        "group__channel",
        "group__contact_email",
        "group__postal_address",
        "holder_id",
        "holder__email",
        "holder__full_name",
        "holder__is_active",
    )
    return list(with_report_due(rows).order_by("pk"))


def _message(
    row: Mapping[str, Any], key: str, template: str, context: dict[str, Any], **fields: Any
) -> MessageRow:
    # Field values, not a model instance: a sweep builds tens of thousands (see queue_many).
    return {
        "idempotency_key": key[:200],
        "template": template,
        "context": context,
        "case_id": row["case_id"],
        "routine": False,
        **fields,
    }


def _group_messages(row: Mapping[str, Any], key: str, context: dict[str, Any]) -> list[MessageRow]:
    template = "report-reminder"
    context = {**context, "group_name": row["group__name"]}
    if row["group__channel"] == LocalGroup.Channel.POST:
        return [
            _message(
                row,
                f"{key}:group:{row['group_id']}:post",
                template,
                context,
                channel=OutboundMessage.Channel.POST,
                to_name=row["group__name"],
                postal_address=row["group__postal_address"],
                recipient_group_id=row["group_id"],
            )
        ]
    # The same addresses notify_group uses: the casefile holder, then the group's contact.
    addresses: dict[str, tuple[str, int | None]] = {}
    if row["holder_id"] and row["holder__email"] and row["holder__is_active"]:
        addresses[row["holder__email"].lower()] = (row["holder__full_name"], row["holder_id"])
    if row["group__contact_email"]:
        addresses.setdefault(row["group__contact_email"].lower(), (row["group__name"], None))
    return [
        _message(
            row,
            f"{key}:group:{row['group_id']}:{email}",
            template,
            {**context, "to_holder": user_id is not None},
            to_email=email,
            to_name=name,
            recipient_user_id=user_id,
            recipient_group_id=row["group_id"],
        )
        for email, (name, user_id) in addresses.items()
    ]


ESCALATION_PAGES = {"coordinator": "coordinators:case", "staff": "staff:case"}


def _escalation(
    row: Mapping[str, Any],
    key: str,
    context: dict[str, Any],
    audience: str,
    user_id: int,
    email: str,
    name: str,
    *,
    paths: _Paths,
) -> MessageRow:
    return _message(
        row,
        f"{key}:{audience}:user:{user_id}",
        "report-overdue",
        {
            **context,
            "audience": audience,
            "group_name": row["group__name"],
            # Each reader opens the case on their own page: the coordinator's workspace, IAR's.
            "case_path": paths(ESCALATION_PAGES[audience], row["case__reference"]),
        },
        to_email=email,
        to_name=name,
        recipient_user_id=user_id,
        recipient_group_id=row["group_id"],
    )


def build_messages(today: date) -> tuple[int, list[MessageRow]]:
    """Read everything the sweep needs (two queries) and build the messages for today."""
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("pk", "email", "full_name")
        .order_by("pk")
    )
    messages: list[MessageRow] = []
    paths = _Paths()
    due_count = 0
    for row in _due_allocations(today):
        due = next_report_due(row["started_on"], row["reports_in"])
        assert due is not None  # the query reads started allocations only
        step = report_step(due, today)
        if step is None:
            continue
        due_count += 1
        offset = (today - due).days
        key = f"report:{row['pk']}:{due.isoformat()}"
        context = {
            "case_reference": row["case__reference"],
            "case_path": paths("groups:case", row["case__reference"]),
            # Every reminder opens the report form for the period itself, not only the case.
            "report_path": paths("groups:report", row["pk"], add_years(due, -1).isoformat()),
            "due_on": long_date(due),
            "period_start": long_date(add_years(due, -1)),
            "step": step.split("-")[0],
            "days_overdue": max(offset, 0),
        }
        messages.extend(_group_messages(row, f"{key}:{step}", context))
        coordinator = row["case__coordinator__user_id"]
        if (
            offset >= settings.REPORT_ESCALATE_COORDINATOR_DAYS
            and coordinator
            and row["case__coordinator__user__email"]
        ):
            messages.append(
                _escalation(
                    row,
                    key,
                    context,
                    "coordinator",
                    coordinator,
                    row["case__coordinator__user__email"],
                    row["case__coordinator__user__full_name"],
                    paths=paths,
                )
            )
        if offset >= settings.REPORT_ESCALATE_STAFF_DAYS:
            for user_id, email, name in staff:
                messages.append(
                    _escalation(row, key, context, "staff", user_id, email, name, paths=paths)
                )
    return due_count, messages


def sweep_report_reminders(today: date) -> SweepResult:
    """Queue today's report reminders; safe to run any number of times, even at once."""
    due_count, messages = build_messages(today)
    with transaction.atomic():
        # A key already queued by an earlier (or a concurrent) sweep is skipped by the database.
        queue_many(messages)
    return SweepResult(allocations_due=due_count, messages=len(messages))
