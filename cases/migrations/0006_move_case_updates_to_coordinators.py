# The case update models move to the coordinators app, which owns updates and their notices.
# Only Django's record of the models changes here; their tables and rows stay where they are and
# coordinators.0002_case_updates_from_cases takes them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_holderchange_approval'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='CaseUpdateNotice'),
                migrations.DeleteModel(name='CaseUpdateAttachment'),
                migrations.DeleteModel(name='CaseUpdate'),
            ],
            database_operations=[],
        ),
    ]
