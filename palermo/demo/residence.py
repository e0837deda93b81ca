"""Demo residence records: demo cases past the reflection phase get applications recorded by the NGO's demo
case manager where they are on the case team. A temporary permit is applied for and granted on most, by the
demo migration officer where the migration directorate is on the team (the authority that decides; the
reasons are T2, which it writes), else by the case manager; asylum runs in parallel on some, humanitarian
grounds are assessed by the case manager on others (the findings are T4), and a few long-term cases have a
renewal pending. Children's cases keep their applications pending (their decisions wait for a best-interest
determination, which belongs to the children area).

Through the same services as real work, with synthetic authorities only. Idempotent: a case with any
application is left as it is.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.demo.common import demo_member
from palermo.residence.models import Application, ApplicationKind, Finding
from palermo.residence.services.applications import ApplicationInput, application_lodge
from palermo.residence.services.common import may_decide
from palermo.residence.services.decisions import DecisionInput, decision_record
from palermo.residence.services.humanitarian import assessment_save

DEMO_MANAGER = "demo.casemanager"
DEMO_MIGRATION = "demo.migration"
PAST_REFLECTION = (Phase.ASSISTANCE, Phase.LONG_TERM)
IMMIGRATION = "National Immigration Office (demo)"
ASYLUM_OFFICE = "Asylum Office (demo)"
GRANT_REASONS = (
    "Identified victim of trafficking; a temporary permit allows recovery, work and study, regardless of any "
    "contact with the proceedings."
)


def _decider(manager: Membership, migration: Membership | None, case: Case) -> Membership:
    """The migration officer decides where they may on this case; the case manager otherwise."""
    return migration if migration is not None and may_decide(migration, case) else manager


def _lodge(membership: Membership, case: Case, kind: str, day: datetime.date, authority: str) -> Application:
    return application_lodge(
        actor=membership.user,
        membership=membership,
        case=case,
        data=ApplicationInput(kind=kind, authority=authority, lodged_on=day),
    )


def _grant(membership: Membership, application: Application, day: datetime.date) -> None:
    decision_record(
        actor=membership.user,
        membership=membership,
        application=application,
        data=DecisionInput(outcome="granted", reasons=GRANT_REASONS, decided_on=day),
        expected_version=application.version,
    )


def _demo_case(membership: Membership, decider: Membership, case: Case, index: int) -> None:
    today = timezone.localdate()
    referred = timezone.localdate(case.opened_at)
    lodged = min(referred + datetime.timedelta(days=14), today)
    temporary = _lodge(membership, case, ApplicationKind.TEMPORARY, lodged, IMMIGRATION)
    if index % 3 == 0:
        _lodge(membership, case, ApplicationKind.ASYLUM, lodged, ASYLUM_OFFICE)
    if index % 3 == 1:
        humanitarian = _lodge(membership, case, ApplicationKind.HUMANITARIAN, lodged, IMMIGRATION)
        assessment_save(
            actor=membership.user,
            membership=membership,
            application=humanitarian,
            findings={"retaliation_risk": Finding.PRESENT, "children_present": Finding.ABSENT},
            notes="",
            expected_version=None,
        )
    if case.is_child or index % 4 == 3:
        return  # left pending
    try:
        _grant(decider, temporary, min(lodged + datetime.timedelta(days=30), today))
    except ValidationError:
        return  # a guard of another area stands in the way: the application stays pending


def load_demo(cases: list[Case]) -> None:
    membership = demo_member(DEMO_MANAGER, Role.CASE_MANAGER)
    if membership is None:
        return
    migration = demo_member(DEMO_MIGRATION, Role.MIGRATION_OFFICER)
    with_applications = set(Application.objects.values_list("case_id", flat=True))
    for index, case in enumerate(cases):
        if case.pk in with_applications or case.phase not in PAST_REFLECTION:
            continue
        if not may_decide(membership, case):
            continue
        _demo_case(membership, _decider(membership, migration, case), case, index)
