"""Recording an action in a browser: with JavaScript each step swaps in place (the page is not
reloaded, the address follows the step, the heading takes the focus); without JavaScript the
same three steps are whole pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from groups.models import Activity

from ..factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email: str) -> None:
    # The password button by its exact name: the login page also offers a passkey.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")


def test_steps_swap_in_place_with_javascript(world, live_server, phone):
    log_in(phone, live_server, world.member_x.email)
    record = f"{live_server.url}/groups/allocations/{world.allocation_x.pk}/record/"
    phone.goto(record)
    # A mark on the window survives only while the page is not reloaded.
    phone.evaluate("window.stillHere = true")

    phone.get_by_role("button", name="Stall", exact=True).click()
    expect(phone.get_by_text("Step 2 of 3")).to_be_visible()
    expect(phone).to_have_url(re.compile(r"record/\?kind=stall"))
    expect(phone).to_have_title(re.compile(r"^Record an action, step 2 of 3"))
    expect(phone.get_by_role("heading", name="Record an action")).to_be_focused()
    assert phone.evaluate("window.stillHere") is True

    phone.get_by_label("Or another date").fill("2999-01-01")
    phone.get_by_role("button", name="Continue with this date").click()
    expect(phone.get_by_text("The date cannot be in the future.").first).to_be_visible()
    expect(phone).to_have_title(re.compile(r"^Error: Record an action, step 2 of 3"))

    phone.get_by_label("Or another date").fill("")
    phone.get_by_role("button", name=re.compile(r"^Yesterday")).click()
    expect(phone.get_by_text("Step 3 of 3")).to_be_visible()
    assert phone.evaluate("window.stillHere") is True
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_role("button", name="Save this action").click()
    expect(phone.get_by_text(re.compile(r"^Saved: 1 stall, "))).to_be_visible()
    expect(phone).to_have_url(f"{live_server.url}/groups/cases/{world.case_x.reference}/")
    assert Activity.objects.get().kind == "stall"

    # Back goes to the step before, as it would with whole pages.
    phone.go_back()
    expect(phone.get_by_text("Step 3 of 3")).to_be_visible()


def test_the_same_steps_without_javascript(world, live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server, world.member_x.email)
        page.goto(f"{live_server.url}/groups/allocations/{world.allocation_x.pk}/record/")
        page.get_by_role("button", name="Stall", exact=True).click()
        expect(page.get_by_text("Step 2 of 3")).to_be_visible()
        expect(page).to_have_url(re.compile(r"record/\?kind=stall"))
        page.get_by_role("button", name=re.compile(r"^Today")).click()
        expect(page.get_by_text("Step 3 of 3")).to_be_visible()
        page.get_by_role("button", name="Save this action").click()
        expect(page.get_by_text(re.compile(r"^Saved: 1 stall, "))).to_be_visible()
        expect(page).to_have_url(f"{live_server.url}/groups/cases/{world.case_x.reference}/")
        assert Activity.objects.count() == 1
    finally:
        context.close()
