"""The programme's yearly figures (on screen, CSV, XLSX, PDF) and the coordinators' workload."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.access import AuthenticatedHttpRequest, staff_required
from coordinators.workload import RECENT_UPDATE_DAYS, coordinator_workloads
from iar_site.exports import FORMATS, export_response

from . import figures


def _year_form(request: AuthenticatedHttpRequest) -> figures.YearForm:
    # Unbound without a year, so a first visit shows this year without an error message.
    data = request.GET if "year" in request.GET else None
    return figures.YearForm(data, initial={"year": timezone.localdate().year})


@staff_required
def yearly_figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _year_form(request)
    year = form.chosen_year()
    result = figures.year_figures(year)
    export = request.GET.get("export")
    if export in FORMATS:
        return export_response(
            figures.EXPORT_HEADERS, figures.export_rows(result), export, f"iar-figures-{year}"
        )
    context = {"form": form, "figures": result, "columns": figures.COLUMNS}
    return render(request, "reporting/figures.html", context)


@staff_required
def yearly_figures_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year_form(request).chosen_year()
    context = {
        "figures": figures.year_figures(year),
        "columns": figures.COLUMNS,
        "made_on": timezone.localdate(),
    }
    html = render_to_string("reporting/figures_pdf.html", context)
    # Imported here: loading WeasyPrint costs every process a second and most never print.
    import weasyprint

    response = HttpResponse(
        weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="iar-figures-{year}.pdf"'
    return response


@staff_required
def coordinator_workload(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = coordinator_workloads().prefetch_related("countries")
    context = {"coordinators": rows, "recent_days": RECENT_UPDATE_DAYS}
    return render(request, "reporting/workload.html", context)
