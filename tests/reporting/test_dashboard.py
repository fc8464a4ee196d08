"""The staff dashboard: each number against a hand-built data set, equal to the rows of its list,
in a number of queries that does not grow with the data."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.counts import refresh_case_counters
from cases.models import Allocation, Case, HolderChange
from coordinators.models import CaseUpdate
from groups.models import AnnualReport, CaseRequest
from groups.yearly import ReportState, report_due, with_report_due
from notifications.models import OutboundMessage
from reporting import dashboard
from tests import factories as f

TODAY = date(2026, 6, 15)


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def ended(case, group, reason=Allocation.EndReason.RELINQUISHED, **extra):
    return f.AllocationFactory(
        case=case,
        group=group,
        status=Allocation.Status.ENDED,
        started_on=TODAY - timedelta(days=60),
        ended_on=TODAY - timedelta(days=5),
        end_reason=reason,
        **extra,
    )


@pytest.fixture
def travel():
    with time_machine.travel(aware(TODAY), tick=False):
        yield


@pytest.fixture
def data(db, travel):
    """A small programme where every figure has rows that count and rows that must not."""
    r1 = f.RegionFactory(name="Africa", code="africa")
    r2 = f.RegionFactory(name="Americas", code="americas")
    c1 = f.CountryFactory(name="Kenya", region=r1)
    c2 = f.CountryFactory(name="Peru", region=r2)
    staff = f.StaffFactory()
    old = TODAY - timedelta(days=400)

    f.GroupFactory(name="G empty", capacity=2)
    g_none = f.GroupFactory(name="G none", capacity=2)  # holds one offer: room for more
    f.GroupFactory(name="G inactive", capacity=2, is_active=False)
    g_spare = f.GroupFactory(name="G spare", capacity=3)
    g_full = f.GroupFactory(name="G full", capacity=1)
    g_other = f.GroupFactory(name="G other", capacity=20)

    unalloc_1 = f.CaseFactory(reference="IAR-U1", country=c1, opened_on=old)
    unalloc_2 = f.CaseFactory(reference="IAR-U2", country=c2, opened_on=TODAY)
    ended(unalloc_2, g_other)  # an ended allocation leaves the case without a group
    f.CaseFactory(reference="IAR-D1", country=c1, status=Case.Status.DRAFT)
    under = f.CaseFactory(reference="IAR-P1", country=c1, max_groups=2, opened_on=old)
    full = f.CaseFactory(reference="IAR-F1", country=c1, max_groups=1, opened_on=TODAY)
    offered_case = f.CaseFactory(reference="IAR-O1", country=c2, max_groups=3, opened_on=TODAY)

    # Yearly reports: the first two are overdue, the others are not.
    two_years = f.AllocationFactory(case=under, group=g_spare, started_on=date(2024, 6, 1))
    AnnualReport.objects.create(
        allocation=two_years,
        period_start=date(2024, 6, 1),
        period_end=date(2025, 6, 1),
        status=AnnualReport.Status.SUBMITTED,
        submitted_at=aware(date(2025, 6, 2)),
    )
    one_year_none = f.AllocationFactory(case=full, group=g_full, started_on=old)
    f.AllocationFactory(case=offered_case, group=g_other, started_on=TODAY - timedelta(days=100))
    # A year to the day today: due, not yet overdue.
    f.AllocationFactory(
        case=offered_case, group=g_none, status=Allocation.Status.OFFERED, started_on=None
    )
    anniversary = f.CaseFactory(reference="IAR-A1", country=c2, max_groups=5, opened_on=TODAY)
    f.AllocationFactory(case=anniversary, group=g_other, started_on=date(2025, 6, 15))

    # Holder changes: one this month, one in May.
    HolderChange.objects.create(allocation=two_years, to_user=staff, changed_at=aware(TODAY))
    HolderChange.objects.create(
        allocation=one_year_none, to_user=staff, changed_at=aware(date(2026, 5, 31))
    )

    # Case requests by meeting date, and one already answered.
    past = CaseRequest.objects.create(group=g_none, meeting_date=TODAY - timedelta(days=1))
    soon = CaseRequest.objects.create(group=g_none, meeting_date=TODAY + timedelta(days=14))
    later = CaseRequest.objects.create(group=g_spare, meeting_date=TODAY + timedelta(days=15))
    CaseRequest.objects.create(
        group=g_spare,
        meeting_date=TODAY,
        status=CaseRequest.Status.FULFILLED,
        fulfilled_at=aware(TODAY),
    )

    # Coordinator updates: unalloc_1 and under opened long ago; under had news last week.
    CaseUpdate.objects.create(
        case=under,
        title="News",
        body="News",
        status=CaseUpdate.Status.PUBLISHED,
        published_at=aware(TODAY - timedelta(days=7)),
    )
    CaseUpdate.objects.create(case=unalloc_1, title="Draft", body="Draft")
    refresh_case_counters([under.pk, unalloc_1.pk])  # written past publish_update

    # Stopped cases: one group has not confirmed on the first; all confirmed on the second.
    stopped = f.CaseFactory(
        reference="IAR-S1",
        country=c1,
        status=Case.Status.CLOSED,
        closing_reason=Case.ClosingReason.RESOLVED,
        closed_at=aware(TODAY),
    )
    ended(stopped, g_other, Allocation.EndReason.CASE_CLOSED)
    ended(stopped, g_spare, Allocation.EndReason.CASE_CLOSED, stop_confirmed_at=aware(TODAY))
    confirmed = f.CaseFactory(
        reference="IAR-S2",
        country=c2,
        status=Case.Status.CLOSED,
        closing_reason=Case.ClosingReason.RESOLVED,
        closed_at=aware(TODAY),
    )
    ended(confirmed, g_other, Allocation.EndReason.CASE_CLOSED, stop_confirmed_at=aware(TODAY))

    # The review queue: one message stuck while sending, one still queued.
    OutboundMessage.objects.create(
        idempotency_key="stuck",
        to_email="a@example.org",
        template="t",
        status=OutboundMessage.Status.SENDING,
        claimed_at=aware(TODAY) - timedelta(hours=2),
    )
    OutboundMessage.objects.create(idempotency_key="queued", to_email="b@example.org", template="t")

    client = Client()
    client.force_login(staff)
    return {
        "client": client,
        "regions": (r1, r2),
        "expected": {
            "unallocated": {"IAR-U1", "IAR-U2"},
            "under-allocated": {"IAR-P1", "IAR-O1", "IAR-A1"},
            "no-case": {"G empty"},
            "spare-capacity": {"G none", "G spare", "G other"},
            "offers": {("IAR-O1", "G none")},
            "overdue-reports": {("IAR-P1", "G spare"), ("IAR-F1", "G full")},
            "holder-changes": {"IAR-P1"},
            "requests-past": {past.pk},
            "requests-soon": {soon.pk},
            "requests-later": {later.pk},
            "silent": {"IAR-U1"},
            "stopped": {"IAR-S1"},
        },
    }


def keys(figure: str, rows) -> set:
    kind = dashboard.FIGURES[figure].kind
    if kind in ("case", "stopped"):
        return {row.reference for row in rows}
    if kind == "group":
        return {row.name for row in rows}
    if kind == "allocation":
        return {(row.case.reference, row.group.name) for row in rows}
    if kind == "change":
        return {row.allocation.case.reference for row in rows}
    return {row.pk for row in rows}


def dashboard_number(html: str, figure: str) -> int:
    marker = f'data-figure="{figure}">'
    start = html.index(marker) + len(marker)
    return int(html[start : html.index("<", start)])


def test_every_number_equals_the_rows_of_its_list(data):
    client = data["client"]
    expected = data["expected"]
    html = client.get(reverse("reporting:dashboard")).content.decode()
    for figure, rows in expected.items():
        number = dashboard_number(html, figure)
        response = client.get(reverse("reporting:figure", args=[figure]))
        assert response.status_code == 200
        listed = keys(figure, response.context["rows"])
        assert listed == rows, figure
        assert number == len(rows) == response.context["total"], figure
    assert dashboard_number(html, "review-queue") == 1


def test_cases_by_region_link_to_their_region(data):
    client = data["client"]
    africa, americas = data["regions"]
    html = client.get(reverse("reporting:dashboard")).content.decode()
    for region, unallocated, under in (
        (africa, {"IAR-U1"}, {"IAR-P1"}),
        (americas, {"IAR-U2"}, {"IAR-O1", "IAR-A1"}),
    ):
        for figure, rows in (("unallocated", unallocated), ("under-allocated", under)):
            assert dashboard_number(html, f"{figure}-{region.pk}") == len(rows)
            url = reverse("reporting:figure", args=[figure]) + f"?region={region.pk}"
            assert f'href="{url}"'.replace("&", "&amp;") in html
            response = client.get(url)
            assert keys(figure, response.context["rows"]) == rows


def test_overdue_matches_the_yearly_report_rule(data):
    """The database's overdue count agrees with groups.yearly.report_due, row by row."""
    overdue = set(
        dashboard.allocations(TODAY).filter(dashboard.OVERDUE).values_list("pk", flat=True)
    )
    by_rule = {
        a.pk
        for a in with_report_due(Allocation.objects.filter(dashboard.OWING))
        if report_due(a.started_on, a.reports_in, TODAY).state == ReportState.OVERDUE
    }
    assert overdue == by_rule
    assert len(overdue) == 2


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2027, 2, 28), date(2028, 2, 29)])
def test_overdue_rule_agrees_on_every_start_day(db, today):
    """Starts spread over three years (29 February included), with 0 to 2 reports sent: the
    database and the yearly-report rule agree on each."""
    case = f.CaseFactory(max_groups=50)
    starts = [today - timedelta(days=d) for d in range(300, 1200, 23)] + [date(2024, 2, 29)]
    expected = set()
    for n, start in enumerate(starts):
        allocation = f.AllocationFactory(case=case, started_on=start)
        for k in range(n % 3):
            AnnualReport.objects.create(
                allocation=allocation,
                period_start=start.replace(year=start.year + k)
                if start.day != 29
                else date(start.year + k, 2, 28),
                period_end=date(start.year + k + 1, 3, 1),
                status=AnnualReport.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
        if report_due(start, n % 3, today).state == ReportState.OVERDUE:
            expected.add(allocation.pk)
    overdue = set(
        dashboard.allocations(today).filter(dashboard.OVERDUE).values_list("pk", flat=True)
    )
    assert overdue == expected
    assert 0 < len(expected) < len(starts)


def test_silence_months_choose_the_threshold(data):
    client = data["client"]
    # Over 12 months nobody is silent: IAR-U1 opened 400 days ago, which is 13 months.
    html = client.get(reverse("reporting:dashboard"), {"months": 12}).content.decode()
    assert dashboard_number(html, "silent") == 1
    response = client.get(reverse("reporting:figure", args=["silent"]), {"months": 3})
    assert keys("silent", response.context["rows"]) == {"IAR-U1"}
    # Nonsense falls back to the default instead of failing.
    assert client.get(reverse("reporting:dashboard"), {"months": "x"}).status_code == 200
    assert (
        client.get(reverse("reporting:figure", args=["silent"]), {"region": "9" * 30}).status_code
        == 200
    )


def test_an_unknown_figure_is_not_found(data):
    assert data["client"].get(reverse("reporting:figure", args=["nope"])).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_a", "member_x", "outsider"])
def test_only_staff_see_the_dashboard(client_for, persona):
    client = client_for(persona)
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    assert client.get(reverse("reporting:figure", args=["unallocated"])).status_code == 403


def test_anonymous_is_sent_to_log_in(client_for):
    response = client_for("anonymous").get(reverse("reporting:dashboard"))
    assert response.status_code == 302


def test_export_keeps_confidential_names_out_and_escapes_formulas(data):
    f.CaseFactory(
        reference="IAR-C1",
        title="Secret Person",
        sensitivity=Case.Sensitivity.CONFIDENTIAL,
        country=f.CountryFactory(name="=HYPERLINK(1)"),
    )
    response = data["client"].get(
        reverse("reporting:figure", args=["unallocated"]), {"export": "csv"}
    )
    body = response.content.decode()
    assert "IAR-C1" in body
    assert "Secret Person" not in body
    assert "'=HYPERLINK(1)" in body


def test_query_budget_does_not_grow(data, django_assert_max_num_queries):
    client = data["client"]

    def count_queries(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("reporting:dashboard")] + [
        reverse("reporting:figure", args=[slug]) for slug in dashboard.FIGURES
    ]
    # A first visit may fill per-session caches (the menu, the roles): measure the second.
    [count_queries(url) for url in urls]
    before = [count_queries(url) for url in urls]
    # More of everything: cases in every state, groups, offers, requests.
    for n in range(15):
        case = f.CaseFactory(reference=f"IAR-M{n}", opened_on=TODAY - timedelta(days=400))
        group = f.GroupFactory(capacity=3)
        f.AllocationFactory(case=case, group=group, started_on=TODAY - timedelta(days=500))
        f.AllocationFactory(
            case=f.CaseFactory(), group=group, status=Allocation.Status.OFFERED, started_on=None
        )
        CaseRequest.objects.create(group=group, meeting_date=TODAY + timedelta(days=n))
    after = [count_queries(url) for url in urls]
    assert after == before
    with django_assert_max_num_queries(20):
        client.get(reverse("reporting:dashboard"))
