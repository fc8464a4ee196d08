"""A volunteer typing slowly on a phone is warned before an idle logout, says "Stay logged in",
and keeps every word typed: nothing reloads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_idle_warning_keeps_what_was_typed(world, live_server, phone, settings):
    # A 2-minute limit: the page warns 2 minutes before, so at once (after its 10-second floor).
    settings.SESSION_IDLE_MINUTES_MEMBER = 2
    log_in(phone, live_server, world.member_x.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/cases/ask-for-cases/")
    notes = phone.locator("textarea").first
    notes.fill("We meet in the library; please send cases about women's rights.")

    dialog = phone.get_by_role("dialog", name="Are you still there?")
    expect(dialog).to_be_visible(timeout=20_000)
    assert axe_violations(phone) == []
    with phone.expect_response(lambda r: r.url.endswith("/session/keep-alive/")) as answer:
        dialog.get_by_role("button", name="Stay logged in").click()

    assert answer.value.status == 200
    expect(dialog).to_be_hidden()
    expect(notes).to_have_value("We meet in the library; please send cases about women's rights.")
