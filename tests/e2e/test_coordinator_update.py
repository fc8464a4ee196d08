"""A coordinator posts an update; the group on the case reads and acknowledges it on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coordinators.models import CaseUpdateNotice

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_update_reaches_the_group_which_acknowledges_it(world, live_server, browser):
    case = world.case_x
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, live_server, world.coordinator_a.email, PASSWORD)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/coordinator/cases/{case.reference}/updates/new/")
    desk.get_by_role("button", name="Save draft and preview").click()
    expect(desk.get_by_text("There is a problem")).to_be_visible()  # nothing typed yet
    desk.get_by_label("Development").check()
    desk.get_by_label("Title").fill("Hearing postponed")
    desk.get_by_label("The update").fill("The hearing was **postponed**. Please keep writing.")
    desk.get_by_role("button", name="Save draft and preview").click()
    expect(desk.get_by_role("heading", name="Hearing postponed")).to_be_visible()
    assert axe_violations(desk) == []
    desk.get_by_role("button", name="Publish to the groups").click()
    notice = CaseUpdateNotice.objects.get(allocation=world.allocation_x)
    assert notice.read_at is None

    phone = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    log_in(phone, live_server, world.member_x.email, PASSWORD)
    expect(phone.get_by_text("1 new update")).to_be_visible()
    phone.goto(f"{live_server.url}/coordinator/updates/{notice.update_id}/")
    expect(phone.locator("strong", has_text="postponed")).to_be_visible()  # the Markdown subset
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="We have read this").click()
    # htmx swaps the button for the acknowledgement in place, without reloading the page.
    expect(phone.get_by_text("Acknowledged.")).to_be_visible()
    assert axe_violations(phone) == []
    notice.refresh_from_db()
    assert notice.read_by == world.member_x
    assert notice.acknowledged_by == world.member_x
