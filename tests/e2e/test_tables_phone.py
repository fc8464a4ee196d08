"""Wide tables on a phone scroll inside their own box: the page itself never scrolls sideways,
and a keyboard user can reach the box to scroll it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_tables_stay_inside_a_phone_screen(world, live_server, phone):
    log_in(phone, live_server, world.staff.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    for path in [
        f"/staff/cases/{world.case_x.reference}/",
        "/staff/cases/IAR-2026-103/",
        "/staff/manage/countries/",
        "/staff/stopped/",
        "/staff/figures/",
        "/account/my-data/",
    ]:
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert axe_violations(phone) == [], path


def test_a_members_data_page_is_accessible_on_a_phone(world, live_server, phone):
    log_in(phone, live_server, world.holder_x.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/account/my-data/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(phone) == []
    # The wide tables are scroll boxes a keyboard can reach.
    assert phone.locator(".table-responsive[tabindex='0']").count() >= 1


# Each table box's accessible name, worked out as a screen reader would: its aria-label, or the
# text of the elements its aria-labelledby points at.
_BOX_NAMES = """boxes => boxes.map(box => ({
    focusable: box.tabIndex === 0, role: box.getAttribute('role'),
    name: (box.getAttribute('aria-label') || (box.getAttribute('aria-labelledby') || '')
        .split(/\\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ')).trim()
}))"""


def test_staff_list_pages_name_each_table_box_for_a_keyboard(world, live_server, phone):
    log_in(phone, live_server, world.staff.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    boxes = 0
    for path in [
        "/",
        reverse("reporting:dashboard"),
        reverse("reporting:workload"),
        reverse("reporting:imports"),
        reverse("staff:case_list"),
        reverse("staff:match_groups", args=[world.case_x.reference]),
        reverse("staff:group", args=[world.group_y.pk]),
        reverse("case_requests:case_requests"),
        reverse("notifications:print_queue"),
    ]:
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert axe_violations(phone) == [], path
        for box in phone.locator(".table-responsive").evaluate_all(_BOX_NAMES):
            assert box["focusable"] and box["role"] == "region" and box["name"], (path, box)
            boxes += 1
    assert boxes >= 6
