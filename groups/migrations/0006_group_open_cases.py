"""A counter on the group, kept by the services (cases.counts): its open allocations, offered or
active. Backfilled here from the rows, one UPDATE for every group; the index serves the staff
home's active groups with a place free, fewest cases first."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

OPEN = ("offered", "active")


def backfill(apps, schema_editor):
    LocalGroup = apps.get_model("groups", "LocalGroup")
    Allocation = apps.get_model("cases", "Allocation")
    open_cases = (
        Allocation.objects.filter(group=OuterRef("pk"), status__in=OPEN)
        .order_by()
        .values("group")
        .annotate(n=Count("*"))
        .values("n")[:1]
    )
    LocalGroup.objects.update(
        open_cases=Coalesce(Subquery(open_cases, output_field=IntegerField()), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_case_list_indexes"),
        ("groups", "0005_report_acknowledged_newest"),
    ]

    operations = [
        migrations.AddField(
            model_name="localgroup",
            name="open_cases",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Allocations offered or active now"
            ),
        ),
        # The index before the backfill: built over rows just updated in place (HOT updates),
        # PostgreSQL would not use it until every transaction older than the migration had
        # ended (pg_index.indcheckxmin); built first, it is usable at once.
        migrations.AddIndex(
            model_name="localgroup",
            index=models.Index(
                condition=models.Q(("is_active", True), ("open_cases__lt", models.F("capacity"))),
                fields=["open_cases", "name"],
                name="group_waiting",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
