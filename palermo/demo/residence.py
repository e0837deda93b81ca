"""Demo residence records: demo cases past the reflection phase get applications recorded by the NGO's demo
case manager where they are on the case team. A temporary permit is applied for and granted on most, by the
demo migration officer where the migration directorate is on the team (the authority that decides; the
reasons are T2, which it writes), else by the case manager; asylum runs in parallel on some, humanitarian
grounds are assessed by the case manager on others (the findings are T4), and a few long-term cases have a
renewal pending. Children's cases keep their applications pending (their decisions wait for a best-interest
determination, which belongs to the children area).

In the months after, the applications still pending are decided (`decide_pending`): granted, but the asylum
application of one case in five, refused for insufficient evidence and appealed by the case manager to the
court, where the appeal waits. Through the same services as real work, with synthetic authorities only.
Idempotent: a case with any application is left as it is.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.children.models import BestInterestKind, BestInterestProcedure
from palermo.demo.common import demo_member, done_by
from palermo.residence.models import Application, ApplicationKind, ApplicationStatus, Finding, RefusalGround
from palermo.residence.services.applications import ApplicationInput, application_lodge
from palermo.residence.services.common import may_decide
from palermo.residence.services.decisions import DecisionInput, appeal_lodge, decision_record
from palermo.residence.services.humanitarian import assessment_save

DEMO_MANAGER = "demo.casemanager"
DEMO_MIGRATION = "demo.migration"
PAST_REFLECTION = (Phase.ASSISTANCE, Phase.LONG_TERM)
IMMIGRATION = "National Immigration Office (demo)"
ASYLUM_OFFICE = "Asylum Office (demo)"
CHILD_VIEWS = "Synthetic demo record: wants to stay, to go to school and to be near the guardian."
APPEAL_COURT = "Administrative Court (demo)"
REFUSAL_REASONS = (
    "Synthetic demo record. The account of persecution on return is not supported by the country information "
    "on file; the trafficking findings are noted, and the temporary permit stays in force."
)
APPEAL_GROUNDS = (
    "Synthetic demo record. The decision did not weigh the risk of re-trafficking by the same network on "
    "return, nor the recent country information on it."
)
GRANT_REASONS = (
    "Identified victim of trafficking; a temporary permit allows recovery, work and study, regardless of any "
    "contact with the proceedings."
)


def _decider(manager: Membership, migration: Membership | None, case: Case) -> Membership:
    """The migration officer decides where they may on this case; the case manager otherwise."""
    return migration if migration is not None and may_decide(migration, case) else manager


def _lodge(membership: Membership, case: Case, kind: str, day: datetime.date, authority: str) -> Application:
    return application_lodge(
        **done_by(membership),
        case=case,
        data=ApplicationInput(kind=kind, authority=authority, lodged_on=day),
    )


def _grant(membership: Membership, application: Application, day: datetime.date) -> None:
    # On a child's case the decision states the child's views (art. 12 CRC), heard at the child's age.
    views = {"child_views": CHILD_VIEWS, "child_age_when_heard": _age(application.case, day)}
    views = views if application.case.is_child else {}
    decision_record(
        **done_by(membership),
        application=application,
        data=DecisionInput(outcome="granted", reasons=GRANT_REASONS, decided_on=day, child_views=views),
        expected_version=application.version,
    )


def _refuse_and_appeal(membership: Membership, manager: Membership, application: Application) -> None:
    """An asylum refusal, on the evidence (never on non-cooperation), then the NGO's appeal to the court."""
    day = timezone.localdate()
    views = {"child_views": CHILD_VIEWS, "child_age_when_heard": _age(application.case, day)}
    decision_record(
        **done_by(membership),
        application=application,
        data=DecisionInput(
            outcome="refused",
            refusal_ground=RefusalGround.INSUFFICIENT_EVIDENCE,
            reasons=REFUSAL_REASONS,
            decided_on=day,
            child_views=views if application.case.is_child else {},
        ),
        expected_version=application.version,
    )
    refused = Application.objects.get(pk=application.pk)
    appeal_lodge(
        **done_by(manager),
        application=refused,
        body=APPEAL_COURT,
        expected_version=refused.version,
        lodged_on=day,
        grounds=APPEAL_GROUNDS,
    )


def _age(case: Case, day: datetime.date) -> int:
    """The child's completed years on `day` (16 where the birth date is not known)."""
    person = case.persons.first()
    birth = person.birth_date if person is not None else None
    return 16 if birth is None else max(0, min(17, (day - birth).days // 365))


def _demo_case(membership: Membership, decider: Membership, case: Case, index: int) -> None:
    lodged = today = timezone.localdate()  # the day of the history this work is done (palermo.demo.history)
    temporary = _lodge(membership, case, ApplicationKind.TEMPORARY, lodged, IMMIGRATION)
    if index % 3 == 0:
        _lodge(membership, case, ApplicationKind.ASYLUM, lodged, ASYLUM_OFFICE)
    if index % 3 == 1:
        humanitarian = _lodge(membership, case, ApplicationKind.HUMANITARIAN, lodged, IMMIGRATION)
        assessment_save(
            **done_by(membership),
            application=humanitarian,
            findings={"retaliation_risk": Finding.PRESENT, "children_present": Finding.ABSENT},
            notes="",
            expected_version=None,
        )
    if case.is_child or index % 4 == 3:
        return  # left pending
    try:
        _grant(decider, temporary, today)
    except ValidationError:
        return  # a guard of another area stands in the way: the application stays pending


def load_demo(cases: list[Case], first: int = 0) -> None:
    membership = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if membership is None:
        return
    migration = demo_member(DEMO_MIGRATION, Role.MIGRATION_OFFICER)
    with_applications = set(Application.objects.values_list("case_id", flat=True))
    for index, case in enumerate(cases, start=first):
        if case.pk in with_applications or case.phase not in PAST_REFLECTION:
            continue
        if not may_decide(membership, case):
            continue
        _demo_case(membership, _decider(membership, migration, case), case, index)


def decide_pending(cases: list[Case], first: int = 0) -> None:
    """The months after: the applications still pending are granted, except those the demo leaves pending
    (a child's without a best-interest determination, and the temporary permit of one case in four)."""
    membership = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if membership is None:
        return
    migration = demo_member(DEMO_MIGRATION, Role.MIGRATION_OFFICER)
    decided_in_best_interest = set(
        BestInterestProcedure.objects.filter(kind=BestInterestKind.DETERMINATION).values_list(
            "case_id", flat=True
        )
    )
    for index, case in enumerate(cases, start=first):
        if not may_decide(membership, case) or (case.is_child and case.pk not in decided_in_best_interest):
            continue
        pending = Application.objects.filter(case=case, status=ApplicationStatus.PENDING).order_by("pk")
        for application in pending:
            if application.kind == ApplicationKind.TEMPORARY and index % 4 == 3:
                continue
            try:
                if application.kind == ApplicationKind.ASYLUM and index % 5 == 3:
                    _refuse_and_appeal(_decider(membership, migration, case), membership, application)
                    continue
                _grant(_decider(membership, migration, case), application, timezone.localdate())
            except ValidationError:  # a guard of another area stands in the way: it stays pending
                continue
