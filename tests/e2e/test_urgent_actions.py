"""Staff publish an Urgent Action; a member finds it on a phone, records letters sent and
downloads the meeting pack."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import ActionRecord, UASubscription, UrgentAction
from notifications.models import OutboundMessage

from ..actions.helpers import published_ua
from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_publish_and_a_member_acts_on_a_phone(world, live_server, browser, phone):
    today = timezone.localdate()
    UASubscription.objects.create(group=world.group_x, all_actions=True)
    world.group_x.next_meeting = today + timedelta(days=7)
    world.group_x.save()

    desk = browser.new_context().new_page()
    log_in(desk, live_server, world.staff.email, PASSWORD)
    desk.goto(f"{live_server.url}/urgent-actions/staff/new/")
    desk.get_by_label("Reference", exact=True).fill("UA 150/26")
    desk.get_by_label("Title", exact=True).fill("Poet detained for a poem")
    desk.get_by_label("Country", exact=True).select_option(label="Country A")
    desk.get_by_label("Act before").fill((today + timedelta(days=21)).isoformat())
    desk.get_by_label("Suggested letter text").fill("Please free the poet today.")
    desk.locator("#id_targets-0-name").fill("President of Country A")
    desk.locator("#id_targets-0-address_line_1").fill("Presidential Palace")
    desk.locator("#id_targets-0-town").fill("Capital A")
    desk.get_by_role("button", name="Save and preview").click()
    expect(desk.get_by_text("Preview: this is a draft")).to_be_visible()
    assert axe_violations(desk) == []
    desk.get_by_role("button", name="Publish and send").click()
    expect(desk.get_by_text("Published UA 150/26; sent to 1 group(s).")).to_be_visible()
    ua = UrgentAction.objects.get(reference="UA 150/26")
    assert ua.status == "published"
    assert OutboundMessage.objects.filter(
        recipient_group=world.group_x, template="urgent-action"
    ).exists()
    desk.context.close()

    log_in(phone, live_server, world.member_x.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.get_by_role("link", name="Urgent Actions and meetings").click()
    expect(phone.get_by_role("heading", name="Urgent Actions", exact=True)).to_be_visible()
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("link", name="UA 150/26: Poet detained for a poem").click()
    expect(phone.get_by_text("Please free the poet today.")).to_be_visible()
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # The same three steps as casework: what, when, how many; each swaps in place.
    phone.get_by_role("link", name="Record what we sent").click()
    expect(phone.get_by_text("Step 1 of 3")).to_be_visible()
    phone.get_by_role("button", name="Letters sent", exact=True).click()
    expect(phone.get_by_text("Step 2 of 3")).to_be_visible()
    expect(phone).to_have_title(re.compile(r"^Record an action, step 2 of 3"))
    expect(phone.get_by_role("heading", name="Record an action")).to_be_focused()
    phone.get_by_role("button", name=re.compile(r"^Today")).click()
    expect(phone.get_by_text("Step 3 of 3")).to_be_visible()
    phone.get_by_label("How many letters?").fill("8")
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="Save what we sent").click()
    expect(phone.get_by_text("8 letters sent recorded for Group X")).to_be_visible()
    record = ActionRecord.objects.get()
    assert (record.group, record.urgent_action, record.count) == (world.group_x, ua, 8)

    phone.get_by_role("link", name="Our next meeting").click()
    expect(phone.get_by_role("heading", name="For your meeting on")).to_be_visible()
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Download the meeting pack (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"meeting-pack-{world.group_x.next_meeting:%Y-%m-%d}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_recording_on_an_urgent_action_without_javascript(world, live_server, browser):
    ua = published_ua(world.staff, country=world.country_a, reference="UA 151/26")
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server, world.member_x.email, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/urgent-actions/{ua.pk}/")
        page.get_by_role("link", name="Record what we sent").click()
        page.get_by_role("button", name="Emails sent", exact=True).click()
        expect(page.get_by_text("Step 2 of 3")).to_be_visible()
        expect(page).to_have_url(re.compile(r"record/ua/\d+/\?kind=emails"))
        page.get_by_label("Or another date").fill("2999-01-01")
        page.get_by_role("button", name="Continue with this date").click()
        expect(page.get_by_text("The date cannot be in the future.").first).to_be_visible()
        page.get_by_label("Or another date").fill("")
        page.get_by_role("button", name=re.compile(r"^Yesterday")).click()
        expect(page.get_by_text("Step 3 of 3")).to_be_visible()
        page.get_by_label("How many emails?").fill("3")
        page.get_by_role("button", name="Save what we sent").click()
        expect(page.get_by_text("3 emails sent recorded for Group X")).to_be_visible()
        record = ActionRecord.objects.get()
        assert (record.urgent_action, record.kind, record.count) == (ua, "emails", 3)
        assert record.date == timezone.localdate() - timedelta(days=1)
    finally:
        context.close()
