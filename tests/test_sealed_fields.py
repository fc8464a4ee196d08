"""Confidential cases' names and stories are sealed at rest: what the database holds is a token
that only the keys in FIELD_ENCRYPTION_KEYS open, while the site reads plain text. Changing a
case's sensitivity seals or unseals it; keys rotate; staff still find the case by name."""

from __future__ import annotations

import io
import subprocess
import sys
from importlib import import_module

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as global_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from cases import services
from cases.models import Case, CasePerson
from iar_site import crypto
from iar_site.checks import field_encryption_keys

from . import factories as f

pytestmark = pytest.mark.django_db

SEALED = [(Case, "title"), (Case, "summary"), (Case, "solidarity_address")]


def stored(model, column: str, pk: int) -> str:
    """The value as the database holds it, read past the model fields."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def confidential_case(**kwargs) -> Case:
    case = f.CaseFactory(
        title="Leyla Ostrova",
        summary="Leyla was detained at the border in March.",
        solidarity_address="Leyla Ostrova, Prison No. 3, Eastville",
        sensitivity=Case.Sensitivity.CONFIDENTIAL,
        **kwargs,
    )
    f.CasePersonFactory(case=case, name="Leyla Ostrova")
    f.CasePersonFactory(case=case, name="Timur Ostrov")
    return case


def assert_sealed(case: Case) -> None:
    for model, column in SEALED:
        raw = stored(model, column, case.pk)
        assert raw.startswith("sealed:v1:"), column
        assert "Leyla" not in raw and "Eastville" not in raw
    for person in CasePerson.objects.filter(case=case):
        raw = stored(CasePerson, "name", person.pk)
        assert raw.startswith("sealed:v1:")
        assert "Leyla" not in raw and "Timur" not in raw


def assert_plain(case: Case) -> None:
    assert stored(Case, "title", case.pk) == "Leyla Ostrova"
    assert stored(Case, "summary", case.pk) == "Leyla was detained at the border in March."
    assert stored(Case, "solidarity_address", case.pk).startswith("Leyla Ostrova, Prison")
    names = {stored(CasePerson, "name", p.pk) for p in CasePerson.objects.filter(case=case)}
    assert names == {"Leyla Ostrova", "Timur Ostrov"}


def test_a_confidential_case_is_stored_sealed_and_read_plain():
    case = confidential_case()
    public = f.CaseFactory(title="Public Person", summary="Known story.")

    assert_sealed(case)
    again = Case.objects.get(pk=case.pk)
    assert again.title == "Leyla Ostrova"
    assert again.summary == "Leyla was detained at the border in March."
    assert again.solidarity_address == "Leyla Ostrova, Prison No. 3, Eastville"
    assert sorted(again.people.values_list("name", flat=True)) == ["Leyla Ostrova", "Timur Ostrov"]
    assert again.private_names() == ["Leyla Ostrova", "Leyla Ostrova", "Timur Ostrov"]
    # Only confidential rows are sealed: a public case stays searchable in SQL.
    assert stored(Case, "title", public.pk) == "Public Person"
    assert Case.objects.filter(title__icontains="public pers").get() == public


def test_text_typed_with_the_sealed_prefix_reads_back_as_typed():
    typed = "sealed:v1:not a token"
    case = f.CaseFactory(title=typed, summary="sealed:v1:")

    assert stored(Case, "title", case.pk) != typed
    assert crypto.unseal(stored(Case, "title", case.pk)) == typed
    again = Case.objects.get(pk=case.pk)
    assert (again.title, again.summary) == (typed, "sealed:v1:")


def test_making_a_case_confidential_seals_it_and_public_unseals_it(world):
    case = confidential_case()
    services.set_sensitivity(case, Case.Sensitivity.PUBLIC, actor=world.staff)
    assert_plain(case)
    services.set_sensitivity(case, Case.Sensitivity.CONFIDENTIAL, actor=world.staff)
    assert_sealed(case)
    assert Case.objects.get(pk=case.pk).title == "Leyla Ostrova"


def test_the_case_form_service_seals_when_it_changes_the_sensitivity(world):
    case = confidential_case(country=world.country_a)
    values = {"sensitivity": Case.Sensitivity.PUBLIC}
    people = [
        {"name": "Leyla Ostrova", "gender": "unstated", "role": ""},
        {"name": "Timur Ostrov", "gender": "unstated", "role": ""},
    ]
    case = services.save_case(case, values=values, themes=[], people=people, actor=world.staff)
    assert_plain(case)
    values = {"sensitivity": Case.Sensitivity.CONFIDENTIAL, "summary": "New story, Leyla."}
    case = services.save_case(case, values=values, themes=[], people=people, actor=world.staff)
    assert_sealed(case)
    assert Case.objects.get(pk=case.pk).summary == "New story, Leyla."


def test_the_data_migration_seals_existing_rows_and_reverses():
    case = confidential_case()
    # Rows written before sealing began: plain text in a confidential case.
    Case.objects.filter(pk=case.pk).update(
        title="Leyla Ostrova",
        summary="Leyla was detained at the border in March.",
        solidarity_address="Leyla Ostrova, Prison No. 3, Eastville",
    )
    for person in CasePerson.objects.filter(case=case):
        CasePerson.objects.filter(pk=person.pk).update(name=person.name)
    assert_plain(case)
    migration = import_module("cases.migrations.0012_seal_confidential_rows")

    migration.seal(global_apps, None)
    assert_sealed(case)
    migration.unseal(global_apps, None)
    assert_plain(case)


def test_keys_rotate(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    case = confidential_case()
    public = f.CaseFactory(title="Public Person")
    before = stored(Case, "title", case.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_field_keys", "--check", stdout=out)
    assert "key 2 opens 5" in out.getvalue() and "newest key opens" not in out.getvalue()
    assert stored(Case, "title", case.pk) == before  # --check writes nothing

    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "re-sealed with the newest key: 5" in out.getvalue()
    assert stored(Case, "title", case.pk) != before
    assert stored(Case, "title", public.pk) == "Public Person"
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)  # again: nothing left to do
    assert "re-sealed with the newest key: 0" in out.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [new]
    again = Case.objects.get(pk=case.pk)
    assert again.title == "Leyla Ostrova"
    assert again.summary.startswith("Leyla was detained")
    assert sorted(again.people.values_list("name", flat=True)) == ["Leyla Ostrova", "Timur Ostrov"]
    out = io.StringIO()
    call_command("rotate_field_keys", "--check", stdout=out)
    assert "the newest key opens 5" in out.getvalue()


def test_a_value_no_key_opens_is_a_clear_error_that_never_shows_a_key(settings):
    old = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    case = confidential_case()
    other = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [other]
    with pytest.raises(crypto.SealedValueUnreadable) as caught:
        Case.objects.get(pk=case.pk)
    assert "FIELD_ENCRYPTION_KEYS" in str(caught.value)
    assert old not in str(caught.value) and other not in str(caught.value)
    with pytest.raises(CommandError, match="5 sealed values open with no key"):
        call_command("rotate_field_keys", "--check", stdout=io.StringIO())


def test_production_without_keys_fails_the_system_check(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    errors = field_encryption_keys()
    assert [e.id for e in errors] == ["iar_site.E001"]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert field_encryption_keys() == []


def test_staff_find_a_confidential_case_by_title_and_person_name(world, client_for):
    case = world.case_confidential_x
    f.CasePersonFactory(case=case, name="Nadia Qasim")
    assert stored(Case, "title", case.pk).startswith("sealed:v1:")
    url = reverse("staff:case_list")
    staff = client_for("staff")
    for query in ("confidential of x", "QASIM"):
        html = staff.get(url, {"q": query}).content.decode()
        assert case.reference in html, query
        assert world.case_x.reference not in html
    assert case.reference not in staff.get(url, {"q": "nobody by this name"}).content.decode()
    # The list stays staff's: nobody else gains a way in by searching.
    for persona in ("coordinator_a", "coordinator_b", "holder_x", "member_x"):
        response = client_for(persona).get(url, {"q": "Qasim"})
        assert response.status_code in (403, 404), persona
        assert "Qasim" not in response.content.decode()


def test_the_admin_finds_a_confidential_case_by_title_and_person_name(world, client_for):
    case = world.case_confidential_x
    f.CasePersonFactory(case=case, name="Nadia Qasim")
    staff = client_for("staff")
    pages = {
        "admin:cases_case_changelist": case.reference,
        "admin:cases_caseperson_changelist": "Nadia Qasim",
        "admin:cases_allocation_changelist": world.group_x.name,
    }
    for name, expected in pages.items():
        for query in ("Confidential of X", "nadia qasim"):
            response = staff.get(reverse(name), {"q": query})
            assert response.status_code == 200
            assert expected in response.content.decode(), (name, query)
    html = staff.get(reverse("admin:cases_case_changelist"), {"q": "Case of Y"}).content.decode()
    assert world.case_y.reference in html and case.reference not in html


def test_production_settings_without_keys_fail_the_deploy_check():
    from .test_settings import CLEAN, PRODUCTION, ROOT

    def check(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env={**CLEAN, "DJANGO_ENV": "production", **PRODUCTION, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    missing = check()
    assert missing.returncode != 0
    assert "iar_site.E001" in missing.stderr and "FIELD_ENCRYPTION_KEYS" in missing.stderr
    wrong = check(FIELD_ENCRYPTION_KEYS="not-a-key-at-all")
    assert wrong.returncode != 0 and "must be Fernet keys" in wrong.stderr
    assert "not-a-key-at-all" not in wrong.stderr.splitlines()[-1]
    # With a key the check passes: `make check-deploy` runs exactly that.
