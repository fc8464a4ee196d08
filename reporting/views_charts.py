"""The programme's charts, each with its table; without JavaScript the tables are the page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import AuthenticatedHttpRequest, staff_required

from . import charts


@staff_required
def programme_charts(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Unbound on a first visit, so it shows this year's programme without an error message.
    data = request.GET if request.GET else None
    form = charts.ChartFilterForm(data, initial={"year": timezone.localdate().year})
    scope = charts.scope_from(form)
    context = {"form": form, "scope": scope, "charts": charts.programme_charts(scope)}
    return render(request, "reporting/charts.html", context)
