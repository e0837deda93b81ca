"""Family tracing: requests, results (location, T3, with a version), contacts and family assessments."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, EventKind
from palermo.children.models import Answer, ContactMode, TracingStatus
from palermo.children.services.tracing import family_contact_record, tracing_request, tracing_result
from palermo.core.concurrency import StaleEdit
from tests.children.conftest import assess_family, text

pytestmark = pytest.mark.django_db


def test_tracing_from_request_to_result_and_contact(manager, child_case, adult_case):
    tracing = tracing_request(
        actor=manager,
        membership=manager.membership,
        case=child_case,
        requested_on=timezone.localdate(),
        details=text(),
        country="vnm",
    )
    assert tracing.country == "VNM" and tracing.status == TracingStatus.OPEN
    found = tracing_result(
        actor=manager,
        membership=manager.membership,
        tracing=tracing,
        status=TracingStatus.FOUND,
        result_on=timezone.localdate(),
        result=text(),
        expected_version=1,
    )
    assert found.version == 2
    with pytest.raises(StaleEdit):
        tracing_result(
            actor=manager,
            membership=manager.membership,
            tracing=tracing,
            status=TracingStatus.CLOSED,
            result_on=timezone.localdate(),
            result=text(),
            expected_version=1,
        )
    assert CaseEvent.objects.filter(case=child_case, kind=EventKind.CHILD_PROTECTION, tier=3).exists()
    contact = family_contact_record(
        actor=manager,
        membership=manager.membership,
        case=child_case,
        contacted_on=timezone.localdate(),
        mode=ContactMode.PHONE,
        summary=text(),
        tracing=tracing,
    )
    assert contact.tracing == tracing
    assert AuditEvent.objects.filter(case=child_case, action__startswith="children.").count() == 3
    with pytest.raises(ValidationError):  # nothing of this area on an adult's case
        tracing_request(
            actor=manager,
            membership=manager.membership,
            case=adult_case,
            requested_on=timezone.localdate(),
            details=text(),
        )


def test_a_family_assessment_is_favourable_only_when_able_willing_and_not_involved(manager, child_case):
    assert assess_family(manager, child_case).favourable
    assert not assess_family(manager, child_case, family_involved=Answer.UNCLEAR).favourable
    assert not assess_family(manager, child_case, able=Answer.NO).favourable
    with pytest.raises(ValidationError):
        assess_family(manager, child_case, able="maybe")


def test_reading_where_the_family_was_found_is_recorded(client_for, make_member, manager, child_case):
    from django.urls import reverse

    from tests.cases.casework import put_on_team

    tracing = tracing_request(
        actor=manager,
        membership=manager.membership,
        case=child_case,
        requested_on=timezone.localdate(),
        details=text(),
    )
    tracing_result(
        actor=manager,
        membership=manager.membership,
        tracing=tracing,
        status=TracingStatus.FOUND,
        result_on=timezone.localdate(),
        result="Village near the river",
        expected_version=1,
    )
    protection = make_member("protection_officer")
    put_on_team(child_case, protection)
    client = client_for(protection)
    listed = client.get(reverse("api-children-tracing", args=[child_case.reference])).json()
    assert listed[0]["result"] == "Village near the river" and listed[0]["details"] is None
    assert AuditEvent.objects.filter(case=child_case, action="children.read", tier=3).count() == 1
    page = client.get(reverse("cases:detail_full", args=[child_case.reference])).content.decode()
    assert "Village near the river" in page
    assert AuditEvent.objects.filter(case=child_case, action="children.read", tier=3).count() == 2
