"""A casefile holder writes to the coordinator on a phone; the coordinator answers on theirs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conversations.models import Message

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_holder_asks_and_the_coordinator_answers_on_phones(world, live_server, browser):
    case = world.case_x
    holder = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    log_in(holder, live_server, world.holder_x.email, PASSWORD)
    holder.wait_for_url(f"{live_server.url}/")
    holder.get_by_role(
        "link", name=re.compile(rf"^Messages with the coordinator\s*: {case.reference}$")
    ).click()
    expect(holder.get_by_text("No messages yet.")).to_be_visible()
    holder.get_by_role("button", name="Send message").click()
    expect(holder.get_by_text("Write your message before sending it.").first).to_be_visible()
    holder.get_by_label("Your message").fill("We sent 12 letters. Has anyone replied?")
    holder.get_by_role("button", name="Send message").click()
    expect(holder.get_by_text("We sent 12 letters. Has anyone replied?")).to_be_visible()
    assert _fits_the_screen(holder)
    assert axe_violations(holder) == []
    assert Message.objects.get().author == world.holder_x

    coordinator = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    log_in(coordinator, live_server, world.coordinator_a.email, PASSWORD)
    coordinator.goto(f"{live_server.url}/coordinator/cases/{case.reference}/")
    expect(coordinator.get_by_text("1 new message")).to_be_visible()
    expect(coordinator.get_by_text(world.holder_x.email)).to_be_visible()
    assert _fits_the_screen(coordinator)
    coordinator.get_by_role("link", name="Messages with Group X").click()
    expect(coordinator.get_by_text("We sent 12 letters. Has anyone replied?")).to_be_visible()
    coordinator.get_by_label("Your message").fill("Not yet. Please write again next month.")
    coordinator.get_by_role("button", name="Send message").click()
    expect(coordinator.get_by_text("Not yet. Please write again next month.")).to_be_visible()
    assert _fits_the_screen(coordinator)
    assert axe_violations(coordinator) == []

    holder.goto(f"{live_server.url}/groups/my-cases/")
    expect(holder.get_by_text("1 new message")).to_be_visible()
    holder.get_by_text("1 new message").click()
    expect(holder.get_by_text("Not yet. Please write again next month.")).to_be_visible()
    assert list(Message.objects.values_list("side", flat=True)) == ["group", "coordinator"]
