"""How pages name a case. A confidential case's title is often the name of the person at risk:
every template names a case through these filters, so none can forget who may see it.

    {% load case_tags %}
    {{ case|case_name:request.user }}   reference and title, e.g. "IAR-2026-014 Jane Doe"
    {{ case|case_title:request.user }}  the title alone, e.g. for a heading

Whoever may not see the name (see Case.may_be_named_to) gets "IAR-2026-014 (Country)".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from cases.services.loose_ends import offer_expires_on as _expires_on

if TYPE_CHECKING:
    from datetime import date

    from accounts.models import User
    from cases.models import Allocation, Case

register = template.Library()


@register.filter
def case_name(case: Case | None, user: User | None) -> str:
    if case is None:
        return ""
    return case.display_name_for(user or None)


@register.filter
def case_title(case: Case | None, user: User | None) -> str:
    if case is None:
        return ""
    return case.title_for(user or None)


@register.filter
def offer_expires_on(allocation: Allocation) -> date | None:
    """The day an unanswered offer ends (OFFER_EXPIRY_DAYS after it was made), for pages that
    ask a group to answer in time; None for anything but an open offer."""
    if allocation.status != allocation.Status.OFFERED:
        return None
    return _expires_on(allocation)
