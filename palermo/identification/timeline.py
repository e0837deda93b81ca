"""Timeline entries for what identification records on a case, at the tier of what they reveal, each written
with its audit event (at the tier of what was recorded) through `record_case_change`.

Summaries never hold personal data. The screening's advice is T4 like the answers it comes from, so its
entry is T4; that legal elements or a differentiation were recorded is case metadata (T1), their content is
not in the entry; an age assessment's conclusion is T1 like the case's child flag it sets.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import in_record_language, record_case_change
from palermo.identification.models import Advice, AgeAssessment, AgeConclusion, Screening

SCREENING_SUMMARIES = {
    Advice.VICTIM: gettext_noop("Indicator screening completed: the indicators point to trafficking"),
    Advice.NOT_VICTIM: gettext_noop(
        "Indicator screening completed: the indicators do not point to trafficking"
    ),
    Advice.INSUFFICIENT: gettext_noop("Indicator screening completed: not enough information to say"),
}
LEGAL_ELEMENTS_SUMMARY = gettext_noop("Legal elements recorded")
DIFFERENTIATION_SUMMARY = gettext_noop("Differentiation recorded")
AGE_SUMMARIES = {
    AgeConclusion.CHILD: gettext_noop("Age assessment recorded: a child"),
    AgeConclusion.ADULT: gettext_noop("Age assessment recorded: an adult"),
    AgeConclusion.INCONCLUSIVE: gettext_noop("Age assessment recorded: inconclusive"),
}


def screening_completed(
    actor: User, membership: Membership, screening: Screening, *, action: str, audit_tier: int
) -> None:
    record_case_change(
        actor=actor,
        membership=membership,
        case=screening.case,
        kind=EventKind.SCREENING,
        tier=Tier.NARRATIVE,
        summary=in_record_language(SCREENING_SUMMARIES[Advice(screening.advice)]),
        action=action,
        audit_tier=audit_tier,
        object_type="screening",
        object_id=screening.pk,
    )


def legal_elements_saved(
    actor: User, membership: Membership, case: Case, pk: int, *, action: str, audit_tier: int
) -> None:
    record_case_change(
        actor=actor,
        membership=membership,
        case=case,
        kind=EventKind.LEGAL_ELEMENTS,
        tier=Tier.METADATA,
        summary=in_record_language(LEGAL_ELEMENTS_SUMMARY),
        action=action,
        audit_tier=audit_tier,
        object_type="legal_elements",
        object_id=pk,
    )


def differentiation_recorded(
    actor: User, membership: Membership, case: Case, pk: int, *, action: str, audit_tier: int
) -> None:
    record_case_change(
        actor=actor,
        membership=membership,
        case=case,
        kind=EventKind.LEGAL_ELEMENTS,
        tier=Tier.METADATA,
        summary=in_record_language(DIFFERENTIATION_SUMMARY),
        action=action,
        audit_tier=audit_tier,
        object_type="differentiation",
        object_id=pk,
    )


def age_assessment_recorded(
    actor: User, membership: Membership, assessment: AgeAssessment, *, action: str, audit_tier: int
) -> None:
    record_case_change(
        actor=actor,
        membership=membership,
        case=assessment.case,
        kind=EventKind.AGE_ASSESSMENT,
        tier=Tier.METADATA,
        summary=in_record_language(AGE_SUMMARIES[AgeConclusion(assessment.conclusion)]),
        action=action,
        audit_tier=audit_tier,
        object_type="age_assessment",
        object_id=assessment.pk,
    )
