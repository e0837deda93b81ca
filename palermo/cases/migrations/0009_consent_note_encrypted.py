"""A consent's withdrawal note is identity data (T2), encrypted at rest (issue 15, item 5): consents gain a
row key, the column becomes encrypted text, and every note stored in clear is sealed in place
(palermo.core.sealing). Not reversible: the clear text is gone once sealed."""

import uuid

import palermo.core.fields
from django.db import migrations, models

from palermo.core.sealing import encrypt_existing, fill_row_keys


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_document_content_hmac")]

    operations = [
        migrations.AddField(
            model_name="consent", name="row_key", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(fill_row_keys("cases", "Consent"), migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consent",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="consent",
            name="withdrawal_note",
            field=palermo.core.fields.EncryptedTextField(
                blank=True, max_length=500, tier=2, verbose_name="withdrawal note"
            ),
        ),
        migrations.RunPython(encrypt_existing("cases", "Consent", "withdrawal_note"), elidable=False),
    ]
