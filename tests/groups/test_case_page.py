"""The group's own page on a case: only its members see it, and only what sensitivity allows."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import CasefileDocument
from coordinators.models import CaseUpdate, CaseUpdateNotice
from iar_site.models import AuditEntry

from .. import factories as f
from ..conftest import PERSONAS

pytestmark = pytest.mark.django_db

ACCESS = {"case_x": {"holder_x", "member_x"}, "case_y": {"member_y"}}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case_name", list(ACCESS))
def test_only_the_groups_members_see_the_page(world, client_for, persona, case_name):
    case = getattr(world, case_name)
    urls = [
        f"/groups/cases/{case.reference}/",
        f"/groups/cases/{case.reference}/letters/",
        f"/groups/cases/{case.reference}/labels.pdf",
    ]
    for url in urls:
        response = client_for(persona).get(url)
        if persona == "anonymous":
            assert response.status_code == 302
        elif (
            persona in ACCESS[case_name]
            and case_name == "case_x"
            or (persona in ACCESS[case_name] and not url.endswith("labels.pdf"))
        ):
            assert response.status_code == 200, url
        elif persona in ACCESS[case_name]:
            assert response.status_code == 404  # case Y has no targets to label
        else:
            assert response.status_code == 404, (persona, url)


def test_unknown_reference_is_404(world, client_for):
    assert client_for("member_x").get("/groups/cases/NOPE/").status_code == 404


def test_page_shows_targets_coordinator_documents_updates_and_timeline(world, client_for):
    case = world.case_x
    CasefileDocument.objects.create(case=case, version=1, title="First casefile")
    current = CasefileDocument(case=case, version=2, title="Casefile 2026", notes="New address")
    current.file.save("anything.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    update = CaseUpdate.objects.create(
        case=case, title="Trial date set", body="b", status="published", published_at=timezone.now()
    )
    CaseUpdateNotice.objects.create(update=update, allocation=world.allocation_x)
    f.ActivityFactory(
        allocation=world.allocation_x,
        kind="stall",
        outcome="reply",
        outcome_notes="Embassy replied",
    )
    f.ActivityFactory(allocation=world.allocation_y, kind="petition", notes="Other group's note")
    html = client_for("member_x").get(f"/groups/cases/{case.reference}/").content.decode()
    assert "Minister of Justice of A" in html and "1 Government Square" in html
    assert "minister@justice.example" in html
    assert "Ada Coordinator" in html and "coord.a@example.org" in html
    assert "Current: Casefile 2026" in html and "Earlier versions" in html
    assert "Version 1" in html
    assert "Trial date set" in html and "1 new update" in html
    assert "Embassy replied" in html
    assert "Other group&#x27;s note" not in html and "Other group's note" not in html
    download = client_for("member_x").get(f"/groups/cases/{case.reference}/casefile/2/")
    assert download.status_code == 200
    assert "IAR-2026-101-casefile-v2.pdf" in download["Content-Disposition"]
    assert (
        client_for("member_y").get(f"/groups/cases/{case.reference}/casefile/2/").status_code == 404
    )


def test_confidential_summary_only_for_the_holder_and_logged(world, client_for):
    url = f"/groups/cases/{world.case_confidential_x.reference}/"
    assert "Secret narrative of X." in client_for("holder_x").get(url).content.decode()
    member_html = client_for("member_x").get(url).content.decode()
    assert "Secret narrative of X." not in member_html
    assert "This case is confidential" in member_html
    assert AuditEntry.objects.filter(action="case.viewed_confidential", actor=world.holder_x)
    assert not AuditEntry.objects.filter(action="case.viewed_confidential", actor=world.member_x)


def test_page_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for("member_x")
    url = f"/groups/cases/{world.case_x.reference}/"
    client.get(url)
    with django_assert_max_num_queries(17) as small:
        client.get(url)
    f.ActivityFactory.create_batch(20, allocation=world.allocation_x, recorded_by=world.member_x)
    for n in range(5):
        CasefileDocument.objects.create(case=world.case_x, version=n + 1, title=f"v{n}")
        f.TargetFactory(case=world.case_x)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("with_panel", [True, False])
def test_coordinator_news_shows_with_or_without_the_coordinators_panel(
    world, client_for, monkeypatch, with_panel
):
    from groups import views

    monkeypatch.setattr(views, "_updates_template_exists", lambda: with_panel)
    update = CaseUpdate.objects.create(
        case=world.case_x,
        title="Hearing moved",
        body="b",
        status="published",
        published_at=timezone.now(),
    )
    CaseUpdateNotice.objects.create(update=update, allocation=world.allocation_x)
    response = client_for("member_x").get(f"/groups/cases/{world.case_x.reference}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hearing moved" in html and "1 new update" in html
    assert html.count("News from the coordinator") == 1
