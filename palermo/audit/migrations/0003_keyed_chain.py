"""Events name the audit key their hash is an HMAC under (docs/decisions/0021); earlier events name none.
Free text a person typed goes into a sealed `note` (palermo.audit.notes), never into `reason`.

SQLite may rebuild the table to add the column, which drops its triggers: the append-only guard is installed
again afterwards (idempotent on both vendors).
"""

from django.db import migrations, models


def install_guard(apps, schema_editor):
    from palermo.audit import guard

    guard.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_guard")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="note",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(install_guard, migrations.RunPython.noop, elidable=False),
    ]
