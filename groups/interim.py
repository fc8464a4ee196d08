"""Interim reports: a group reports whenever it has news, between its yearly reports.

The coordinator (IAR when the case has none) gets an email with the reference and a link; the
text is read on the coordinator's workspace. The yearly report stays due on its own date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from accounts.access import is_member
from cases.models import Allocation, Case
from cases.services import notify_iar
from cases.services.common import coordinator_case_url
from iar_site import audit
from notifications.services import notify_user

from .models import InterimReport
from .services import GroupError

if TYPE_CHECKING:
    from accounts.models import User

TEMPLATE = "interim-report-submitted"
MAX_TEXT = 10_000


def send_interim_report(
    allocation: Allocation, *, news: str, plans: str = "", actor: User
) -> InterimReport:
    news, plans = news.strip(), plans.strip()
    with transaction.atomic():
        allocation = (
            Allocation.objects.select_for_update(of=("self",))
            .select_related("case", "case__coordinator__user", "group")
            .get(pk=allocation.pk)
        )
        if not is_member(actor, allocation.group_id):
            raise GroupError("Only members of the group can report on its work.")
        if allocation.status != Allocation.Status.ACTIVE:
            raise GroupError("This case is no longer active for your group.")
        case = allocation.case
        if case.status == Case.Status.CLOSED:
            raise GroupError("Amnesty has stopped work on this case.")
        if not news:
            raise GroupError("Tell your coordinator your news before sending.")
        if len(news) > MAX_TEXT or len(plans) > MAX_TEXT:
            raise GroupError(f"Keep each part under {MAX_TEXT:,} characters.")
        report = InterimReport.objects.create(
            allocation=allocation, news=news, plans=plans, submitted_by=actor
        )
        audit.record("report.interim_submitted", report, actor=actor)
        context = {
            "reference": case.reference,
            "group_name": allocation.group.name,
            # The coordinator's workspace shows the reports; IAR staff open it too.
            "report_url": coordinator_case_url(case),
        }
        key = f"interim-report:{report.pk}"
        if case.coordinator is not None:
            notify_user(
                case.coordinator.user, key=key, template=TEMPLATE, context=context, case=case
            )
        else:
            notify_iar(key=key, template=TEMPLATE, context=context, case=case)
    return report
