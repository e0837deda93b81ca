"""Legal elements, differentiation and age assessment: checklists, history, presumption of minority."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.core.concurrency import StaleEdit
from palermo.identification.age import treated_as_child
from palermo.identification.legal import elements_check
from palermo.identification.models import LegalElements
from palermo.identification.services.legal import (
    age_assessment_record,
    differentiation_record,
    legal_elements_set,
)

from .conftest import note

pytestmark = pytest.mark.django_db


def test_for_a_child_act_and_purpose_are_enough():
    adult = elements_check(acts=["recruitment"], means=[], purposes=["forced_labour"], child=False)
    assert not adult.met and adult.missing == ("means",)
    child = elements_check(acts=["recruitment"], means=[], purposes=["forced_labour"], child=True)
    assert child.met and child.missing == ()
    assert not elements_check(acts=[], means=["fraud"], purposes=["forced_labour"], child=True).met


def test_legal_elements_are_set_then_changed_with_a_version(team_case, responder):
    args = {"actor": responder, "membership": responder.membership, "case": team_case}
    first = legal_elements_set(
        **args,
        acts=["transport", "recruitment"],
        means=["deception"],
        purposes=["forced_labour"],
        expected_version=None,
    )
    assert first.acts == ["recruitment", "transport"]  # stored in the order of the list
    stored = LegalElements.objects.values_list("acts", flat=True).get()
    assert "recruitment" not in str(stored)  # encrypted at rest
    changed = legal_elements_set(
        **args, acts=["recruitment"], means=[], purposes=["forced_begging"], note=note(), expected_version=1
    )
    assert changed.version == 2
    assert LegalElements.objects.get().purposes == ["forced_begging"]
    with pytest.raises(StaleEdit):
        legal_elements_set(**args, acts=[], means=[], purposes=[], expected_version=1)
    with pytest.raises(ValidationError):
        legal_elements_set(**args, acts=["kidnap"], means=[], purposes=[], expected_version=2)
    assert AuditEvent.objects.filter(case=team_case, action="legal_elements.set", tier=4).count() == 2


def test_differentiation_keeps_its_history(team_case, authority):
    args = {"actor": authority, "membership": authority.membership, "case": team_case}
    differentiation_record(**args, situation="smuggling", reasons=note())
    latest = differentiation_record(**args, situation="trafficking", reasons=note())
    assert list(team_case.differentiations.values_list("situation", flat=True)) == [
        "trafficking",
        "smuggling",
    ]
    assert latest.agency == authority.membership.agency
    with pytest.raises(ValidationError):
        differentiation_record(**args, situation="trafficking", reasons="  ")
    with pytest.raises(ValidationError):
        differentiation_record(**args, situation="prostitution", reasons=note())


def assess(user, case, conclusion, days_ago=0, **extra):
    return age_assessment_record(
        actor=user,
        membership=user.membership,
        case=case,
        method=extra.pop("method", "holistic"),
        conclusion=conclusion,
        assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        assessor="Regional multidisciplinary age assessment team",
        **extra,
    )


def test_a_presumed_child_stays_a_child_until_an_assessment_concludes_otherwise(make_case, responder):
    case = make_case(team=(responder,), is_child=True)
    assert treated_as_child(case) is True
    assess(responder, case, "inconclusive", days_ago=10)
    assert treated_as_child(case) is True
    assess(responder, case, "adult", days_ago=5, findings=note())
    assert treated_as_child(case) is False
    events = AuditEvent.objects.filter(action="age_assessment.record").order_by("sequence")
    assert list(events.values_list("tier", flat=True)) == [1, 4]  # findings make it a T4 write


def test_an_assessment_can_find_a_child_and_doubt_favours_the_child(make_case, responder, settings):
    case = make_case(team=(responder,), is_child=False)
    assert treated_as_child(case) is False
    assess(responder, case, "inconclusive")
    assert treated_as_child(case) is True  # the benefit of the doubt
    assess(responder, case, "child", method="documents")
    assert treated_as_child(case) is True


def test_the_latest_assessment_decides(make_case, responder):
    case = make_case(team=(responder,), is_child=True)
    assess(responder, case, "child", days_ago=1)
    assess(responder, case, "adult", days_ago=30)  # recorded later, made earlier
    assert treated_as_child(case) is True


def test_an_assessment_cannot_be_in_the_future(make_case, responder):
    case = make_case(team=(responder,))
    with pytest.raises(ValidationError):
        assess(responder, case, "adult", days_ago=-2)


@pytest.mark.parametrize("role", [Role.MIGRATION_OFFICER, Role.SERVICE_PROVIDER, Role.GUARDIAN])
def test_other_roles_do_not_record_assessments(make_member, make_case, role):
    user = make_member(role)
    case = make_case(team=(user,))
    with pytest.raises(PermissionDenied):
        differentiation_record(
            actor=user, membership=user.membership, case=case, situation="trafficking", reasons="x"
        )
