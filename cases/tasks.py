"""The cases' Celery tasks: the daily sweep of a case's loose ends, the weekly counter check."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from notifications.tasks import relay_outbox

from .counts import counter_mismatches
from .services.loose_ends import sweep_loose_ends

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sweep_case_loose_ends() -> int:
    """Daily at 07:15: expire and remind unanswered offers, remind unconfirmed stops."""
    result = sweep_loose_ends(timezone.localdate())
    relay_outbox()
    return result.offer_reminders + result.offers_expired + result.stop_reminders


@shared_task(ignore_result=True)
def check_case_counters() -> int:
    """Weekly: recount the cases' and groups' counters and log how many differ (case references
    and group ids only, never a name), so a write that passed the services shows up. It corrects
    nothing: the command `check_case_counters --fix` does, once someone has looked at why."""
    differing = counter_mismatches()
    if differing:
        log.error(
            "counters differ from the rows on %d case(s) or group(s): %s",
            len(differing),
            ", ".join(mismatch.label for mismatch in differing[:50]),
        )
    else:
        log.info("case and group counters agree with the rows")
    return len(differing)
