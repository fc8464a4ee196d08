"""Existing targets were often typed with the name and the authority as the first lines of the
postal address, so letters and labels named the addressee twice; and suggested letters carried
their own salutation and sign-off, which the letter adds. Both are taken out here, once.

The rules are copied rather than imported: a migration must keep working when the code moves on.
"""

import re

from django.db import migrations

SALUTATION = re.compile(
    r"^(dear\b.*|your (excellency|majesty|highness|honou?r)|to whom it may concern)[,.:]?$", re.I
)
SIGN_OFF = re.compile(
    r"^(yours (sincerely|faithfully|truly|respectfully)|sincerely( yours)?|kind regards|"
    r"best regards|with (respect|regards)|respectfully( yours)?)[,.]?$",
    re.I,
)


def _key(line):
    return " ".join(line.split()).casefold().rstrip(",.")


def split_addresses(apps, schema_editor):
    CampaignTarget = apps.get_model("cases", "CampaignTarget")
    for target in CampaignTarget.objects.all().iterator():
        drop = {_key(target.title), _key(target.authority)} - {""}
        lines = [line.strip() for line in target.postal_address.splitlines() if line.strip()]
        while lines and _key(lines[0]) in drop:
            lines.pop(0)
        address = "\n".join(lines)
        if address and address != target.postal_address:
            CampaignTarget.objects.filter(pk=target.pk).update(postal_address=address)


def bare_letters(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for case in Case.objects.exclude(suggested_letter="").iterator():
        lines = case.suggested_letter.replace("\r\n", "\n").strip().split("\n")
        if lines and SALUTATION.match(lines[0].strip()):
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if lines and SIGN_OFF.match(lines[-1].strip()):
            lines.pop()
        text = "\n".join(lines).strip()
        if text and text != case.suggested_letter:
            Case.objects.filter(pk=case.pk).update(suggested_letter=text)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_target_address_lines_and_public_action"),
    ]

    operations = [
        migrations.RunPython(split_addresses, migrations.RunPython.noop),
        migrations.RunPython(bare_letters, migrations.RunPython.noop),
    ]
