"""A volunteer on a phone: record an action in three taps, then print an appeal letter."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Activity

from ..factories import PASSWORD
from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_three_step_action_and_letter_pdf_on_a_phone(world, live_server, phone):
    world.case_x.suggested_letter = "I am writing to urge you to release the prisoner."
    world.case_x.save()
    log_in(phone, live_server, world.member_x.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    expect(phone.get_by_role("heading", name="My cases")).to_be_visible()

    phone.get_by_role("link", name="Record an action").first.click()
    expect(phone.get_by_text("Step 1 of 3")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Letter to the authorities").click()

    expect(phone.get_by_text("Step 2 of 3")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_role("button", name=re.compile(r"^Today")).click()

    expect(phone.get_by_text("Step 3 of 3")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    count = phone.get_by_label("How many letters?")
    expect(count).to_have_value("1")
    count.fill("12")
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Save this action").click()

    expect(phone.get_by_text("Saved: 12 letters to the Minister of Justice of A")).to_be_visible()
    activity = Activity.objects.get()
    assert (activity.count, activity.kind) == (12, "appeal_letter")
    assert activity.date == timezone.localdate()
    expect(phone.get_by_role("heading", name="Our work on Case of X")).to_be_visible()
    assert axe_violations(phone) == []
    # Nothing on the page is wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_role("link", name="Write an appeal letter").click()
    letter = phone.get_by_label("Your letter")
    expect(letter).to_have_value("I am writing to urge you to release the prisoner.")
    assert axe_violations(phone) == []
    letter.fill("Please release the prisoner. Thank you.")
    with phone.expect_download() as download_info:
        phone.get_by_role("button", name="Download the letter (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "letter-IAR-2026-101-minister-of-justice-of-a.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_bad_date_on_a_phone_is_explained(world, live_server, phone):
    log_in(phone, live_server, world.member_x.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/groups/allocations/{world.allocation_x.pk}/record/?kind=stall")
    phone.get_by_label("Or another date").fill("2999-01-01")
    phone.get_by_role("button", name="Continue with this date").click()
    expect(phone.get_by_text("There is a problem")).to_be_visible()
    expect(phone.get_by_text("The date cannot be in the future.").first).to_be_visible()
    assert axe_violations(phone) == []
    assert Activity.objects.count() == 0


def test_report_and_settings_pages_are_accessible_on_a_phone(world, live_server, phone):
    from datetime import timedelta

    from groups.models import Membership

    Membership.objects.filter(user=world.holder_x).update(role="admin")
    world.allocation_x.started_on = timezone.localdate() - timedelta(days=400)
    world.allocation_x.save()
    log_in(phone, live_server, world.holder_x.email, PASSWORD)
    phone.wait_for_url(f"{live_server.url}/")
    expect(phone.get_by_text("Overdue").first).to_be_visible()
    phone.goto(f"{live_server.url}/groups/cases/{world.case_x.reference}/")
    phone.get_by_role("link", name=re.compile(r"to .*20")).first.click()
    expect(phone.get_by_role("heading", name="Yearly report")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_label("Your plans for the coming year").fill("Two stalls and a vigil.")
    phone.get_by_role("button", name="Save as a draft").click()
    expect(phone.get_by_text("Your draft is saved")).to_be_visible()
    phone.get_by_role("link", name="Our group").click()
    expect(phone.get_by_role("heading", name="Invite someone to the group")).to_be_visible()
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
