"""The coordinator's report inbox, paged: reports waiting for acknowledgement and groups whose
report is overdue, 25 to a page each, so a coordinator of hundreds of cases gets a page, not all
of them, and the page costs the same few queries however many there are."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet

from cases.models import Allocation, Case
from groups.models import AnnualReport
from groups.yearly import ReportState, report_due, with_report_due

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


def overdue_page(managed: QuerySet[Case], params: Mapping[str, str], today: date) -> Page:
    """Active allocations whose yearly report is overdue and none is waiting, most overdue
    first. Whether a report is overdue is `groups.yearly.report_due`'s rule (whole years from
    the start, leap days included), so it is told from three plain values per allocation; only
    the page's rows are then read with their case, group and holder."""
    waiting = AnnualReport.objects.filter(
        allocation=OuterRef("pk"), status=AnnualReport.Status.SUBMITTED
    )
    # `reports_in` is annotated by `with_report_due`, which the type checker cannot follow.
    annotated = cast(
        "QuerySet[Any]",
        with_report_due(Allocation.objects.active().filter(case__in=managed)),
    )
    facts = (
        annotated.filter(~Exists(waiting)).order_by().values_list("pk", "started_on", "reports_in")
    )
    due_by_id: dict[int, Any] = {}
    for pk, started_on, reports_in in facts:
        due = report_due(started_on, reports_in, today)
        if due and due.state == ReportState.OVERDUE:
            due_by_id[pk] = due
    ordered = sorted(due_by_id, key=lambda pk: (due_by_id[pk].on, pk))
    page = _page(ordered, params, OVERDUE_PARAM)
    rows = Allocation.objects.filter(pk__in=list(page.object_list)).select_related(
        "case", "group", "holder"
    )
    by_id = {allocation.pk: allocation for allocation in rows}
    allocations = []
    for pk in page.object_list:
        allocation = by_id[pk]
        allocation.report_due = due_by_id[pk].on  # type: ignore[attr-defined]
        allocation.days_overdue = due_by_id[pk].days_overdue  # type: ignore[attr-defined]
        allocations.append(allocation)
    page.object_list = allocations
    return page
