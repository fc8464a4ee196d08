"""IAR staff pages about groups: the list of groups, a group's page with the cases ranked for
it, the groups ranked for a case, and allocating a case to one of them. The pages about cases
are in `cases.views_staff`; both sit under /staff/ in the one `staff` URL namespace."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import AuthenticatedHttpRequest, staff_required
from cases import services as case_services
from cases.forms import AllocateForm
from cases.models import Allocation, Case
from cases.staff_lists import list_page

from . import matching
from .filters import GroupFilter
from .matching import MATCH_LIMIT
from .models import CaseRequest, LocalGroup
from .tables import GroupTable


def _staff_case(request: AuthenticatedHttpRequest, reference: str) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("country", "country__region"),
        reference=reference,
    )


@staff_required
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # `open_cases` and `last_new_case_at` are the group's own counters (cases.counts), columns
    # the filter and the sort read as they are.
    queryset = LocalGroup.objects.visible_to(request.user).annotate(last_new=F("last_new_case_at"))
    return list_page(
        request,
        list_name="groups",
        filterset=GroupFilter(request.GET or None, queryset=queryset),
        table_class=GroupTable,
        template="cases/staff/list.html",
        title="Groups",
    )


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
    context = {
        "group": group,
        "allocations": allocations,
        "requests": requests,
        "matches": matching.rank_cases_for_group(group, limit=MATCH_LIMIT),
        "total": matching.count_cases_for_group(group),
    }
    return render(request, "groups/staff/group.html", context)


@staff_required
def match_groups(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    search = request.GET.get("q", "").strip()[:100]
    groups = None
    if search:
        groups = LocalGroup.objects.filter(name__icontains=search) | LocalGroup.objects.filter(
            town__icontains=search
        )
    context = {
        "case": case,
        "matches": matching.rank_groups_for_case(case, groups, limit=MATCH_LIMIT),
        "total": matching.count_groups_for_case(case, groups),
        "search": search,
        "weights": matching.WEIGHTS,
    }
    return render(request, "groups/staff/match_groups.html", context)


@staff_required
def allocate(request: AuthenticatedHttpRequest, reference: str, group_id: int) -> HttpResponse:
    case = _staff_case(request, reference)
    group = get_object_or_404(LocalGroup.objects.filter(is_active=True), pk=group_id)
    form = AllocateForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        direct = form.cleaned_data["how"] == "direct"
        try:
            case_services.allocate_case(
                case,
                group,
                holder=form.cleaned_data["holder"],
                direct=direct,
                actor=request.user,
            )
        except case_services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            verb = "Allocated" if direct else "Offered"
            messages.success(
                request, f"{verb} {case.reference} to {group.name}. The group has been told."
            )
            return redirect("staff:case", reference=case.reference)
    match = next(
        iter(matching.rank_groups_for_case(case, LocalGroup.objects.filter(pk=group.pk), limit=1)),
        None,
    )
    context = {"case": case, "group": group, "form": form, "match": match}
    return render(request, "groups/staff/allocate.html", context)
