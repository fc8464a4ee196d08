"""A group withdraws its own request for cases (the guide's "ask for cases ahead of a meeting"
works both ways: plans change)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format

from accounts.access import is_member
from cases.services import notify_iar
from iar_site import audit

from .models import CaseRequest
from .services import GroupError

if TYPE_CHECKING:
    from accounts.models import User


def cancel_case_request(case_request: CaseRequest, *, actor: User) -> CaseRequest:
    """Cancel an open request; IAR are told so nobody prepares cases for it. Cancelling again
    changes nothing; an answered request stays answered."""
    with transaction.atomic():
        case_request = (
            CaseRequest.objects.select_for_update(of=("self",))
            .select_related("group")
            .get(pk=case_request.pk)
        )
        if not is_member(actor, case_request.group_id):
            raise GroupError("Only members of the group can cancel its request.")
        if case_request.status == CaseRequest.Status.CANCELLED:
            return case_request
        if case_request.status != CaseRequest.Status.OPEN:
            raise GroupError("IAR have already answered this request.")
        case_request.status = CaseRequest.Status.CANCELLED
        case_request.save(update_fields=["status"])
        audit.record("case_request.cancelled", case_request, actor=actor)
        notify_iar(
            key=f"case-request:{case_request.pk}:cancelled",
            template="case-request-cancelled",
            context={
                "group_name": case_request.group.name,
                "number": case_request.number,
                "meeting_date": date_format(case_request.meeting_date, "j F Y"),
                "staff_url": settings.SITE_URL + reverse("case_requests:case_requests"),
            },
            case=None,
        )
    return case_request
