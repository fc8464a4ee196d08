"""Staff import cases, groups, members and allocations from spreadsheets."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required
from iar_site.exports import export_response

from . import services
from .imports import EXAMPLES, RESOURCES
from .models import ImportJob

JOBS_LISTED = 30


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What does the file hold?",
        choices=ImportJob.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds."},
    )
    file = forms.FileField(
        label="The file (CSV or Excel, up to 10 MB)",
        help_text="Its first row names the columns, as in the template",
        error_messages={"required": "Choose a file to upload.", "empty": "The file is empty."},
    )


@staff_required
def imports(request: AuthenticatedHttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            job = services.start_import(
                form.cleaned_data["kind"], form.cleaned_data["file"], actor=request.user
            )
        except services.ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("reporting:import_job", pk=job.pk)
    jobs = ImportJob.objects.select_related("created_by").defer("data", "rows")[:JOBS_LISTED]
    context = {
        "form": form,
        "jobs": jobs,
        "kinds": [(kind, label, list(EXAMPLES[kind])) for kind, label in ImportJob.Kind.choices],
    }
    return render(request, "reporting/imports.html", context)


@staff_required
def import_template(request: AuthenticatedHttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in RESOURCES:
        raise Http404("No such import")
    example = EXAMPLES[kind]
    return export_response(list(example), [list(example.values())], fmt, f"iar-import-{kind}")


@staff_required
def import_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("data"), pk=pk)
    context = {"job": job, "progress": services.progress_of(job)}
    if request.htmx:
        return render(request, "reporting/_import_status.html", context)
    return render(request, "reporting/import_job.html", context)


@staff_required
@require_POST
def confirm_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("data"), pk=pk)
    try:
        services.confirm_import(job, actor=request.user)
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("reporting:import_job", pk=job.pk)
