from __future__ import annotations

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .access import AuthenticatedHttpRequest, staff_required
from .forms import AcceptInvitationForm, InvitationForm, JoinWithExistingLoginForm
from .invitations import AccountError, invite_person
from .services import accept_invitation, existing_login, invitation_from_token


@staff_required
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invite_person(
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                group=data.get("group"),
                countries=data.get("countries") or (),
                actor=request.user,
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            # The email is queued in the outbox with the invitation, in one transaction; it has
            # not left yet, so the page does not say it was sent.
            messages.success(
                request,
                f"The invitation to {invitation.email} is queued and will be emailed shortly. "
                "The link works for 14 days.",
            )
            return redirect("accounts:invite")
    return render(request, "accounts/invite.html", {"form": form})


@login_not_required
@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_from_token(token)
    except AccountError as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=404)
    existing = existing_login(invitation)
    if existing is not None:
        return _accept_with_existing_login(request, invitation, existing)
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("password1", message)
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Welcome to IAR Casework. Your password is set.")
            return perform_login(request, user, redirect_url="/")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )


def _accept_with_existing_login(request, invitation, existing) -> HttpResponse:
    """The address already has a login: the person logs in as themselves to join. Nothing here
    sets a password, so an invitation cannot be used to take over a login."""
    logged_in_as_invited = request.user.is_authenticated and request.user.pk == existing.pk
    form = JoinWithExistingLoginForm(request.POST if request.method == "POST" else None)
    if logged_in_as_invited and request.method == "POST" and form.is_valid():
        try:
            accept_invitation(invitation, logged_in_as=request.user)
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            joined = invitation.group.name if invitation.group else "IAR Casework"
            messages.success(
                request, f"You have joined {joined} as {invitation.get_role_display().lower()}."
            )
            return redirect("/")
    return render(
        request,
        "accounts/accept_invitation_existing.html",
        {
            "form": form,
            "invitation": invitation,
            "logged_in_as_invited": logged_in_as_invited,
        },
    )
