# The outbox and print batches move here from iar_site with their tables and rows: only Django's
# record of which app owns them changes (iar_site 0004 drops them from iar_site's state).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0005_holderchange_approval'),
        ('groups', '0002_membership_notices_caserequest'),
        ('iar_site', '0003_digest_and_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='PrintBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('posted_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('posted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'print batches',
                'db_table': 'iar_site_printbatch',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='OutboundMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('idempotency_key', models.CharField(max_length=200, unique=True)),
                ('channel', models.CharField(choices=[('email', 'Email'), ('post', 'Post')], default='email', max_length=10)),
                ('template', models.CharField(help_text='templates/emails/<name>-*.txt|html', max_length=100)),
                ('context', models.JSONField(blank=True, default=dict)),
                ('to_email', models.EmailField(blank=True, max_length=254)),
                ('to_name', models.CharField(blank=True, max_length=150)),
                ('postal_address', models.TextField(blank=True)),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='queued', max_length=10)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('last_error', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('not_before', models.DateTimeField(default=django.utils.timezone.now)),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('routine', models.BooleanField(default=False, help_text="Routine notices may wait for a member's weekly digest")),
                ('held_for_digest', models.BooleanField(default=False, help_text="Waiting for the recipient's weekly digest instead of going out on its own")),
                ('case', models.ForeignKey(blank=True, help_text='The case the message is about; a stopped case cancels what is still queued', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='cases.case')),
                ('digest', models.ForeignKey(blank=True, help_text='The weekly digest email this notice went out in', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='digested', to='notifications.outboundmessage')),
                ('print_batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='items', to='notifications.printbatch')),
                ('recipient_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='groups.localgroup')),
                ('recipient_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'iar_site_outboundmessage',
                'ordering': ['-created_at'],
                'indexes': [
                    models.Index(condition=models.Q(('status', 'queued')), fields=['not_before'], name='outbox_queued_due'),
                    models.Index(fields=['case', 'status'], name='iar_site_ou_case_id_6c9060_idx'),
                    models.Index(condition=models.Q(('status', 'sending')), fields=['claimed_at'], name='outbox_sending_claimed'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('channel', 'email'), _negated=True), models.Q(('to_email', ''), _negated=True), _connector='OR'), name='outbox_email_has_address'),
                    models.CheckConstraint(condition=models.Q(models.Q(('channel', 'post'), _negated=True), models.Q(('postal_address', ''), _negated=True), _connector='OR'), name='outbox_post_has_address'),
                    models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='outbox_sent_has_time'),
                ],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]
