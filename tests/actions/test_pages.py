"""The pages members, coordinators and staff use, through the test client."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from actions.models import (
    ActionRecord,
    OneOffAttachment,
    RegionBulletin,
    RegionSubscription,
    UASubscription,
    UrgentAction,
)
from groups.models import CaseRequest
from notifications.models import OutboundMessage

from .. import factories as f
from .helpers import TARGET, make_admin, one_off, published_ua, region_country

pytestmark = pytest.mark.django_db


def test_the_list_is_newest_first_and_filters_by_region_and_theme(world, client_for):
    africa = region_country("Africa", "africa")
    americas = region_country("Americas", "americas")
    torture = f.ThemeFactory(name="Torture", slug="torture")
    today = timezone.localdate()
    published_ua(
        world.staff,
        country=africa,
        reference="UA 1/26",
        title="Older Africa UA",
        issued_on=today - dt.timedelta(days=5),
    )
    published_ua(
        world.staff,
        country=americas,
        reference="UA 2/26",
        title="Newer Americas UA",
        themes=[torture],
    )
    client = client_for("member_x")
    html = client.get("/urgent-actions/").content.decode()
    assert html.index("Newer Americas UA") < html.index("Older Africa UA")
    html = client.get(f"/urgent-actions/?region={africa.region.pk}").content.decode()
    assert "Older Africa UA" in html and "Newer Americas UA" not in html
    html = client.get(f"/urgent-actions/?theme={torture.pk}").content.decode()
    assert "Newer Americas UA" in html and "Older Africa UA" not in html
    # A value no browser form would send is ignored politely, not a 500.
    assert client.get("/urgent-actions/?region=abc&theme=%00").status_code in (200, 400)


def test_staff_write_preview_and_publish_a_ua_through_the_pages(world, client_for):
    world.group_y.ua_subscription = UASubscription.objects.create(group=world.group_y)
    client = client_for("staff")
    today = timezone.localdate()
    data = {
        "reference": "UA 77/26",
        "title": "Trade unionist at risk",
        "country": world.country_a.pk,
        "issued_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=21)).isoformat(),
        "summary": "Arrested.",
        "suggested_letter": "Please release him.",
        "language_notes": "",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        **{f"targets-0-{k}": v for k, v in TARGET.items()},
    }
    response = client.post("/urgent-actions/staff/new/", data)
    ua = UrgentAction.objects.get(reference="UA 77/26")
    assert response.status_code == 302 and response["Location"] == f"/urgent-actions/{ua.pk}/"
    assert ua.targets.get().address_line_2 == "12 Avenue of the Republic"
    preview = client.get(f"/urgent-actions/{ua.pk}/").content.decode()
    assert "Preview: this is a draft" in preview and "sends it to 1 group" in preview
    client.post(f"/urgent-actions/staff/{ua.pk}/publish/")
    ua.refresh_from_db()
    assert ua.status == "published"
    assert OutboundMessage.objects.filter(
        recipient_group=world.group_y, template="urgent-action"
    ).exists()


def test_a_member_records_letters_and_they_are_in_the_log_and_export(world, client_for):
    ua = published_ua(world.staff, country=world.country_a, title="Letters needed")
    client = client_for("member_x")
    url = f"/urgent-actions/record/ua/{ua.pk}/"
    # From the Urgent Action's page through the three steps: what, when, how many.
    assert f'href="{url}"' in client.get(f"/urgent-actions/{ua.pk}/").content.decode()
    assert 'name="kind" value="letters"' in client.get(url).content.decode()
    assert 'name="when" value="today"' in client.get(url, {"kind": "letters"}).content.decode()
    today = timezone.localdate().isoformat()
    step3 = client.get(url, {"kind": "letters", "when": "today"}).content.decode()
    assert f'name="date" value="{today}"' in step3 and "How many letters?" in step3
    assert not ActionRecord.objects.exists()
    response = client.post(
        url,
        {
            "group": world.group_x.pk,
            "kind": "letters",
            "count": "12",
            "date": today,
            "notes": "At the stall",
        },
    )
    assert response.status_code == 302
    record = ActionRecord.objects.get()
    assert (record.group, record.urgent_action, record.count, record.recorded_by) == (
        world.group_x,
        ua,
        12,
        world.member_x,
    )
    log = client.get(response["Location"]).content.decode()
    assert "Letters needed" in log and "12 letters sent" in log
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/urgent-actions/groups/{world.group_x.pk}/log.csv").content.decode()
            )
        )
    )
    assert rows[1][1:4] == [str(ua), "Letters sent", "12"]


def test_recorded_actions_are_counted_in_the_groups_own_export(world, client_for):
    ua = published_ua(world.staff, country=world.country_a, title="Counted action")
    ActionRecord.objects.create(
        group=world.group_x, urgent_action=ua, count=5, recorded_by=world.member_x
    )
    ActionRecord.objects.create(group=world.group_y, urgent_action=ua, count=99)
    content = client_for("member_x").get(f"/groups/{world.group_x.pk}/actions.csv").content
    rows = list(csv.reader(io.StringIO(content.decode())))
    ua_rows = [row for row in rows if row[2] == str(ua)]
    assert len(ua_rows) == 1
    assert ua_rows[0][3:5] == ["Letters sent", "5"]


def test_bad_counts_are_explained_and_typed_values_kept(world, client_for):
    ua = published_ua(world.staff, country=world.country_a)
    client = client_for("member_x")
    url = f"/urgent-actions/record/ua/{ua.pk}/"
    # The date is asked in the second step, the number in the third.
    html = client.get(
        url, {"kind": "letters", "when": "other", "date": "2099-01-01"}
    ).content.decode()
    assert "cannot be in the future" in html and 'value="2099-01-01"' in html
    response = client.post(
        url,
        {
            "group": world.group_x.pk,
            "kind": "letters",
            "count": "lots",
            "date": timezone.localdate().isoformat(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number" in html
    assert 'value="lots"' in html
    assert not ActionRecord.objects.exists()


def test_an_administrator_signs_the_group_up_to_regions_and_themes(world, client_for):
    make_admin(world.member_x, world.group_x)
    africa = region_country("Africa", "africa")
    url = f"/urgent-actions/groups/{world.group_x.pk}/sign-up/"
    client = client_for("member_x")
    response = client.post(url, {"which": "some"})
    assert "Choose at least one region or theme" in response.content.decode()
    client.post(
        url, {"which": "some", "regions": [africa.region.pk], "region_work": [africa.region.pk]}
    )
    subscription = UASubscription.objects.get(group=world.group_x)
    assert not subscription.all_actions
    assert list(subscription.regions.all()) == [africa.region]
    assert RegionSubscription.objects.filter(group=world.group_x, region=africa.region).exists()
    client.post(url, {"which": "none"})
    assert not UASubscription.objects.filter(group=world.group_x).exists()


def test_a_coordinators_bulletin_reaches_the_regions_groups_only(world, client_for):
    region = world.country_a.region
    RegionSubscription.objects.create(group=world.group_x, region=region)
    response = client_for("coordinator_a").post(
        f"/urgent-actions/regions/{region.code}/bulletin/",
        {"title": "Elections next month", "body": "Expect arrests; please write now."},
    )
    assert response.status_code == 302
    bulletin = RegionBulletin.objects.get()
    sent = OutboundMessage.objects.filter(idempotency_key__startswith=f"bulletin:{bulletin.pk}:")
    assert {m.recipient_group for m in sent} == {world.group_x}
    page = client_for("member_y").get(f"/urgent-actions/regions/{region.code}/").content.decode()
    assert "Elections next month" in page


def test_the_region_page_lists_its_cases_and_open_actions_without_confidential_names(
    world, client_for
):
    region = world.country_a.region
    published_ua(world.staff, country=world.country_a, title="Open in the region")
    one_off(world.staff, title="Region one-off", country=world.country_a)
    html = client_for("member_x").get(f"/urgent-actions/regions/{region.code}/").content.decode()
    assert "Open in the region" in html and "Region one-off" in html
    assert world.case_x.reference in html
    assert world.case_confidential_x.reference in html
    assert "Confidential of X" not in html
    holder = client_for("holder_x").get(f"/urgent-actions/regions/{region.code}/").content.decode()
    assert "Confidential of X" in holder


def test_staff_answer_a_case_request_with_one_off_actions(world, client_for):
    request = CaseRequest.objects.create(
        group=world.group_x, number=2, meeting_date=timezone.localdate() + dt.timedelta(days=20)
    )
    action = one_off(world.staff, title="Christmas cards for the prisoners")
    client = client_for("staff")
    assert (
        "answer with one-off actions"
        in client.get(f"/staff/case-requests/{request.pk}/").content.decode()
    )
    response = client.post(
        f"/urgent-actions/staff/case-requests/{request.pk}/one-off/",
        {"one_offs": [action.pk], "message": "Have a good meeting."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CaseRequest.Status.FULFILLED
    assert OneOffAttachment.objects.filter(one_off=action, group=world.group_x).exists()
    notice = OutboundMessage.objects.get(
        template="case-request-fulfilled", recipient_group=world.group_x
    )
    assert "Christmas cards for the prisoners" in notice.context["response"]
    # No long-term allocation was made, so no yearly report is owed.
    assert world.group_x.allocations.count() == 2
    meeting = (
        client_for("member_x")
        .get(f"/urgent-actions/groups/{world.group_x.pk}/meeting/")
        .content.decode()
    )
    assert "Christmas cards for the prisoners" in meeting


def test_a_ua_document_downloads_privately_and_a_lost_file_is_a_404(world, client_for):
    ua = published_ua(world.staff, country=world.case_x.country)
    ua.document.save("ua-101.pdf", ContentFile(b"%PDF-1.4 statement"), save=False)
    ua.document_name = "UA 101-26.pdf"
    ua.save(update_fields=["document", "document_name"])
    client = client_for("member_x")
    url = f"/urgent-actions/{ua.pk}/document/"

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 statement"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"

    ua.document.storage.delete(ua.document.name)
    assert client.get(url).status_code == 404
