"""A second counter on the group, kept by the services (cases.counts): when it was last offered
a case it did not decline, so ranking groups for a case reads the group rows alone. Backfilled
here from the rows, one UPDATE for every group (each one step down the allocations' (group,
offered_at) index); reversed, the column goes."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

DECLINED = "declined"


def backfill(apps, schema_editor):
    LocalGroup = apps.get_model("groups", "LocalGroup")
    Allocation = apps.get_model("cases", "Allocation")
    last_new = (
        Allocation.objects.filter(group=OuterRef("pk"))
        .exclude(end_reason=DECLINED)
        .order_by("-offered_at")
        .values("offered_at")[:1]
    )
    LocalGroup.objects.update(last_new_case_at=Subquery(last_new))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_case_coordinator_indexes"),
        ("groups", "0006_group_open_cases"),
    ]

    operations = [
        migrations.AddField(
            model_name="localgroup",
            name="last_new_case_at",
            field=models.DateTimeField(
                editable=False,
                help_text="When the group was last offered a case it did not decline; empty: never",
                null=True,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
