"""Recording what a group sent on an Urgent Action, a bundle or a one-off action, in the three steps
of casework: whole pages without JavaScript, the step alone under htmx, typed answers kept, and
only the group's own members recording, only for the group's own group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from actions import services
from actions.models import ActionBundle, ActionRecord, OneOffAction

from .. import factories as f
from .helpers import draft_ua, one_off, published_ua

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def url(what, subject):
    return f"/urgent-actions/record/{what}/{subject.pk}/"


def fragment(response) -> str:
    assert response.status_code == 200
    assert response.templates[0].name == "actions/_record_step.html"
    html = response.content.decode()
    assert "<html" not in html and "Skip to main content" not in html
    assert "HX-Request" in response["Vary"]
    return html


@pytest.fixture
def ua(world):
    return published_ua(world.staff, country=world.country_a, title="Poet detained")


def test_three_steps_carry_the_answers_and_save_once(world, client_for, ua):
    client = client_for("member_x")
    step1 = client.get(url("ua", ua)).content.decode()
    assert "Step 1 of 3" in step1 and "<title>Record an action, step 1 of 3" in step1
    assert "Poet detained" in step1 and "for Group X" in step1
    for kind in ("letters", "cards", "emails"):
        assert f'name="kind" value="{kind}"' in step1
    assert f'href="/urgent-actions/{ua.pk}/">Cancel and go back' in step1

    step2 = client.get(url("ua", ua), {"kind": "cards"}).content.decode()
    assert "Step 2 of 3" in step2 and "You sent: <strong>Cards sent</strong>" in step2
    assert 'name="when" value="today"' in step2 and 'name="when" value="yesterday"' in step2

    yesterday = timezone.localdate() - timedelta(days=1)
    step3 = client.get(
        url("ua", ua), {"kind": "cards", "when": "yesterday", "date": ""}
    ).content.decode()
    assert "Step 3 of 3" in step3
    assert f'name="date" value="{yesterday.isoformat()}"' in step3
    assert 'name="kind" value="cards"' in step3
    assert 'name="count" value="1"' in step3 and "How many cards?" in step3
    # One group: it is not asked, it travels hidden.
    assert f'type="hidden" name="group" value="{world.group_x.pk}"' in step3
    assert not ActionRecord.objects.exists()  # nothing is saved before the last step

    response = client.post(
        url("ua", ua),
        {
            "kind": "cards",
            "date": yesterday.isoformat(),
            "count": "4",
            "group": world.group_x.pk,
            "notes": "Signed at the meeting",
        },
        follow=True,
    )
    record = ActionRecord.objects.get()
    assert (record.group, record.urgent_action, record.kind, record.count, record.date) == (
        world.group_x,
        ua,
        "cards",
        4,
        yesterday,
    )
    assert record.notes == "Signed at the meeting" and record.recorded_by == world.member_x
    assert response.redirect_chain[-1][0] == f"/urgent-actions/groups/{world.group_x.pk}/log/"
    html = response.content.decode()
    assert "Thank you. 4 cards sent recorded for Group X." in html
    assert "Poet detained" in html


def test_a_typed_date_is_used_over_the_default_button(world, client_for, ua):
    day = timezone.localdate() - timedelta(days=10)
    html = (
        client_for("member_x")
        .get(url("ua", ua), {"kind": "letters", "when": "today", "date": day.isoformat()})
        .content.decode()
    )
    assert "Step 3 of 3" in html and f'name="date" value="{day.isoformat()}"' in html


def test_a_bundle_and_a_one_off_action_are_recorded_the_same_way(world, client_for):
    card = one_off(world.staff, kind=OneOffAction.Kind.CARD, title="Cards for Christmas")
    mailing = services.save_bundle(
        None,
        kind=ActionBundle.Kind.MAILING,
        title="December mailing",
        one_offs=[one_off(world.staff)],
        actor=world.staff,
    )
    services.publish_bundle(mailing, actor=world.staff)
    client = client_for("member_x")

    # A card action offers cards first; letters stay on offer.
    step1 = client.get(url("one-off", card)).content.decode()
    assert step1.index('value="cards"') < step1.index('value="letters"')
    assert f'href="/urgent-actions/one-off/{card.pk}/">Cancel' in step1
    assert "Step 1 of 3" in client.get(url("bundle", mailing)).content.decode()

    today = timezone.localdate().isoformat()
    for what, subject, kind in (("one-off", card, "cards"), ("bundle", mailing, "letters")):
        step3 = client.get(url(what, subject), {"kind": kind, "when": "today"}).content.decode()
        assert "Step 3 of 3" in step3
        saved = client.post(
            url(what, subject),
            {"kind": kind, "date": today, "count": "3", "group": world.group_x.pk},
        )
        assert saved.status_code == 302
    records = ActionRecord.objects.order_by("pk")
    assert [(r.one_off, r.bundle, r.kind) for r in records] == [
        (card, None, "cards"),
        (None, mailing, "letters"),
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "faxes"}, "Choose what you did from the list."),
        ({"kind": "letters", "when": "other", "date": "2999-01-01"}, "cannot be in the future"),
        ({"kind": "letters", "when": "other", "date": "31/02/2026"}, "Enter a real date"),
        ({"kind": "letters", "when": "other", "date": ""}, "Choose Today or Yesterday"),
        ({"kind": "letters", "when": "other", "date": "1900-01-01"}, "within the last three"),
    ],
)
def test_bad_answers_in_early_steps_are_explained(world, client_for, ua, params, message):
    response = client_for("member_x").get(url("ua", ua), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    if params.get("date"):
        assert f'value="{params["date"]}"' in html  # what was typed is kept
    assert not ActionRecord.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "-1"}, "Enter a number of at least 1."),
        ({"count": "99999999999999999999"}, "Enter a number no larger than 100,000."),
        ({"count": "lots"}, "Enter a whole number, for example 12."),
        ({"date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "future"),
        ({"date": "not-a-date"}, "Enter a real date"),
        ({"kind": "faxes"}, "Choose letters, cards or emails."),
        ({"notes": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_a_bad_last_step_is_explained_keeps_what_was_typed_and_saves_nothing(
    world, client_for, ua, data, message
):
    form = {
        "kind": "letters",
        "date": timezone.localdate().isoformat(),
        "count": "5",
        "group": world.group_x.pk,
        "notes": "Written at the library",
    }
    form.update(data)
    response = client_for("member_x").post(url("ua", ua), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert "Step 3 of 3" in html
    assert f'value="{form["count"]}"' in html
    assert form["notes"] in html
    assert not ActionRecord.objects.exists()


def test_a_member_of_two_groups_chooses_one_of_their_own(world, client_for, ua):
    second = f.GroupFactory(name="Group Z")
    f.MembershipFactory(group=second, user=world.member_x)
    client = client_for("member_x")
    step3 = client.get(url("ua", ua), {"kind": "letters", "when": "today"}).content.decode()
    assert "For which group?" in step3
    assert ">Group X</option>" in step3 and ">Group Z</option>" in step3
    assert ">Group Y</option>" not in step3
    today = timezone.localdate().isoformat()

    refused = client.post(
        url("ua", ua), {"kind": "letters", "date": today, "count": "2", "group": world.group_y.pk}
    )
    assert refused.status_code == 200
    assert "Choose one of your groups." in refused.content.decode()
    assert not ActionRecord.objects.exists()

    client.post(url("ua", ua), {"kind": "letters", "date": today, "count": "2", "group": second.pk})
    assert ActionRecord.objects.get().group == second


def test_who_may_record_is_checked_at_every_step(world, client_for, ua):
    today = timezone.localdate().isoformat()
    steps = ({}, {"kind": "letters"}, {"kind": "letters", "when": "today"})
    post = {"kind": "letters", "date": today, "count": "1", "group": world.group_x.pk}
    outsider = client_for("outsider")
    for params in steps:
        assert outsider.get(url("ua", ua), params).status_code == 403
    assert outsider.post(url("ua", ua), post).status_code == 403

    member = client_for("member_x")
    hidden = [
        ("ua", draft_ua(world.staff, country=world.country_a, reference="UA 102/26")),
        (
            "bundle",
            services.save_bundle(
                None, kind=ActionBundle.Kind.MAILING, title="Not yet sent", actor=world.staff
            ),
        ),
    ]
    stopped = one_off(world.staff, title="Withdrawn action")
    OneOffAction.objects.filter(pk=stopped.pk).update(is_active=False)
    hidden.append(("one-off", stopped))
    for what, subject in hidden:
        for params in steps:
            assert member.get(url(what, subject), params).status_code == 404
        assert member.post(url(what, subject), post).status_code == 404
    assert member.get(f"/urgent-actions/record/nonsense/{ua.pk}/").status_code == 404
    assert client_for("anonymous").get(url("ua", ua)).status_code == 302
    assert not ActionRecord.objects.exists()


# ---- With htmx --------------------------------------------------------------------------------


def test_the_page_boosts_the_steps_into_one_place(world, client_for, ua):
    html = client_for("member_x").get(url("ua", ua)).content.decode()
    assert "<html" in html
    assert 'id="record-step" hx-boost="true" hx-target="#record-step"' in html
    assert 'hx-swap="outerHTML"' in html
    assert f'<form method="get" action="{url("ua", ua)}">' in html
    # "Cancel" is outside the swapped part, so it loads the action's page whole.
    step = html.split('id="record-step"', 1)[1].split("Cancel and go back", 1)
    assert len(step) == 2 and step[0].count("<div") < step[0].count("</div>")


def test_each_step_comes_alone_with_its_title_and_focus(world, client_for, ua):
    client = client_for("member_x")
    step1 = fragment(client.get(url("ua", ua), **HX))
    assert "<title>Record an action, step 1 of 3 – Amnesty International UK</title>" in step1
    assert 'name="kind" value="letters"' in step1
    assert '<h1 tabindex="-1" autofocus>' in step1

    step2 = fragment(client.get(url("ua", ua), {"kind": "emails"}, **HX))
    assert "step 2 of 3" in step2 and 'name="when" value="yesterday"' in step2
    assert 'name="kind" value="emails"' in step2

    step3 = fragment(client.get(url("ua", ua), {"kind": "emails", "when": "today"}, **HX))
    assert "step 3 of 3" in step3 and "How many emails?" in step3
    assert f'name="date" value="{timezone.localdate().isoformat()}"' in step3
    assert f'<form method="post" action="{url("ua", ua)}"' in step3
    assert not ActionRecord.objects.exists()


def test_an_error_is_a_fragment_that_says_so_and_keeps_the_answers(world, client_for, ua):
    client = client_for("member_x")
    bad_date = fragment(
        client.get(url("ua", ua), {"kind": "letters", "when": "other", "date": "2999-01-01"}, **HX)
    )
    assert "<title>Error: Record an action, step 2 of 3" in bad_date
    assert "cannot be in the future" in bad_date and 'value="2999-01-01"' in bad_date

    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad_count = fragment(
        client.post(
            url("ua", ua),
            {"kind": "letters", "date": yesterday, "count": "many", "group": world.group_x.pk},
            **HX,
        )
    )
    assert "<title>Error: Record an action, step 3 of 3" in bad_count
    assert 'value="many"' in bad_count and f'value="{yesterday}"' in bad_count
    assert not ActionRecord.objects.exists()


def test_saving_loads_the_log_whole_with_the_thank_you(world, client_for, ua):
    client = client_for("member_x")
    response = client.post(
        url("ua", ua),
        {
            "kind": "letters",
            "date": timezone.localdate().isoformat(),
            "count": "8",
            "group": world.group_x.pk,
        },
        **HX,
    )
    assert response.status_code == 200
    log_url = f"/urgent-actions/groups/{world.group_x.pk}/log/"
    assert response["HX-Redirect"] == log_url
    assert ActionRecord.objects.get().count == 8
    page = client.get(log_url).content.decode()
    assert "Thank you. 8 letters sent recorded for Group X." in page


def test_without_htmx_the_same_urls_answer_with_whole_pages(world, client_for, ua):
    client = client_for("member_x")
    page = client.get(url("ua", ua), {"kind": "letters"})
    assert page.templates[0].name == "actions/record.html"
    html = page.content.decode()
    assert "<html" in html and "<title>Record an action, step 2 of 3" in html
    assert " autofocus" not in html  # a whole page keeps the browser's own focus
    assert "HX-Request" in page["Vary"]
    # Going back in the browser restores a whole page, not a lone step.
    restored = client.get(
        url("ua", ua), {"kind": "letters"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HX
    )
    assert restored.templates[0].name == "actions/record.html"
    saved = client.post(
        url("ua", ua),
        {
            "kind": "letters",
            "date": timezone.localdate().isoformat(),
            "count": "1",
            "group": world.group_x.pk,
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"/urgent-actions/groups/{world.group_x.pk}/log/"
