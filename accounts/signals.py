"""Keeping allauth's own list of email addresses in step with User.email."""

from __future__ import annotations


def trust_login_email(sender, instance, **kwargs) -> None:
    """Record the address a person logs in with as verified when allauth first copies it.

    allauth copies User.email into its table, unverified, when a page needs it (the account page
    does) for people made outside an invitation: in the admin, by a command or the demo data. Here
    that address was typed by IAR staff, and people cannot sign up or add addresses themselves. An
    unverified address matters: allauth refuses to turn on an authenticator app while any address
    is unverified, so a staff member or coordinator who opened the account page first would be
    stuck at the MFA set-up the site sends them to.
    """
    if instance.pk is not None or instance.verified or not instance.user_id:
        return
    if instance.email.lower() == (instance.user.email or "").lower():
        instance.verified = True
