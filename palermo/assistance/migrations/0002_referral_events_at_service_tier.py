"""Timeline entries of referrals already written read at the tier of naming their service (decision 0020):
an entry of a referral to a safe house at T3, to a medical or psycho-social service at T4. Only raises."""

from __future__ import annotations

from typing import Any

from django.db import migrations

RAISED = ((3, ("safe_accommodation",)), (4, ("medical_care", "psychosocial_care")))
CHUNK = 500


def raise_entry_tiers(apps: Any, schema_editor: Any) -> None:
    case_event = apps.get_model("cases", "CaseEvent")
    referral = apps.get_model("assistance", "Referral")
    for tier, kinds in RAISED:
        ids = [str(pk) for pk in referral.objects.filter(service__kind__in=kinds).values_list("pk", flat=True)]
        for start in range(0, len(ids), CHUNK):
            case_event.objects.filter(
                object_type="referral", object_id__in=ids[start : start + CHUNK], tier__lt=tier
            ).update(tier=tier)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("cases", "0005_document_withdrawal_contact_route"),
    ]

    operations = [migrations.RunPython(raise_entry_tiers, migrations.RunPython.noop)]
