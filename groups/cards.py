"""What each card on My cases shows beside its case, read as subqueries bounded by an index.

A card's latest action and its unread updates used to come from joins over every action and
every notice of the card (and from loading every action to find the latest one), so a busy
group's page slowed with every letter it logged. Each subquery here reads one index entry (the
newest action, through the (allocation, date) index) or one allocation's notices, so a card costs
the same with ten actions or ten thousand.

`build_cards` then turns each allocation into a `Card` of plain strings: a page of forty cards
used to spend most of its time in the template (a reverse() per link, a date filter per date, a
lookup through the case, its country and its people per line), now done once here in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from cases.models import Allocation, Case, CasePerson
from cases.services.loose_ends import offer_expires_on
from iar_site.converters import url_maker

from .models import Activity
from .yearly import ReportState, long_date, report_due

if TYPE_CHECKING:
    from accounts.models import User

# CaseUpdate.Status.PUBLISHED: coordinators sits above groups, so its model is not imported here.
UPDATE_PUBLISHED = "published"


def with_card_facts[QS: models.QuerySet[Allocation, Any]](allocations: QS) -> QS:
    """Annotate `last_action_id`, `last_action_on`, `last_action_kind` and `unread_updates` on
    allocations."""
    newest = Activity.objects.filter(allocation=OuterRef("pk")).order_by("-date", "-id")
    unread = (
        Allocation.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("update_notices", filter=Q(update_notices__read_at__isnull=True)))
        .values("n")
    )
    return allocations.annotate(
        last_action_id=Subquery(newest.values("pk")[:1]),
        last_action_on=Subquery(newest.values("date")[:1]),
        # What a card says of it: no second query for the action itself.
        last_action_kind=Subquery(newest.values("kind")[:1]),
        unread_updates=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()),
    )


def unread_published_updates() -> Coalesce:
    """How many published updates the allocation's group has not read yet."""
    unread = (
        Allocation.objects.filter(pk=OuterRef("pk"))
        .annotate(
            n=Count(
                "update_notices",
                filter=Q(
                    update_notices__read_at__isnull=True,
                    update_notices__update__status=UPDATE_PUBLISHED,
                ),
            )
        )
        .values("n")
    )
    return Coalesce(Subquery(unread), Value(0), output_field=IntegerField())


def latest_actions(cards: list[Allocation]) -> dict[int, Activity]:
    """The latest action of each card annotated by `with_card_facts`, in one query, for those
    that need more of it than its date and kind."""
    if not cards:
        return {}
    # One query whenever there are cards, even with no action yet (id 0 matches nothing; an
    # empty list would skip the query): a page's query count is the same whatever its rows hold.
    ids = [card.last_action_id for card in cards if card.last_action_id]  # type: ignore[attr-defined]
    return {a.pk: a for a in Activity.objects.filter(pk__in=ids or [0])}


# The columns build_cards reads (besides the annotations of with_card_facts and with_report_due).
CARD_COLUMNS = (
    "case_id",
    "group_id",
    "status",
    "holder_id",
    "offered_at",
    "started_on",
    "case__reference",
    "case__title",
    "case__sensitivity",
    "case__status",
    "case__country__name",
    "group__name",
    "holder__full_name",
)


def cards_of[QS: models.QuerySet[Allocation, Any]](allocations: QS) -> QS:
    """The allocations with what `build_cards` reads of them, and no more."""
    return (
        with_card_facts(allocations)
        .select_related("case", "case__country", "group", "holder")
        # A case's long texts are unsealed on every read when it is confidential, and every
        # column loaded is one more to convert per card.
        .only(*CARD_COLUMNS)
        .prefetch_related(
            Prefetch("case__people", queryset=CasePerson.objects.only("case_id", "name"))
        )
        .order_by("group__name", "case__reference")
    )


ACTION_KINDS = dict(Activity.Kind.choices)  # what get_kind_display() shows of each kind


@dataclass(slots=True)
class Card:
    """What one card of My cases shows, ready to print. The conversations tags of the template
    add `may_message` and `unread_messages` (they read `pk`)."""

    pk: int
    reference: str
    title: str
    country: str
    sensitivity: str
    sensitivity_label: str
    paused: bool
    group: str
    people: str  # the names, or "" where the reader may not see them
    several_people: bool
    offered: bool
    offer_ends: str
    since: str
    holder: str | None  # None: no casefile holder named yet
    last_action: str
    report_due: str
    report_overdue: bool
    unread_updates: int
    may_record: bool
    may_answer: bool
    case_url: str
    thread_url: str
    action_url: str  # recording an action, or else answering the offer
    may_message: bool = False
    unread_messages: int = 0


def build_cards(
    allocations: Iterable[Allocation], user: User, today: date, admin_of: set[int]
) -> list[Card]:
    """One `Card` per allocation annotated by `with_card_facts`, with its case, country, group,
    holder and people loaded: one query more (for the confidential names) whatever the number of
    cards."""
    rows = list(allocations)
    # Who may see each confidential card's name, in one query for the page, not two a card.
    Case.ask_names_for([allocation.case for allocation in rows], user)
    case_url = url_maker("groups:case")
    thread_url = url_maker("conversations:thread")
    record_url = url_maker("groups:record_action")
    offer_url = url_maker("cases:respond_offer")
    cards = []
    for allocation in rows:
        case = allocation.case
        offered = allocation.status == Allocation.Status.OFFERED
        # The person's name is part of the summary a confidential case keeps to its holder.
        names = [p.name for p in case.people.all()] if case.may_be_named_to(user) else []
        due = report_due(allocation.started_on, allocation.reports_in, today)  # type: ignore[attr-defined]
        kind, on = allocation.last_action_kind, allocation.last_action_on  # type: ignore[attr-defined]
        last_action = f"{ACTION_KINDS.get(kind, kind)}, {long_date(on)}" if kind else ""
        may_record = (
            allocation.status == Allocation.Status.ACTIVE and case.status == Case.Status.OPEN
        )
        cards.append(
            Card(
                pk=allocation.pk,
                reference=case.reference,
                title=case.title_for(user),
                country=case.country.name,
                sensitivity=case.sensitivity,
                sensitivity_label=case.get_sensitivity_display(),
                paused=case.status == Case.Status.PAUSED,
                group=allocation.group.name,
                people=", ".join(names),
                several_people=len(names) > 1,
                offered=offered,
                offer_ends=long_date(offer_expires_on(allocation)) if offered else "",
                since=long_date(allocation.started_on),
                holder=allocation.holder.full_name if allocation.holder else None,
                last_action=last_action,
                report_due=long_date(due.on) if due else "",
                report_overdue=due is not None and due.state == ReportState.OVERDUE,
                unread_updates=allocation.unread_updates,  # type: ignore[attr-defined]
                may_record=may_record,
                may_answer=allocation.group_id in admin_of,
                case_url=case_url(case.reference),
                thread_url=thread_url(allocation.pk),
                action_url=record_url(allocation.pk) if may_record else offer_url(case.reference),
            )
        )
    return cards
