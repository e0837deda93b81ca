"""The children area's rules on a child's return (docs/decisions/0050).

A child's return goes through the returns area's machinery (palermo.returns: the request, the risk assessment
of the proceedings area, the receiving partner, the travel plan, clearance, arrival, follow-ups, withdrawal).
That area sits above this one, so it asks here, through `missing_for_child_return`, what this area's rules
still lack before the return may be cleared or its arrival recorded; this area never imports it. The rules
(position paper, "Acting in the best interest of child victims"):

- the latest best-interest determination recommends the child's return;
- an assessment of the family found it able and willing to receive the child, and not involved in the
  trafficking (the latest assessment counts);
- the child's views on the return are recorded, or why the child was not heard, with the child's age;
- the guardian's view on the return is recorded (or, until one is appointed, the temporary representative's);
- the child is accompanied by a named adult in charge of the child's care, who is not a police officer
  (named in the travel plan).

The messages name no person: they may reach an API client.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Case
from palermo.children.models import (
    BestInterestKind,
    BestInterestProcedure,
    EscortRole,
    FamilyAssessment,
    SolutionKind,
)
from palermo.core.decisions import CHILD_VIEWS_FIELDS, child_views_problems


class ChildReturnPlan(Protocol):
    """What the returns area's record of a child's return says that these rules look at."""

    escort_role: str
    escort_name: str
    guardian_view: str
    child_views: str
    child_not_heard_reason: str
    child_age_when_heard: int | None


# Each rule's key (the field a refusal names) and its plain words, in the order they are checked.
CHILD_RETURN_RULES = {
    "best_interest": _(
        "No best-interest determination recommends the child's return: the latest determination must "
        "recommend it (child protection section)."
    ),
    "family_assessment": _(
        "The family's ability and willingness to receive the child has not been assessed: record the family "
        "assessment (child protection section)."
    ),
    "family_unfavourable": _(
        "The latest family assessment does not find the family able and willing to receive the child, and "
        "not involved in the trafficking."
    ),
    "child_views": _(
        "The child's views on the return are not recorded, or why the child was not heard, with the child's "
        "age: record the child's and the guardian's views."
    ),
    "guardian_view": _(
        "The guardian's view on the return is not recorded: record the child's and the guardian's views."
    ),
    "escort": _(
        "The return is not accompanied: name in the travel plan the adult who accompanies the child and "
        "their role (never a police officer)."
    ),
}

POLICE_ESCORT = _("The child is accompanied by an adult other than a police officer.")


def latest_determination(case: Case) -> BestInterestProcedure | None:
    return (
        BestInterestProcedure.objects.filter(case=case, kind=BestInterestKind.DETERMINATION)
        .order_by("-decided_on", "-id")
        .only("pk", "recommends", "decided_on")
        .first()
    )


def latest_family_assessment(case: Case) -> FamilyAssessment | None:
    return (
        FamilyAssessment.objects.filter(case=case)
        .order_by("-assessed_on", "-id")
        .only("pk", "able", "willing", "family_involved", "assessed_on")
        .first()
    )


def escort_accepted(role: str, name: str) -> bool:
    return role in EscortRole.values and role != EscortRole.POLICE and bool((name or "").strip())


def missing_for_child_return(case: Case, plan: ChildReturnPlan) -> list[str]:
    """The keys of CHILD_RETURN_RULES this child's return does not meet yet, in order (empty: none)."""
    missing = []
    determination = latest_determination(case)
    if determination is None or determination.recommends != SolutionKind.RETURN:
        missing.append("best_interest")
    family = latest_family_assessment(case)
    if family is None:
        missing.append("family_assessment")
    elif not family.favourable:
        missing.append("family_unfavourable")
    views: dict[str, Any] = {name: getattr(plan, name) for name in CHILD_VIEWS_FIELDS}
    if child_views_problems(True, views):
        missing.append("child_views")
    if not (plan.guardian_view or "").strip():
        missing.append("guardian_view")
    if not escort_accepted(plan.escort_role, plan.escort_name):
        missing.append("escort")
    return missing
