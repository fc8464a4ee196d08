"""The benchmark's own parts that run without gunicorn: logging in through the real login form
and its MFA step, counting a page's queries, and the results file's shape."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from demo.benchmark import (
    Page,
    Result,
    count_queries,
    log_in,
    report_table,
    results_json,
    session_cookie,
    totp_now,
    write_json,
)
from demo.people import PASSWORD, TOTP_SECRET

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_a_member_logs_in_through_the_form_and_gets_a_real_session():
    user = f.UserFactory(email="bench.member@example.org")
    user.set_password(PASSWORD)
    user.save()
    client = log_in(user.email)
    assert session_cookie(client).startswith(f"{settings.SESSION_COOKIE_NAME}=")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_staff_pass_the_mfa_step_like_a_person():
    staff = f.StaffFactory(email="bench.staff@example.org")
    staff.set_password(PASSWORD)
    staff.save()
    TOTP.activate(staff, TOTP_SECRET)
    assert len(totp_now()) == 6
    client = log_in(staff.email)
    assert client.session["_auth_user_id"] == str(staff.pk)
    # Past the MFA stage: the staff home answers instead of asking for a code.
    response = client.get("/")
    assert response.status_code == 200


def test_count_queries_counts_one_request(world, client_for):
    client = client_for("holder_x")
    queries, ms = count_queries(client, "/groups/my-cases/", runs=3)
    assert 3 <= queries <= 30
    assert ms > 0


def test_results_have_the_issue_s_shape(tmp_path):
    floor = Result(Page("trivial view", None, "/bench/trivial", "floor"), 2000.0, 5, 9, None, 0)
    page = Result(Page("My cases", "x", "/groups/my-cases/", "member"), 500.0, 20, 40, 11, 0, 3.5)
    stalled = Result(Page("slow", "x", "/slow/", "staff"), 0.0, 0, 0, 12, 0, 900.0)
    sweep = {"allocations": 10, "seconds": 0.5, "queries": 5, "allocations_due": 2, "messages": 3}
    ranking = {"ms": 12.0, "queries": 4, "groups": 100}
    data = results_json([floor, page, stalled], sweep, ranking, {"command": "make bench"})
    assert data["My cases"] == {
        "rps": 500.0,
        "p50_ms": 20,
        "p95_ms": 40,
        "ratio_to_floor": 0.25,
        "queries": 11,
        "server_ms": 3.5,
        "errors": 0,
        "path": "/groups/my-cases/",
        "audience": "member",
    }
    assert data["sweep"]["seconds"] == 0.5 and data["sweep"]["queries"] == 5
    write_json(tmp_path / "r.json", data)
    assert json.loads((tmp_path / "r.json").read_text())["trivial view"]["ratio_to_floor"] == 1.0
    table = report_table(data)
    assert "| My cases | member | 500.0 | 0.250 | 20.0 | 40.0 | 11 | 3.5 |" in table
    assert "| slow | staff | 0.0 | 0.000 | none done | – | 12 | 900.0 |" in table
    assert "Ranking 100 groups" in table and "3 messages" in table
