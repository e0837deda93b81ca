"""An open residence application's or appeal's decision deadline is the deciding agency's, as the services set
it since: the case team's active border or migration authority that joined first, else the lead agency
(palermo.residence.services.common.deciding_agency). Deadlines written before named the agency that recorded
the application or the appeal; the open ones move, the done ones stay as they were."""

from django.db import migrations

KINDS = ("residence.decision_due", "residence.appeal_decision_due")
MIGRATION_AUTHORITY = "migration"  # palermo.accounts.roles.AgencyType.MIGRATION


def to_the_deciding_agency(apps, schema_editor):
    Deadline = apps.get_model("deadlines", "Deadline")
    CaseTeamMember = apps.get_model("access", "CaseTeamMember")
    Case = apps.get_model("cases", "Case")
    open_deadlines = Deadline.objects.filter(kind__in=KINDS, done_at__isnull=True)
    for pk, case_id, responsible in open_deadlines.values_list("pk", "case_id", "responsible_agency_id"):
        authority = (
            CaseTeamMember.objects.filter(
                case_id=case_id,
                removed_at__isnull=True,
                agency__type=MIGRATION_AUTHORITY,
                agency__is_active=True,
            )
            .order_by("added_at", "pk")
            .values_list("agency_id", flat=True)
            .first()
        )
        deciding = authority or Case.objects.filter(pk=case_id).values_list("lead_agency_id", flat=True).get()
        if deciding != responsible:
            Deadline.objects.filter(pk=pk).update(responsible_agency_id=deciding)


class Migration(migrations.Migration):
    dependencies = [
        ("residence", "0004_decision_outcome_words_for_each_reader"),
        ("deadlines", "0004_deadline_deadline_case_kind_open"),
        ("access", "0003_reasons_encrypted"),
    ]

    operations = [migrations.RunPython(to_the_deciding_agency, migrations.RunPython.noop)]
