from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from groups.models import Activity
from iar_site import audit, roles

from . import services
from .forms import HolderForm, OfferResponseForm, RelinquishForm
from .models import Allocation, Case
from .querysets import may_answer_offer, may_change_holder, may_read_confidential


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.visible_to(request.user)
        .select_related("country", "country__region", "coordinator__user")
        .prefetch_related("themes", "people"),
        reference=reference,
    )
    user = request.user
    user_roles = roles.roles_of(user)
    sees_all_groups = bool({roles.STAFF, roles.COORDINATOR} & user_roles) and (
        roles.STAFF in user_roles or case.country.coordinators.filter(user=user).exists()
    )
    allocations = Allocation.objects.visible_to(user).filter(case=case).open()
    if not sees_all_groups:
        allocations = allocations.filter(group__memberships__user=user)
    allocations = list(allocations.select_related("group", "holder").order_by("group__name"))

    show_summary = case.sensitivity != Case.Sensitivity.CONFIDENTIAL or may_read_confidential(
        user, case
    )
    if case.sensitivity == Case.Sensitivity.CONFIDENTIAL and show_summary:
        audit.record("case.viewed_confidential", case, actor=user)

    activities = (
        Activity.objects.visible_to(user)
        .filter(allocation__in=allocations)
        .select_related("allocation__group", "recorded_by")
        .order_by("-date", "-id")[:15]
    )
    own_active = [
        a for a in allocations if a.status == Allocation.Status.ACTIVE and not sees_all_groups
    ]
    if not sees_all_groups:
        # Offer the holder and offer buttons only to those who may use them (it is a 403 else).
        for allocation in allocations:
            allocation.may_change_holder = may_change_holder(user, allocation)
            allocation.may_answer = may_answer_offer(user, allocation)
            allocation.pending_holder_change = (
                services.pending_holder_change(allocation)
                if allocation.status == Allocation.Status.ACTIVE
                else None
            )
    context = {
        "case": case,
        "targets": case.current_targets(),
        "document": case.current_document(),
        "allocations": allocations,
        "activities": activities,
        "show_summary": show_summary,
        "sees_all_groups": sees_all_groups,
        "record_allocation": own_active[0] if own_active else None,
        "own_allocations": [] if sees_all_groups else allocations,
        "is_staff": roles.STAFF in user_roles,
    }
    return render(request, "cases/detail.html", context)


def _own_allocation(request: HttpRequest, reference: str, *statuses: str) -> Allocation:
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


def stopped_allocations_for(user) -> QuerySet[Allocation]:
    """Ended allocations of a stopped case, for the user's groups: they must still reach the page
    where they confirm they have stopped, although the case is no longer theirs to see."""
    if not user.is_authenticated or not user.is_active:
        return Allocation.objects.none()
    return Allocation.objects.filter(
        status=Allocation.Status.ENDED,
        end_reason=Allocation.EndReason.CASE_CLOSED,
        group__memberships__user=user,
        group__is_active=True,
    )


def respond_offer(request: HttpRequest, reference: str) -> HttpResponse:
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
                return redirect("cases:detail", reference=reference)
            messages.success(request, "Thank you for letting us know. IAR will offer another case.")
            return redirect("home")
    return render(
        request,
        "cases/respond_offer.html",
        {"allocation": allocation, "form": form, "may_answer": may_answer},
    )


def change_holder(request: HttpRequest, reference: str) -> HttpResponse:
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
            return redirect("cases:detail", reference=reference)
    return render(
        request,
        "cases/change_holder.html",
        {"allocation": allocation, "form": form, "pending": pending},
    )


def relinquish(request: HttpRequest, reference: str) -> HttpResponse:
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
            return redirect("cases:detail", reference=reference)
    return render(request, "cases/relinquish.html", {"allocation": allocation, "form": form})


def confirm_stop(request: HttpRequest, reference: str) -> HttpResponse:
    allocation = (
        stopped_allocations_for(request.user)
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
