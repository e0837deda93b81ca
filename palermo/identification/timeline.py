"""Timeline entries for what identification records on a case, at the tier of what they reveal, each written
with its audit event (at the tier of what was recorded) through `record_entry`.

Summaries never hold personal data. The screening's advice is T4 like the answers it comes from, so its
entry is T4; that legal elements or a differentiation were recorded is case metadata (T1), their content is
not in the entry; an age assessment's conclusion is T1 like the case's child flag it sets.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.cases.models import EventKind
from palermo.cases.services.timeline import Entry, entries_for
from palermo.identification.models import Advice, AgeConclusion

SCREENING_SUMMARIES = {
    Advice.VICTIM: gettext_noop("Indicator screening completed: the indicators point to trafficking"),
    Advice.NOT_VICTIM: gettext_noop(
        "Indicator screening completed: the indicators do not point to trafficking"
    ),
    Advice.INSUFFICIENT: gettext_noop("Indicator screening completed: not enough information to say"),
}
SCREENING_COMPLETED = entries_for(
    SCREENING_SUMMARIES, "screening.complete", Tier.NARRATIVE, EventKind.SCREENING
)
LEGAL_ELEMENTS_SAVED = Entry(
    gettext_noop("Legal elements recorded"),
    "legal_elements.set",
    Tier.METADATA,
    EventKind.LEGAL_ELEMENTS,
    "legal_elements",
    audit_tier=Tier.NARRATIVE,
)
DIFFERENTIATION_RECORDED = LEGAL_ELEMENTS_SAVED._replace(
    summary=gettext_noop("Differentiation recorded"),
    action="differentiation.record",
    object_type="differentiation",
)
AGE_SUMMARIES = {
    AgeConclusion.CHILD: gettext_noop("Age assessment recorded: a child"),
    AgeConclusion.ADULT: gettext_noop("Age assessment recorded: an adult"),
    AgeConclusion.INCONCLUSIVE: gettext_noop("Age assessment recorded: inconclusive"),
}
AGE_ASSESSMENT_RECORDED = entries_for(
    AGE_SUMMARIES, "age_assessment.record", Tier.METADATA, EventKind.AGE_ASSESSMENT, "age_assessment"
)
