from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_interim_reports"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="annualreport",
            index=models.Index(
                condition=models.Q(("status", "acknowledged")),
                fields=["-acknowledged_at"],
                name="report_acknowledged_newest",
            ),
        ),
    ]
