# Saved views move here from iar_site with their table and rows: only Django's record of which
# app owns the model changes (iar_site 0004 drops it from iar_site's state).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_move_case_updates_to_coordinators'),
        ('iar_site', '0003_digest_and_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='SavedView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('list_name', models.CharField(help_text='Which list, e.g. cases or groups', max_length=40)),
                ('name', models.CharField(max_length=80)),
                ('query', models.CharField(blank=True, max_length=1000)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_views', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'iar_site_savedview',
                'ordering': ['list_name', 'name'],
                'constraints': [models.UniqueConstraint(fields=('user', 'list_name', 'name'), name='saved_view_unique_name')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]
