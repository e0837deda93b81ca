"""Open identification decision deadlines written for the case's lead agency become the deciding agency's,
as palermo.identification.deadlines now writes them: the presumed victim decision, the identification
authority on the case's team (another than the lead where both are); the identified victim decision, the
agency that took the presumed one; a review, the agency whose decision is reviewed. Each moved row is
announced again, to its new agency. Done rows keep their history."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Exists, OuterRef

PRESUMED = "identification.presumed_victim_decision"
IDENTIFIED = "identification.identified_victim_decision"
REVIEW = "identification.review_decision"


def _first_decider(apps: Any, case: Any) -> int:
    agency, membership = apps.get_model("accounts", "Agency"), apps.get_model("accounts", "Membership")
    authority = membership.objects.filter(
        agency=OuterRef("pk"), role="identification_authority", is_active=True, user__is_active=True
    )
    found = (
        agency.objects.filter(
            Exists(authority),
            is_active=True,
            case_team_entries__case_id=case.pk,
            case_team_entries__user__isnull=True,
            case_team_entries__removed_at__isnull=True,
        )
        .order_by("case_team_entries__pk")
        .values_list("pk", flat=True)
    )
    return next((pk for pk in found if pk != case.lead_agency_id), case.lead_agency_id)


def _decider(apps: Any, row: Any) -> int | None:
    decision = apps.get_model("identification", "IdentificationDecision")
    if row.kind == PRESUMED:
        return _first_decider(apps, row.case)
    if row.kind == IDENTIFIED:
        presumed = decision.objects.filter(case_id=row.case_id, kind="presumed").order_by(
            "-decided_at", "-id"
        )
        return presumed.values_list("agency_id", flat=True).first()
    request = apps.get_model("identification", "ReviewRequest").objects.filter(pk=row.source_id).first()
    return (
        decision.objects.filter(pk=request.decision_id).values_list("agency_id", flat=True).first()
        if request
        else None
    )


def to_the_deciding_agency(apps: Any, schema_editor: Any) -> None:
    deadline = apps.get_model("deadlines", "Deadline")
    rows = deadline.objects.filter(kind__in=(PRESUMED, IDENTIFIED, REVIEW), done_at__isnull=True)
    for row in rows.select_related("case").iterator(chunk_size=500):
        agency_id = _decider(apps, row)
        if agency_id is not None and agency_id != row.responsible_agency_id:
            deadline.objects.filter(pk=row.pk).update(responsible_agency_id=agency_id, reminded_on=None)


class Migration(migrations.Migration):
    dependencies = [
        ("identification", "0007_choice_columns_checked"),
        ("deadlines", "0004_deadline_deadline_case_kind_open"),
        ("access", "0003_reasons_encrypted"),
        ("accounts", "0005_choice_columns_checked"),
    ]

    operations = [migrations.RunPython(to_the_deciding_agency, migrations.RunPython.noop)]
