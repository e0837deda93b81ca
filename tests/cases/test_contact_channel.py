"""How to reach the person safely: a T2 column of the case, changed with a version check, screen and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent, ContactRoute, EventKind
from palermo.cases.services.contact import case_contact_channel_set
from palermo.core.concurrency import StaleEdit
from tests.api.errors import api_error
from tests.cases.casework import add_person, htmx, make_case, put_on_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(manager):
    case = make_case(manager.membership.agency)
    add_person(case)
    put_on_team(case, manager)
    return case


def set_channel(user, case, channel, version=None):
    return case_contact_channel_set(
        actor=user,
        membership=user.membership,
        case=case,
        channel=channel,
        expected_version=case.version if version is None else version,
    )


def test_the_route_is_recorded_with_timeline_audit_and_a_new_version(manager, case):
    changed = set_channel(manager, case, ContactRoute.THROUGH_NGO)
    assert (
        Case.objects.get(pk=case.pk).contact_channel == "through_ngo" and changed.version == case.version + 1
    )
    assert AuditEvent.objects.get(action="case.contact_channel_set").tier == 2
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PERSON, tier=2).exists()


def test_a_bad_route_a_reader_without_t2_write_and_a_stale_version_change_nothing(manager, make_member, case):
    with pytest.raises(ValidationError):
        set_channel(manager, case, "carrier_pigeon")
    provider = make_member(Role.SERVICE_PROVIDER)  # reads T2, writes T1 only
    put_on_team(case, provider)
    with pytest.raises(PermissionDenied):
        set_channel(provider, case, ContactRoute.PHONE)
    with pytest.raises(StaleEdit):
        set_channel(manager, case, ContactRoute.PHONE, version=case.version + 5)
    assert Case.objects.get(pk=case.pk).contact_channel == ""


def test_the_person_section_shows_and_changes_it(client_for, manager, case):
    client = client_for(manager)
    section = client.get(reverse("cases:person", args=[case.reference]), **htmx()).content.decode()
    assert "Not agreed yet" in section and reverse("cases:form", args=[case.reference, "contact"]) in section
    form = client.get(reverse("cases:form", args=[case.reference, "contact"]), **htmx()).content.decode()
    assert 'value="through_ngo"' in form
    url = reverse("cases:contact_channel", args=[case.reference])
    response = client.post(url, {"contact_channel": "case_worker", "version": case.version}, **htmx())
    assert "Only through the case worker" in response.content.decode()
    stale = client.post(url, {"contact_channel": "phone", "version": case.version})
    assert stale.status_code == 409  # the conflict screen, both versions
    assert "Only through the case worker" in stale.content.decode()
    assert Case.objects.get(pk=case.pk).contact_channel == "case_worker"


def test_a_reader_without_t2_does_not_see_it(client_for, make_member, case):
    colleague = make_member(Role.CASE_MANAGER)  # another agency, not on the team: 404 for the case
    assert (
        client_for(colleague).get(reverse("api-case-contact-channel", args=[case.reference])).status_code
        == 404
    )


def test_the_api_reads_and_changes_it(client_for, manager, make_member, case):
    client = client_for(manager)
    url = reverse("api-case-contact-channel", args=[case.reference])
    assert client.get(url).json() == {"contact_channel": "", "version": case.version}
    body = {"contact_channel": "none", "version": case.version}
    changed = client.put(url, body, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["contact_channel"] == "none"
    stale = client.put(url, body, content_type="application/json")
    assert api_error(stale, 409, "stale")["current"]["record"]["contact_channel"] == "none"
    bad = client.put(url, {"contact_channel": "x", "version": 1}, content_type="application/json")
    assert "contact_channel" in api_error(bad, 400, "invalid")["fields"]
    provider = make_member(Role.SERVICE_PROVIDER)
    put_on_team(case, provider)
    refused = client_for(provider).put(
        url, {"contact_channel": "phone", "version": case.version + 1}, content_type="application/json"
    )
    api_error(refused, 404, "not_found")


def test_reading_it_through_the_api_is_an_audited_read_of_identity(client_for, manager, case):
    client_for(manager).get(reverse("api-case-contact-channel", args=[case.reference]))
    read = AuditEvent.objects.get(action="case.contact_channel.read", case=case)
    assert read.actor_id == manager.pk and read.tier == 2
