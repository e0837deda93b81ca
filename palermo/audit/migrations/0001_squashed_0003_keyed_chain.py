"""The audit log as its three migrations left it (decision 0061), with its append-only guard installed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install_guard(apps, schema_editor):
    from palermo.audit import guard

    guard.install(schema_editor.connection)


def remove_guard(apps, schema_editor):
    from palermo.audit import guard

    guard.remove(schema_editor.connection)


class Migration(migrations.Migration):

    replaces = [('audit', '0001_initial'), ('audit', '0002_append_only_guard'), ('audit', '0003_keyed_chain')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_choice_columns_checked'),
        ('cases', '0001_squashed_0017_choice_columns_checked'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('sequence', models.BigIntegerField(default=0)),
                ('hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='audit_chainhead_single_row')],
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.BigIntegerField(editable=False, unique=True, verbose_name='sequence number')),
                ('time', models.DateTimeField(editable=False, verbose_name='time')),
                ('role', models.CharField(blank=True, max_length=40, verbose_name='role')),
                ('action', models.CharField(max_length=64, verbose_name='action')),
                ('object_type', models.CharField(blank=True, max_length=64, verbose_name='object type')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                ('tier', models.PositiveSmallIntegerField(verbose_name='data tier')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('request_id', models.CharField(blank=True, max_length=64, verbose_name='request id')),
                ('prev_hash', models.CharField(editable=False, max_length=64)),
                ('note', models.TextField(blank=True, default='', editable=False)),
                ('key_id', models.CharField(blank=True, default='', editable=False, max_length=32)),
                ('hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('actor', models.ForeignKey(blank=True, help_text='Empty for the system itself (commands, background tasks).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case', verbose_name='case')),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['-sequence'],
                'indexes': [models.Index(fields=['case', 'sequence'], name='audit_event_case'), models.Index(fields=['actor', 'sequence'], name='audit_event_actor'), models.Index(fields=['action', 'sequence'], name='audit_event_action'), models.Index(fields=['time'], name='audit_event_time'), models.Index(fields=['agency', 'sequence'], name='audit_event_agency')],
                'constraints': [models.CheckConstraint(condition=models.Q(('tier__lte', 4)), name='audit_event_tier_valid'), models.CheckConstraint(condition=models.Q(('sequence__gte', 1)), name='audit_event_sequence_positive')],
            },
        ),
        migrations.RunPython(install_guard, remove_guard, elidable=False),
    ]
