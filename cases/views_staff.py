"""IAR staff pages about cases: the list of cases, a case's page, relinquishing, stopping and
pausing, saved views. The pages about groups (the list of groups, a group's page, the groups
ranked for a case and allocating to one) are in `groups.views_staff`."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required
from iar_site import audit

from . import services
from .filters import CaseFilter
from .forms import SaveViewForm, StopCaseForm
from .models import Allocation, Case, HolderChange, SavedView, Theme
from .staff_lists import list_page
from .tables import CaseTable


@staff_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset = (
        Case.objects.visible_to(request.user)
        .select_related("country", "country__region", "coordinator__user")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        # The case's own counter (cases.counts), which the allocation filter compares.
        .annotate(open_groups=F("open_allocations"))
    )
    return list_page(
        request,
        list_name="cases",
        filterset=CaseFilter(request.GET or None, queryset=queryset),
        table_class=CaseTable,
        template="cases/staff/list.html",
        title="Cases",
    )


@staff_required
@require_POST
def save_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SaveViewForm(request.POST)
    target = "staff:group_list" if request.POST.get("list_name") == "groups" else "staff:case_list"
    if not form.is_valid():
        messages.error(request, "Give the view a name of up to 80 characters.")
        return redirect(target)
    data = form.cleaned_data
    try:
        services.save_view(
            list_name=data["list_name"], name=data["name"], query=data["query"], actor=request.user
        )
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Saved the view “{data['name']}”.")
    url = redirect(target).url
    return redirect(f"{url}?{data['query']}" if data["query"] else url)


@staff_required
@require_POST
def delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    target = "staff:group_list" if view.list_name == "groups" else "staff:case_list"
    services.delete_view(view, actor=request.user)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect(target)


def _staff_case(request: AuthenticatedHttpRequest, reference: str) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "country", "country__region", "coordinator__user"
        ),
        reference=reference,
    )


@staff_required
def case_manage(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    audit.record_view("case.viewed_confidential", case, actor=request.user)
    allocations = list(
        Allocation.objects.filter(case=case)
        .select_related("group", "holder", "allocated_by")
        .order_by("status", "-offered_at")
    )
    changes = (
        HolderChange.objects.filter(allocation__case=case)
        .select_related("allocation__group", "from_user", "to_user", "changed_by", "decided_by")
        .order_by("-changed_at")[:20]
    )
    taken = sum(1 for a in allocations if a.is_open)
    context = {
        "case": case,
        "allocations": allocations,
        "changes": changes,
        "open_count": taken,
        "themes": case.themes.all(),
    }
    return render(request, "cases/staff/case.html", context)


@staff_required
def stop_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    if case.status == Case.Status.CLOSED:
        messages.info(request, f"{case.reference} is already stopped.")
        return redirect("staff:case", reference=case.reference)
    form = StopCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_case(
                case,
                reason=form.cleaned_data["reason"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{case.reference} is stopped. Every group has been told to stop work, and "
                "nothing else will be sent about it.",
            )
            return redirect("staff:case", reference=case.reference)
    groups = Allocation.objects.filter(case=case).open().select_related("group")
    return render(request, "cases/staff/stop.html", {"case": case, "form": form, "groups": groups})


@staff_required
@require_POST
def pause_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    try:
        services.pause_case(case, actor=request.user)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{case.reference} is paused: its notices wait until it resumes.")
    return redirect("staff:case", reference=case.reference)


@staff_required
@require_POST
def resume_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    try:
        services.resume_case(case, actor=request.user)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{case.reference} is open again; held notices will now go.")
    return redirect("staff:case", reference=case.reference)


@staff_required
def relinquish_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    pending = (
        Allocation.objects.active()
        .filter(relinquish_requested_at__isnull=False)
        .select_related("case", "group", "holder")
        .order_by("relinquish_requested_at")
    )
    return render(request, "cases/staff/relinquish_requests.html", {"pending": pending})


@staff_required
@require_POST
def confirm_relinquish(request: AuthenticatedHttpRequest, allocation_id: int) -> HttpResponse:
    allocation = get_object_or_404(
        Allocation.objects.select_related("case", "group"), pk=allocation_id
    )
    try:
        services.confirm_relinquish(allocation, actor=request.user)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{allocation.group.name} no longer works on {allocation.case.reference}; "
            "the case is back in matching without them.",
        )
    return redirect("staff:relinquish_requests")


@staff_required
def stop_confirmations(request: AuthenticatedHttpRequest) -> HttpResponse:
    waiting = (
        Allocation.objects.filter(
            end_reason=Allocation.EndReason.CASE_CLOSED, stop_confirmed_at__isnull=True
        )
        .select_related("case", "group")
        # Longest waiting first: they are the ones to chase.
        .order_by("ended_on", "group__name")
    )
    return render(request, "cases/staff/stops.html", {"waiting": waiting})
