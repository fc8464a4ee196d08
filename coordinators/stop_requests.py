"""One way to close a case: the coordinator asks, IAR staff decide.

A coordinator cannot stop a case by posting news: they ask IAR, who confirm the request with the
existing stop flow (cases.services.stop_case, which ends every allocation, cancels every waiting
message and asks each group to confirm it has stopped) or refuse it with a reason. Either way the
coordinator is told the answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_staff, manages
from accounts.models import User
from cases import services as case_services
from cases.models import Case
from iar_site import audit
from notifications.services import notify_user

from .models import StopRequest
from .services import CoordinatorError

ANSWER_TEMPLATE = "stop-request-answered"
REQUEST_TEMPLATE = "stop-requested"


def waiting_stop_requests() -> QuerySet[StopRequest]:
    return (
        StopRequest.objects.filter(status=StopRequest.Status.WAITING)
        .select_related("case", "case__country", "requested_by")
        .order_by("requested_at")
    )


def request_stop(case: Case, *, reason: str, explanation: str, actor: User) -> StopRequest:
    """The coordinator asks IAR to stop work on the case. Asking again while a request waits
    returns the waiting one."""
    explanation = explanation.strip()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not manages(actor, case):
            raise CoordinatorError("Only the case's country coordinator or IAR staff can do this.")
        waiting = case.stop_requests.filter(status=StopRequest.Status.WAITING).first()
        if waiting is not None:
            return waiting
        if case.status not in (Case.Status.OPEN, Case.Status.PAUSED):
            raise CoordinatorError("Only an open or paused case can be stopped.")
        if reason not in Case.ClosingReason.values:
            raise CoordinatorError("Choose why work on the case should stop.")
        if not explanation:
            raise CoordinatorError("Tell IAR what has happened, so they can decide.")
        stop = StopRequest.objects.create(
            case=case, reason=reason, explanation=explanation, requested_by=actor
        )
        audit.record("case.stop_requested", stop, actor=actor, changes={"reason": reason})
        case_services.notify_iar(
            key=f"stop-request:{stop.pk}",
            template=REQUEST_TEMPLATE,
            context={
                "reference": case.reference,
                "reason_label": stop.get_reason_display(),
                "coordinator_name": actor.full_name,
                "link": settings.SITE_URL + reverse("stop_requests:waiting"),
            },
            case=case,
        )
    return stop


def _lock_waiting(stop: StopRequest, actor: User) -> StopRequest:
    if not is_staff(actor):
        raise CoordinatorError("Only IAR staff can answer a request to stop a case.")
    return StopRequest.objects.select_for_update().select_related("case").get(pk=stop.pk)


def _tell_coordinator(stop: StopRequest) -> None:
    if stop.requested_by is None:
        return
    # Not linked to the case: a confirmed stop cancels every message still linked to it, and the
    # coordinator must still hear the answer.
    notify_user(
        stop.requested_by,
        key=f"stop-request:{stop.pk}:{stop.status}",
        template=ANSWER_TEMPLATE,
        context={
            "reference": stop.case.reference,
            "confirmed": stop.status == StopRequest.Status.CONFIRMED,
            # Staff's words may name the person: a confidential case's stay on the workspace.
            "refusal_reason": "" if stop.case.private_names() else stop.refusal_reason,
            "link": settings.SITE_URL + reverse("coordinators:case", args=[stop.case.reference]),
        },
    )


def confirm_stop_request(stop: StopRequest, *, actor: User) -> StopRequest:
    """IAR agree: the case is stopped with the existing flow, and the coordinator is told."""
    with transaction.atomic():
        stop = _lock_waiting(stop, actor)
        if stop.status == StopRequest.Status.CONFIRMED:
            return stop
        if stop.status != StopRequest.Status.WAITING:
            raise CoordinatorError("This request has already been answered.")
        case_services.stop_case(stop.case, reason=stop.reason, actor=actor)
        stop.status = StopRequest.Status.CONFIRMED
        stop.decided_by, stop.decided_at = actor, timezone.now()
        stop.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record("case.stop_request_confirmed", stop, actor=actor)
        _tell_coordinator(stop)
    return stop


def refuse_stop_request(stop: StopRequest, *, reason: str, actor: User) -> StopRequest:
    """IAR keep the case open, and say why."""
    reason = reason.strip()
    with transaction.atomic():
        stop = _lock_waiting(stop, actor)
        if stop.status == StopRequest.Status.REFUSED:
            return stop
        if stop.status != StopRequest.Status.WAITING:
            raise CoordinatorError("This request has already been answered.")
        if not reason:
            raise CoordinatorError("Tell the coordinator why the case goes on.")
        stop.status = StopRequest.Status.REFUSED
        stop.refusal_reason = reason
        stop.decided_by, stop.decided_at = actor, timezone.now()
        stop.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        audit.record("case.stop_request_refused", stop, actor=actor)
        _tell_coordinator(stop)
    return stop
