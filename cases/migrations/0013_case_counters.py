"""Two counters on the case, kept by the services (cases.counts): its open allocations and when
its latest update was published. Backfilled here from the rows, one UPDATE for every case."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

OPEN = ("offered", "active")
PUBLISHED = "published"


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Allocation = apps.get_model("cases", "Allocation")
    CaseUpdate = apps.get_model("coordinators", "CaseUpdate")
    open_allocations = (
        Allocation.objects.filter(case=OuterRef("pk"), status__in=OPEN)
        .order_by()
        .values("case")
        .annotate(n=Count("*"))
        .values("n")[:1]
    )
    latest = (
        CaseUpdate.objects.filter(case=OuterRef("pk"), status=PUBLISHED)
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    Case.objects.update(
        open_allocations=Coalesce(Subquery(open_allocations, output_field=IntegerField()), 0),
        latest_update_at=Subquery(latest),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_seal_confidential_rows"),
        ("coordinators", "0003_stop_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="latest_update_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the latest update was published",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="open_allocations",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Allocations offered or active now"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["status", "latest_update_at"], name="case_status_latest_update"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
