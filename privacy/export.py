"""Everything the system holds about one person, for them to download (UK GDPR, right of access).

The same data feeds the JSON file and the readable PDF. A confidential case is named by its
reference and country only, as on any printout: the file leaves the system and may be seen by
others. For the same reason, the notes a person typed about a confidential case are left out;
IAR can provide them on request.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Invitation
from cases.models import Allocation, Case
from groups.models import Activity, AnnualReport, Membership
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage

from .history import action_label

if TYPE_CHECKING:
    import weasyprint

    from accounts.models import User

CONFIDENTIAL_NOTE = "(left out: confidential case)"


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def _case_label(case: Case) -> str:
    # `None`: nobody in particular, so a confidential case is named without the person.
    return case.display_name_for(None)


def _typed(text: str, case: Case) -> str:
    return CONFIDENTIAL_NOTE if case.sensitivity == Case.Sensitivity.CONFIDENTIAL else text


def personal_data(user: User) -> dict[str, Any]:
    memberships = Membership.objects.filter(user=user).select_related("group")
    activities = (
        Activity.objects.filter(recorded_by=user)
        .select_related("allocation__case__country", "allocation__group")
        .order_by("-date", "-id")
    )
    held = Allocation.objects.filter(holder=user).select_related("case__country", "group")
    reports = AnnualReport.objects.filter(submitted_by=user).select_related(
        "allocation__case__country", "allocation__group"
    )
    invitations = Invitation.objects.filter(
        Q(email__iexact=user.email) | Q(accepted_by=user)
    ).select_related("group")
    messages = OutboundMessage.objects.filter(
        Q(recipient_user=user) | Q(to_email__iexact=user.email)
    ).order_by("-created_at")
    actions = AuditEntry.objects.filter(actor=user).order_by("-at")
    return {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "active": user.is_active,
            "iar_staff": user.is_staff,
        },
        "memberships": [
            {
                "group": m.group.name,
                "role": m.get_role_display(),
                "joined_on": _when(m.joined_on),
                "routine_notices": m.get_notices_display(),
            }
            for m in memberships
        ],
        "casefiles_held": [
            {
                "case": _case_label(a.case),
                "group": a.group.name,
                "status": a.get_status_display(),
                "started_on": _when(a.started_on),
                "ended_on": _when(a.ended_on),
            }
            for a in held
        ],
        "actions_recorded": [
            {
                "case": _case_label(a.allocation.case),
                "group": a.allocation.group.name,
                "kind": a.get_kind_display(),
                "date": _when(a.date),
                "count": a.count,
                "outcome": a.get_outcome_display() if a.outcome else "",
                "notes": _typed(a.notes, a.allocation.case),
            }
            for a in activities
        ],
        "yearly_reports_submitted": [
            {
                "case": _case_label(r.allocation.case),
                "group": r.allocation.group.name,
                "period": f"{r.period_start.isoformat()} to {r.period_end.isoformat()}",
                "submitted_at": _when(r.submitted_at),
            }
            for r in reports
        ],
        "invitations": [
            {
                "role": i.get_role_display(),
                "group": i.group.name if i.group else "",
                "sent": _when(i.created_at),
                "accepted": _when(i.accepted_at),
            }
            for i in invitations
        ],
        "messages_sent_to_you": [
            {
                "what": m.template.replace("-", " "),
                "by": m.get_channel_display(),
                "created": _when(m.created_at),
                "status": m.get_status_display(),
                "sent": _when(m.sent_at),
            }
            for m in messages
        ],
        "things_you_did": [
            {"when": _when(e.at), "what": action_label(e.action), "on": e.object_repr}
            for e in actions
        ],
    }


SECTION_TITLES = {
    "account": "Your account",
    "memberships": "Your groups",
    "casefiles_held": "Casefiles you hold or held",
    "actions_recorded": "Actions you recorded",
    "yearly_reports_submitted": "Yearly reports you submitted",
    "invitations": "Invitations",
    "messages_sent_to_you": "Emails and letters sent to you",
    "things_you_did": "What you did in IAR Casework",
}


def _readable(value: Any) -> Any:
    """A stored ISO date or time as people write it ("3 Nov 2026, 14:05"); anything else as is."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return f"{moment.day} {moment:%b %Y}"
        local = timezone.localtime(moment)
        return f"{local.day} {local:%b %Y, %H:%M}"
    if value is True or value is False:
        return "yes" if value else "no"
    return value


def sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The data as titled tables for the page and the PDF, dates written as people write them."""
    found = []
    for key, title in SECTION_TITLES.items():
        value = data[key]
        rows = [value] if isinstance(value, dict) else value
        columns = list(rows[0].keys()) if rows else []
        found.append(
            {
                "title": title,
                "columns": [column.replace("_", " ").capitalize() for column in columns],
                "rows": [[_readable(row[column]) for column in columns] for row in rows],
            }
        )
    return found


def pdf_document(user: User) -> weasyprint.Document:
    data = personal_data(user)
    html = render_to_string(
        "privacy/my_data_pdf.html", {"data": data, "sections": sections(data), "person": user}
    )
    # Imported here: loading WeasyPrint costs every process a second and most never print.
    import weasyprint

    return weasyprint.HTML(string=html).render()


def pdf_bytes(user: User) -> bytes:
    return pdf_document(user).write_pdf()
