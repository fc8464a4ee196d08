"""IAR staff pages: the lists of cases and groups, matching, allocating, relinquishing, stopping."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedHttpRequest, staff_required
from groups.models import CaseRequest, LocalGroup

from . import matching, services
from .filters import CaseFilter, GroupFilter
from .forms import AllocateForm, SaveViewForm, StopCaseForm
from .matching import MATCH_LIMIT, open_count
from .models import Allocation, Case, HolderChange, SavedView, Theme
from .tables import CaseTable, GroupTable, configure, export_page

LIST_PARAMS_DROPPED = ("export", "page")


def _list_page(request, *, list_name, filterset, table_class, template, title):
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


@staff_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset = (
        Case.objects.visible_to(request.user)
        .select_related("country", "country__region", "coordinator__user")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .annotate(open_groups=open_count("case"))
    )
    return _list_page(
        request,
        list_name="cases",
        filterset=CaseFilter(request.GET or None, queryset=queryset),
        table_class=CaseTable,
        template="cases/staff/list.html",
        title="Cases",
    )


@staff_required
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    last_new = (
        Allocation.objects.filter(group=OuterRef("pk"))
        .exclude(end_reason=Allocation.EndReason.DECLINED)
        .order_by("-offered_at")
        .values("offered_at")[:1]
    )
    queryset = LocalGroup.objects.visible_to(request.user).annotate(
        open_cases=open_count("group"), last_new=Subquery(last_new)
    )
    return _list_page(
        request,
        list_name="groups",
        filterset=GroupFilter(request.GET or None, queryset=queryset),
        table_class=GroupTable,
        template="cases/staff/list.html",
        title="Groups",
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
def match_groups(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    search = request.GET.get("q", "").strip()[:100]
    groups = None
    if search:
        groups = LocalGroup.objects.filter(name__icontains=search) | LocalGroup.objects.filter(
            town__icontains=search
        )
    ranked = matching.rank_groups_for_case(case, groups)
    context = {
        "case": case,
        "matches": ranked[:MATCH_LIMIT],
        "total": len(ranked),
        "search": search,
        "weights": matching.WEIGHTS,
    }
    return render(request, "cases/staff/match_groups.html", context)


@staff_required
def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(
        LocalGroup.objects.visible_to(request.user).prefetch_related(
            "preferred_regions", "preferred_themes"
        ),
        pk=pk,
    )
    allocations = (
        Allocation.objects.filter(group=group)
        .open()
        .select_related("case", "holder")
        .order_by("case__reference")
    )
    requests = CaseRequest.objects.filter(group=group, status=CaseRequest.Status.OPEN)
    ranked = matching.rank_cases_for_group(group)
    context = {
        "group": group,
        "allocations": allocations,
        "requests": requests,
        "matches": ranked[:MATCH_LIMIT],
        "total": len(ranked),
    }
    return render(request, "cases/staff/group.html", context)


@staff_required
def allocate(request: AuthenticatedHttpRequest, reference: str, group_id: int) -> HttpResponse:
    case = _staff_case(request, reference)
    group = get_object_or_404(LocalGroup.objects.filter(is_active=True), pk=group_id)
    form = AllocateForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        direct = form.cleaned_data["how"] == "direct"
        try:
            services.allocate_case(
                case,
                group,
                holder=form.cleaned_data["holder"],
                direct=direct,
                actor=request.user,
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            verb = "Allocated" if direct else "Offered"
            messages.success(
                request, f"{verb} {case.reference} to {group.name}. The group has been told."
            )
            return redirect("staff:case", reference=case.reference)
    match = next(
        iter(matching.rank_groups_for_case(case, LocalGroup.objects.filter(pk=group.pk))), None
    )
    context = {"case": case, "group": group, "form": form, "match": match}
    return render(request, "cases/staff/allocate.html", context)


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
        .order_by("-case__closed_at", "group__name")
    )
    return render(request, "cases/staff/stops.html", {"waiting": waiting})
