"""Invitations: the only way into the site. Staff invite; the link lets the person set a password.

The link's token is random and made when the email is sent (see `_invitation_link`); only its
SHA-256 hash is kept. A person who already has a login joins by logging in first: an invitation
never sets or changes the password of an existing login.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format

# Invitations sit above the apps whose roles they grant (docs/architecture.md): accepting one
# makes a group membership or a country coordinator.
from coordinators.models import CountryCoordinator
from groups.models import Membership
from iar_site import audit
from notifications import outbox

from .access import is_group_admin, is_staff
from .models import Invitation, User
from .validators import validate_person_name

if TYPE_CHECKING:
    from cases.models import Country
    from groups.models import LocalGroup
    from notifications.models import OutboundMessage

RATE_WINDOW = timedelta(hours=1)


class AccountError(Exception):
    """A user-safe reason an invitation cannot be made or used."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_invitation_token(invitation: Invitation) -> str:
    """A fresh random token for the invitation's link; the previous one stops working."""
    token = secrets.token_urlsafe(32)
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=_hash(token))
    invitation.token_hash = _hash(token)
    return token


def invitation_from_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.filter(token_hash=_hash(token)).select_related("group").first()
        if token
        else None
    )
    if invitation is None:
        raise AccountError(
            "This invitation link is not valid. Check it was copied whole. If you received more "
            "than one invitation email, use the link in the newest."
        )
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise AccountError(
            "This invitation has already been used or withdrawn. You can log in, or ask IAR "
            "staff for a new invitation."
        )
    if invitation.expires_at <= timezone.now():
        raise AccountError("This invitation has expired. Ask IAR staff for a new one.")
    return invitation


def existing_login(invitation: Invitation) -> User | None:
    """The login that already uses the invited address, if any."""
    return User.objects.filter(email__iexact=invitation.email).first()


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
    user = User.objects.filter(email__iexact=email).first()
    return user is not None and (
        user.is_staff or user.is_superuser or CountryCoordinator.objects.filter(user=user).exists()
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


def _mark_email_verified(user: User) -> None:
    """The invitation link reached this inbox, so the address is proven. allauth keeps its own list
    of addresses beside User.email: without this row its account page would say the person has no
    email address, and password reset would not treat the address as verified."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress(user=user, email=user.email)
    EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
        primary=False
    )
    address.verified = True
    address.primary = True
    address.save()


def accept_invitation(
    invitation: Invitation,
    *,
    full_name: str = "",
    password: str = "",
    logged_in_as: User | None = None,
) -> User:
    """Give the invited role and mark the invitation accepted.

    For a new address, the login is made with `full_name` and `password`. An address that already
    has a login joins only when that person is logged in (`logged_in_as`); their name and password
    are left as they are."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise AccountError("This invitation has already been used or withdrawn.")
        user = existing_login(invitation)
        if user is not None:
            if logged_in_as is None or logged_in_as.pk != user.pk:
                raise AccountError(
                    f"You already have a login for IAR Casework. Log in as {invitation.email} "
                    "first, then open the invitation link again."
                )
        else:
            try:
                validate_person_name(full_name.strip())
            except ValidationError as exc:
                raise AccountError(exc.messages[0]) from None
            user = User(email=invitation.email, full_name=full_name.strip())
            validate_password(password, user)
            user.set_password(password)
        if invitation.role == Invitation.Role.STAFF:
            user.is_staff = True
        user.save()
        _mark_email_verified(user)
        if invitation.role in (Invitation.Role.GROUP_MEMBER, Invitation.Role.GROUP_ADMIN):
            role = (
                Membership.Role.ADMIN
                if invitation.role == Invitation.Role.GROUP_ADMIN
                else Membership.Role.MEMBER
            )
            membership, _ = Membership.objects.get_or_create(
                user=user, group=invitation.group, defaults={"role": role}
            )
            audit.record("membership.created", membership, actor=user, changes={"role": role})
        elif invitation.role == Invitation.Role.COORDINATOR:
            profile, _ = CountryCoordinator.objects.get_or_create(user=user)
            profile.countries.add(*invitation.countries.all())
            audit.record("coordinator.created", profile, actor=user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record("invitation.accepted", invitation, actor=user)
    return user
