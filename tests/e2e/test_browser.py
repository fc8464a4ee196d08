"""What a volunteer does on a phone: log in, see My cases, record an action."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_page_and_error_summary_are_accessible(world, live_server, phone):
    phone.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(phone) == []
    log_in(phone, live_server, world.member_x.email, "wrong-password")
    expect(phone.get_by_text("There is a problem")).to_be_visible()
    assert phone.get_by_label("Email").input_value() == world.member_x.email
    assert axe_violations(phone) == []


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
def test_staff_and_coordinator_homes_are_accessible(world, live_server, phone, persona):
    log_in(phone, live_server, getattr(world, persona).email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    assert axe_violations(phone) == []
    phone.goto(f"{live_server.url}/cases/{world.case_x.reference}/")
    expect(phone.get_by_role("heading", name="Case of X")).to_be_visible()
    assert axe_violations(phone) == []
