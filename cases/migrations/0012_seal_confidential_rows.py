"""Seal the title, summary, suggested letter, solidarity address and people's names of the cases that are
confidential now; reversing writes them back in plain text."""

from django.db import migrations

from iar_site import crypto

CONFIDENTIAL = "confidential"
CASE_FIELDS = ("title", "summary", "suggested_letter", "solidarity_address")


def _rewrite(apps, change):
    Case = apps.get_model("cases", "Case")
    CasePerson = apps.get_model("cases", "CasePerson")
    # Reading unseals (the fields' from_db_value); `update` writes exactly what it is given.
    for case in Case.objects.filter(sensitivity=CONFIDENTIAL).only("pk", *CASE_FIELDS):
        values = {name: change(getattr(case, name)) for name in CASE_FIELDS}
        Case.objects.filter(pk=case.pk).update(**values)
    people = CasePerson.objects.filter(case__sensitivity=CONFIDENTIAL).only("pk", "name")
    for person in people:
        CasePerson.objects.filter(pk=person.pk).update(name=change(person.name))


def seal(apps, schema_editor):
    _rewrite(apps, lambda text: crypto.seal(text) if text else text)


def unseal(apps, schema_editor):
    _rewrite(apps, lambda text: text)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_sealed_private_fields"),
    ]

    operations = [
        migrations.RunPython(seal, unseal),
    ]
