"""The staff dashboard and the list behind each of its numbers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import AuthenticatedHttpRequest, staff_required
from cases.models import Region
from iar_site.exports import export_response

from . import dashboard

PAGE_SIZE = 50


def _params(request: AuthenticatedHttpRequest) -> dashboard.Params:
    """Read the query string leniently: anything unexpected falls back to the default."""
    try:
        months = int(request.GET.get("months", ""))
    except ValueError:
        months = dashboard.DEFAULT_SILENCE_MONTHS
    if months not in dashboard.SILENCE_MONTHS:
        months = dashboard.DEFAULT_SILENCE_MONTHS
    region_id = request.GET.get("region", "")
    region = int(region_id) if region_id.isdigit() and len(region_id) < 10 else None
    return dashboard.Params(today=timezone.localdate(), region=region, months=months)


@staff_required
def staff_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    params = _params(request)
    context = {
        "figures": dashboard.counts(params),
        "months": params.months,
        "month_choices": dashboard.SILENCE_MONTHS,
    }
    return render(request, "reporting/dashboard.html", context)


def _export_row(figure: dashboard.Figure, row) -> list[object]:
    # Exports carry the reference and country, never a confidential case's title (str(case) is
    # the reference alone on such a case).
    if figure.kind in ("case", "stopped"):
        return [row.reference, str(row), row.country.name, row.get_status_display()]
    if figure.kind == "group":
        return [row.name, row.town, row.open_cases, row.capacity]
    if figure.kind == "allocation":
        return [str(row.case), row.group.name, row.get_status_display(), row.started_on]
    if figure.kind == "change":
        return [str(row.allocation.case), row.allocation.group.name, row.changed_at.date()]
    return [row.group.name, row.number, row.meeting_date]


EXPORT_HEADERS = {
    "case": ["Reference", "Case", "Country", "Status"],
    "stopped": ["Reference", "Case", "Country", "Status"],
    "group": ["Group", "Town", "Cases now", "Can take"],
    "allocation": ["Case", "Group", "Status", "Started"],
    "change": ["Case", "Group", "Changed on"],
    "request": ["Group", "Cases asked for", "Meeting date"],
}


@staff_required
def figure_list(request: AuthenticatedHttpRequest, figure: str) -> HttpResponse:
    chosen = dashboard.FIGURES.get(figure)
    if chosen is None:
        raise Http404("No such figure")
    params = _params(request)
    rows = dashboard.figure_rows(chosen, params)
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(
            EXPORT_HEADERS[chosen.kind],
            (_export_row(chosen, row) for row in rows),
            request.GET["export"],
            f"iar-{chosen.slug}",
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    region = Region.objects.filter(pk=params.region).first() if params.region else None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "figure": chosen,
        "page": page,
        "rows": page.object_list,
        "total": page.paginator.count,
        "region": region,
        "months": params.months,
        "query": query.urlencode(),
    }
    return render(request, "reporting/figure_list.html", context)
