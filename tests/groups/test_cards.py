"""My cases builds its cards in Python (groups.cards): links from one reverse() per kind, dates
formatted once. They must say what the template filters and {% url %} said."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation
from groups.cards import build_cards, cards_of
from groups.models import Activity
from groups.yearly import long_date, with_report_due
from iar_site.converters import url_maker

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("viewname", "arg"),
    [
        ("groups:case", "IAR-2026-014"),
        ("groups:case", "A b&c?d#é%"),  # whatever a reference holds is quoted as reverse() does
        ("cases:respond_offer", "IAR-2026-014"),
        ("groups:record_action", 42),
        ("conversations:thread", 7),
    ],
)
def test_card_links_are_those_reverse_gives(viewname, arg):
    assert url_maker(viewname)(arg) == reverse(viewname, args=[arg])


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2026, 11, 3), date(2024, 2, 29)])
def test_card_dates_read_as_the_date_filter_writes_them(day):
    assert long_date(day) == date_filter(day, "j F Y")
    assert long_date(None) == ""


def test_a_card_holds_what_the_page_showed(world):
    Activity.objects.create(
        allocation=world.allocation_x,
        kind=Activity.Kind.APPEAL_LETTER,
        date=date(2026, 3, 4),
        recorded_by=world.holder_x,
    )
    f.CasePersonFactory(case=world.case_confidential_x, name="Person of X")
    member = world.member_x
    rows = cards_of(with_report_due(Allocation.objects.filter(group=world.group_x).open()))
    cards = {
        card.reference: card for card in build_cards(rows, member, timezone.localdate(), set())
    }
    card = cards[world.case_x.reference]
    assert card.pk == world.allocation_x.pk
    assert card.case_url == reverse("groups:case", args=[world.case_x.reference])
    assert card.thread_url == reverse("conversations:thread", args=[world.allocation_x.pk])
    assert card.action_url == reverse("groups:record_action", args=[world.allocation_x.pk])
    assert card.title == world.case_x.title_for(member)
    assert card.group == world.group_x.name
    assert card.holder == world.holder_x.full_name
    assert card.last_action == f"{Activity.Kind.APPEAL_LETTER.label}, 4 March 2026"
    assert card.since == date_filter(world.allocation_x.started_on, "j F Y")
    # A plain member's card of a confidential case names neither the case nor its people.
    secret = cards[world.case_confidential_x.reference]
    assert secret.title == world.case_confidential_x.label_without_name()
    assert secret.people == ""
    # Its holder sees both.
    holder_cards = build_cards(rows, world.holder_x, timezone.localdate(), set())
    named = next(c for c in holder_cards if c.reference == world.case_confidential_x.reference)
    assert named.title == world.case_confidential_x.title
    assert named.people == "Person of X"


def test_an_offered_card_links_to_the_offer(world):
    case = f.CaseFactory(country=world.country_a, title="Offered case")
    f.AllocationFactory(case=case, group=world.group_x, status="offered", started_on=None)
    rows = cards_of(with_report_due(Allocation.objects.filter(status="offered")))
    (card,) = build_cards(rows, world.member_x, timezone.localdate(), {world.group_x.pk})
    assert card.offered and card.may_answer and not card.may_record
    assert card.action_url == reverse("cases:respond_offer", args=[case.reference])
    assert card.offer_ends
