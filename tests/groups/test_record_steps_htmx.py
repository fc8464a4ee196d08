"""Recording an action with htmx: each step swaps in place of the last (the step alone, with its
title), the saved action loads the case page whole, and without htmx the same URLs answer with
whole pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import Activity

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def url(allocation):
    return f"/groups/allocations/{allocation.pk}/record/"


def fragment(response) -> str:
    assert response.status_code == 200
    assert response.templates[0].name == "groups/_record_step.html"
    html = response.content.decode()
    assert "<html" not in html and "Skip to main content" not in html
    assert "HX-Request" in response["Vary"]
    return html


def test_the_page_boosts_the_steps_into_one_place(world, client_for):
    html = client_for("member_x").get(url(world.allocation_x)).content.decode()
    assert "<html" in html
    assert 'id="record-step" hx-boost="true" hx-target="#record-step"' in html
    assert 'hx-swap="outerHTML"' in html
    # The forms and links still work without JavaScript.
    assert f'<form method="get" action="{url(world.allocation_x)}">' in html
    # "Cancel" leaves the flow: it is outside the swapped part, so it loads the case page.
    step = html.split('id="record-step"', 1)[1].split("Cancel and go back", 1)
    assert len(step) == 2 and step[0].count("<div") < step[0].count("</div>")


def test_each_step_comes_alone_with_its_title_and_focus(world, client_for):
    client = client_for("member_x")
    step1 = fragment(client.get(url(world.allocation_x), **HX))
    assert "<title>Record an action, step 1 of 3 – Amnesty International UK</title>" in step1
    assert 'name="kind" value="appeal_letter"' in step1
    assert '<h1 tabindex="-1" autofocus>' in step1

    step2 = fragment(client.get(url(world.allocation_x), {"kind": "stall"}, **HX))
    assert "step 2 of 3" in step2 and 'name="when" value="yesterday"' in step2
    assert 'name="kind" value="stall"' in step2

    step3 = fragment(client.get(url(world.allocation_x), {"kind": "stall", "when": "today"}, **HX))
    assert "step 3 of 3" in step3
    assert f'name="date" value="{timezone.localdate().isoformat()}"' in step3
    assert f'<form method="post" action="{url(world.allocation_x)}"' in step3
    assert Activity.objects.count() == 0


def test_an_error_is_a_fragment_that_says_so_and_keeps_the_answers(world, client_for):
    client = client_for("member_x")
    bad_date = fragment(
        client.get(
            url(world.allocation_x),
            {"kind": "stall", "when": "other", "date": "2999-01-01"},
            **HX,
        )
    )
    assert "<title>Error: Record an action, step 2 of 3" in bad_date
    assert "cannot be in the future" in bad_date
    assert 'value="2999-01-01"' in bad_date

    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad_count = fragment(
        client.post(
            url(world.allocation_x),
            {"kind": "stall", "date": yesterday, "count": "many", "outcome": ""},
            **HX,
        )
    )
    assert "<title>Error: Record an action, step 3 of 3" in bad_count
    assert 'value="many"' in bad_count
    assert Activity.objects.count() == 0


def test_saving_loads_the_case_page_whole_with_the_confirmation(world, client_for):
    client = client_for("member_x")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url(world.allocation_x),
        {"kind": "appeal_letter", "date": yesterday.isoformat(), "count": "2", "outcome": ""},
        **HX,
    )
    assert response.status_code == 200
    case_url = f"/groups/cases/{world.case_x.reference}/"
    assert response["HX-Redirect"] == case_url
    activity = Activity.objects.get()
    assert (activity.kind, activity.count, activity.date) == ("appeal_letter", 2, yesterday)
    page = client.get(case_url).content.decode()
    assert "Saved: 2 letters to the Minister of Justice of A" in page


def test_without_htmx_the_same_urls_answer_with_whole_pages(world, client_for):
    client = client_for("member_x")
    page = client.get(url(world.allocation_x), {"kind": "stall"})
    assert page.templates[0].name == "groups/record_action.html"
    html = page.content.decode()
    assert "<html" in html and "<title>Record an action, step 2 of 3" in html
    assert " autofocus" not in html  # a whole page keeps the browser's own focus
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    saved = client.post(
        url(world.allocation_x),
        {"kind": "stall", "date": yesterday, "count": "1", "outcome": ""},
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"/groups/cases/{world.case_x.reference}/"


def test_a_history_restore_gets_the_whole_page(world, client_for):
    response = client_for("member_x").get(
        url(world.allocation_x),
        {"kind": "stall"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert response.templates[0].name == "groups/record_action.html"
    assert "<html" in response.content.decode()


def test_another_groups_case_is_not_found_under_htmx_too(world, client_for):
    response = client_for("member_y").get(url(world.allocation_x), **HX)
    assert response.status_code == 404
