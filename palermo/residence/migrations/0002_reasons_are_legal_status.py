"""A residence decision's reasons are the authority's statement of the legal basis of a decision on the
person's status: identity and legal status (T2), no longer narrative (T4), so the migration officer who takes
the decision can record and read them.

Only the field's `tier` changes, and palermo.core.fields.EncryptedField.deconstruct puts `tier` into the
migration state, hence this AlterField. No data changes: the encryption binding of each value is the model
label and field name with the row's row_key (palermo.core.fields.EncryptedField._binding and
palermo.core.crypto.binding_prefix), never the tier, so every stored ciphertext still opens as it is. The
column stays a text column (on SQLite the table is copied as is).
"""

import palermo.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("residence", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="decision",
            name="reasons",
            field=palermo.core.fields.EncryptedTextField(tier=2, verbose_name="reasons"),
        ),
    ]
