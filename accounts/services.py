"""Accepting invitations: the link lets the person set a password, then gives them the invited
role. Accepting sits above the apps whose roles it grants (docs/architecture.md): it makes a
group membership or a country coordinator. Sending an invitation is in `accounts.invitations`.

A person who already has a login joins by logging in first: an invitation never sets or changes
the password of an existing login.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coordinators.models import CountryCoordinator
from groups.models import Membership
from iar_site import audit

from .invitations import AccountError, hash_token
from .models import Invitation, User
from .validators import validate_person_name


def invitation_from_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.filter(token_hash=hash_token(token)).select_related("group").first()
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
