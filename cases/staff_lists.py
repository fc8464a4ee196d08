"""The page every staff list shares (cases here, groups in `groups.views_staff`): filters,
a sortable paged table, export of the rows on screen, and the user's saved views."""

from __future__ import annotations

from urllib.parse import urlencode

import django_filters
import django_tables2 as tables
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import AuthenticatedHttpRequest

from .forms import SaveViewForm
from .models import SavedView
from .tables import configure, export_page

# Left out of a saved view's query: an export is a one-off, and a saved list starts on page 1.
LIST_PARAMS_DROPPED = ("export", "page")


def list_page(
    request: AuthenticatedHttpRequest,
    *,
    list_name: str,
    filterset: django_filters.FilterSet,
    table_class: type[tables.Table],
    template: str,
    title: str,
) -> HttpResponse:
    table = table_class(filterset.qs)
    configure(table, request)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return export_page(table, fmt, f"iar-{list_name}")
    query = request.GET.copy()
    for key in LIST_PARAMS_DROPPED:
        query.pop(key, None)
    saved = SavedView.objects.filter(user=request.user, list_name=list_name)
    current = request.GET.copy()
    current.pop("export", None)
    context = {
        "title": title,
        "list_name": list_name,
        "filter": filterset,
        "table": table,
        "saved_views": saved,
        "save_form": SaveViewForm(initial={"query": query.urlencode(), "list_name": list_name}),
        "export_csv": "?" + urlencode({**current.dict(), "export": "csv"}),
        "export_xlsx": "?" + urlencode({**current.dict(), "export": "xlsx"}),
    }
    if request.htmx and not request.htmx.history_restore_request:
        # Filters, sorting and paging under htmx: the results alone, the page stays.
        return render(request, "cases/staff/_results.html", context)
    return render(request, template, context)
