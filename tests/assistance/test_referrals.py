"""Referrals: consent first (the guardian's for a child), a minimal package, access that ends on closing,
the provider's answers, the response deadline, and the timeline and audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import Notice
from palermo.accounts.notice_kinds import notice_text
from palermo.accounts.roles import Role
from palermo.assistance.models import DeclineReason, PersonChoice, Referral, ReferralStatus
from palermo.assistance.package import provider_referral_for, provider_referrals, referral_package
from palermo.assistance.services.plans import plan_create, plan_service_choice
from palermo.assistance.services.referrals import (
    REFERRAL_ANSWERED_NOTICE,
    REFERRAL_NEW_NOTICE,
    REFERRAL_RESPONSE,
    ConsentMissing,
    referral_accept,
    referral_close,
    referral_complete,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, ConsentGiver, EventKind
from palermo.cases.services.consent import consent_withdraw
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from tests.assistance.conftest import consent_to, current
from tests.cases.casework import make_case, put_on_team

pytestmark = pytest.mark.django_db


def send(manager, case, service, **kwargs):
    return referral_send(actor=manager, membership=manager.membership, case=case, service=service, **kwargs)


def test_a_referral_without_consent_is_refused_and_nothing_is_written(manager, case, legal):
    with pytest.raises(ConsentMissing):
        send(manager, case, legal)
    assert not Referral.objects.exists()
    assert not Deadline.objects.exists()


def test_consent_to_another_provider_does_not_count(manager, case, legal, shelter):
    consent_to(manager, case, shelter.agency)
    with pytest.raises(ConsentMissing):
        send(manager, case, legal)


def test_for_a_child_only_the_guardians_consent_counts(manager, make_member, lawyer):
    from tests.assistance.conftest import add_service, person_on

    service = add_service(lawyer, "legal_information", serves_children=True)
    child = make_case(manager.membership.agency, is_child=True)
    put_on_team(child, manager)
    person_on(child)
    guardian = make_member(Role.GUARDIAN)
    put_on_team(child, guardian)
    # A consent the person gave before the case was known to be a child's does not count.
    from palermo.cases.models import Consent, ConsentPurpose

    Consent.objects.create(
        case=child,
        purpose=ConsentPurpose.REFERRAL,
        recipient_agency=lawyer.membership.agency,
        given_by=ConsentGiver.PERSON,
        language="ron",
        given_at=timezone.now(),
        recorded_by=manager,
    )
    with pytest.raises(ConsentMissing):
        send(manager, child, service)
    consent_to(guardian, child, lawyer.membership.agency, given_by=ConsentGiver.GUARDIAN)
    assert send(manager, child, service).is_child


def test_the_package_is_minimal_and_encrypted(manager, lawyer, case, legal):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal, specific_needs="wheelchair access")
    found = provider_referral_for(lawyer.membership, referral.pk)
    package = referral_package(lawyer.membership, found, actor=lawyer)
    assert package is not None
    assert package.languages == (("ron", False), ("ara", True)) and package.needs_interpreter
    assert package.age_group == "24-26" and package.gender == "Feminine" and not package.is_child
    assert package.specific_needs == "wheelchair access"
    shown = " ".join(str(value) for value in vars(package).values())
    person = case.persons.get()
    for secret in (
        person.given_names,
        person.family_names,
        person.note,
        person.current_address,
        case.reference,
    ):
        assert secret not in shown
    assert AuditEvent.objects.get(action="referral.package_read").tier == 4


def test_the_provider_never_reads_the_case_itself(manager, lawyer, case, legal, client_for):
    consent_to(manager, case, legal.agency)
    send(manager, case, legal)
    client = client_for(lawyer)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert client.get(reverse("api-case-persons", args=[case.reference])).status_code == 404


def test_access_to_the_package_ends_when_the_referral_closes(manager, lawyer, case, legal, client_for):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal, specific_needs="needs a female lawyer")
    client = client_for(lawyer)
    url = reverse("assistance:provider_referral", args=[referral.pk])
    assert "needs a female lawyer" in client.get(url).content.decode()
    referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    referral_complete(
        actor=lawyer,
        membership=lawyer.membership,
        referral=referral,
        service_given="advice given",
        expected_version=current(referral),
    )
    page = client.get(url)
    assert page.status_code == 200 and "needs a female lawyer" not in page.content.decode()
    api = client.get(reverse("api-assistance-provider-referral", args=[referral.pk])).json()
    assert api["package"] is None and api["referral"]["status"] == "completed"


def test_withdrawn_consent_ends_access_at_once(manager, lawyer, case, legal):
    consent = consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    consent_withdraw(actor=manager, membership=manager.membership, consent=consent)
    found = provider_referral_for(lawyer.membership, referral.pk)
    assert referral_package(lawyer.membership, found, actor=lawyer) is None
    with pytest.raises(ConsentMissing):
        referral_accept(
            actor=lawyer, membership=lawyer.membership, referral=found, expected_version=current(found)
        )


def test_another_providers_members_see_nothing(manager, lawyer, shelter_worker, case, legal, make_member):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    for outsider in (shelter_worker, make_member(Role.CASE_MANAGER, agency=lawyer.membership.agency)):
        assert not provider_referrals(outsider.membership).exists()
        with pytest.raises(Http404):
            provider_referral_for(outsider.membership, referral.pk)
    with pytest.raises(PermissionDenied):
        referral_accept(
            actor=shelter_worker,
            membership=shelter_worker.membership,
            referral=referral,
            expected_version=current(referral),
        )


def test_the_response_deadline_comes_from_the_rulebook_and_closes_on_an_answer(manager, lawyer, case, legal):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    deadline = Deadline.objects.get(kind=REFERRAL_RESPONSE)
    expected = referral.sent_at + datetime.timedelta(days=rulebook().referrals.response_days)
    assert deadline.due_at == expected and deadline.done_at is None and deadline.case == case
    referral_decline(
        actor=lawyer,
        membership=lawyer.membership,
        referral=referral,
        reason=DeclineReason.NO_CAPACITY,
        expected_version=current(referral),
    )
    deadline.refresh_from_db()
    assert deadline.done_at is not None
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.closed_at is not None


def test_decline_with_other_needs_a_note_and_illegal_moves_raise(manager, lawyer, case, legal):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    with pytest.raises(ValidationError):
        referral_decline(
            actor=lawyer,
            membership=lawyer.membership,
            referral=referral,
            reason=DeclineReason.OTHER,
            expected_version=current(referral),
        )
    with pytest.raises(ValidationError):  # not accepted yet: cannot complete
        referral_complete(
            actor=lawyer,
            membership=lawyer.membership,
            referral=referral,
            service_given="x",
            expected_version=current(referral),
        )
    referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    referral_close(
        actor=lawyer,
        membership=lawyer.membership,
        referral=referral,
        note="the person moved away",
        expected_version=current(referral),
    )
    with pytest.raises(ValidationError):
        referral_withdraw(
            actor=manager,
            membership=manager.membership,
            referral=referral,
            expected_version=current(referral),
        )


def test_withdrawing_cancels_the_deadline(manager, case, legal):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    referral_withdraw(
        actor=manager, membership=manager.membership, referral=referral, expected_version=current(referral)
    )
    assert not Deadline.objects.filter(kind=REFERRAL_RESPONSE).exists()


def test_a_refused_service_is_not_referred(manager, case, legal):
    consent_to(manager, case, legal.agency)
    plan = plan_create(
        actor=manager,
        membership=manager.membership,
        case=case,
        goals="safety first",
        review_on=timezone.localdate() + datetime.timedelta(days=30),
        services=["legal_assistance"],
    )
    item = plan.services.get()
    plan_service_choice(actor=manager, membership=manager.membership, item=item, choice=PersonChoice.REFUSED)
    with pytest.raises(ValidationError):
        send(manager, case, legal)


def test_eligibility_is_checked(manager, lawyer, case):
    from tests.assistance.conftest import add_service

    men_only = add_service(lawyer, "legal_information", serves_women=False, serves_other_genders=False)
    consent_to(manager, case, lawyer.membership.agency)
    with pytest.raises(ValidationError):
        send(manager, case, men_only)


def test_timeline_and_audit_say_that_not_what(manager, lawyer, case, legal):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal, specific_needs="secret detail")
    referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    events = CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL)
    assert events.count() == 2 and all(e.tier == 1 and "secret" not in e.summary for e in events)
    # Each entry names the kind of service it is about (legal assistance: T1 to name).
    assert [e.summary for e in events.order_by("pk")] == [
        "Referred to a service: Legal assistance",
        "Referral accepted by the provider: Legal assistance",
    ]
    assert AuditEvent.objects.get(action="referral.send").tier == 4
    assert AuditEvent.objects.filter(action="referral.accept").exists()


def test_a_member_who_cannot_write_identity_cannot_refer(manager, make_member, case, legal):
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(case, migration)
    consent_to(manager, case, legal.agency)
    send(manager, case, legal)  # the case manager may
    with pytest.raises(PermissionDenied):  # a migration officer may write T2, but not the T4 specific needs
        send(migration, case, legal, specific_needs="x")
    outsider = make_member(Role.SERVICE_PROVIDER)
    with pytest.raises(PermissionDenied):
        send(outsider, case, legal)


def _period(manager, case):
    from palermo.reflection.services.periods import period_request

    return period_request(actor=manager, membership=manager.membership, case=case)


def test_a_completed_referral_marks_the_reflection_entitlement_provided(manager, lawyer, case, legal):
    period = _period(manager, case)
    put_on_team(case, lawyer)  # a provider that also works on the case may record entitlements
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    referral_complete(
        actor=lawyer,
        membership=lawyer.membership,
        referral=referral,
        service_given="advice",
        expected_version=current(referral),
    )
    entitlement = period.entitlements.get(kind="legal_assistance")
    assert entitlement.status == "provided"


def test_a_provider_outside_the_team_completes_and_leaves_the_entitlement_to_the_team(
    manager, lawyer, case, legal
):
    period = _period(manager, case)
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    done = referral_complete(
        actor=lawyer,
        membership=lawyer.membership,
        referral=referral,
        service_given="x",
        expected_version=current(referral),
    )
    assert done.status == ReferralStatus.COMPLETED
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.COMPLETED
    assert period.entitlements.get(kind="legal_assistance").status != "provided"


def test_the_provider_hears_of_a_new_referral_and_the_sender_of_the_answer(manager, lawyer, case, legal):
    """Issue 16, item 7 (docs/decisions/0033): in-app notices with the case reference only."""
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal, specific_needs="secret detail")
    told = Notice.objects.get(user=lawyer)
    assert (told.kind, told.reference) == (REFERRAL_NEW_NOTICE, case.reference)
    assert told.path == reverse("assistance:provider_referral", args=[referral.pk])
    assert not Notice.objects.filter(user=manager).exists()

    referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    answer = Notice.objects.get(user=manager)
    assert (answer.kind, answer.reference) == (REFERRAL_ANSWERED_NOTICE, case.reference)
    assert "secret" not in notice_text(answer)


def test_a_referral_withdrawn_twice_is_withdrawn_once(manager, case, legal):
    consent_to(manager, case, legal.agency)
    referral = send(manager, case, legal)
    version = current(referral)
    by = {"actor": manager, "membership": manager.membership, "referral": referral}
    by["expected_version"] = version
    first = referral_withdraw(**by)
    entries = CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL).count()
    again = referral_withdraw(**by)
    assert again.pk == first.pk and again.status == ReferralStatus.WITHDRAWN
    assert CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL).count() == entries  # nothing again
