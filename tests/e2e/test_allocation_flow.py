"""Staff offer a case from the ranking; the group accepts it on a phone and names its holder."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Allocation
from groups.models import Membership
from notifications.models import OutboundMessage

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_offer_a_case_and_the_group_accepts_it(world, live_server, browser):
    case = world.case_unallocated_a
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, live_server, world.staff.email, PASSWORD)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/staff/cases/{case.reference}/match/")
    expect(desk.get_by_role("heading", name=f"Groups for {case.reference}")).to_be_visible()
    assert axe_violations(desk) == []
    desk.get_by_role("link", name="Allocate to Group Y").click()
    desk.get_by_label("Offer it").check()
    desk.get_by_role("button", name="Confirm").click()
    allocation = Allocation.objects.get(case=case, group=world.group_y)
    assert allocation.status == "offered"
    # The group hears by its channel and the coordinator of country A is told, in the outbox.
    assert OutboundMessage.objects.filter(recipient_group=world.group_y).exists()

    # A group's administrators answer its offers.
    Membership.objects.filter(user=world.member_y).update(role=Membership.Role.ADMIN)
    phone = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    log_in(phone, live_server, world.member_y.email, PASSWORD)
    phone.get_by_role("link", name="Accept or decline this case").click()
    assert axe_violations(phone) == []
    phone.get_by_label("Yes, we will take it").check()
    phone.get_by_label("Who will be the casefile holder?").select_option(
        label=world.member_y.full_name
    )
    phone.get_by_role("button", name="Send our answer").click()
    expect(phone.get_by_text("now works on")).to_be_visible()
    allocation.refresh_from_db()
    assert allocation.status == "active"
    assert allocation.holder == world.member_y
