"""Builders for the actions tests: real services wherever the behaviour under test is theirs."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from actions import services
from actions.models import OneOffAction, UASubscription, UrgentAction
from groups.models import Membership

from .. import factories as f

TARGET = {
    "name": "Minister of the Interior",
    "title": "Hon. A. Minister",
    "address_line_1": "Ministry of the Interior",
    "address_line_2": "12 Avenue of the Republic",
    "address_line_3": "",
    "town": "Capital City",
    "postcode": "CC 1001",
    "country_name": "Republic of Example",
    "email": "minister@interior.example",
    "salutation": "Dear Minister",
}


def make_admin(user, group):
    Membership.objects.filter(user=user, group=group).update(role=Membership.Role.ADMIN)
    return user


def subscribe(group, *, all_actions=False, regions=(), themes=()):
    subscription, _ = UASubscription.objects.get_or_create(group=group)
    subscription.all_actions = all_actions
    subscription.save()
    subscription.regions.set(regions)
    subscription.themes.set(themes)
    return subscription


def draft_ua(
    staff,
    *,
    country,
    reference="UA 101/26",
    title="Journalist detained",
    deadline: date | None = None,
    issued_on: date | None = None,
    themes=(),
    letter="Please release the journalist immediately and unconditionally.",
    follow_up_of=None,
    follow_up_kind="",
) -> UrgentAction:
    today = timezone.localdate()
    issued_on = issued_on or today
    return services.save_urgent_action(
        None,
        values={
            "reference": reference,
            "title": title,
            "country": country,
            "issued_on": issued_on,
            "deadline": deadline or issued_on + timedelta(weeks=4),
            "summary": "A journalist was arrested at a protest.",
            "suggested_letter": letter,
            "language_notes": "Write in English or French.",
        },
        themes=themes,
        targets=[TARGET],
        follow_up_of=follow_up_of,
        follow_up_kind=follow_up_kind,
        actor=staff,
    )


def published_ua(staff, **kwargs) -> UrgentAction:
    ua = draft_ua(staff, **kwargs)
    services.publish_urgent_action(ua, actor=staff)
    ua.refresh_from_db()
    return ua


def one_off(
    staff, *, kind=OneOffAction.Kind.LETTER, deadline=None, title="Write for Rights", country=None
):
    return services.save_one_off(
        None,
        values={
            "kind": kind,
            "title": title,
            "country": country,
            "case": None,
            "deadline": deadline or timezone.localdate() + timedelta(weeks=6),
            "text": "Write to the governor asking for the defenders' release.",
        },
        targets=[TARGET],
        actor=staff,
    )


def region_country(name: str, code: str):
    region = f.RegionFactory(name=name, code=code)
    return f.CountryFactory(name=f"{name} country", region=region)
