"""Reads for the coordinator's workspace beyond the scoped case list (Case.objects.managed_by)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Allocation, Case, Country
from groups.models import Activity, AnnualReport, InterimReport
from groups.yearly import with_report_due

from .models import CaseUpdate, CaseUpdateNotice

if TYPE_CHECKING:
    pass


def silent_cases(today: date | None = None) -> QuerySet[Case]:
    """Open cases whose coordinator has published no update for COORDINATOR_SILENCE_DAYS (a case
    younger than that counts from the day it opened). Read from the case's own
    `latest_update_at` (kept by publish_update), not from its updates."""
    today = today or timezone.localdate()
    days = settings.COORDINATOR_SILENCE_DAYS
    cutoff_date = today - timedelta(days=days)
    cutoff = timezone.now() - timedelta(days=days)
    return (
        Case.objects.open()
        .filter(
            Q(latest_update_at__lt=cutoff)
            | Q(latest_update_at__isnull=True, opened_on__lt=cutoff_date)
        )
        .select_related("country", "coordinator__user")
        .order_by("latest_update_at", "opened_on", "reference")
    )


# ---- The coordinator's workspace --------------------------------------------------------------

# Cases shown per country on the coordinator's home; the rest are a page further on.
COUNTRY_PAGE_SIZE = 25


def _count_of[M: models.Model](rows: QuerySet[M]) -> Coalesce:
    counted = rows.order_by().values("allocation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def draft_updates() -> Coalesce:
    """The outer case's draft updates, counted per case (no join to the updates)."""
    drafts = (
        CaseUpdate.objects.filter(case=OuterRef("pk"), status=CaseUpdate.Status.DRAFT)
        .order_by()
        .values("case")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(drafts), Value(0), output_field=IntegerField())


def workspace_allocations() -> QuerySet[Any]:
    """Open allocations with what the coordinator needs about each, in one query for all cases.

    The latest action and the report counts are subqueries per allocation (the newest action
    through the (allocation, date) index), not joins: joining actions and reports multiplied the
    rows by both, so the page slowed with every letter a group logged."""
    unread = CaseUpdateNotice.objects.filter(
        read_at__isnull=True, update__status=CaseUpdate.Status.PUBLISHED
    ).select_related("update")
    reports = AnnualReport.objects.filter(allocation=OuterRef("pk"))
    newest = Activity.objects.filter(allocation=OuterRef("pk")).order_by("-date", "-id")
    news = InterimReport.objects.filter(allocation=OuterRef("pk")).order_by("-submitted_at")
    return (
        with_report_due(Allocation.objects.open())
        .select_related("group", "holder")
        .annotate(
            last_action=Subquery(newest.values("date")[:1]),
            # A report between yearly ones counts as the group being in touch.
            last_news=Subquery(news.values("submitted_at")[:1]),
            reports_waiting=_count_of(reports.filter(status=AnnualReport.Status.SUBMITTED)),
            reports_acknowledged=_count_of(reports.filter(status=AnnualReport.Status.ACKNOWLEDGED)),
        )
        .prefetch_related(
            Prefetch(
                "update_notices",
                queryset=unread.order_by("-update__published_at"),
                to_attr="unread_notices",
            )
        )
        .order_by("group__name")
    )


# Page and Paginator are generic only to the type checker.
if TYPE_CHECKING:
    _CasePage = Page[Case]
    _CasePaginator = Paginator[Case]
else:
    _CasePage, _CasePaginator = Page, Paginator


class CountryPage(_CasePage):
    """One page of a country's cases; `param` names its page in the query string."""

    param = ""


class _CountryPaginator(_CasePaginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> CountryPage:
        return CountryPage(*args, **kwargs)


def country_pages(
    cases: QuerySet[Case], params: Mapping[str, str], per_page: int = COUNTRY_PAGE_SIZE
) -> dict[str, CountryPage]:
    """The cases one page per country (country name → page), each country paged by its own
    `page-<iso code>` parameter: a coordinator of a busy country sees a page, not hundreds of
    cases. A few queries per country the coordinator covers, however many cases there are."""
    # Each country asked whether it has a case at all (the first found answers), rather than
    # the countries gathered from every case.
    has_cases = Exists(cases.filter(country=OuterRef("pk")).values("pk"))
    countries = Country.objects.filter(has_cases).order_by("name")
    pages: dict[str, CountryPage] = {}
    for country in countries:
        param = f"page-{country.iso_code.lower()}"
        paginator = _CountryPaginator(cases.filter(country=country), per_page)
        page = cast("CountryPage", paginator.get_page(params.get(param)))
        page.param = param
        pages[country.name] = page
    return pages
