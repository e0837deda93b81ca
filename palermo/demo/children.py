"""Demo records for the children's cases: each demo child gets the appointment deadline and, appointed by the
identification authority, the demo guardian; past identification, a multidisciplinary best-interest
determination, a family-type or community care arrangement (with its review deadline) and, for some, a family
tracing request. Recorded by the NGO's demo case manager where the access policy lets them write narrative.
Once a child's case reaches long-term solutions (`find_solution`): what the tracing found (where a relative
was found, the first contact with them and the assessment of the family), the durable solution (integration
here) and the decision on the child's legal status that secures it.

Synthetic and through the same services as real work. Idempotent: a case with a guardianship keeps it, a case
with a determination is left as it is.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.children.models import (
    Answer,
    BestInterestKind,
    BestInterestProcedure,
    CareArrangement,
    CareQuality,
    CareType,
    ChildStatusOutcome,
    ContactMode,
    DecidingBody,
    DurableSolution,
    Guardianship,
    SolutionKind,
    TracingRequest,
    TracingStatus,
)
from palermo.children.services.best_interest import best_interest_record, may_record_best_interest
from palermo.children.services.care import care_arrange, care_review
from palermo.children.services.common import today
from palermo.children.services.guardianship import (
    guardian_appoint,
    may_appoint_guardian,
    open_child_deadlines,
)
from palermo.children.services.solutions import durable_solution_decide, legal_status_decide, may_decide
from palermo.children.services.tracing import (
    family_assessment_record,
    family_contact_record,
    may_record_result,
    tracing_request,
    tracing_result,
)
from palermo.demo.common import PAST_IDENTIFICATION, demo_member, done_by

NOT_HEARD = "Synthetic demo record: the child's views are recorded in the real interview."


def _appoint(case: Case, appointer: Membership | None, guardian: Membership | None) -> None:
    if appointer is None or guardian is None or not may_appoint_guardian(appointer, case):
        return
    guardian_appoint(
        actor=appointer.user, membership=appointer, case=case, guardian=guardian.user, agency=guardian.agency
    )


def _protect(case: Case, manager: Membership, index: int) -> None:
    best_interest_record(
        **done_by(manager),
        case=case,
        kind=BestInterestKind.DETERMINATION,
        decided_on=today(),
        participant_roles=[Role.GUARDIAN, Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY],
        information_considered="Synthetic demo record: the case file and the guardian's report.",
        options_considered="Synthetic demo record: foster family, community care, family reunification.",
        decision="Synthetic demo record: care close to school while the family is traced.",
        reasons="Synthetic demo record: continuity of schooling and safety.",
        child_not_heard_reason=NOT_HEARD,
    )
    care_arrange(
        **done_by(manager),
        case=case,
        type=CareType.FOSTER if index % 2 == 0 else CareType.COMMUNITY,
        starts_on=today(),
        reasons="Synthetic demo record: family-type care comes first.",
        child_not_heard_reason=NOT_HEARD,
    )
    if index % 3 == 0:
        tracing_request(
            **done_by(manager),
            case=case,
            requested_on=today(),
            details="Synthetic demo record: parents and grandparents.",
        )


def load_demo(cases: list[Case], first: int = 0) -> None:
    appointer = demo_member("demo.identification", Role.IDENTIFICATION_AUTHORITY)
    guardian = demo_member("demo.guardian", Role.GUARDIAN)
    manager = demo_member("demo.casemanager", Role.CASE_MANAGER)
    with_guardian = set(Guardianship.objects.values_list("case_id", flat=True))
    determined = set(
        BestInterestProcedure.objects.filter(kind=BestInterestKind.DETERMINATION).values_list(
            "case_id", flat=True
        )
    )
    for index, case in enumerate((case for case in cases if case_is_child(case)), start=first):
        open_child_deadlines(case)
        if case.pk not in with_guardian:
            _appoint(case, appointer, guardian)
        if case.pk in determined or case.phase not in PAST_IDENTIFICATION:
            continue
        if manager is not None and may_record_best_interest(manager, case):
            _protect(case, manager, index)


def review_care(cases: list[Case], first: int = 0) -> None:
    """The child's care arrangement reviewed by the NGO's demo case manager, at the rulebook's interval (the
    history calls this at each), on a case where the arrangement is still in force."""
    manager = demo_member("demo.casemanager", Role.CASE_MANAGER)
    if manager is None:
        return
    for index, case in enumerate(cases, start=first):
        arrangement = CareArrangement.objects.filter(case=case, ended_on__isnull=True).order_by("-pk").first()
        if arrangement is None:
            continue
        try:
            care_review(
                **done_by(manager),
                arrangement=arrangement,
                reviewed_on=today(),
                quality=CareQuality.GOOD if index % 4 else CareQuality.IMPROVE,
                findings="Synthetic demo record: guardian and carers heard; the child is settled.",
            )
        except (ValidationError, PermissionDenied):  # the case moved out of reach: not reviewed
            continue


def _trace_found(case: Case, manager: Membership, index: int) -> None:
    tracing = TracingRequest.objects.filter(case=case, status=TracingStatus.OPEN).first()
    if tracing is None or not may_record_result(manager, case):
        return
    found = index % 2 == 0
    tracing_result(
        **done_by(manager),
        tracing=tracing,
        status=TracingStatus.FOUND if found else TracingStatus.NOT_FOUND,
        result_on=today(),
        result=(
            "Synthetic demo record: an aunt found; she cannot care for the child, contact by phone agreed."
            if found
            else "Synthetic demo record: no relative found at the addresses given."
        ),
        expected_version=tracing.version,
    )
    if found:
        _meet_the_family(case, manager, tracing)


def _meet_the_family(case: Case, manager: Membership, tracing: TracingRequest) -> None:
    """The relative found, called with the guardian, and the family assessed: able and willing to stay in
    touch, not to receive the child (which is why the solution found is integration here)."""
    family_contact_record(
        **done_by(manager),
        case=case,
        tracing=tracing,
        contacted_on=today(),
        mode=ContactMode.VIDEO,
        summary="Synthetic demo record: a call with the aunt, the guardian present; the child asked for one "
        "every month.",
    )
    family_assessment_record(
        **done_by(manager),
        case=case,
        assessed_on=today(),
        able=Answer.NO,
        willing=Answer.YES,
        family_involved=Answer.NO,
        summary="Synthetic demo record: the aunt lives in one room with her own children and no income; she "
        "wishes to keep in touch. Not involved in the recruitment, by the police's information.",
    )


def find_solution(cases: list[Case], first: int = 0) -> None:
    """On a child's case in long-term solutions: the tracing's result, then the durable solution (integration
    here, since a return is prepared in the returns area) and the legal status that secures it, decided by
    the migration authority with the child represented. A case with a durable solution is left as it is."""
    manager = demo_member("demo.casemanager", Role.CASE_MANAGER)
    if manager is None:
        return
    decided = set(DurableSolution.objects.values_list("case_id", flat=True))
    for index, case in enumerate((case for case in cases if case_is_child(case)), start=first):
        if case.pk in decided or not may_decide(manager, case):
            continue
        _trace_found(case, manager, index)
        durable_solution_decide(
            **done_by(manager),
            case=case,
            kind=SolutionKind.INTEGRATION,
            decided_on=today(),
            reasons="Synthetic demo record: settled in school and care; the best-interest determination and "
            "the family assessment favour staying.",
            child_not_heard_reason=NOT_HEARD,
        )
        legal_status_decide(
            **done_by(manager),
            case=case,
            body=DecidingBody.AUTHORITY,
            body_name="Demo Migration Directorate",
            decided_on=today(),
            outcome=ChildStatusOutcome.TEMPORARY_RESIDENCE
            if index % 3
            else ChildStatusOutcome.PERMANENT_RESIDENCE,
            legal_representative="Demo Legal Aid Centre, the child's lawyer (synthetic)",
            reasons="Synthetic demo record: residence on the ground of the child's best interest.",
            child_not_heard_reason=NOT_HEARD,
        )
