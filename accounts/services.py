"""Invitations: the only way into the site. Staff invite; the link lets the person set a password."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from iar_site import audit, outbox

from .models import Invitation, User

if TYPE_CHECKING:
    from cases.models import Country
    from groups.models import LocalGroup

SALT = "iar.invitation"


class AccountError(Exception):
    """A user-safe reason an invitation cannot be made or used."""


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_from_token(token: str) -> Invitation:
    try:
        pk = signing.loads(token, salt=SALT, max_age=Invitation.VALID_FOR)
    except signing.SignatureExpired:
        raise AccountError("This invitation has expired. Ask IAR staff for a new one.") from None
    except signing.BadSignature:
        raise AccountError(
            "This invitation link is not valid. Check it was copied whole."
        ) from None
    invitation = Invitation.objects.filter(pk=pk).select_related("group").first()
    if invitation is None or not invitation.is_pending:
        raise AccountError(
            "This invitation has already been used or withdrawn. You can log in, or ask IAR "
            "staff for a new invitation."
        )
    return invitation


def _may_invite(actor: User, role: str, group: LocalGroup | None) -> bool:
    if actor.is_staff:
        return True
    from groups.models import Membership

    # A group's administrators may bring in their own members, never staff or coordinators.
    return (
        group is not None
        and role in (Invitation.Role.GROUP_MEMBER, Invitation.Role.GROUP_ADMIN)
        and Membership.objects.filter(user=actor, group=group, role=Membership.Role.ADMIN).exists()
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
    if role in (Invitation.Role.GROUP_MEMBER, Invitation.Role.GROUP_ADMIN) and group is None:
        raise AccountError("Choose the group this person is joining.")
    if not _may_invite(actor, role, group):
        raise AccountError("You cannot invite people to this role.")
    with transaction.atomic():
        now = timezone.now()
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
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
def _invitation_link(message) -> dict[str, str]:
    invitation = Invitation.objects.get(pk=message.context["invitation_id"])
    path = reverse("accounts:accept_invitation", args=[invitation_token(invitation)])
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


def accept_invitation(invitation: Invitation, *, full_name: str, password: str) -> User:
    """Create (or reuse) the person's login, give them the invited role, mark it accepted."""
    from coordinators.models import CountryCoordinator
    from groups.models import Membership

    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise AccountError("This invitation has already been used or withdrawn.")
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User(email=invitation.email, full_name=full_name.strip())
        validate_password(password, user)
        user.full_name = full_name.strip() or user.full_name
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
