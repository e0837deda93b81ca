"""Third-country resettlement of an adult: grounds, receiving State, programme, steps with dates, outcome."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from palermo.accounts.models import User
from palermo.cases.models import Case, CaseEvent
from palermo.returns.models import (
    ResettlementChannel,
    ResettlementGround,
    ResettlementStatus,
    ResettlementStepKind,
)
from palermo.returns.services.resettlement import resettlement_move, resettlement_start, resettlement_step
from tests.returns.conftest import text

pytestmark = pytest.mark.django_db


def test_a_resettlement_from_start_to_outcome(manager: User, adult_case: Case) -> None:
    who = {"actor": manager, "membership": manager.membership}  # type: ignore[attr-defined]
    today = timezone.localdate()
    record = resettlement_start(
        **who,
        case=adult_case,
        ground=ResettlementGround.RETURN_UNSAFE,
        grounds=text(),
        receiving_country="CAN",
        channel=ResettlementChannel.UNHCR,
        programme="Synthetic programme 7",
        started_on=today - datetime.timedelta(days=30),
    )
    resettlement_step(**who, resettlement=record, kind=ResettlementStepKind.INTERVIEW, on=today, note=text())
    with pytest.raises(ValidationError):
        resettlement_step(**who, resettlement=record, kind="nonsense", on=today)
    with pytest.raises(ValidationError):  # not before it was submitted
        resettlement_move(
            **who,
            resettlement=record,
            status=ResettlementStatus.DEPARTED,
            on=today,
            expected_version=record.version,
        )
    for status in (ResettlementStatus.SUBMITTED, ResettlementStatus.ACCEPTED, ResettlementStatus.DEPARTED):
        record = resettlement_move(
            **who, resettlement=record, status=status, on=today, expected_version=record.version
        )
    assert record.status == ResettlementStatus.DEPARTED and record.outcome_on == today
    assert [step.kind for step in record.steps.all()] == [ResettlementStepKind.INTERVIEW]
    assert CaseEvent.objects.filter(case=adult_case, kind="return").count() == 5
    with pytest.raises(ValidationError):
        resettlement_step(**who, resettlement=record, kind=ResettlementStepKind.OTHER, on=today)


def test_grounds_and_programme_are_required(manager: User, adult_case: Case) -> None:
    who = {"actor": manager, "membership": manager.membership}  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as refusal:
        resettlement_start(
            **who,
            case=adult_case,
            ground="",
            grounds=text(),
            receiving_country="CAN",
            channel=ResettlementChannel.IOM,
            started_on=timezone.localdate(),
        )
    assert "ground" in refusal.value.message_dict
