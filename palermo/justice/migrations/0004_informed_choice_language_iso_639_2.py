"""The language a person was informed in is kept as the person's own languages are (ISO 639-2): two-letter
codes written before are read as their ISO 639-2 equivalent ("en" is "eng"); any other value is left as it is
and still shown (as its code)."""

from django.db import migrations


def to_iso_639_2(apps, schema_editor):
    import pycountry

    InformedChoice = apps.get_model("justice", "InformedChoice")
    two_letter = {entry.alpha_2: entry.alpha_3 for entry in pycountry.languages if hasattr(entry, "alpha_2")}
    for code in InformedChoice.objects.values_list("language", flat=True).distinct():
        if code and code.lower() in two_letter:
            InformedChoice.objects.filter(language=code).update(language=two_letter[code.lower()])


class Migration(migrations.Migration):
    dependencies = [("justice", "0003_choice_columns_checked")]

    operations = [migrations.RunPython(to_iso_639_2, migrations.RunPython.noop)]
