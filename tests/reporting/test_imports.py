"""Imports: a dry run shows each row and every problem with its row and column; nothing is
written until confirmed, then all or nothing; the same file twice creates nothing new; a large
file completes through the worker's tasks."""

from __future__ import annotations

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from cases.models import Allocation, Case, CasePerson
from groups.models import LocalGroup, Membership
from iar_site.models import AuditEntry
from reporting import services
from reporting.models import ImportJob
from tests import factories as f

GROUP_HEADERS = ["name", "town", "postal_address", "contact_email", "channel", "capacity"]


def csv_file(headers, rows, name="data.csv"):
    dataset = tablib.Dataset(*rows, headers=headers)
    return SimpleUploadedFile(name, dataset.export("csv").encode(), content_type="text/csv")


def xlsx_file(headers, rows, name="data.xlsx"):
    dataset = tablib.Dataset(*rows, headers=headers)
    return SimpleUploadedFile(name, dataset.export("xlsx"), content_type="application/octet-stream")


def group_rows(n, start=0):
    return [
        (f"Group {i}", f"Town {i}", f"{i} High Street", f"g{i}@example.org", "email", "2")
        for i in range(start, start + n)
    ]


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def staff(db):
    return f.StaffFactory()


def run(kind, upload, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(kind, upload, actor=staff)
    return ImportJob.objects.get(pk=job.pk)


def confirm(job, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(job, actor=staff)
    return ImportJob.objects.get(pk=job.pk)


def test_a_bad_row_imports_nothing_and_names_its_row_and_column(
    eager, staff, django_capture_on_commit_callbacks
):
    rows = group_rows(3)
    rows[1] = ("Group 1", "Town 1", "1 High Street", "g1@example.org", "email", "many")
    job = run("groups", csv_file(GROUP_HEADERS, rows), staff, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.INVALID
    assert job.totals["error"] == 1
    bad = [row for row in job.rows if row["errors"]]
    assert bad == [
        {
            "row": 3,
            "action": "error",
            "errors": [{"column": "capacity", "message": "“many” is not a whole number."}],
        }
    ]
    assert not LocalGroup.objects.exists()
    with pytest.raises(services.ImportRefused):
        services.confirm_import(job, actor=staff)


def test_a_good_file_imports_everything_only_when_confirmed(
    eager, staff, django_capture_on_commit_callbacks
):
    job = run(
        "groups", xlsx_file(GROUP_HEADERS, group_rows(5)), staff, django_capture_on_commit_callbacks
    )
    assert job.format == "xlsx"
    assert job.status == ImportJob.Status.CHECKED
    assert job.totals == {"new": 5, "update": 0, "skip": 0, "error": 0}
    assert not LocalGroup.objects.exists()  # the check wrote nothing
    job = confirm(job, staff, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert LocalGroup.objects.count() == 5
    assert AuditEntry.objects.filter(action="group.imported").count() == 5
    assert job.data in (b"", memoryview(b"")) or bytes(job.data) == b""


def test_a_file_waiting_to_be_imported_is_stored_sealed(
    eager, staff, django_capture_on_commit_callbacks
):
    rows = group_rows(2)
    job = run("groups", csv_file(GROUP_HEADERS, rows), staff, django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM reporting_importjob WHERE id = %s", [job.pk])
        stored = bytes(cursor.fetchone()[0])
    assert stored.startswith(b"sealed:v1:")
    assert b"Group 1" not in stored and b"g1@example.org" not in stored
    assert job.status == ImportJob.Status.CHECKED  # the check read it through the seal
    job = confirm(job, staff, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE and LocalGroup.objects.count() == 2


def test_the_same_file_twice_creates_no_duplicates(
    eager, staff, django_capture_on_commit_callbacks
):
    for _ in range(2):
        job = run(
            "groups",
            csv_file(GROUP_HEADERS, group_rows(4)),
            staff,
            django_capture_on_commit_callbacks,
        )
        job = confirm(job, staff, django_capture_on_commit_callbacks)
    assert LocalGroup.objects.count() == 4
    assert job.totals == {"new": 0, "update": 0, "skip": 4, "error": 0}
    # A changed row is an update, not a new group.
    rows = group_rows(4)
    rows[0] = ("Group 0", "Kendal", "0 High Street", "g0@example.org", "email", "3")
    job = run("groups", csv_file(GROUP_HEADERS, rows), staff, django_capture_on_commit_callbacks)
    assert job.totals == {"new": 0, "update": 1, "skip": 3, "error": 0}


def test_all_or_nothing_when_the_data_changed_after_the_check(
    eager, staff, django_capture_on_commit_callbacks
):
    """A row fine at check time but refused at import time rolls back every row."""
    case = f.CaseFactory(reference="IAR-7", max_groups=2)
    f.GroupFactory(name="First"), f.GroupFactory(name="Second")
    upload = csv_file(
        ["case", "group", "status", "started_on"],
        [("IAR-7", "First", "active", "2025-01-01"), ("IAR-7", "Second", "active", "2025-01-01")],
    )
    job = run("allocations", upload, staff, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.CHECKED
    # Before the import is confirmed, staff allocate the case to another group: the second row
    # would now go over the case's limit.
    f.AllocationFactory(case=case, group=f.GroupFactory(name="Third"))
    job = confirm(job, staff, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert [(r["row"], e["column"]) for r in job.rows for e in r["errors"]] == [(3, "case")]
    assert list(Allocation.objects.values_list("group__name", flat=True)) == ["Third"]
    assert not AuditEntry.objects.filter(action="allocation.imported").exists()


def test_cases_members_and_allocations(eager, staff, django_capture_on_commit_callbacks):
    country = f.CountryFactory(iso_code="KE", name="Kenya")
    theme = f.ThemeFactory(slug="death-penalty", name="Death penalty")
    coordinator = f.CoordinatorFactory(user__email="coord@example.org", countries=[country])
    group = f.GroupFactory(name="Kendal Amnesty Group")

    cases = csv_file(
        [
            "reference",
            "title",
            "kind",
            "country",
            "themes",
            "summary",
            "sensitivity",
            "max_groups",
            "coordinator",
            "status",
            "people",
        ],
        [
            (
                "IAR-2026-900",
                "Amina K",
                "individual",
                "ke",
                "death-penalty",
                "Held.",
                "public",
                "2",
                "coord@example.org",
                "open",
                "Amina K | female | teacher",
            )
        ],
    )
    job = confirm(
        run("cases", cases, staff, django_capture_on_commit_callbacks),
        staff,
        django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.DONE, job.rows
    case = Case.objects.get(reference="IAR-2026-900")
    assert case.status == Case.Status.OPEN and case.coordinator == coordinator
    assert list(case.themes.all()) == [theme]
    assert list(CasePerson.objects.filter(case=case).values_list("name", "gender", "role")) == [
        ("Amina K", "female", "teacher")
    ]

    members = csv_file(
        ["email", "full_name", "group", "role"],
        [("New.Person@example.org", "New Person", "Kendal Amnesty Group", "admin")],
    )
    job = confirm(
        run("members", members, staff, django_capture_on_commit_callbacks),
        staff,
        django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.DONE, job.rows
    membership = Membership.objects.get(group=group)
    assert membership.user.email == "new.person@example.org"
    assert membership.role == "admin"

    for _ in range(2):
        allocations = csv_file(
            ["case", "group", "status", "started_on", "ended_on", "end_reason", "holder"],
            [
                (
                    "IAR-2026-900",
                    "Kendal Amnesty Group",
                    "active",
                    "2025-04-01",
                    "",
                    "",
                    "new.person@example.org",
                ),
                (
                    "IAR-2026-900",
                    "Kendal Amnesty Group",
                    "ended",
                    "2020-01-01",
                    "2022-06-30",
                    "relinquished",
                    "",
                ),
            ],
        )
        job = confirm(
            run("allocations", allocations, staff, django_capture_on_commit_callbacks),
            staff,
            django_capture_on_commit_callbacks,
        )
        assert job.status == ImportJob.Status.DONE, job.rows
    assert Allocation.objects.count() == 2
    allocation = Allocation.objects.get(status="active")
    assert allocation.holder == membership.user
    assert Allocation.objects.get(status="ended").end_reason == "relinquished"
    assert job.totals == {"new": 0, "update": 0, "skip": 2, "error": 0}


def test_group_preferences_are_read_and_blank_cells_keep_values(
    eager, staff, django_capture_on_commit_callbacks
):
    africa = f.RegionFactory(code="africa", name="Africa")
    theme = f.ThemeFactory(slug="death-penalty", name="Death penalty")
    headers = [
        *GROUP_HEADERS,
        "preferred_regions",
        "preferred_themes",
        "preferred_gender",
        "preferred_kind",
        "next_meeting",
    ]
    row = (
        "Kendal Amnesty Group",
        "Kendal",
        "1 Market Place",
        "k@example.org",
        "post",
        "",
        "Africa",
        "death-penalty",
        "",
        "",
        "2026-03-31",
    )
    job = confirm(
        run("groups", csv_file(headers, [row]), staff, django_capture_on_commit_callbacks),
        staff,
        django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.DONE, job.rows
    group = LocalGroup.objects.get()
    assert group.channel == "post" and group.capacity == 1  # blank capacity: the default
    assert list(group.preferred_regions.all()) == [africa]
    assert list(group.preferred_themes.all()) == [theme]
    assert str(group.next_meeting) == "2026-03-31"
    bad = (*row[:6], "Atlantis", "death-penalty", "", "", "soon")
    job = run("groups", csv_file(headers, [bad]), staff, django_capture_on_commit_callbacks)
    found = {(e["column"], e["message"]) for r in job.rows for e in r["errors"]}
    assert found == {
        ("preferred_regions", "No region with the code “Atlantis” is known here."),
        ("next_meeting", "“soon” is not a date like 2026-03-31."),
    }


def test_lookups_and_rules_are_reported_by_column(eager, staff, django_capture_on_commit_callbacks):
    f.GroupFactory(name="Kendal Amnesty Group")
    f.CaseFactory(reference="IAR-1", max_groups=1)
    upload = csv_file(
        ["case", "group", "status", "started_on", "holder"],
        [
            ("IAR-404", "Kendal Amnesty Group", "active", "2025-04-01", ""),
            ("IAR-1", "Nowhere Group", "active", "2025-04-01", ""),
            ("IAR-1", "Kendal Amnesty Group", "active", "", ""),
            ("IAR-1", "Kendal Amnesty Group", "active", "31/31/2025", ""),
        ],
    )
    job = run("allocations", upload, staff, django_capture_on_commit_callbacks)
    found = {(row["row"], e["column"]) for row in job.rows for e in row["errors"]}
    assert found == {(2, "case"), (3, "group"), (4, "started_on"), (5, "started_on")}
    assert not Allocation.objects.exists()


def test_unknown_columns_and_unreadable_files_are_refused(
    eager, staff, django_capture_on_commit_callbacks
):
    job = run(
        "groups",
        csv_file(["name", "twon"], [("A", "B")]),
        staff,
        django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.INVALID
    assert "twon" in job.problem
    with pytest.raises(services.ImportRefused, match="not a CSV or Excel"):
        services.start_import("groups", SimpleUploadedFile("x.csv", b"\x00\x01bin"), actor=staff)
    with pytest.raises(services.ImportRefused, match="UTF-8"):
        services.start_import(
            "groups", SimpleUploadedFile("x.csv", "name\nCafé".encode("latin-1")), actor=staff
        )
    with pytest.raises(services.ImportRefused, match="cannot be read"):
        services.start_import(
            "groups", SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage"), actor=staff
        )


def test_ten_thousand_rows_complete_through_the_tasks(
    eager, staff, django_capture_on_commit_callbacks
):
    job = run(
        "groups",
        csv_file(GROUP_HEADERS, group_rows(10_000)),
        staff,
        django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.CHECKED
    assert job.total_rows == 10_000 and job.progress == 10_000
    job = confirm(job, staff, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert LocalGroup.objects.count() == 10_000
    assert job.totals["new"] == 10_000


def test_a_template_per_kind_downloads(client_for, world):
    client = client_for("staff")
    response = client.get(reverse("reporting:import_template", args=["cases", "xlsx"]))
    dataset = tablib.Dataset().load(io.BytesIO(response.content), format="xlsx")
    assert dataset.headers[0] == "reference" and "people" in dataset.headers
    body = client.get(reverse("reporting:import_template", args=["groups", "csv"])).content.decode()
    assert body.splitlines()[0].startswith("name,town,postal_address")
    assert client.get(reverse("reporting:import_template", args=["nope", "csv"])).status_code == 404


def test_pages_upload_check_and_confirm(
    eager, client_for, world, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:imports"),
            {"kind": "groups", "file": csv_file(GROUP_HEADERS, group_rows(2))},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("reporting:import_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "Import these 2 rows" in page
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="import-status"')
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:confirm_import", args=[job.pk]))
    assert LocalGroup.objects.filter(name__in=["Group 0", "Group 1"]).count() == 2
    # No file, or no kind: plain messages, no 500.
    response = client.post(reverse("reporting:imports"), {})
    assert "Choose a file to upload." in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "member_x", "outsider"])
def test_imports_are_for_staff_only(client_for, world, persona):
    client = client_for(persona)
    assert client.get(reverse("reporting:imports")).status_code == 403
    assert (
        client.get(reverse("reporting:import_template", args=["cases", "csv"])).status_code == 403
    )


def test_a_running_import_shows_its_progress_and_polls(client_for, world):
    from django.core.cache import cache

    job = ImportJob.objects.create(
        kind="groups",
        format="csv",
        status=ImportJob.Status.IMPORTING,
        total_rows=2000,
        created_by=world.staff,
    )
    cache.set(f"import-job:{job.pk}:progress", 500)
    client = client_for("staff")
    url = reverse("reporting:import_job", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'value="500"' in page and 'max="2000"' in page
    assert 'hx-trigger="every 2s"' in page  # the page polls while the worker runs...
    assert "You can leave this page and come back" in page  # ...and works by reload too
    job.status = ImportJob.Status.DONE
    job.save()
    assert "hx-trigger" not in client.get(url, headers={"HX-Request": "true"}).content.decode()
