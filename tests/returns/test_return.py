"""Safe and voluntary return of an adult: each refusal one by one (no request, no current risk assessment, a
high risk, no receiving partner), withdrawal stops it, follow-ups at the rulebook's intervals. A child's
return (the children area's rules on top) is in test_child_return."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from palermo.returns.models import PartnerConclusion, ReturnStatus, VoluntaryReturn
from palermo.returns.services.returns import (
    FOLLOWUP_KIND,
    ReturnNotReady,
    return_arrived,
    return_clear,
    return_followup_record,
    return_partner_assess,
    return_plan,
    return_request,
    return_withdraw,
)
from tests.returns.conftest import assess_risk, partner_in, text

pytestmark = pytest.mark.django_db


def who(user: User) -> dict[str, Any]:
    return {"actor": user, "membership": user.membership}  # type: ignore[attr-defined]


def request(manager: User, case: Case) -> VoluntaryReturn:
    today = timezone.localdate()
    return return_request(
        **who(manager),
        case=case,
        country="ALB",
        requested_on=today,
        request_language="sqi",
        informed_on=today - datetime.timedelta(days=3),
        request=text(),
    )


def partner_says(
    manager: User, record: VoluntaryReturn, conclusion: str = PartnerConclusion.SAFE, days_ago: int = 0
) -> VoluntaryReturn:
    return return_partner_assess(
        **who(manager),
        voluntary_return=record,
        partner=partner_in(manager, "ALB", kind="ngo"),
        assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        conclusion=conclusion,
        assessment=text(),
        expected_version=record.version,
    )


def clear(manager: User, record: VoluntaryReturn) -> VoluntaryReturn:
    record.refresh_from_db()
    return return_clear(**who(manager), voluntary_return=record, expected_version=record.version)


def refused(manager: User, record: VoluntaryReturn) -> list[str]:
    with pytest.raises(ReturnNotReady) as refusal:
        clear(manager, record)
    return refusal.value.missing


def test_no_current_risk_assessment_is_named(manager: User, adult_case: Case) -> None:
    record = partner_says(manager, request(manager, adult_case))
    assert refused(manager, record) == ["risk_assessment"]


def test_high_risk_is_named(manager: User, protector: User, adult_case: Case) -> None:
    assess_risk(protector, adult_case, "high")
    record = partner_says(manager, request(manager, adult_case))
    with pytest.raises(ReturnNotReady) as refusal:
        clear(manager, record)
    assert refusal.value.missing == ["risk_high"]
    assert "risk_high" in refusal.value.message_dict


def test_no_receiving_partner_is_named(manager: User, protector: User, adult_case: Case) -> None:
    assess_risk(protector, adult_case, "low")
    record = request(manager, adult_case)
    assert refused(manager, record) == ["partner"]
    # A partner who found the return unsafe is no receiving partner either.
    assert refused(manager, partner_says(manager, record, PartnerConclusion.UNSAFE)) == ["partner"]


def test_no_voluntary_request_is_named(manager: User, protector: User, adult_case: Case) -> None:
    """A request not in force (here: withdrawn) counts as none: the check names it alone."""
    from palermo.returns.services.returns import missing_for

    assess_risk(protector, adult_case, "medium")
    record = partner_says(manager, request(manager, adult_case))
    record = return_withdraw(
        **who(manager),
        voluntary_return=record,
        withdrawn_on=timezone.localdate(),
        expected_version=record.version,
    )
    assert missing_for(record) == ["request"]
    with pytest.raises(ValidationError):  # and a withdrawn return cannot be cleared at all
        clear(manager, record)


def test_all_missing_are_named_together(manager: User, adult_case: Case) -> None:
    assert refused(manager, request(manager, adult_case)) == ["risk_assessment", "partner"]


def test_cleared_arrived_and_followed_up(manager: User, protector: User, adult_case: Case) -> None:
    assess_risk(protector, adult_case, "low")
    record = partner_says(manager, request(manager, adult_case))
    record = return_plan(
        **who(manager),
        voluntary_return=record,
        travel_on=timezone.localdate(),
        expected_version=record.version,
        travel_plan=text(),
        reception=text(),
        housing=text(),
        income=text(),
        medical=text(),
        education="",
        legal=text(),
    )
    record = clear(manager, record)
    assert record.status == ReturnStatus.CLEARED
    record = return_arrived(
        **who(manager),
        voluntary_return=record,
        returned_on=timezone.localdate(),
        expected_version=record.version,
    )
    assert record.status == ReturnStatus.RETURNED
    days = rulebook().returns.followup_days
    followups = list(record.followups.all())
    assert [(f.due_on - record.returned_on).days for f in followups] == list(days)
    assert Deadline.objects.filter(kind=FOLLOWUP_KIND, done_at__isnull=True).count() == len(days)
    return_followup_record(
        **who(manager), followup=followups[0], contacted_on=timezone.localdate(), situation=text()
    )
    assert Deadline.objects.filter(kind=FOLLOWUP_KIND, done_at__isnull=True).count() == len(days) - 1


def test_withdrawal_stops_a_cleared_return(manager: User, protector: User, adult_case: Case) -> None:
    assess_risk(protector, adult_case, "low")
    record = clear(manager, partner_says(manager, request(manager, adult_case)))
    record = return_withdraw(
        **who(manager),
        voluntary_return=record,
        withdrawn_on=timezone.localdate(),
        expected_version=record.version,
    )
    assert record.status == ReturnStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        arrive(manager, record)


def test_a_high_risk_found_after_clearing_stops_the_departure(
    manager: User, protector: User, adult_case: Case
) -> None:
    assess_risk(protector, adult_case, "low")
    record = clear(manager, partner_says(manager, request(manager, adult_case)))
    assess_risk(protector, adult_case, "high")
    with pytest.raises(ReturnNotReady) as refusal:
        arrive(manager, record)
    assert refusal.value.missing == ["risk_high"]


def test_partner_must_be_in_the_country_of_return(manager: User, adult_case: Case) -> None:
    record = request(manager, adult_case)
    with pytest.raises(ValidationError) as wrong:
        return_partner_assess(
            **who(manager),
            voluntary_return=record,
            partner=partner_in(manager, "MDA"),
            assessed_on=timezone.localdate(),
            conclusion=PartnerConclusion.SAFE,
            assessment=text(),
            expected_version=record.version,
        )
    assert "partner" in wrong.value.message_dict


def test_one_return_in_progress(manager: User, adult_case: Case) -> None:
    request(manager, adult_case)
    with pytest.raises(ValidationError):
        request(manager, adult_case)


def expire_partner_assessment(record: VoluntaryReturn) -> VoluntaryReturn:
    """Time passes (set up directly): the partner's assessment is now older than the rulebook allows."""
    valid = rulebook().returns.partner_assessment_valid_days
    VoluntaryReturn.objects.filter(pk=record.pk).update(
        partner_assessed_on=timezone.localdate() - datetime.timedelta(days=valid + 1)
    )
    record.refresh_from_db()
    return record


def arrive(manager: User, record: VoluntaryReturn) -> VoluntaryReturn:
    return return_arrived(
        **who(manager),
        voluntary_return=record,
        returned_on=timezone.localdate(),
        expected_version=record.version,
    )


def test_an_expired_partner_assessment_no_longer_clears(
    manager: User, protector: User, adult_case: Case
) -> None:
    valid = rulebook().returns.partner_assessment_valid_days
    assess_risk(protector, adult_case, "low")
    record = partner_says(manager, request(manager, adult_case), days_ago=valid + 1)
    with pytest.raises(ReturnNotReady) as refusal:
        clear(manager, record)
    assert refusal.value.missing == ["partner_expired"]
    said = refusal.value.message_dict["partner_expired"][0]
    assert "out of date" in said and str(valid) in said
    # Assessed again: the return clears; on the last day of its validity too.
    record = partner_says(manager, record, days_ago=valid)
    assert clear(manager, record).status == ReturnStatus.CLEARED


def test_an_assessment_expired_after_clearing_stops_the_arrival(
    manager: User, protector: User, adult_case: Case
) -> None:
    assess_risk(protector, adult_case, "low")
    record = clear(manager, partner_says(manager, request(manager, adult_case)))
    record = expire_partner_assessment(record)
    with pytest.raises(ReturnNotReady) as refusal:
        arrive(manager, record)
    assert refusal.value.missing == ["partner_expired"]


def arrived(manager: User, protector: User, case: Case) -> VoluntaryReturn:
    assess_risk(protector, case, "low")
    return arrive(manager, clear(manager, partner_says(manager, request(manager, case))))


def test_closed_after_its_followups(manager: User, protector: User, adult_case: Case) -> None:
    from palermo.cases.models import CaseEvent
    from palermo.core.concurrency import StaleEdit
    from palermo.returns.services.returns import return_close

    record = arrived(manager, protector, adult_case)
    today = timezone.localdate()

    def close(version: int) -> VoluntaryReturn:
        return return_close(
            **who(manager), voluntary_return=record, closed_on=today, expected_version=version
        )

    with pytest.raises(ValidationError) as refusal:
        close(record.version)
    assert "4 follow-up contacts are still to be made" in refusal.value.messages[0]
    followups = list(record.followups.all())
    for followup in followups[:-1]:
        return_followup_record(**who(manager), followup=followup, contacted_on=today, situation=text())
    with pytest.raises(ValidationError) as refusal:
        close(record.version)
    assert "One follow-up contact is still to be made" in refusal.value.messages[0]
    return_followup_record(**who(manager), followup=followups[-1], contacted_on=today, situation=text())
    with pytest.raises(StaleEdit):
        close(record.version - 1)
    closed = close(record.version)
    assert closed.status == ReturnStatus.CLOSED and closed.closed_on == today
    assert closed.version == record.version + 1
    event = CaseEvent.objects.filter(case=adult_case).order_by("-occurred_at", "-id").first()
    assert event is not None and event.summary == "Return closed after its follow-up contacts"
    with pytest.raises(ValidationError):  # closed once, and only once
        close(closed.version)


def test_a_return_not_yet_made_cannot_be_closed(manager: User, adult_case: Case) -> None:
    from palermo.returns.services.returns import return_close

    record = request(manager, adult_case)
    with pytest.raises(ValidationError):
        return_close(
            **who(manager),
            voluntary_return=record,
            closed_on=timezone.localdate(),
            expected_version=record.version,
        )
