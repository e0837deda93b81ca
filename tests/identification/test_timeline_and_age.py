"""What identification puts on the case's timeline, at which tier, and the child flag an age assessment
sets (the presumption of minority holds until an assessment concludes otherwise)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from palermo.access.policy import tiers_allowed
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent, EventKind
from palermo.cases.selectors import case_timeline
from palermo.cases.services.person import derive_case_child_flag
from palermo.identification.services.legal import (
    age_assessment_record,
    differentiation_record,
    legal_elements_set,
)
from palermo.identification.services.screenings import (
    screening_answer_set,
    screening_complete,
    screening_start,
)
from tests.cases.casework import add_person

from .conftest import note
from .test_screening_services import positive_adult

pytestmark = pytest.mark.django_db


def assess(user, case, conclusion: str, *, days_ago: int = 1):
    return age_assessment_record(
        actor=user,
        membership=user.membership,
        case=case,
        method="medical",
        conclusion=conclusion,
        assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        assessor="Regional paediatric unit",
        findings=note(),
    )


def complete_screening(user, case, instrument):
    screening = screening_start(actor=user, membership=user.membership, case=case, instrument=instrument)
    screening = screening_answer_set(
        actor=user,
        membership=user.membership,
        screening=screening,
        expected_version=1,
        answers=positive_adult(instrument),
    )
    return screening_complete(
        actor=user,
        membership=user.membership,
        screening=screening,
        expected_version=2,
        unanswered_confirmed=True,
    )


def test_each_record_leaves_its_entry_at_its_tier(team_case, responder, ilo):
    screening = screening_start(
        actor=responder, membership=responder.membership, case=team_case, instrument=ilo
    )
    assert not CaseEvent.objects.filter(kind=EventKind.SCREENING).exists()  # a draft is not on the timeline
    screening = screening_answer_set(
        actor=responder,
        membership=responder.membership,
        screening=screening,
        expected_version=1,
        answers=positive_adult(ilo),
    )
    screening_complete(
        actor=responder,
        membership=responder.membership,
        screening=screening,
        expected_version=2,
        unanswered_confirmed=True,
    )
    legal_elements_set(
        actor=responder,
        membership=responder.membership,
        case=team_case,
        acts=["recruitment"],
        means=["deception"],
        purposes=["forced_labour"],
        expected_version=None,
    )
    differentiation_record(
        actor=responder,
        membership=responder.membership,
        case=team_case,
        situation="trafficking",
        reasons=note(),
    )
    assess(responder, team_case, "adult")

    entries = {(e.kind, e.tier, e.summary) for e in CaseEvent.objects.filter(case=team_case)}
    assert (
        EventKind.SCREENING,
        4,
        "Indicator screening completed: the indicators point to trafficking",
    ) in entries
    assert (EventKind.LEGAL_ELEMENTS, 1, "Legal elements recorded") in entries
    assert (EventKind.LEGAL_ELEMENTS, 1, "Differentiation recorded") in entries
    assert (EventKind.AGE_ASSESSMENT, 1, "Age assessment recorded: an adult") in entries


def test_a_reader_without_narrative_sees_the_facts_but_not_the_advice(make_member, make_case, responder, ilo):
    migration = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(responder, migration))
    complete_screening(responder, case, ilo)
    assess(responder, case, "child")

    migration_tiers = tiers_allowed(migration.membership, case)
    assert 4 not in migration_tiers
    seen_by_migration = {e.kind for e in case_timeline(case, migration_tiers)}
    assert EventKind.AGE_ASSESSMENT in seen_by_migration and EventKind.SCREENING not in seen_by_migration
    seen_by_responder = {e.kind for e in case_timeline(case, tiers_allowed(responder.membership, case))}
    assert EventKind.SCREENING in seen_by_responder


def test_an_assessment_concluding_adult_ends_the_presumption(make_case, responder):
    case = make_case(team=(responder,), is_child=True)
    assess(responder, case, "inconclusive", days_ago=3)
    case.refresh_from_db()
    assert case.is_child is True  # the doubt stays: the person keeps the benefit of it

    assess(responder, case, "adult", days_ago=2)
    case.refresh_from_db()
    assert case.is_child is False
    assert AuditEvent.objects.filter(case=case, action="case.child_flag", tier=1).count() == 1


def test_an_assessment_concluding_child_makes_a_childs_case(make_case, responder):
    case = make_case(team=(responder,), is_child=False)
    assess(responder, case, "child")
    assert Case.objects.get(pk=case.pk).is_child is True


def test_the_latest_assessment_decides_not_the_latest_recorded(make_case, responder):
    case = make_case(team=(responder,), is_child=True)
    assess(responder, case, "adult", days_ago=1)
    assess(responder, case, "child", days_ago=30)  # an older report filed late
    assert Case.objects.get(pk=case.pk).is_child is False


def test_a_person_edit_does_not_undo_the_assessments_conclusion(make_case, responder):
    case = make_case(team=(responder,), is_child=False)
    today = timezone.localdate()
    adult_birth_date = datetime.date(today.year - 30, 1, 1)
    add_person(case, birth_date=adult_birth_date)
    assess(responder, case, "child")
    # The person service re-derives the flag on every edit of a person: the assessment still settles it.
    derive_case_child_flag(case, case.persons.all(), today)
    assert Case.objects.get(pk=case.pk).is_child is True

    assess(responder, case, "adult", days_ago=0)
    derive_case_child_flag(case, case.persons.all(), today)
    assert Case.objects.get(pk=case.pk).is_child is False
