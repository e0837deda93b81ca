"""Load the indicator instruments shipped in palermo/identification/data (reference data, idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from palermo.identification.loading import load_shipped

    load_shipped(
        apps.get_model("identification", "Instrument"),
        apps.get_model("identification", "Dimension"),
        apps.get_model("identification", "Indicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("identification", "0001_initial")]

    # Reversing leaves the reference data in place: screenings may refer to it.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
