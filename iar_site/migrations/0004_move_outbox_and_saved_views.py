# OutboundMessage and PrintBatch now belong to notifications, SavedView to cases. Their tables
# stay as they are (each model keeps its db_table), so this only updates Django's state, after
# the new owners have taken the models over. The content types follow the models, so admin
# history and anything else pointing at them stays attached.

from django.db import migrations

MOVED = (
    ("outboundmessage", "notifications"),
    ("printbatch", "notifications"),
    ("savedview", "cases"),
)


def _relabel(apps, schema_editor, forward: bool) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model, new_app in MOVED:
        old, new = ("iar_site", new_app) if forward else (new_app, "iar_site")
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forward=True)


def backwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_savedview'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('iar_site', '0003_digest_and_review'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='OutboundMessage'),
                migrations.DeleteModel(name='PrintBatch'),
                migrations.DeleteModel(name='SavedView'),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
