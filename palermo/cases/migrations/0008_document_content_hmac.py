"""A document's content digest is keyed (issue 15, item 5): `sha256` becomes `content_hmac`, HMAC-SHA256
under a key outside the database (palermo.cases.docstore.content_digest).

Each existing document's digest is recomputed from its stored file. Where the file is missing or does not
open, the digest is left empty, which marks it as not recomputed; the plain hash is never kept.
"""

from django.db import migrations, models


def recompute(apps, schema_editor):
    from palermo.cases import docstore

    document_model = apps.get_model("cases", "CaseDocument")
    rows = document_model._base_manager.order_by("pk").values_list("pk", "row_key", "storage_name")
    for pk, row_key, storage_name in rows.iterator(chunk_size=200):
        try:
            digest = docstore.content_digest(docstore.read(row_key=row_key, storage_name=storage_name))
        except docstore.DocumentStoreError:
            digest = ""
        document_model._base_manager.filter(pk=pk).update(content_hmac=digest)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_name_sound_indexes")]

    operations = [
        migrations.RenameField(model_name="casedocument", old_name="sha256", new_name="content_hmac"),
        migrations.AlterField(
            model_name="casedocument",
            name="content_hmac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(recompute, migrations.RunPython.noop, elidable=False),
    ]
