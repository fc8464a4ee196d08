"""Staff open the programme's charts on a phone: every chart is drawn from the vendored library
under the Content-Security-Policy, beside its table; without JavaScript the tables are the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Activity

from .. import factories as f
from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def some_actions(world) -> None:
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        on = date(today.year, month, 1)
        f.ActivityFactory(allocation=world.allocation_x, date=on, count=month)
        f.ActivityFactory(
            allocation=world.allocation_y,
            date=on,
            kind=Activity.Kind.SOLIDARITY,
            outcome=Activity.Outcome.REPLY if month % 2 else "",
        )


def test_charts_draw_on_a_phone_beside_their_tables(world, live_server, phone):
    some_actions(world)
    errors: list[str] = []
    phone.on("console", lambda message: message.type == "error" and errors.append(message.text))
    phone.on("pageerror", lambda error: errors.append(str(error)))
    log_in(phone, live_server, world.staff.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.get_by_role("link", name="Charts").click()
    expect(phone.get_by_role("heading", name="The programme in charts")).to_be_visible()
    for slug in ("actions", "letters", "groups", "outcomes"):
        holder = phone.locator(f'[data-chart-source="chart-data-{slug}"]')
        expect(holder).to_be_visible()
        canvas = holder.locator("canvas")
        box = canvas.bounding_box()
        assert box and 300 <= box["width"] <= 375 and box["height"] > 200
        expect(phone.locator(f'[data-chart-table="{slug}"]')).to_be_visible()
    assert errors == []
    # The page fits the phone: nothing wider than the screen but the tables' own scroll boxes.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(phone) == []


def test_without_javascript_the_tables_are_the_page(world, live_server, browser):
    some_actions(world)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    log_in(page, live_server, world.staff.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/staff/charts/")
    expect(page.locator("canvas").first).to_be_hidden()
    table = page.locator('[data-chart-table="letters"]')
    expect(table).to_be_visible()
    letters = sum(range(1, timezone.localdate().month + 1))
    expect(table.locator("tbody td").first).to_have_text(str(letters))
    context.close()
