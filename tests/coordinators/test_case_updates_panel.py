"""The coordinators' panel on the group's case page: what the page has read already is not read
again, and what a view hands the panel never stands in for the check that the user sees the
case unless it is for that very case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template import Context
from django.test import RequestFactory
from django.utils import timezone

from cases.models import CasefileDocument
from coordinators.templatetags.coordinator_tags import case_updates_panel
from groups.models import AnnualReport

from .helpers import make_report

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _context(user, **extra):
    request = RequestFactory().get("/")
    request.user = user
    return Context({"request": request, **extra})


def test_what_is_given_for_another_case_does_not_open_the_panel(world):
    given = {"case_pk": world.case_x.pk, "document": None, "reports": []}
    # Member of X, not of Y: given for case X, it says nothing about case Y.
    context = _context(world.member_x, case_updates_given=given)
    assert case_updates_panel(context, world.case_y) is None
    assert case_updates_panel(_context(world.outsider), world.case_x) is None


def test_without_anything_given_the_panel_still_reads_for_itself(world):
    CasefileDocument.objects.create(case=world.case_x, version=1, title="First")
    make_report(world.allocation_x, status="acknowledged", start=date(2024, 1, 1))
    panel = case_updates_panel(_context(world.member_x), world.case_x)
    assert panel is not None and panel["document"].title == "First"
    assert [r.allocation_id for r in panel["acknowledged_reports"]] == [world.allocation_x.pk]
    assert panel["is_manager"] is False
    coordinator = case_updates_panel(_context(world.coordinator_a), world.case_x)
    assert coordinator is not None and coordinator["is_manager"] is True


def test_the_case_page_shows_the_casefile_and_the_latest_acknowledged_report(world, client_for):
    CasefileDocument.objects.create(case=world.case_x, version=1, title="First")
    CasefileDocument.objects.create(case=world.case_x, version=2, title="Second")
    earlier = make_report(world.allocation_x, status="acknowledged", start=date(2023, 1, 1))
    AnnualReport.objects.filter(pk=earlier.pk).update(acknowledged_at=timezone.now() - DAY)
    latest = make_report(world.allocation_x, status="acknowledged", start=date(2024, 1, 1))
    make_report(world.allocation_x, status="submitted", start=date(2025, 1, 1))
    html = client_for("member_x").get(f"/groups/cases/{world.case_x.reference}/").content.decode()
    assert "Second, version 2" in html
    assert html.count("Your yearly report") == 1
    assert f"report for {latest.period_start:%Y}–{latest.period_end:%Y} was acknowledged" in html
