"""The assessment of an application for residence on humanitarian grounds, criterion by criterion (Taking a
Stand, "Residence permit on humanitarian grounds"; brief §3.3): risk of retaliation against the person or
their family, risk of prosecution at home for trafficking-related offences, prospects of social inclusion
there, support services there, the presence of children, and non-refoulement (ECHR art. 3).

Findings and notes are about the person's risks and family: narrative (T4), so the assessment is prepared by
a team member who may write T4 (the case manager, the guardian), never by the migration officer who decides
the application; that officer sees that an assessment exists and how far it has got, not its content. The
first save creates the assessment; later saves state the version they read.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import require
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.core.concurrency import StaleEdit, bump_version, lock_for_edit
from palermo.residence.models import (
    HUMANITARIAN_CRITERIA,
    Application,
    ApplicationKind,
    Finding,
    HumanitarianAssessment,
)
from palermo.residence.services.common import changed, clean_text, may_assess

CRITERIA = tuple(name for name, _label in HUMANITARIAN_CRITERIA)
ASSESSED = gettext_noop("Humanitarian grounds assessed")


def _clean_findings(findings: dict[str, str]) -> dict[str, str]:
    unknown = set(findings) - set(CRITERIA)
    if unknown:
        raise ValidationError(_("Unknown criterion."), code="criterion")
    if any(value not in Finding.values for value in findings.values()):
        raise ValidationError(_("A finding is present, absent or not yet known."), code="finding")
    return {name: findings.get(name, Finding.UNKNOWN) for name in CRITERIA}


@transaction.atomic
def assessment_save(
    *,
    actor: User,
    membership: Membership,
    application: Application,
    findings: dict[str, str],
    notes: str,
    expected_version: int | None,
) -> HumanitarianAssessment:
    """Create or update the assessment. `expected_version` None creates it (StaleEdit if one exists)."""
    case = application.case
    require(may_assess(membership, case), "this membership may not assess humanitarian grounds here")
    if application.kind != ApplicationKind.HUMANITARIAN:
        raise ValidationError(_("Only an application on humanitarian grounds is assessed."), code="kind")
    if not application.is_open:
        raise ValidationError(_("The application has been decided or withdrawn."), code="closed")
    values, notes = _clean_findings(findings), clean_text(notes, required=False)
    Application.objects.select_for_update().filter(pk=application.pk).exists()  # one first save at a time
    existing = HumanitarianAssessment.objects.filter(application=application).first()
    if expected_version is None:
        if existing is not None:
            raise StaleEdit(existing, 0)
        assessment = HumanitarianAssessment(application=application)
    elif existing is None:
        raise ValidationError(_("There is no assessment to update yet."), code="no_assessment")
    else:
        assessment = lock_for_edit(
            HumanitarianAssessment, application=application, expected_version=expected_version
        )
        bump_version(assessment)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.notes, assessment.assessed_by, assessment.assessed_at = notes, actor, timezone.now()
    fields = [*CRITERIA, "notes", "assessed_by", "assessed_at", "version"]
    assessment.save(update_fields=fields if assessment.pk else None)
    changed(
        application,
        assessment,
        ASSESSED,
        "residence.assess",
        Tier.NARRATIVE,
        actor=actor,
        membership=membership,
        object_type="humanitarian_assessment",
    )
    return assessment
