"""Team and break-glass reasons are identity data (T2), encrypted at rest (issue 15, item 5).

The two tables gain a row key (filled for existing rows), the reason columns become encrypted text, and every
reason already stored in clear is sealed in place (palermo.core.sealing). Not reversible: the clear text is
gone once sealed.
"""

import uuid

import palermo.core.fields
from django.db import migrations, models

from palermo.core.sealing import encrypt_existing, fill_row_keys


class Migration(migrations.Migration):
    dependencies = [("access", "0002_limit_counts")]

    operations = [
        migrations.AddField(
            model_name="caseteammember",
            name="row_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="breakglassgrant",
            name="row_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_row_keys("access", "CaseTeamMember"), migrations.RunPython.noop),
        migrations.RunPython(fill_row_keys("access", "BreakGlassGrant"), migrations.RunPython.noop),
        migrations.AlterField(
            model_name="caseteammember",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="breakglassgrant",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="caseteammember",
            name="reason",
            field=palermo.core.fields.EncryptedTextField(max_length=500, tier=2, verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="caseteammember",
            name="removal_reason",
            field=palermo.core.fields.EncryptedTextField(
                blank=True, max_length=500, tier=2, verbose_name="reason for removal"
            ),
        ),
        migrations.AlterField(
            model_name="breakglassgrant",
            name="reason",
            field=palermo.core.fields.EncryptedTextField(tier=2, verbose_name="reason"),
        ),
        migrations.RunPython(
            encrypt_existing("access", "CaseTeamMember", "reason", "removal_reason"), elidable=False
        ),
        migrations.RunPython(encrypt_existing("access", "BreakGlassGrant", "reason"), elidable=False),
    ]
