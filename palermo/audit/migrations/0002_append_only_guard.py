"""Triggers that refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL) on audit events, per database vendor."""

from django.db import migrations


def install_guard(apps, schema_editor):
    from palermo.audit import guard

    guard.install(schema_editor.connection)


def remove_guard(apps, schema_editor):
    from palermo.audit import guard

    guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install_guard, remove_guard, elidable=False)]
