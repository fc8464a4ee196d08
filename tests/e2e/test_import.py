"""Staff import a spreadsheet of groups: a bad row is shown by row and column and nothing is
written; the fixed file imports; a dashboard number opens the list behind it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from groups.models import LocalGroup

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "name,town,postal_address,contact_email,channel,capacity\n"
GOOD = "Kendal Amnesty Group,Kendal,1 Market Place,kendal@example.org,email,2\n"


def upload(page, live_server, text: str) -> None:
    page.goto(f"{live_server.url}/staff/imports/")
    page.get_by_label("Local groups").check()
    page.get_by_label("The file (CSV or Excel, up to 10 MB)").set_input_files(
        files=[{"name": "groups.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Check the file").click()


def test_import_a_file_with_a_bad_row_fix_it_and_open_a_dashboard_number(
    world, live_server, browser, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server, world.staff.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")

    bad = (
        HEADER + GOOD + "Kirkby Stephen Group,Kirkby Stephen,2 Main St,ks@example.org,email,lots\n"
    )
    upload(page, live_server, bad)
    problem = page.locator('[data-error-row="3"][data-error-column="capacity"]')
    expect(problem).to_contain_text("“lots” is not a whole number.")
    expect(page.get_by_text("Nothing was imported.")).to_be_visible()
    assert axe_violations(page) == []
    assert not LocalGroup.objects.filter(town__in=["Kendal", "Kirkby Stephen"]).exists()

    fixed = bad.replace(",lots", ",1")
    upload(page, live_server, fixed)
    page.get_by_role("button", name="Import these 2 rows").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "done")
    assert LocalGroup.objects.filter(town__in=["Kendal", "Kirkby Stephen"]).count() == 2

    # The new groups have no case yet: the dashboard counts them, and its number opens them.
    page.goto(f"{live_server.url}/staff/dashboard/")
    number = page.locator('[data-figure="no-case"]')
    count = int(number.inner_text().split()[0])
    assert count == LocalGroup.objects.filter(is_active=True, allocations__isnull=True).count()
    number.click()
    expect(page.get_by_role("heading", name="Active groups with no case")).to_be_visible()
    expect(page.locator("tbody tr[data-row]")).to_have_count(count)
    expect(page.get_by_role("link", name="Kendal Amnesty Group")).to_be_visible()
    assert axe_violations(page) == []
