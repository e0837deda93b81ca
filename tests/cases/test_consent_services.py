"""Consent: per purpose and recipient, the guardian's for a child, withdrawal, and `consent_valid`."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, ConsentGiver, ConsentPurpose
from palermo.cases.selectors import consent_valid
from palermo.cases.services.consent import consent_record, consent_withdraw
from palermo.cases.services.person import person_update
from tests.cases.referrals import child_overrides, open_case


@pytest.fixture
def case(first_responder, ia_agency):
    return open_case(first_responder, ia_agency)


def record(user, case, **values):
    defaults = {"purpose": ConsentPurpose.STATISTICS, "given_by": ConsentGiver.PERSON, "language": "ron"}
    return consent_record(actor=user, membership=user.membership, case=case, **{**defaults, **values})


def test_sharing_consent_counts_for_its_agency_only(first_responder, case, make_agency):
    shelter, police = make_agency(), make_agency("police")
    assert not consent_valid(case, ConsentPurpose.SHARING, shelter)
    record(first_responder, case, purpose=ConsentPurpose.SHARING, recipient_agency=shelter)
    assert consent_valid(case, ConsentPurpose.SHARING, shelter)
    assert consent_valid(case, ConsentPurpose.SHARING, shelter.pk)
    assert not consent_valid(case, ConsentPurpose.SHARING, police)
    assert not consent_valid(case, ConsentPurpose.TRANSNATIONAL)


def test_withdrawal_ends_validity_and_keeps_the_record(first_responder, case):
    consent = record(first_responder, case)
    assert consent_valid(case, ConsentPurpose.STATISTICS)
    withdrawn = consent_withdraw(
        actor=first_responder,
        membership=first_responder.membership,
        consent=consent,
        note="asked on the phone",
    )
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_by == first_responder
    assert not consent_valid(case, ConsentPurpose.STATISTICS)
    assert case.consents.filter(pk=consent.pk).exists()
    assert CaseEvent.objects.filter(case=case, kind="consent", summary="Consent withdrawn").exists()
    assert AuditEvent.objects.filter(action="consent.withdraw", case=case).exists()
    # Withdrawn twice: the first withdrawal stands and nothing is written again.
    again = consent_withdraw(actor=first_responder, membership=first_responder.membership, consent=consent)
    assert again.withdrawn_at == withdrawn.withdrawn_at and again.withdrawal_note == "asked on the phone"
    assert CaseEvent.objects.filter(case=case, kind="consent", summary="Consent withdrawn").count() == 1
    # A new consent counts again.
    record(first_responder, case)
    assert consent_valid(case, ConsentPurpose.STATISTICS)


def test_a_childs_consent_is_the_guardians(first_responder, ia_agency):
    case = open_case(first_responder, ia_agency, **child_overrides())
    with pytest.raises(ValidationError) as refused:
        record(first_responder, case, given_by=ConsentGiver.PERSON)
    assert "given_by" in refused.value.message_dict
    record(first_responder, case, given_by=ConsentGiver.GUARDIAN)
    assert consent_valid(case, ConsentPurpose.STATISTICS)


def test_a_persons_own_consent_stops_counting_when_the_case_turns_out_a_childs(first_responder, case):
    record(first_responder, case)
    assert consent_valid(case, ConsentPurpose.STATISTICS)
    person = case.persons.get()
    person_update(
        actor=first_responder,
        membership=first_responder.membership,
        person=person,
        changes={"age_uncertain": True, "believed_child": True},
        expected_version=person.version,
    )
    case.refresh_from_db()
    assert case.is_child
    assert not consent_valid(case, ConsentPurpose.STATISTICS)


@pytest.mark.parametrize(
    "values",
    [
        {"purpose": "marketing"},
        {"given_by": "neighbour"},
        {"language": "xx"},
        {"purpose": ConsentPurpose.REFERRAL},  # names no service or agency
        {"purpose": ConsentPurpose.SHARING},  # names no agency
        {"purpose": ConsentPurpose.TRANSNATIONAL},  # names no country
        {"purpose": ConsentPurpose.TRANSNATIONAL, "recipient_country": "ZZZ"},
        {"given_at": timezone.now() + datetime.timedelta(days=1)},
        {"given_at": datetime.datetime(2025, 1, 1, 12, 0)},  # noqa: DTZ001  (naive on purpose)
        {"recipient_service": "x" * 201, "purpose": ConsentPurpose.REFERRAL},
    ],
)
def test_bad_consents_are_refused(first_responder, case, values):
    before = case.consents.count()
    with pytest.raises(ValidationError):
        record(first_responder, case, **values)
    assert case.consents.count() == before


def test_named_recipients_are_kept(first_responder, case):
    referral = record(
        first_responder, case, purpose=ConsentPurpose.REFERRAL, recipient_service="Legal clinic"
    )
    assert referral.recipient_service == "Legal clinic"
    transfer = record(first_responder, case, purpose=ConsentPurpose.TRANSNATIONAL, recipient_country="mda")
    assert transfer.recipient_country == "MDA"
    assert consent_valid(case, ConsentPurpose.TRANSNATIONAL)


def test_who_may_record_and_withdraw(first_responder, case, make_member):
    outsider = make_member(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        record(outsider, case)
    consent = record(first_responder, case)
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=outsider, membership=outsider.membership, consent=consent)
    assert consent_valid(case, ConsentPurpose.STATISTICS)
