"""Whether a case is treated as a child's: the presumption of minority holds until an age assessment
concludes otherwise (CETS 197 art. 10(3); Directive 2011/36/EU art. 13(2)).

- The latest assessment that concludes "child" or "adult" decides (latest by the date it was made).
- An inconclusive assessment leaves the doubt in place: while the rulebook's presumption of minority is on,
  the person keeps the benefit of the doubt and is treated as a child.
- Without an assessment, the case's own child flag stands: the case record sets it from the person's age,
  or from presumed minority when the age is uncertain and there are reasons to believe a child.
"""

from __future__ import annotations

from palermo.cases.facts import has_none
from palermo.cases.models import Case
from palermo.core.rulebooks import rulebook
from palermo.identification.models import AgeAssessment, AgeConclusion


def latest_age_assessment(case: Case) -> AgeAssessment | None:
    if has_none(case, AgeAssessment):
        return None
    return AgeAssessment.objects.filter(case=case).order_by("-assessed_on", "-recorded_at", "-id").first()


def assessed_child_status(case: Case) -> bool | None:
    """What the latest age assessment settles about the case's child status (None: no assessment, or an
    inconclusive one where the rulebook has no presumption of minority). Registered with the case record, so
    an edit of the person's stated age does not undo an assessment's conclusion."""
    assessment = latest_age_assessment(case)
    if assessment is None:
        return None
    if assessment.conclusion == AgeConclusion.INCONCLUSIVE:
        return True if rulebook().children.presumption_of_minority else None
    return assessment.conclusion == AgeConclusion.CHILD


def treated_as_child(case: Case) -> bool:
    return treated_as_child_by(case, latest_age_assessment(case))


def treated_as_child_by(case: Case, assessment: AgeAssessment | None) -> bool:
    """`treated_as_child`, given the case's latest age assessment already read (a page that shows it too)."""
    if assessment is None:
        return bool(case.is_child)
    if assessment.conclusion == AgeConclusion.INCONCLUSIVE:
        return rulebook().children.presumption_of_minority or bool(case.is_child)
    return assessment.conclusion == AgeConclusion.CHILD
