"""Screening services: who may answer, partial work, completion keeps the evaluation, everything audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.core.concurrency import StaleEdit
from palermo.identification.models import Advice, Indicator, ScreeningAnswer, ScreeningStatus
from palermo.identification.rules import Verdict
from palermo.identification.selectors import (
    screening_answer_rows,
    screening_evaluation,
    screening_instrument,
    screening_progress,
    screening_steps,
)
from palermo.identification.services.screenings import (
    AnswerInput,
    screening_answer_set,
    screening_complete,
    screening_start,
)

from .conftest import note

pytestmark = pytest.mark.django_db


def indicator(instrument, dimension: str, text: str) -> Indicator:
    return Indicator.objects.get(dimension__instrument=instrument, dimension__key=dimension, text=text)


def positive_adult(instrument) -> list[AnswerInput]:
    chosen = [
        ("deceptive_recruitment", "deceived about the nature of the job, location or employer"),
        ("deceptive_recruitment", "deceived about wages or earnings"),
        ("exploitation", "excessive working days or hours"),
        ("exploitation", "low or no salary"),
        ("coercion_at_destination", "confiscation of documents"),
        ("coercion_at_destination", "debt bondage"),
    ]
    return [AnswerInput(indicator(instrument, d, t).pk, "yes", note(), "person") for d, t in chosen]


def membership(user):
    return user.membership


def start(user, case, instrument, **kwargs):
    return screening_start(
        actor=user, membership=membership(user), case=case, instrument=instrument, **kwargs
    )


def test_a_responder_screens_in_steps_and_completes(team_case, responder, ilo):
    screening = start(responder, team_case, ilo)
    assert (screening.status, screening.child, screening.version) == (ScreeningStatus.DRAFT, False, 1)
    first, *rest = positive_adult(ilo)
    screening = screening_answer_set(
        actor=responder,
        membership=membership(responder),
        screening=screening,
        expected_version=1,
        answers=[first],
    )
    assert screening.version == 2
    assert screening_evaluation(screening).dimension("deceptive_recruitment").verdict is Verdict.INSUFFICIENT
    screening = screening_answer_set(
        actor=responder,
        membership=membership(responder),
        screening=screening,
        expected_version=2,
        answers=rest,
    )
    screening = screening_complete(
        actor=responder,
        membership=membership(responder),
        screening=screening,
        expected_version=3,
        unanswered_confirmed=True,
    )
    assert screening.status == ScreeningStatus.COMPLETE and screening.advice == Advice.VICTIM
    assert screening.dimension_results.count() == 6
    evaluation = screening_evaluation(screening)
    assert evaluation.victim is True
    assert [h.text for h in evaluation.dimension("coercion_at_destination").present] == [
        "confiscation of documents",
        "debt bondage",
    ]
    events = AuditEvent.objects.filter(case=team_case, action__startswith="screening.").order_by("sequence")
    actions = list(events.values_list("action", "tier"))
    assert actions == [
        ("screening.start", 1),
        ("screening.answer", 4),
        ("screening.answer", 4),
        ("screening.complete", 4),
    ]


def test_answers_are_encrypted_at_rest(team_case, responder, ilo):
    screening = start(responder, team_case, ilo)
    answer = positive_adult(ilo)[0]
    screening_answer_set(
        actor=responder,
        membership=membership(responder),
        screening=screening,
        expected_version=1,
        answers=[answer],
    )
    stored = ScreeningAnswer.objects.values_list("answer", "note", "source").get()
    assert all(answer.note not in str(value) and str(value) not in ("yes", "person") for value in stored)


def test_a_stale_version_is_refused(team_case, responder, ilo):
    screening = start(responder, team_case, ilo)
    answers = positive_adult(ilo)[:1]
    kwargs = {
        "actor": responder,
        "membership": membership(responder),
        "screening": screening,
        "answers": answers,
    }
    screening_answer_set(expected_version=1, **kwargs)
    with pytest.raises(StaleEdit):
        screening_answer_set(expected_version=1, **kwargs)


def test_a_completed_screening_is_frozen(team_case, responder, ilo):
    screening = start(responder, team_case, ilo)
    args = {"actor": responder, "membership": membership(responder)}
    screening = screening_answer_set(
        **args, screening=screening, expected_version=1, answers=positive_adult(ilo)
    )
    screening = screening_complete(**args, screening=screening, expected_version=2, unanswered_confirmed=True)
    with pytest.raises(ValidationError):
        screening_answer_set(**args, screening=screening, expected_version=3, answers=positive_adult(ilo))
    with pytest.raises(ValidationError):
        screening_complete(**args, screening=screening, expected_version=3, unanswered_confirmed=True)


def test_completing_needs_an_answer(team_case, responder, ilo):
    screening = start(responder, team_case, ilo)
    with pytest.raises(ValidationError):
        screening_complete(
            actor=responder, membership=membership(responder), screening=screening, expected_version=1
        )


def test_bad_answers_are_refused_whole(team_case, responder, ilo, make_agency):
    screening = start(responder, team_case, ilo, child=True)
    adult_only = indicator(ilo, "exploitation", "no social protection (contract, social insurance, etc.)")
    good = positive_adult(ilo)[0]
    bad = [
        good,
        AnswerInput(adult_only.pk, "yes"),
        AnswerInput(good.indicator_id, "maybe"),
        AnswerInput(999999, "no"),
    ]
    with pytest.raises(ValidationError) as refused:
        screening_answer_set(
            actor=responder,
            membership=membership(responder),
            screening=screening,
            expected_version=1,
            answers=bad,
        )
    assert len(refused.value.messages) == 4
    assert not ScreeningAnswer.objects.exists()


def test_the_child_rule_is_the_default_for_a_child_case(make_case, responder, ilo):
    case = make_case(team=(responder,), is_child=True)
    assert start(responder, case, ilo).child is True


@pytest.mark.parametrize("role", [Role.MIGRATION_OFFICER, Role.GUARDIAN])
def test_other_roles_do_not_answer_even_on_the_team(make_member, make_case, ilo, role):
    user = make_member(role)
    case = make_case(team=(user,))
    with pytest.raises(PermissionDenied):
        start(user, case, ilo)


def test_a_responder_off_the_team_does_not_answer(make_member, make_case, responder, ilo):
    case = make_case(team=(make_member(Role.CASE_MANAGER),))
    with pytest.raises(PermissionDenied):
        start(responder, case, ilo)
    assert not AuditEvent.objects.filter(action__startswith="screening.").exists()


def test_completing_with_many_unanswered_asks_first(team_case, responder, ilo):
    screening = start(responder, team_case, ilo)
    screening = screening_answer_set(
        actor=responder,
        membership=membership(responder),
        screening=screening,
        expected_version=1,
        answers=positive_adult(ilo),
    )
    progress = screening_progress(
        screening, screening_instrument(screening), screening_answer_rows(screening)
    )
    assert progress.answered == 6 and progress.many_unanswered
    who = {"actor": responder, "membership": membership(responder)}
    with pytest.raises(ValidationError) as refused:
        screening_complete(**who, screening=screening, expected_version=2)
    assert refused.value.code == "many_unanswered"
    assert f"{progress.unanswered} of the {progress.total} indicators" in refused.value.messages[0]
    screening.refresh_from_db()
    assert screening.status == ScreeningStatus.DRAFT
    done = screening_complete(**who, screening=screening, expected_version=2, unanswered_confirmed=True)
    assert done.status == ScreeningStatus.COMPLETE


def test_a_child_screening_counts_only_the_child_list(make_case, responder, ilo):
    case = make_case(team=(responder,), is_child=True)
    screening = start(responder, case, ilo)
    instrument = screening_instrument(screening)
    listed = sum(len(indicators) for _dimension, indicators in screening_steps(instrument, child=True))
    everything = sum(d.indicators.count() for d in instrument.dimensions.all())
    assert screening_progress(screening, instrument, []).total == listed < everything


def test_the_identification_authority_answers_on_its_team(make_case, authority, ilo):
    case = make_case(team=(authority,))
    screening = start(authority, case, ilo)
    assert screening.status == ScreeningStatus.DRAFT
    assert AuditEvent.objects.filter(actor=authority, action="screening.start").exists()
