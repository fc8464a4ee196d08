"""The coordinator's report inbox, paged: reports waiting for acknowledgement and groups whose
report is overdue, 25 to a page each, so a coordinator of hundreds of cases gets a page, not all
of them, and the page costs the same few queries however many there are."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from cases.models import Allocation
from cases.querysets import in_managed_cases
from groups.models import AnnualReport
from groups.yearly import overdue_first, report_due, with_report_due

INBOX_PAGE_SIZE = 25
WAITING_PARAM = "waiting-page"
OVERDUE_PARAM = "overdue-page"


def _page(items: Any, params: Mapping[str, str], param: str) -> Page:
    """A page of `items` by the `param` query parameter (garbage or out of range: the nearest
    page), with `previous_query` / `next_query` links that keep the other list's page."""
    page = Paginator(items, INBOX_PAGE_SIZE).get_page(params.get(param))
    query = dict(params.items())  # one value a key (a QueryDict gives lists otherwise)

    def link(number: int) -> str:
        return "?" + urlencode({**query, param: number})

    page.previous_query = link(page.previous_page_number()) if page.has_previous() else ""  # type: ignore[attr-defined]
    page.next_query = link(page.next_page_number()) if page.has_next() else ""  # type: ignore[attr-defined]
    return page


def waiting_page(reports: QuerySet[AnnualReport], params: Mapping[str, str]) -> Page:
    """Reports sent and not yet acknowledged, oldest first: the page's rows and a count."""
    waiting = reports.filter(status=AnnualReport.Status.SUBMITTED).order_by("submitted_at", "pk")
    return _page(waiting, params, WAITING_PARAM)


def listed(reports: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    """Reports with what the inbox's lists show of them, and nothing more: the report's free
    text, the case's narrative (unsealed on every read when confidential) and the group's
    address would be read for nothing on every row."""
    return reports.select_related("allocation__case", "allocation__group").only(
        "period_start",
        "period_end",
        "status",
        "submitted_at",
        "acknowledged_at",
        "allocation__case__reference",
        "allocation__group__name",
    )


def overdue_page(user: User, params: Mapping[str, str], today: date) -> Page:
    """Active allocations whose yearly report is overdue and none is waiting, most overdue
    first. Whether a report is overdue is `groups.yearly.report_due`'s rule (whole years from
    the start, leap days included), told and ordered in the database (`overdue_first`), so the
    page counts them and reads its own 25 rows with their case, group and holder."""
    waiting = AnnualReport.objects.filter(
        allocation=OuterRef("pk"), status=AnnualReport.Status.SUBMITTED
    )
    overdue = (
        overdue_first(Allocation.objects.active().filter(in_managed_cases(user, "case")), today)
        .filter(~Exists(waiting))
        .values_list("pk", flat=True)
    )
    # Which allocations are overdue, and in what order, is told on the allocations and their
    # reports alone, once: their ids, counted and cut here (a count and a cut in the database
    # would each tell every allocation again). The page's rows are then read by id with their
    # case, group and holder, and put back in its order by the rule they were cut by.
    page = _page(list(overdue), params, OVERDUE_PARAM)
    rows = with_report_due(Allocation.objects.filter(pk__in=page.object_list))
    allocations = list(
        rows.select_related("case", "group", "holder").only(
            "started_on", "case__reference", "group__name", "holder__full_name"
        )
    )
    for allocation in allocations:
        # `reports_in` is annotated by `with_report_due`, which the type checker cannot follow.
        due = report_due(allocation.started_on, allocation.reports_in, today)  # type: ignore[attr-defined]
        allocation.report_due = due.on if due else None  # type: ignore[attr-defined]
        allocation.days_overdue = due.days_overdue if due else 0  # type: ignore[attr-defined]
    allocations.sort(key=lambda allocation: (allocation.report_due, allocation.pk))  # type: ignore[attr-defined]
    page.object_list = allocations
    return page
