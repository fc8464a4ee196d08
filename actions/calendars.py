"""Calendar files: a person's secret feed of deadlines and meetings, and one-event downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from cases.models import Allocation
from groups.models import LocalGroup
from groups.yearly import report_due, with_report_due

from .models import UrgentAction

if TYPE_CHECKING:
    from accounts.models import User

PRODID = "-//Amnesty International UK//IAR Casework//EN"


@dataclass(frozen=True)
class Entry:
    uid: str
    on: date
    summary: str
    url: str = ""


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(entry: Entry) -> Event:
    event = Event()
    domain = settings.SITE_URL.split("//", 1)[-1]
    event.add("uid", f"{entry.uid}@{domain}")
    event.add("dtstamp", timezone.now())
    # An all-day event: a deadline is a day, not a moment.
    event.add("dtstart", entry.on)
    event.add("dtend", entry.on + timedelta(days=1))
    event.add("summary", entry.summary)
    if entry.url:
        event.add("url", entry.url)
    return event


def ics_bytes(name: str, entries: list[Entry]) -> bytes:
    calendar = _calendar(name)
    for entry in entries:
        calendar.add_component(_event(entry))
    return calendar.to_ical()


def ua_entry(ua: UrgentAction) -> Entry:
    return Entry(
        uid=f"ua-{ua.pk}",
        on=ua.deadline,
        summary=f"Urgent Action {ua.reference} deadline",
        url=settings.SITE_URL + reverse("actions:ua_detail", args=[ua.pk]),
    )


def entries_for(user: User, *, today: date) -> list[Entry]:
    """Open Urgent Action deadlines, the user's groups' yearly reports and meeting dates.

    Calendars are read by other apps and synced to phones: nothing names a case's person, only
    its reference."""
    entries = [
        ua_entry(ua)
        for ua in UrgentAction.objects.filter(
            status=UrgentAction.Status.PUBLISHED, deadline__gte=today
        )
    ]
    groups = list(LocalGroup.objects.filter(memberships__user=user, is_active=True))
    allocations = with_report_due(
        Allocation.objects.filter(group__in=groups, status=Allocation.Status.ACTIVE).select_related(
            "case", "group"
        )
    )
    for allocation in allocations:
        due = report_due(allocation.started_on, allocation.reports_in, today)  # type: ignore[attr-defined]
        if due is not None:
            entries.append(
                Entry(
                    uid=f"report-{allocation.pk}-{due.on.isoformat()}",
                    on=due.on,
                    summary=f"Yearly report due: {allocation.case.reference} ({allocation.group.name})",
                )
            )
    for group in groups:
        if group.next_meeting and group.next_meeting >= today:
            entries.append(
                Entry(
                    uid=f"meeting-{group.pk}-{group.next_meeting.isoformat()}",
                    on=group.next_meeting,
                    summary=f"{group.name} meeting",
                )
            )
    return sorted(entries, key=lambda e: (e.on, e.uid))
