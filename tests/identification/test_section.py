"""The identification section of the case page: decisions with their due dates and links for every role
that reads decisions; the screening's advice and the legal elements only for T4 readers, on the record."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Phase
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.identification.services.legal import age_assessment_record
from palermo.identification.services.reviews import review_request_record
from tests.cases.casework import section_alone

from .test_timeline_and_age import complete_screening

pytestmark = pytest.mark.django_db

ADVICE = "The indicators point to trafficking"


def page(client, case) -> str:
    response = client.get(reverse("cases:detail_full", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def worked_case(make_case, make_member, responder, authority, ilo):
    """Screened, assessed as an adult, a positive presumed victim decision under appeal."""
    migration = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(responder, authority, migration))
    complete_screening(responder, case, ilo)
    age_assessment_record(
        actor=responder,
        membership=responder.membership,
        case=case,
        method="documents",
        conclusion="adult",
        assessed_on=timezone.localdate() - datetime.timedelta(days=1),
        assessor="Civil registry",
    )
    decision = decision_take(
        actor=authority,
        membership=authority.membership,
        case=case,
        kind="presumed",
        data=DecisionInput("positive", ["indicators"], "The indicators are met on the account given."),
    )
    request = review_request_record(
        actor=authority, membership=authority.membership, original=decision, procedure="appeal"
    )
    case.migration = migration
    case.request = request
    return case


def test_the_authority_sees_decisions_due_dates_and_links(client_for, worked_case, authority):
    html = page(client_for(authority), worked_case)
    assert 'id="section-identification"' in html
    assert reverse("identification:decisions", args=[worked_case.reference]) in html
    assert "Due: Identified victim (conclusive grounds)" in html
    assert timezone.localtime(worked_case.request.due_at).date().isoformat() in html
    assert "Age assessment: 18 or over: an adult" in html


def test_the_advice_is_for_narrative_readers_and_on_the_record(client_for, worked_case, responder):
    html = page(client_for(responder), worked_case)
    assert ADVICE in html
    assert reverse("identification:screenings", args=[worked_case.reference]) in html
    assert AuditEvent.objects.filter(actor=responder, action="identification.read", tier=4).exists()


def test_a_reader_without_narrative_sees_the_facts_only(client_for, worked_case):
    migration = worked_case.migration
    html = page(client_for(migration), worked_case)
    assert 'id="section-identification"' in html and "Age assessment: 18 or over: an adult" in html
    assert ADVICE not in html
    assert reverse("identification:screenings", args=[worked_case.reference]) not in html
    assert not AuditEvent.objects.filter(actor=migration, action="identification.read").exists()


def test_a_closed_case_shows_its_due_decision_as_paused_not_overdue(
    client_for, make_case, responder, authority
):
    case = make_case(team=(responder, authority))
    case.opened_at = timezone.now() - datetime.timedelta(days=400)
    case.save(update_fields=["opened_at"])
    assert "(overdue)" in page(client_for(authority), case)
    case.phase = Phase.CLOSED
    case.save(update_fields=["phase"])
    html = page(client_for(authority), case)
    assert "paused while the case is closed" in html and "(overdue)" not in html


def test_the_section_reads_the_age_assessment_and_legal_elements_once(
    worked_case, responder, django_assert_num_queries
):
    # Five reads: decisions, open review requests, the latest age assessment (also whether the case is treated
    # as a child's), the latest screening, the legal elements (also whether any are recorded). The read's
    # audit event is written once for the whole request, after the view (palermo.access.tiered).
    reads = AuditEvent.objects.filter(case=worked_case, action="identification.read")
    html = section_alone(responder, worked_case, "identification", 5, django_assert_num_queries)
    assert ADVICE in html and "Age assessment: 18 or over: an adult" in html
    assert list(reads.values_list("tier", flat=True)) == [4]


def test_without_narrative_the_section_only_asks_whether_legal_elements_exist(
    worked_case, django_assert_num_queries
):
    html = section_alone(worked_case.migration, worked_case, "identification", 4, django_assert_num_queries)
    assert "Age assessment: 18 or over: an adult" in html and ADVICE not in html
