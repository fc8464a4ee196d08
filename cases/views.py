from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import (
    AuthenticatedHttpRequest,
    is_staff,
    manages,
    may_answer_offer,
    may_change_holder,
)

from . import services
from .forms import HolderForm, OfferResponseForm, RelinquishForm
from .models import Allocation, Case


def case_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The old case address. Each role has one case page: staff manage the case, its coordinator
    works on it in their workspace, a group member opens their group's page. Anyone who cannot
    see the case gets the same 404 as before."""
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    if is_staff(request.user):
        page = "staff:case"
    elif manages(request.user, case):
        page = "coordinators:case"
    else:
        page = "groups:case"
    return redirect(page, reference=case.reference, permanent=True)


def _own_allocation(
    request: AuthenticatedHttpRequest, reference: str, *statuses: str
) -> Allocation:
    """The allocation of one of the user's groups on this case; anything else is not found."""
    allocation = (
        Allocation.objects.visible_to(request.user)
        .filter(
            case__reference=reference,
            status__in=statuses,
            group__memberships__user=request.user,
            group__is_active=True,
        )
        .select_related("case", "group", "holder")
        .order_by("group__name")
        .first()
    )
    if allocation is None:
        raise Http404
    return allocation


def respond_offer(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    allocation = _own_allocation(request, reference, Allocation.Status.OFFERED)
    # Every member may read the offer; only the group's administrators answer it, because
    # accepting names the casefile holder.
    may_answer = may_answer_offer(request.user, allocation)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    form = OfferResponseForm(request.POST or None, group=allocation.group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.accept_offer(allocation, holder=data["holder"], actor=request.user)
            else:
                services.decline_offer(allocation, reason=data["reason"], actor=request.user)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            if data["decision"] == "accept":
                allocation.refresh_from_db(fields=["holder"])
                if allocation.holder == data["holder"]:
                    messages.success(
                        request,
                        f"Thank you: {allocation.group.name} now works on "
                        f"{allocation.case.reference}, with {data['holder'].full_name} as "
                        "casefile holder.",
                    )
                else:
                    messages.success(
                        request,
                        f"Thank you: {allocation.group.name} now works on "
                        f"{allocation.case.reference}. The case is confidential, so "
                        f"{data['holder'].full_name} becomes casefile holder once the country "
                        "coordinator approves.",
                    )
                return redirect("groups:case", reference=reference)
            messages.success(request, "Thank you for letting us know. IAR will offer another case.")
            return redirect("home")
    return render(
        request,
        "cases/respond_offer.html",
        {"allocation": allocation, "form": form, "may_answer": may_answer},
    )


def change_holder(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    allocation = _own_allocation(request, reference, Allocation.Status.ACTIVE)
    # The member sees the case, but naming its holder is for the group's administrators and the
    # holder: anyone else could name themselves and read a confidential case.
    if not may_change_holder(request.user, allocation):
        raise PermissionDenied
    pending = services.pending_holder_change(allocation)
    form = HolderForm(request.POST or None, group=allocation.group, current=allocation.holder)
    if request.method == "POST" and form.is_valid():
        new_holder = form.cleaned_data["holder"]
        try:
            change = services.change_holder(allocation, to_user=new_holder, actor=request.user)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            if change is not None and change.is_pending:
                messages.success(
                    request,
                    f"Your request to make {new_holder.full_name} the casefile holder is waiting "
                    "for the country coordinator's approval. Until then the holder stays as it "
                    "was.",
                )
            else:
                messages.success(
                    request,
                    f"{new_holder.full_name} is now the casefile holder. "
                    "Your coordinator and IAR have been told.",
                )
            return redirect("groups:case", reference=reference)
    return render(
        request,
        "cases/change_holder.html",
        {"allocation": allocation, "form": form, "pending": pending},
    )


def relinquish(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    allocation = _own_allocation(request, reference, Allocation.Status.ACTIVE)
    form = RelinquishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_relinquish(
                allocation, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "We have your request. IAR will confirm it; until then, the case stays with you.",
            )
            return redirect("groups:case", reference=reference)
    return render(request, "cases/relinquish.html", {"allocation": allocation, "form": form})


def confirm_stop(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    allocation = (
        Allocation.objects.stopped_for(request.user)
        .filter(case__reference=reference)
        .select_related("case", "group")
        .order_by("stop_confirmed_at", "group__name")
        .first()
    )
    if allocation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.confirm_stop(allocation, actor=request.user)
        except services.CaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Thank you for confirming that your group has stopped.")
        return redirect("cases:confirm_stop", reference=reference)
    return render(request, "cases/confirm_stop.html", {"allocation": allocation})
