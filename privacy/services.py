"""Data protection writes: erasing a former member, and the retention sweep.

Erasure keeps the record of what a group did (its actions, letters counted, reports) and replaces
who did it with a pseudonym, so the group's counts and the case history stay true while the person
can no longer be identified from them. Retention removes what is no longer needed after a set time:
the view log of confidential cases, and the bodies of messages about work that has ended.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.access import is_staff
from accounts.models import Invitation, User
from cases.models import Allocation
from groups.models import LocalGroup, Membership
from iar_site import audit
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)

DEFAULT_VIEW_LOG_RETENTION_DAYS = 730
DEFAULT_MESSAGE_RETENTION_DAYS = 365


class PrivacyError(Exception):
    """A user-safe reason an erasure cannot go ahead."""


def pseudonym_name(user: User) -> str:
    return f"Former member {user.pk}"


def pseudonym_email(user: User) -> str:
    # `.invalid` is reserved (RFC 2606): nothing is ever delivered there.
    return f"erased-{user.pk}@erased.invalid"


def is_erased(user: User) -> bool:
    return user.email == pseudonym_email(user)


def erasure_blockers(user: User) -> list[str]:
    """Why this person cannot be erased yet, in words staff can act on; empty when they can."""
    reasons = []
    if user.is_staff or user.is_superuser:
        reasons.append("They are IAR staff. Remove their staff access in the administration first.")
    if hasattr(user, "coordinator_profile"):
        reasons.append(
            "They are a country coordinator. Give their countries to someone else and remove "
            "their coordinator profile first."
        )
    if Allocation.objects.filter(holder=user, status__in=Allocation.OPEN_STATUSES).exists():
        reasons.append(
            "They hold a casefile. Name a new casefile holder for their group's case first."
        )
    # A group's contact address is the group's, not the person's, so erasure does not change it;
    # when it is this person's own address, staff give the group another one first.
    contact_of = list(
        LocalGroup.objects.filter(contact_email__iexact=user.email)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if contact_of:
        reasons.append(
            f"Their email address is the contact address of {', '.join(contact_of)}. "
            "Give the group another contact address first."
        )
    return reasons


def erase_person(user: User, *, confirm_email: str, actor: User) -> User:
    """Pseudonymise a former member: their name and email everywhere they are stored (account,
    audit history, invitations, message records), memberships ended, sign-in removed. What their
    group did stays, credited to the pseudonym. Repeating it changes nothing."""
    if not is_staff(actor):
        raise PrivacyError("Only IAR staff can erase someone's personal data.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_erased(user):
            return user
        if confirm_email.strip().casefold() != user.email.casefold():
            raise PrivacyError(
                "The email address you typed does not match. Type the person's email address "
                "exactly as shown to confirm."
            )
        blockers = erasure_blockers(user)
        if blockers:
            raise PrivacyError(" ".join(blockers))
        old_values = [value for value in (user.full_name, user.email, user.phone) if value]
        new_name, new_email = pseudonym_name(user), pseudonym_email(user)
        for membership in Membership.objects.filter(user=user).select_related("group"):
            audit.record(
                "membership.removed",
                membership,
                actor=actor,
                changes={"user": user.pk, "group": membership.group_id, "reason": "erased"},
            )
            membership.delete()
        user.full_name, user.email, user.phone = new_name, new_email, ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        _pseudonymise_invitations(old_values[1], new_name, new_email)
        _pseudonymise_messages(user, old_values[1], new_name, new_email)
        replaced = _pseudonymise_audit(user, old_values, new_name, new_email)
        audit.record("person.erased", user, actor=actor, changes={"audit_rows_changed": replaced})
    return user


def _pseudonymise_invitations(old_email: str, new_name: str, new_email: str) -> None:
    Invitation.objects.filter(email__iexact=old_email).update(email=new_email, full_name=new_name)


def _pseudonymise_messages(user: User, old_email: str, new_name: str, new_email: str) -> None:
    mine = OutboundMessage.objects.filter(Q(recipient_user=user) | Q(to_email__iexact=old_email))
    # Nothing more goes to someone who asked to be forgotten.
    mine.filter(status=OutboundMessage.Status.QUEUED).update(
        status=OutboundMessage.Status.CANCELLED
    )
    mine.filter(channel=OutboundMessage.Channel.EMAIL).update(
        to_email=new_email, to_name=new_name, context={}
    )
    mine.exclude(channel=OutboundMessage.Channel.EMAIL).update(to_name=new_name, context={})


def _json_forms(value: str) -> list[str]:
    # JSON text stores non-ASCII letters escaped ("\u00e9"): search for both spellings.
    return list({value, json.dumps(value)[1:-1]})


def _pseudonymise_audit(user: User, old_values: list[str], new_name: str, new_email: str) -> int:
    """Replace the person's name, email and phone in every audit row that carries them."""
    if not old_values:
        return 0
    mentions = Q()
    for value in old_values:
        for form in _json_forms(value):
            mentions |= Q(object_repr__icontains=form) | Q(changes_text__icontains=form)
    entries = AuditEntry.objects.annotate(changes_text=Cast("changes", TextField())).filter(
        mentions
    )
    replacements = {old_values[0].casefold(): new_name}
    if len(old_values) > 1:
        replacements[old_values[1].casefold()] = new_email
    for value in old_values[2:]:
        replacements[value.casefold()] = ""
    changed = 0
    for entry in entries:
        entry.object_repr = _replace(entry.object_repr, replacements)[:200]
        entry.changes = _replace_in(entry.changes, replacements)
        entry.save(update_fields=["object_repr", "changes"])
        changed += 1
    return changed


def _replace(text: str, replacements: dict[str, str]) -> str:
    # Longest first, so "ann@example.org" is replaced before a name "Ann" inside it.
    for old in sorted(replacements, key=len, reverse=True):
        start = text.casefold().find(old)
        while start != -1:
            text = text[:start] + replacements[old] + text[start + len(old) :]
            start = text.casefold().find(old, start + len(replacements[old]))
    return text


def _replace_in(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _replace(value, replacements)
    if isinstance(value, list | tuple):
        return [_replace_in(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, replacements) for key, item in value.items()}
    return value


# ---- Retention ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    view_log_entries_deleted: int
    message_bodies_cleared: int


def view_log_retention_days() -> int:
    return int(getattr(settings, "VIEW_LOG_RETENTION_DAYS", DEFAULT_VIEW_LOG_RETENTION_DAYS))


def message_retention_days() -> int:
    return int(getattr(settings, "MESSAGE_RETENTION_DAYS", DEFAULT_MESSAGE_RETENTION_DAYS))


def expired_message_bodies(now: datetime) -> QuerySet[OutboundMessage]:
    """Messages sent (or cancelled) more than the retention period ago about a case the
    recipient group no longer works on, whose body is still stored."""
    cutoff = now - timedelta(days=message_retention_days())
    still_working = Allocation.objects.filter(
        case_id=OuterRef("case_id"),
        group_id=OuterRef("recipient_group_id"),
        status__in=Allocation.OPEN_STATUSES,
    )
    return (
        OutboundMessage.objects.filter(
            status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.CANCELLED],
            created_at__lt=cutoff,
            case__isnull=False,
        )
        .exclude(context={})
        .exclude(Exists(still_working))
    )


def apply_retention(*, now: datetime | None = None) -> RetentionResult:
    """Delete view-log rows and clear message bodies older than their retention periods. Set-based
    and idempotent: a second run the same day finds nothing more to do."""
    now = now or timezone.now()
    with transaction.atomic():
        view_cutoff = now - timedelta(days=view_log_retention_days())
        deleted, _ = AuditEntry.objects.filter(
            action__in=audit.VIEW_ACTIONS, at__lt=view_cutoff
        ).delete()
        cleared = expired_message_bodies(now).update(context={}, to_name="")
        if deleted or cleared:
            # A row about the sweep itself, so the audit shows why older rows are gone.
            AuditEntry.objects.create(
                action="retention.applied",
                object_type="privacy.retention",
                object_id=now.date().isoformat(),
                object_repr="Retention sweep",
                changes={"view_log_entries_deleted": deleted, "message_bodies_cleared": cleared},
            )
    logger.info("retention: %d view-log rows deleted, %d message bodies cleared", deleted, cleared)
    return RetentionResult(deleted, cleared)
