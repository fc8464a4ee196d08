"""The meeting pack: one PDF with a cover, a page per action (its letter text and who to write
to) and a sheet of address labels. Cases are named by reference only: a pack is left on tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

from groups.letters import LABELS_PER_SHEET

from .models import UrgentAction
from .planner import MeetingPlan

if TYPE_CHECKING:
    import weasyprint


def _page(action: Any) -> dict[str, Any]:
    if isinstance(action, UrgentAction):
        heading = f"Urgent Action {action.reference}: {action.title}"
        text = action.suggested_letter
        notes = action.language_notes
    else:
        heading = f"{action.get_kind_display()}: {action.title}"
        text, notes = action.text, ""
    return {
        "heading": heading,
        "deadline": action.deadline,
        "paragraphs": [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()],
        "notes": notes,
        "targets": [
            {"lines": t.address_lines(), "email": t.email, "salutation": t.salutation}
            for t in action.targets.all()
        ],
    }


def pack_html(plan: MeetingPlan) -> str:
    actions = plan.letter_actions()
    labels = [t.address_lines() for a in actions for t in a.targets.all()]
    sheets = [labels[i : i + LABELS_PER_SHEET] for i in range(0, len(labels), LABELS_PER_SHEET)]
    return render_to_string(
        "actions/meeting_pack.html",
        {
            "plan": plan,
            "pages": [_page(a) for a in actions],
            "sheets": sheets,
            "printed_on": timezone.localdate(),
        },
    )


def pack_document(plan: MeetingPlan) -> weasyprint.Document:
    # Imported here: loading WeasyPrint costs every process a second and most never print.
    import weasyprint

    return weasyprint.HTML(string=pack_html(plan)).render()
