"""Sending invitations: the only way into the site. Staff invite anyone; a group's
administrators invite their own members. Making an invitation needs only the outbox, so this
module sits low, under the groups whose settings page uses it; accepting one creates
memberships and coordinator profiles and lives in `accounts.services`, above them.

The link's token is random and made when the email is sent (see `_invitation_link`); only its
SHA-256 hash is kept.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format

from iar_site import audit
from notifications import outbox
from notifications.models import OutboundMessage

from .access import is_group_admin, is_staff
from .models import Invitation, User
from .validators import validate_person_name

if TYPE_CHECKING:
    from cases.models import Country
    from groups.models import LocalGroup

RATE_WINDOW = timedelta(hours=1)


class AccountError(Exception):
    """A user-safe reason an invitation cannot be made or used."""


def hash_token(token: str) -> str:
    """What is stored of a link's token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_invitation_token(invitation: Invitation) -> str:
    """A fresh random token for the invitation's link; the previous one stops working."""
    token = secrets.token_urlsafe(32)
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
    invitation.token_hash = hash_token(token)
    return token


def _may_invite(actor: User, role: str, group: LocalGroup | None) -> bool:
    if is_staff(actor):
        return True
    # A group's administrators may bring in their own members, never staff or coordinators.
    return (
        group is not None
        and role in (Invitation.Role.GROUP_MEMBER, Invitation.Role.GROUP_ADMIN)
        and is_group_admin(actor, group)
    )


def _holds_a_privileged_role(email: str) -> bool:
    # A coordinator is found through the login's profile relation, not the coordinators app,
    # which sits above this module.
    return (
        User.objects.filter(email__iexact=email)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Q(coordinator_profile__isnull=False))
        .exists()
    )


def _lock_inviter(actor: User) -> None:
    """Make one person's invitations wait for each other, so each counts the ones before it."""
    User.objects.select_for_update().filter(pk=actor.pk).first()


def _race_window_hook() -> None:
    """Between counting and writing an invitation; tests widen the gap here."""


def _check_invitation_rate(actor: User, now: datetime) -> None:
    """At most INVITATIONS_PER_HOUR invitations by one person in any hour. Call inside the
    transaction, after _lock_inviter, so two requests at once cannot both pass."""
    limit = settings.INVITATIONS_PER_HOUR
    recent = list(
        Invitation.objects.filter(invited_by=actor, created_at__gt=now - RATE_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        free_at = timezone.localtime(recent[-1] + RATE_WINDOW)
        raise AccountError(
            f"You have sent {limit} invitations in the last hour, the most allowed. You can send "
            f"the next one after {time_format(free_at, 'H:i')}."
        )


def invite_person(
    *,
    email: str,
    full_name: str,
    role: str,
    group: LocalGroup | None = None,
    countries: Iterable[Country] = (),
    actor: User,
) -> Invitation:
    email = email.strip().lower()
    full_name = full_name.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError("Enter an email address like name@example.org.") from None
    try:
        validate_person_name(full_name)
    except ValidationError as exc:
        raise AccountError(exc.messages[0]) from None
    if role in (Invitation.Role.GROUP_MEMBER, Invitation.Role.GROUP_ADMIN) and group is None:
        raise AccountError("Choose the group this person is joining.")
    if not _may_invite(actor, role, group):
        raise AccountError("You cannot invite people to this role.")
    if not actor.is_staff and _holds_a_privileged_role(email):
        raise AccountError(
            "You cannot invite this email address. If this person should join your group, "
            "ask IAR staff to add them."
        )
    with transaction.atomic():
        _lock_inviter(actor)
        now = timezone.now()
        _check_invitation_rate(actor, now)
        _race_window_hook()
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name,
            role=role,
            group=group,
            invited_by=actor,
            created_at=now,
            expires_at=now + Invitation.VALID_FOR,
        )
        if countries:
            invitation.countries.set(countries)
        audit.record(
            "invitation.created",
            invitation,
            actor=actor,
            changes={"role": role, "group": group.pk if group else None},
        )
        outbox.queue_message(
            key=f"invitation:{invitation.pk}",
            template="invitation",
            to_email=email,
            to_name=invitation.full_name,
            context={
                "invitation_id": invitation.pk,
                "role": invitation.get_role_display(),
                "group_name": group.name if group else "",
                "invited_by": str(actor),
            },
            recipient_group=group,
        )
    return invitation


@outbox.context_builder("invitation")
def _invitation_link(message: OutboundMessage) -> dict[str, object]:
    # Called as the email is made, each time it is sent: the token exists only in the email.
    invitation = Invitation.objects.get(pk=message.context["invitation_id"])
    path = reverse("accounts:accept_invitation", args=[new_invitation_token(invitation)])
    return {"accept_url": f"{settings.SITE_URL}{path}", "expires_at": invitation.expires_at}


def revoke_invitations(pks: Sequence[int], *, actor: User) -> list[Invitation]:
    """Withdraw the invitations among `pks` still open (an accepted or already withdrawn one is
    left as it is) and cancel their email if it has not left yet. Returns those withdrawn."""
    with transaction.atomic():
        now = timezone.now()
        open_invitations = list(
            Invitation.objects.select_for_update()
            .filter(pk__in=pks, accepted_at__isnull=True, revoked_at__isnull=True)
            .order_by("pk")
        )
        ids = [invitation.pk for invitation in open_invitations]
        Invitation.objects.filter(pk__in=ids).update(revoked_at=now)
        # Same key as `invite_person` gives the email.
        OutboundMessage.objects.filter(
            idempotency_key__in=[f"invitation:{pk}" for pk in ids],
            status=OutboundMessage.Status.QUEUED,
        ).update(status=OutboundMessage.Status.CANCELLED, last_error="invitation revoked")
        for invitation in open_invitations:
            invitation.revoked_at = now
            audit.record("invitation.revoked", invitation, actor=actor)
    return open_invitations
