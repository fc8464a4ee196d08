"""A group downloads its own action log; cells that look like formulas are made harmless."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_csv_holds_only_the_groups_own_actions_with_formulas_escaped(world, client_for):
    f.ActivityFactory(allocation=world.allocation_x, notes='=HYPERLINK("http://evil")', count=4)
    f.ActivityFactory(allocation=world.allocation_x, notes="+1 more", outcome_notes="@SUM(A1)")
    f.ActivityFactory(allocation=world.allocation_confidential_x, notes="-minus")
    f.ActivityFactory(allocation=world.allocation_y, notes="Other group's")
    response = client_for("member_x").get(f"/groups/{world.group_x.pk}/actions.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    notes = {r["Notes"] for r in rows}
    assert notes == {'\'=HYPERLINK("http://evil")', "'+1 more", "'-minus"}
    assert any(r["About the outcome"] == "'@SUM(A1)" for r in rows)
    confidential = next(r for r in rows if r["Case reference"] == "IAR-2026-104")
    assert confidential["Case"] == ""  # a confidential case is named by reference only
    assert "Other group's" not in response.content.decode()


def test_xlsx_has_the_same_rows_escaped(world, client_for):
    f.ActivityFactory(allocation=world.allocation_x, notes="=1+1")
    response = client_for("member_x").get(f"/groups/{world.group_x.pk}/actions.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Date"
    assert rows[1][5] == "'=1+1"


@pytest.mark.parametrize("persona", ["member_y", "outsider", "coordinator_a"])
def test_another_groups_log_is_404(world, client_for, persona):
    assert client_for(persona).get(f"/groups/{world.group_x.pk}/actions.csv").status_code == 404


def test_unknown_format_is_404(world, client_for):
    assert client_for("member_x").get(f"/groups/{world.group_x.pk}/actions.exe").status_code == 404


def test_export_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for("member_x")
    url = f"/groups/{world.group_x.pk}/actions.csv"
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    f.ActivityFactory.create_batch(30, allocation=world.allocation_x, recorded_by=world.member_x)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
