# The case update models, moved here from the cases app with their tables and rows: only Django's
# record of the models changes (each keeps its table through Meta.db_table), and their content
# types follow, so permissions and admin history stay attached to them.

import coordinators.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ('caseupdate', 'caseupdateattachment', 'caseupdatenotice')


def _relabel(apps, from_label, to_label):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        if not ContentType.objects.filter(app_label=to_label, model=model).exists():
            ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)


def content_types_to_coordinators(apps, schema_editor):
    _relabel(apps, 'cases', 'coordinators')


def content_types_to_cases(apps, schema_editor):
    _relabel(apps, 'coordinators', 'cases')


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_move_case_updates_to_coordinators'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('coordinators', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CaseUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('development', 'Development'), ('targets_changed', 'Targets changed'), ('action_needed', 'Action needed'), ('case_closed', 'Case closed')], default='development', max_length=20)),
                        ('title', models.CharField(max_length=200)),
                        ('body', models.TextField(help_text='A small Markdown subset: paragraphs, bold, italics, lists, links')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=10)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('published_at', models.DateTimeField(blank=True, null=True)),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='cases.case')),
                    ],
                    options={
                        'db_table': 'cases_caseupdate',
                        'ordering': ['-published_at', '-created_at'],
                        'indexes': [models.Index(fields=['case', 'status', 'published_at'], name='cases_caseu_case_id_2dde7a_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status', 'draft'), ('published_at__isnull', False), _connector='OR'), name='case_update_published_has_time')],
                    },
                ),
                migrations.CreateModel(
                    name='CaseUpdateAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(upload_to=coordinators.models.update_attachment_upload_to)),
                        ('original_name', models.CharField(max_length=200)),
                        ('content_type', models.CharField(max_length=100)),
                        ('size', models.PositiveIntegerField()),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('update', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='coordinators.caseupdate')),
                    ],
                    options={
                        'db_table': 'cases_caseupdateattachment',
                        'ordering': ['update', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='CaseUpdateNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                        ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('allocation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='update_notices', to='cases.allocation')),
                        ('read_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('update', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='coordinators.caseupdate')),
                    ],
                    options={
                        'db_table': 'cases_caseupdatenotice',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(fields=('update', 'allocation'), name='notice_one_per_group')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_coordinators, content_types_to_cases),
    ]
