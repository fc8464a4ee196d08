"""Staff create and edit cases and groups in the site, close groups, and assign coordinators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import Allocation, Case, CasePerson, Gender
from coordinators.models import CountryCoordinator
from coordinators.services_manage import CoordinatorError, set_country_coordinators
from groups import services_manage
from groups.models import LocalGroup
from groups.services import GroupError
from iar_site.models import AuditEntry
from notifications.models import OutboundMessage
from tests import factories as f


def case_post(country, coordinator=None, **extra):
    data = {
        "reference": "IAR-2026-500",
        "title": "Nadia Example",
        "kind": Case.Kind.INDIVIDUAL,
        "country": country.pk,
        "summary": "A journalist held for her reporting.",
        "sensitivity": Case.Sensitivity.PUBLIC,
        "public_action_allowed": "on",
        "max_groups": "2",
        "coordinator": coordinator.pk if coordinator else "",
        "solidarity_address": "",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
        "people-0-name": "Nadia Example",
        "people-0-gender": Gender.FEMALE,
        "people-0-role": "journalist",
        "people-1-name": "",
        "people-1-gender": Gender.UNSTATED,
        "people-1-role": "",
    }
    data.update(extra)
    return data


# ---- Cases ----------------------------------------------------------------------------------


def test_staff_create_a_draft_case_with_its_people(world, client_for):
    theme = f.ThemeFactory(name="Freedom of expression", slug="expression")
    coordinator = world.coordinator_a.coordinator_profile
    data = case_post(world.country_a, coordinator, themes=[theme.pk])
    response = client_for("staff").post(reverse("case_manage:create"), data)
    assert response.status_code == 302
    case = Case.objects.get(reference="IAR-2026-500")
    assert case.status == Case.Status.DRAFT
    assert case.coordinator == coordinator
    assert list(case.themes.all()) == [theme]
    assert list(case.people.values_list("name", "gender", "role")) == [
        ("Nadia Example", "female", "journalist")
    ]
    assert AuditEntry.objects.filter(action="case.created", object_id=str(case.pk)).exists()


def test_bad_case_input_keeps_what_was_typed_and_saves_nothing(world, client_for):
    data = case_post(
        world.country_a,
        world.coordinator_b.coordinator_profile,  # covers country B, not A
        reference="IAR 2026/1",
        max_groups="99",
        **{"people-1-role": "lawyer"},
    )
    response = client_for("staff").post(reverse("case_manage:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "letters, digits and dashes" in body
    assert "Enter a whole number from 1 to 50." in body
    assert "does not cover Country A" in body
    assert "Enter the person&#x27;s name, or clear their role." in body
    assert 'value="A journalist held' in body or "A journalist held for her reporting." in body
    assert not Case.objects.filter(title="Nadia Example").exists()


def test_duplicate_reference_is_refused_in_plain_words(world, client_for):
    data = case_post(world.country_a, reference=world.case_x.reference)
    response = client_for("staff").post(reverse("case_manage:create"), data)
    assert "Another case already has this reference" in response.content.decode()


def test_edit_replaces_people_and_refuses_fewer_places_than_groups(world):
    case = world.case_x
    f.AllocationFactory(case=case, group=f.GroupFactory())  # two groups now
    values = {"max_groups": 1}
    with pytest.raises(case_services.CaseError, match="cannot be less than 2"):
        case_services.save_case(case, values=values, themes=[], people=[], actor=world.staff)
    case.refresh_from_db()
    assert case.max_groups == 2
    case_services.save_case(
        case,
        values={"max_groups": 3, "summary": "New"},
        themes=[],
        people=[{"name": "A Person", "gender": "male", "role": ""}],
        actor=world.staff,
    )
    assert list(CasePerson.objects.filter(case=case).values_list("name", flat=True)) == ["A Person"]
    entry = AuditEntry.objects.filter(action="case.edited").latest("pk")
    assert entry.changes["max_groups"] == [2, 3]
    assert entry.changes["summary"] == "changed"


def test_only_staff_change_cases(world):
    with pytest.raises(case_services.CaseError):
        case_services.save_case(None, values={}, themes=[], people=[], actor=world.coordinator_a)


def test_open_a_draft_for_matching(world, client_for):
    draft = f.CaseFactory(status=Case.Status.DRAFT, country=world.country_a, summary="")
    client = client_for("staff")
    client.post(reverse("case_manage:open", args=[draft.reference]))
    draft.refresh_from_db()
    assert draft.status == Case.Status.DRAFT  # no summary yet
    draft.summary = "Now written."
    draft.save()
    client.post(reverse("case_manage:open", args=[draft.reference]))
    draft.refresh_from_db()
    assert draft.status == Case.Status.OPEN
    # Twice is harmless.
    case_services.open_case(draft, actor=world.staff)
    assert AuditEntry.objects.filter(action="case.opened").count() == 1


def test_archive_only_a_case_no_group_works_on(world, client_for):
    client = client_for("staff")
    response = client.post(
        reverse("case_manage:archive", args=[world.case_x.reference]), {"reason": "resolved"}
    )
    assert "stop the case instead" in response.content.decode()
    world.case_x.refresh_from_db()
    assert world.case_x.status == Case.Status.OPEN
    client.post(
        reverse("case_manage:archive", args=[world.case_unallocated_a.reference]),
        {"reason": "resolved"},
    )
    world.case_unallocated_a.refresh_from_db()
    assert world.case_unallocated_a.status == Case.Status.CLOSED
    assert world.case_unallocated_a.closing_reason == "resolved"


# ---- Groups ---------------------------------------------------------------------------------


def group_post(**extra):
    data = {
        "name": "Kendal Amnesty Group",
        "town": "Kendal",
        "channel": "email",
        "contact_email": "kendal@example.org",
        "postal_address": "1 Market Place\nKendal",
        "next_meeting": "",
        "capacity": "2",
        "preferred_gender": "",
        "preferred_kind": "",
    }
    data.update(extra)
    return data


def test_staff_create_and_edit_a_group(world, client_for):
    client = client_for("staff")
    response = client.post(reverse("group_manage:create"), group_post())
    assert response.status_code == 302
    group = LocalGroup.objects.get(name="Kendal Amnesty Group")
    response = client.post(
        reverse("group_manage:edit", args=[group.pk]), group_post(town="Kendal, Cumbria")
    )
    group.refresh_from_db()
    assert group.town == "Kendal, Cumbria"
    assert AuditEntry.objects.filter(action="group.edited", object_id=str(group.pk)).exists()


def test_group_form_errors_in_plain_words(world, client_for):
    response = client_for("staff").post(
        reverse("group_manage:create"),
        group_post(name=world.group_x.name, contact_email="", capacity="30"),
    )
    body = response.content.decode()
    assert "Another group already has this name" in body
    assert "Give a contact email, or choose to hear from us by post." in body
    assert "no larger than 20" in body
    assert LocalGroup.objects.count() == 2


def test_closing_a_group_hands_back_its_cases_and_says_which_need_a_group(world, client_for):
    offered = f.AllocationFactory(
        case=world.case_unallocated_a,
        group=world.group_x,
        status=Allocation.Status.OFFERED,
        started_on=None,
    )
    response = client_for("staff").post(
        reverse("group_manage:deactivate", args=[world.group_x.pk]), {"confirm": "on"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    for case in (world.case_x, world.case_unallocated_a):
        assert case.reference in body
    world.group_x.refresh_from_db()
    assert not world.group_x.is_active
    for allocation in (world.allocation_x, world.allocation_confidential_x, offered):
        allocation.refresh_from_db()
        assert allocation.status == Allocation.Status.ENDED
        assert allocation.end_reason == Allocation.EndReason.WITHDRAWN
    # The group and each case's coordinator are told, by reference; the confidential case's
    # reason stays with IAR and nothing names its person.
    mails = OutboundMessage.objects.filter(template="group-withdrawn")
    assert {m.context["reference"] for m in mails.filter(recipient_user=world.coordinator_a)} == {
        world.case_x.reference
    }
    assert mails.filter(recipient_group=world.group_x).exists()
    assert all("Confidential of X" not in str(m.context) for m in mails)
    # Members lose access at once.
    assert (
        client_for("member_x")
        .get(reverse("groups:case", args=[world.case_x.reference]))
        .status_code
        == 404
    )
    # Again is harmless.
    assert services_manage.deactivate_group(world.group_x, actor=world.staff) == []


def test_only_staff_close_groups(world):
    with pytest.raises(GroupError):
        services_manage.deactivate_group(world.group_x, actor=world.member_x)
    assert LocalGroup.objects.get(pk=world.group_x.pk).is_active


# ---- Coordinators -------------------------------------------------------------------------


def test_countries_without_a_coordinator_are_flagged(world, client_for):
    empty = f.CountryFactory(name="Nowhere Land")
    response = client_for("staff").get(reverse("coordinator_manage:countries"))
    body = response.content.decode()
    row = body[body.index(f'data-country="{empty.pk}"') :]
    assert 'data-flag="no-coordinator"' in row[: row.index("</tr>")]
    row_a = body[body.index(f'data-country="{world.country_a.pk}"') :]
    assert "Ada Coordinator" in row_a[: row_a.index("</tr>")]


def test_assign_coordinators_to_a_country(world, client_for):
    ben = CountryCoordinator.objects.get(user=world.coordinator_b)
    client_for("staff").post(
        reverse("coordinator_manage:country", args=[world.country_a.pk]), {"coordinators": [ben.pk]}
    )
    assert list(CountryCoordinator.objects.filter(countries=world.country_a)) == [ben]
    entry = AuditEntry.objects.get(action="country.coordinators_changed")
    assert entry.changes["added"] == [ben.pk]
    with pytest.raises(CoordinatorError):
        set_country_coordinators(world.country_a, [], actor=world.coordinator_a)


@pytest.mark.parametrize("persona", ["coordinator_a", "member_x", "outsider"])
def test_management_pages_are_for_staff_only(world, client_for, persona):
    client = client_for(persona)
    urls = [
        reverse("case_manage:create"),
        reverse("case_manage:edit", args=[world.case_x.reference]),
        reverse("case_manage:archive", args=[world.case_x.reference]),
        reverse("group_manage:create"),
        reverse("group_manage:edit", args=[world.group_x.pk]),
        reverse("group_manage:deactivate", args=[world.group_x.pk]),
        reverse("coordinator_manage:countries"),
        reverse("coordinator_manage:country", args=[world.country_a.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("case_manage:open", args=[world.case_x.reference])).status_code == 403
    )


def test_management_pages_render_for_staff(world, client_for):
    client = client_for("staff")
    for url in [
        reverse("case_manage:create"),
        reverse("case_manage:edit", args=[world.case_confidential_x.reference]),
        reverse("case_manage:archive", args=[world.case_x.reference]),
        reverse("group_manage:create"),
        reverse("group_manage:edit", args=[world.group_x.pk]),
        reverse("group_manage:deactivate", args=[world.group_x.pk]),
        reverse("coordinator_manage:countries"),
        reverse("coordinator_manage:country", args=[world.country_a.pk]),
    ]:
        assert client.get(url).status_code == 200, url
