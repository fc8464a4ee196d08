"""Yearly report reminders, from one daily sweep.

Every active allocation owes its group's report a year after it started, then every year after
(groups.services.next_report_due). The sweep finds each allocation's step for today and queues the
notice for that step under a key naming the allocation, the due date and the step, so running the
sweep twice (or two schedulers at once) queues nothing new:

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

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from cases.models import Allocation, Case
from groups.models import AnnualReport, LocalGroup
from groups.services import add_years, next_report_due

from .models import OutboundMessage

REPORTS_IN = (AnnualReport.Status.SUBMITTED, AnnualReport.Status.ACKNOWLEDGED)


@dataclass(frozen=True)
class SweepResult:
    allocations_due: int
    messages: int  # built for today; those queued before are skipped, not counted apart


def report_step(due: date, today: date) -> str | None:
    """The group's reminder step for `today`, or None when nothing is owed yet."""
    offset = (today - due).days
    if offset < -settings.REPORT_REMINDER_DAYS_BEFORE:
        return None
    if offset < 0:
        return "before"
    repeats = offset // settings.REPORT_OVERDUE_REPEAT_DAYS
    return "due" if repeats == 0 else f"overdue-{repeats * settings.REPORT_OVERDUE_REPEAT_DAYS}"


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _due_allocations(today: date) -> list[dict[str, Any]]:
    reports_in = (
        AnnualReport.objects.filter(allocation=OuterRef("pk"), status__in=REPORTS_IN)
        .order_by()
        .values("allocation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # An allocation cannot be due sooner than a year after it started.
    latest_start = add_years(today + timedelta(days=settings.REPORT_REMINDER_DAYS_BEFORE), -1)
    return list(
        Allocation.objects.filter(
            status=Allocation.Status.ACTIVE,
            ended_on__isnull=True,
            started_on__isnull=False,
            started_on__lte=latest_start,
            case__status=Case.Status.OPEN,
            group__is_active=True,
        )
        .annotate(reports_in=Coalesce(Subquery(reports_in), Value(0), output_field=IntegerField()))
        .values(
            "pk",
            "started_on",
            "reports_in",
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
        .order_by("pk")
    )


def _message(row: dict[str, Any], key: str, template: str, context: dict[str, Any], **fields):
    return OutboundMessage(
        idempotency_key=key[:200],
        template=template,
        context=context,
        case_id=row["case_id"],
        routine=False,
        **fields,
    )


def _group_messages(row: dict[str, Any], key: str, context: dict[str, Any]) -> list:
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


def _escalation(row, key, context, audience, user_id, email, name) -> OutboundMessage:
    return _message(
        row,
        f"{key}:{audience}:user:{user_id}",
        "report-overdue",
        {**context, "audience": audience, "group_name": row["group__name"]},
        to_email=email,
        to_name=name,
        recipient_user_id=user_id,
        recipient_group_id=row["group_id"],
    )


def build_messages(today: date) -> tuple[int, list[OutboundMessage]]:
    """Read everything the sweep needs (two queries) and build the messages for today."""
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("pk", "email", "full_name")
        .order_by("pk")
    )
    messages: list[OutboundMessage] = []
    due_count = 0
    for row in _due_allocations(today):
        due = next_report_due(row["started_on"], row["reports_in"])
        step = report_step(due, today)
        if step is None:
            continue
        due_count += 1
        offset = (today - due).days
        key = f"report:{row['pk']}:{due.isoformat()}"
        context = {
            "case_reference": row["case__reference"],
            "case_path": f"/cases/{row['case__reference']}/",
            "due_on": _long_date(due),
            "period_start": _long_date(add_years(due, -1)),
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
                )
            )
        if offset >= settings.REPORT_ESCALATE_STAFF_DAYS:
            for user_id, email, name in staff:
                messages.append(_escalation(row, key, context, "staff", user_id, email, name))
    return due_count, messages


def sweep_report_reminders(today: date) -> SweepResult:
    """Queue today's report reminders; safe to run any number of times, even at once."""
    due_count, messages = build_messages(today)
    with transaction.atomic():
        # A key already queued by an earlier (or a concurrent) sweep is skipped by the database.
        OutboundMessage.objects.bulk_create(messages, ignore_conflicts=True)
    return SweepResult(allocations_due=due_count, messages=len(messages))
