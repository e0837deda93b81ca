"""Identification as its seven migrations left it (decision 0061), with the shipped indicator instruments loaded."""

import django.db.models.deletion
import palermo.core.fields
import palermo.identification.fields
import uuid
from django.conf import settings
from django.db import migrations, models


def load_instruments(apps, schema_editor):
    from palermo.identification.loading import load_shipped

    load_shipped(
        apps.get_model("identification", "Instrument"),
        apps.get_model("identification", "Dimension"),
        apps.get_model("identification", "Indicator"),
    )


class Migration(migrations.Migration):

    replaces = [('identification', '0001_initial'), ('identification', '0002_load_shipped_instruments'), ('identification', '0003_screenings'), ('identification', '0004_legal_elements_age'), ('identification', '0005_decisions'), ('identification', '0006_decision_child_views_review_requests'), ('identification', '0007_choice_columns_checked')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_choice_columns_checked'),
        ('cases', '0001_squashed_0017_choice_columns_checked'),
    ]

    operations = [
        migrations.CreateModel(
            name='Dimension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=60, verbose_name='dimension')),
                ('group', models.CharField(choices=[('recruitment', 'Recruitment'), ('exploitation', 'Exploitation'), ('destination', 'Coercion or abuse of vulnerability at destination')], max_length=20, verbose_name='group')),
                ('position', models.PositiveSmallIntegerField()),
            ],
            options={
                'ordering': ['instrument', 'position'],
            },
        ),
        migrations.CreateModel(
            name='IdentificationDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('child_views', palermo.core.fields.EncryptedTextField(blank=True, tier=4, verbose_name="the child's views")),
                ('child_not_heard_reason', palermo.core.fields.EncryptedTextField(blank=True, tier=4, verbose_name='why the child was not heard')),
                ('child_age_when_heard', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="the child's age")),
                ('child_interpreter', models.CharField(blank=True, max_length=200, verbose_name='interpreter (name, or language and service)')),
                ('kind', models.CharField(choices=[('presumed', 'Presumed victim (reasonable grounds)'), ('identified', 'Identified victim (conclusive grounds)')], max_length=12, verbose_name='decision')),
                ('procedure', models.CharField(choices=[('first', 'First decision'), ('reconsideration', 'Reconsideration'), ('appeal', 'Appeal')], default='first', max_length=20, verbose_name='procedure')),
                ('outcome', models.CharField(choices=[('positive', 'Positive'), ('negative', 'Negative')], max_length=10, verbose_name='outcome')),
                ('grounds', palermo.identification.fields.EncryptedChoiceListField(blank=True, default=list, tier=4, verbose_name='grounds')),
                ('reasons', palermo.core.fields.EncryptedTextField(tier=4, verbose_name='reasons')),
                ('decided_at', models.DateTimeField(db_index=True, verbose_name='decided')),
                ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='due')),
                ('deadline_days', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('deadline_day_kind', models.CharField(blank=True, max_length=10)),
                ('rulebook', models.CharField(blank=True, max_length=60)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='identification_decisions', to='cases.case')),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decision maker')),
                ('reviews', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewed_by', to='identification.identificationdecision', verbose_name='decision reviewed')),
            ],
            options={
                'ordering': ['-decided_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=300, verbose_name='indicator')),
                ('adult_weight', models.CharField(choices=[('strong', 'Strong'), ('medium', 'Medium'), ('weak', 'Weak')], max_length=10, verbose_name='weight for adults')),
                ('child_weight', models.CharField(blank=True, choices=[('strong', 'Strong'), ('medium', 'Medium'), ('weak', 'Weak')], max_length=10, null=True, verbose_name='weight for children')),
                ('position', models.PositiveSmallIntegerField()),
                ('dimension', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='identification.dimension')),
            ],
            options={
                'ordering': ['dimension', 'position'],
                'constraints': [models.UniqueConstraint(fields=('dimension', 'text'), name='indicator_text_unique'), models.CheckConstraint(condition=models.Q(('adult_weight__in', ['strong', 'medium', 'weak'])), name='identification_indicator_adult_weight_valid'), models.CheckConstraint(condition=models.Q(('child_weight__in', ['strong', 'medium', 'weak'])), name='identification_indicator_child_weight_valid')],
            },
        ),
        migrations.CreateModel(
            name='Instrument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('version', models.CharField(max_length=100, verbose_name='version')),
                ('source', models.TextField(verbose_name='source')),
                ('exploitation_type', models.CharField(choices=[('labour', 'Labour exploitation'), ('sexual', 'Sexual exploitation'), ('general', 'All forms of exploitation')], max_length=20, verbose_name='form of exploitation')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='imported')),
            ],
            options={
                'verbose_name': 'indicator instrument',
                'ordering': ['name', '-imported_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('name', 'version'), name='instrument_name_version_unique'), models.CheckConstraint(condition=models.Q(('exploitation_type__in', ['labour', 'sexual', 'general'])), name='identification_instrument_exploitation_type_valid')],
            },
        ),
        migrations.AddField(
            model_name='dimension',
            name='instrument',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dimensions', to='identification.instrument'),
        ),
        migrations.CreateModel(
            name='LegalElements',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1)),
                ('row_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('acts', palermo.identification.fields.EncryptedChoiceListField(blank=True, default=list, tier=4, verbose_name='act')),
                ('means', palermo.identification.fields.EncryptedChoiceListField(blank=True, default=list, tier=4, verbose_name='means')),
                ('purposes', palermo.identification.fields.EncryptedChoiceListField(blank=True, default=list, tier=4, verbose_name='purpose')),
                ('note', palermo.core.fields.EncryptedTextField(blank=True, tier=4, verbose_name='note')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='legal_elements', to='cases.case')),
                ('updated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ReviewRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('procedure', models.CharField(choices=[('first', 'First decision'), ('reconsideration', 'Reconsideration'), ('appeal', 'Appeal')], max_length=20, verbose_name='procedure')),
                ('requested_at', models.DateTimeField(verbose_name='requested')),
                ('due_at', models.DateTimeField(verbose_name='due')),
                ('deadline_days', models.PositiveSmallIntegerField()),
                ('deadline_day_kind', models.CharField(max_length=10)),
                ('rulebook', models.CharField(max_length=60)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='identification_review_requests', to='cases.case')),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_requests', to='identification.identificationdecision', verbose_name='decision to review')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('review', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='request', to='identification.identificationdecision', verbose_name='review decision')),
            ],
            options={
                'ordering': ['-requested_at', '-id'],
                'indexes': [models.Index(fields=['case', 'requested_at'], name='review_request_case')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('review__isnull', True)), fields=('decision',), name='review_request_one_open'), models.CheckConstraint(condition=models.Q(('procedure', 'first'), _negated=True), name='review_request_is_review'), models.CheckConstraint(condition=models.Q(('procedure__in', ['first', 'reconsideration', 'appeal'])), name='identification_reviewrequest_procedure_valid')],
            },
        ),
        migrations.CreateModel(
            name='Screening',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1)),
                ('row_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('child', models.BooleanField(verbose_name='child rule and weights')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('complete', 'Complete')], default='draft', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('advice', palermo.core.fields.EncryptedCharField(blank=True, choices=[('victim', 'The indicators point to trafficking'), ('not_victim', 'The indicators do not point to trafficking'), ('insufficient_information', 'Not enough information to say')], max_length=30, tier=4, verbose_name='advice')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='screenings', to='accounts.agency')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='screenings', to='cases.case')),
                ('completed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='screenings_completed', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='screenings_started', to=settings.AUTH_USER_MODEL)),
                ('instrument', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='screenings', to='identification.instrument')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['case', 'created_at'], name='screening_case_created')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('completed_at__isnull', True), ('status', 'draft')), models.Q(('completed_at__isnull', False), ('status', 'complete')), _connector='OR'), name='screening_completed_when_complete'), models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'complete'])), name='identification_screening_status_valid')],
            },
        ),
        migrations.AddField(
            model_name='identificationdecision',
            name='screening',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='identification.screening', verbose_name='screening'),
        ),
        migrations.CreateModel(
            name='ScreeningAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('answer', palermo.core.fields.EncryptedCharField(choices=[('yes', 'Yes'), ('no', 'No'), ('unknown', 'Unknown')], max_length=10, tier=4, verbose_name='answer')),
                ('note', palermo.core.fields.EncryptedTextField(blank=True, tier=4, verbose_name='note')),
                ('source', palermo.core.fields.EncryptedCharField(blank=True, choices=[('person', "The person's own account"), ('observation', 'Observed by the responder'), ('documents', 'Documents or records'), ('third_party', 'Another person or agency'), ('other', 'Other')], max_length=20, tier=4, verbose_name='source of the information')),
                ('answered_at', models.DateTimeField()),
                ('answered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='identification.indicator')),
                ('screening', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='identification.screening')),
            ],
            options={
                'ordering': ['indicator__dimension__position', 'indicator__position'],
                'constraints': [models.UniqueConstraint(fields=('screening', 'indicator'), name='screening_answer_once')],
            },
        ),
        migrations.CreateModel(
            name='ScreeningDimensionResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('verdict', palermo.core.fields.EncryptedCharField(choices=[('positive', 'Positive'), ('negative', 'Negative'), ('insufficient_information', 'Insufficient information')], max_length=30, tier=4, verbose_name='verdict')),
                ('dimension', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='identification.dimension')),
                ('screening', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dimension_results', to='identification.screening')),
            ],
            options={
                'ordering': ['dimension__position'],
                'constraints': [models.UniqueConstraint(fields=('screening', 'dimension'), name='screening_dimension_once')],
            },
        ),
        migrations.CreateModel(
            name='AgeAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('method', models.CharField(choices=[('documents', 'Documentary evidence'), ('holistic', 'Multidisciplinary (holistic) assessment'), ('interview', 'Psycho-social interview'), ('medical', 'Medical examination'), ('other', 'Other')], max_length=20, verbose_name='method')),
                ('conclusion', models.CharField(choices=[('child', 'Under 18: a child'), ('adult', '18 or over: an adult'), ('inconclusive', 'Inconclusive: the doubt remains')], max_length=20, verbose_name='conclusion')),
                ('assessed_on', models.DateField(verbose_name='date of the assessment')),
                ('assessor', models.CharField(help_text='The professional or body.', max_length=200, verbose_name='assessor')),
                ('findings', palermo.core.fields.EncryptedTextField(blank=True, tier=4, verbose_name='findings')),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='age_assessments', to='cases.case')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-assessed_on', '-recorded_at', '-id'],
                'indexes': [models.Index(fields=['case', 'assessed_on'], name='age_assessment_case')],
                'constraints': [models.CheckConstraint(condition=models.Q(('method__in', ['documents', 'holistic', 'interview', 'medical', 'other'])), name='identification_ageassessment_method_valid'), models.CheckConstraint(condition=models.Q(('conclusion__in', ['child', 'adult', 'inconclusive'])), name='identification_ageassessment_conclusion_valid')],
            },
        ),
        migrations.CreateModel(
            name='Differentiation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('situation', models.CharField(choices=[('trafficking', 'Trafficking in human beings'), ('smuggling', 'Smuggling of migrants (a consensual crossing; the relation ends at the border)'), ('irregular_migration', 'Irregular migration'), ('other_exploitation', 'Other exploitation, not trafficking')], max_length=30, verbose_name='situation')),
                ('reasons', palermo.core.fields.EncryptedTextField(tier=4, verbose_name='reasons')),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='differentiations', to='cases.case')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-recorded_at', '-id'],
                'indexes': [models.Index(fields=['case', 'recorded_at'], name='differentiation_case')],
                'constraints': [models.CheckConstraint(condition=models.Q(('situation__in', ['trafficking', 'smuggling', 'irregular_migration', 'other_exploitation'])), name='identification_differentiation_situation_valid')],
            },
        ),
        migrations.AddConstraint(
            model_name='dimension',
            constraint=models.UniqueConstraint(fields=('instrument', 'key'), name='dimension_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='dimension',
            constraint=models.CheckConstraint(condition=models.Q(('key__in', ['deceptive_recruitment', 'coercive_recruitment', 'recruitment_abuse_of_vulnerability', 'exploitation', 'coercion_at_destination', 'abuse_of_vulnerability_at_destination'])), name='dimension_known'),
        ),
        migrations.AddConstraint(
            model_name='dimension',
            constraint=models.CheckConstraint(condition=models.Q(('group__in', ['recruitment', 'exploitation', 'destination'])), name='identification_dimension_group_valid'),
        ),
        migrations.AddIndex(
            model_name='identificationdecision',
            index=models.Index(fields=['case', 'kind', 'decided_at'], name='decision_case_kind'),
        ),
        migrations.AddConstraint(
            model_name='identificationdecision',
            constraint=models.UniqueConstraint(condition=models.Q(('procedure', 'first')), fields=('case', 'kind'), name='decision_one_first_per_kind'),
        ),
        migrations.AddConstraint(
            model_name='identificationdecision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('procedure', 'first'), ('reviews__isnull', True)), models.Q(models.Q(('procedure', 'first'), _negated=True), ('reviews__isnull', False)), _connector='OR'), name='decision_review_links_original'),
        ),
        migrations.AddConstraint(
            model_name='identificationdecision',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['presumed', 'identified'])), name='identification_identificationdecision_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='identificationdecision',
            constraint=models.CheckConstraint(condition=models.Q(('procedure__in', ['first', 'reconsideration', 'appeal'])), name='identification_identificationdecision_procedure_valid'),
        ),
        migrations.AddConstraint(
            model_name='identificationdecision',
            constraint=models.CheckConstraint(condition=models.Q(('outcome__in', ['positive', 'negative'])), name='identification_identificationdecision_outcome_valid'),
        ),
        # Reversing leaves the reference data in place: screenings may refer to it.
        migrations.RunPython(load_instruments, migrations.RunPython.noop),
    ]
