"""Legal elements, differentiation and age assessment: recorded by those who meet the person (first
responders, case managers) and by the identification authority, on cases where the access policy lets them
write narrative (T4) data. Each write is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.cases.services.child_flag import SOURCE_AGE_ASSESSMENT, case_child_flag_set
from palermo.cases.services.timeline import record_entry
from palermo.core.concurrency import StaleEdit, bump_version, lock_for_edit
from palermo.core.stamps import signed
from palermo.identification import timeline
from palermo.identification.age import treated_as_child
from palermo.identification.models import (
    Act,
    AgeAssessment,
    AgeConclusion,
    AgeMethod,
    Differentiation,
    LegalElements,
    Means,
    Purpose,
    Situation,
)
from palermo.identification.roles import ASSESSMENT_WRITERS

TEXT_MAX_LENGTH = 10000
ASSESSOR_MAX_LENGTH = 200


def may_assess(membership: Membership, case: Case) -> bool:
    return membership.role in ASSESSMENT_WRITERS and can_write(membership, case, Tier.NARRATIVE)


def _require_assessor(membership: Membership, case: Case) -> None:
    if not may_assess(membership, case):
        raise PermissionDenied("this membership does not record identification assessments on this case")


def _codes(values: Iterable[str], choices: type[TextChoices], label: str) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in choices.values]
    if unknown:
        raise ValidationError(
            _("Unknown %(label)s: %(values)s."), params={"label": label, "values": ", ".join(unknown)}
        )
    # Stored in the order of the choices, whatever order they came in.
    return [value for value in choices.values if value in chosen]


def _text(value: str, *, required: bool, what: str) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError(_("Write the %(what)s."), params={"what": what}, code="required")
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(_("At most %(limit)d characters."), params={"limit": TEXT_MAX_LENGTH})
    return value


@transaction.atomic
def legal_elements_set(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    acts: Iterable[str],
    means: Iterable[str],
    purposes: Iterable[str],
    note: str = "",
    expected_version: int | None,
) -> LegalElements:
    """Record the checklists, stating the version read: None when nothing was recorded yet (StaleEdit when
    someone recorded them meanwhile), otherwise the version of the record read (StaleEdit when someone
    saved first)."""
    _require_assessor(membership, case)
    values = {
        "acts": _codes(acts, Act, "acts"),
        "means": _codes(means, Means, "means"),
        "purposes": _codes(purposes, Purpose, "purposes"),
        "note": _text(note, required=False, what="note"),
    }
    current = LegalElements.objects.select_for_update().filter(case=case).first()
    if current is None:
        elements = LegalElements(case=case, updated_by=actor, **values)
        elements.save()
    else:
        if expected_version is None:
            raise StaleEdit(current, 0)
        elements = lock_for_edit(LegalElements, pk=current.pk, expected_version=expected_version)
        for name, value in values.items():
            setattr(elements, name, value)
        elements.updated_by = actor
        bump_version(elements)
        elements.save(update_fields=[*values, "updated_by", "updated_at", "version"])
    record_entry(timeline.LEGAL_ELEMENTS_SAVED, elements, actor=actor, membership=membership, case=case)
    return elements


@transaction.atomic
def differentiation_record(
    *, actor: User, membership: Membership, case: Case, situation: str, reasons: str
) -> Differentiation:
    _require_assessor(membership, case)
    if situation not in Situation.values:
        raise ValidationError(_("Choose the situation from the list."), code="situation")
    record = Differentiation.objects.create(
        case=case,
        situation=situation,
        reasons=_text(reasons, required=True, what="reasons"),
        **signed(actor, membership),
    )
    record_entry(timeline.DIFFERENTIATION_RECORDED, record, actor=actor, membership=membership)
    return record


def _clean_age_assessment(
    method: str, conclusion: str, assessed_on: datetime.date, assessor: str, findings: str
) -> dict[str, Any]:
    """What an age assessment states, checked: a method and a conclusion from the lists, a day not in the
    future, the assessor named, the findings bounded."""
    if method not in AgeMethod.values:
        raise ValidationError(_("Choose the method from the list."), code="method")
    if conclusion not in AgeConclusion.values:
        raise ValidationError(_("Choose the conclusion from the list."), code="conclusion")
    if assessed_on > timezone.localdate():
        raise ValidationError(_("The assessment date cannot be in the future."), code="future")
    assessor = assessor.strip()
    if not assessor or len(assessor) > ASSESSOR_MAX_LENGTH:
        raise ValidationError(_("Name the assessor (at most 200 characters)."), code="assessor")
    findings = _text(findings, required=False, what="findings")
    return {
        "method": method,
        "conclusion": conclusion,
        "assessed_on": assessed_on,
        "assessor": assessor,
        "findings": findings,
    }


@transaction.atomic
def age_assessment_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    method: str,
    conclusion: str,
    assessed_on: datetime.date,
    assessor: str,
    findings: str = "",
) -> AgeAssessment:
    """Record an assessment, and set the case's child flag from the latest one (a conclusive assessment
    decides; until one concludes otherwise, a case presumed a child's stays a child's: see
    palermo.identification.age.treated_as_child)."""
    _require_assessor(membership, case)
    assessed = _clean_age_assessment(method, conclusion, assessed_on, assessor, findings)
    assessment = AgeAssessment.objects.create(
        case=case, **assessed, recorded_by=actor, agency_id=membership.agency_id
    )
    tier = Tier.NARRATIVE if assessed["findings"] else Tier.METADATA
    entry = timeline.AGE_ASSESSMENT_RECORDED[AgeConclusion(conclusion)]
    record_entry(entry, assessment, actor=actor, membership=membership, audit_tier=tier)
    # The flag as stored now (not as the caller's copy of the case last saw it) is what an inconclusive
    # assessment leaves in place.
    stored = Case.objects.select_for_update().get(pk=case.pk)
    case_child_flag_set(
        actor=actor,
        membership=membership,
        case=case,
        child=treated_as_child(stored),
        source=SOURCE_AGE_ASSESSMENT,
    )
    return assessment
