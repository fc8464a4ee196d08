"""Recording an action in three steps, without JavaScript, on the group's own active cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coordinators.models import CaseUpdate, CaseUpdateNotice
from groups.models import Activity

from .. import factories as f

pytestmark = pytest.mark.django_db


def url(allocation):
    return f"/groups/allocations/{allocation.pk}/record/"


def test_three_steps_carry_the_answers_and_save_once(world, client_for):
    client = client_for("member_x")
    step1 = client.get(url(world.allocation_x)).content.decode()
    assert "Step 1 of 3" in step1
    assert 'name="kind" value="appeal_letter"' in step1

    step2 = client.get(url(world.allocation_x), {"kind": "appeal_letter"}).content.decode()
    assert "Step 2 of 3" in step2
    assert 'name="when" value="today"' in step2
    assert 'name="when" value="yesterday"' in step2

    step3 = client.get(
        url(world.allocation_x), {"kind": "appeal_letter", "when": "yesterday", "date": ""}
    ).content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    assert "Step 3 of 3" in step3
    assert f'name="date" value="{yesterday.isoformat()}"' in step3
    assert 'name="count" value="1"' in step3  # the count defaults to 1
    assert "How many letters?" in step3
    assert Activity.objects.count() == 0  # nothing is saved before the last step

    response = client.post(
        url(world.allocation_x),
        {
            "kind": "appeal_letter",
            "date": yesterday.isoformat(),
            "count": "3",
            "outcome": "reply",
            "outcome_notes": "The embassy wrote back.",
        },
        follow=True,
    )
    activity = Activity.objects.get()
    assert (activity.date, activity.count, activity.outcome) == (yesterday, 3, "reply")
    html = response.content.decode()
    assert "Saved: 3 letters to the Minister of Justice of A" in html
    assert response.redirect_chain[-1][0] == f"/groups/cases/{world.case_x.reference}/"


def test_a_typed_date_is_used_over_the_default_button(world, client_for):
    day = timezone.localdate() - timedelta(days=10)
    html = (
        client_for("member_x")
        .get(url(world.allocation_x), {"kind": "stall", "when": "today", "date": day.isoformat()})
        .content.decode()
    )
    assert f'name="date" value="{day.isoformat()}"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "bribery"}, "Choose what you did from the list."),
        ({"kind": "stall", "when": "other", "date": "2999-01-01"}, "cannot be in the future"),
        ({"kind": "stall", "when": "other", "date": "31/02/2026"}, "Enter a real date"),
        ({"kind": "stall", "when": "other", "date": ""}, "Choose Today or Yesterday"),
        ({"kind": "stall", "when": "other", "date": "1900-01-01"}, "within the last three years"),
    ],
)
def test_bad_answers_in_early_steps_are_explained(world, client_for, params, message):
    response = client_for("member_x").get(url(world.allocation_x), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "-1"}, "Enter a number of at least 1."),
        ({"count": "99999999999999999999"}, "Enter a number no larger than 100,000."),
        ({"date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "future"),
        ({"outcome": "miracle"}, "Select a valid choice"),
    ],
)
def test_bad_last_step_is_explained_and_nothing_saved(world, client_for, data, message):
    form = {"kind": "petition", "date": timezone.localdate().isoformat(), "count": "5"}
    form.update(data)
    response = client_for("member_x").post(url(world.allocation_x), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert Activity.objects.count() == 0


def test_confirmation_says_the_authorities_when_there_are_several_targets(world, client_for):
    f.TargetFactory(case=world.case_x, authority="President of A")
    response = client_for("member_x").post(
        url(world.allocation_x),
        {"kind": "appeal_letter", "date": timezone.localdate().isoformat(), "count": "1"},
        follow=True,
    )
    assert "Saved: 1 letter to the authorities" in response.content.decode()


def test_another_groups_or_an_ended_allocation_is_404_at_every_step(world, client_for):
    client = client_for("member_x")
    for params in ({}, {"kind": "stall"}, {"kind": "stall", "when": "today"}):
        assert client.get(url(world.allocation_y), params).status_code == 404
    allocation = world.allocation_x
    allocation.status, allocation.end_reason = "ended", "withdrawn"
    allocation.ended_on = timezone.localdate()
    allocation.save()
    for params in ({}, {"kind": "stall"}):
        assert client.get(url(allocation), params).status_code == 404
    response = client.post(
        url(allocation), {"kind": "stall", "date": timezone.localdate().isoformat(), "count": "1"}
    )
    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_my_cases_card_counts_unread_coordinator_updates_and_links_to_our_page(world, client_for):
    update = CaseUpdate.objects.create(
        case=world.case_x, title="News", body="x", status="published", published_at=timezone.now()
    )
    read = CaseUpdate.objects.create(
        case=world.case_x, title="Old", body="x", status="published", published_at=timezone.now()
    )
    CaseUpdateNotice.objects.create(update=update, allocation=world.allocation_x)
    CaseUpdateNotice.objects.create(
        update=read, allocation=world.allocation_x, read_at=timezone.now()
    )
    html = client_for("member_x").get("/").content.decode()
    assert "1 new update</strong>" in html
    assert f'href="/groups/cases/{world.case_x.reference}/"' in html


def test_my_cases_marks_an_overdue_report(world, client_for):
    world.allocation_x.started_on = timezone.localdate() - timedelta(days=400)
    world.allocation_x.save()
    html = client_for("member_x").get("/").content.decode()
    card = html.split("Case of X")[1].split("</article>")[0]
    assert "Overdue" in card


def test_my_cases_names_the_person_but_not_on_a_confidential_case_for_non_holders(
    world, client_for
):
    f.CasePersonFactory(case=world.case_x, name="Amina Public")
    f.CasePersonFactory(case=world.case_confidential_x, name="Hidden Person")
    member_html = client_for("member_x").get("/").content.decode()
    assert "Amina Public" in member_html
    assert "Hidden Person" not in member_html
    assert "Hidden Person" in client_for("holder_x").get("/").content.decode()
