"""A hearing's status (scheduled, held, cancelled) replaces its "held" flag; adjournments are kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def held_to_status(apps, schema_editor):
    apps.get_model("justice", "Hearing").objects.filter(held=True).update(status="held")


def status_to_held(apps, schema_editor):
    apps.get_model("justice", "Hearing").objects.filter(status="held").update(held=True)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_squashed_0005_choice_columns_checked'),
        ('justice', '0004_informed_choice_language_iso_639_2'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Adjournment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_day', models.DateField(verbose_name='set for')),
                ('to_day', models.DateField(verbose_name='put off to')),
                ('reason', models.CharField(choices=[('accused_absent', 'The accused did not appear'), ('witness_absent', 'A witness did not appear'), ('person_unable', 'The person could not attend'), ('interpreter', 'No interpreter was available'), ('defence', "At the defence's request"), ('prosecution', "At the prosecution's request"), ('court', "The court's schedule"), ('other', 'Another reason')], max_length=15, verbose_name='reason')),
                ('recorded_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['hearing', 'id'],
            },
        ),
        migrations.AddField(
            model_name='hearing',
            name='status',
            field=models.CharField(choices=[('scheduled', 'Scheduled'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='scheduled', max_length=10, verbose_name='status'),
        ),
        migrations.RunPython(held_to_status, status_to_held),
        migrations.RemoveField(
            model_name='hearing',
            name='held',
        ),
        migrations.AddConstraint(
            model_name='hearing',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['scheduled', 'held', 'cancelled'])), name='justice_hearing_status_valid'),
        ),
        migrations.AddField(
            model_name='adjournment',
            name='hearing',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adjournments', to='justice.hearing'),
        ),
        migrations.AddField(
            model_name='adjournment',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency'),
        ),
        migrations.AddField(
            model_name='adjournment',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='adjournment',
            constraint=models.CheckConstraint(condition=models.Q(('reason__in', ['accused_absent', 'witness_absent', 'person_unable', 'interpreter', 'defence', 'prosecution', 'court', 'other'])), name='justice_adjournment_reason_valid'),
        ),
    ]
