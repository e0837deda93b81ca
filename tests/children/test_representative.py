"""Who acts for a child before a guardian is appointed (issue 14, item 3): the temporary representative,
recorded as such, gives consent for what follows the referral with the child's views; appointing a guardian
ends the representation. Through the services, the case page's children section and the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import ConsentChildViews, ConsentGiver, ConsentPurpose
from palermo.cases.selectors import consent_valid
from palermo.cases.services.consent import consent_record
from palermo.cases.services.representation import (
    active_representative,
    temporary_representative_record,
)
from tests.api.errors import api_error
from tests.cases.casework import make_case, put_on_team
from tests.children.conftest import appoint

pytestmark = pytest.mark.django_db
REP_NAME = "Amira Testrep"  # synthetic


def record_rep(user, case, **overrides):
    values = {
        "name": REP_NAME,
        "organisation": "Child protection services",
        "since": timezone.localdate() - datetime.timedelta(days=2),
    }
    values.update(overrides)
    return temporary_representative_record(actor=user, membership=user.membership, case=case, **values)


def rep_consent(user, case, **overrides):
    values = {
        "purpose": ConsentPurpose.STATISTICS,
        "given_by": ConsentGiver.TEMPORARY,
        "language": "eng",
        "child_views": "Agrees, wants to keep seeing the same worker.",
    }
    values.update(overrides)
    return consent_record(actor=user, membership=user.membership, case=case, **values)


def test_consent_from_a_temporary_representative_needs_one_recorded_and_the_childs_views(manager, child_case):
    with pytest.raises(ValidationError) as refused:
        rep_consent(manager, child_case)
    assert "given_by" in refused.value.message_dict  # no one acts for the child yet
    record_rep(manager, child_case)
    with pytest.raises(ValidationError) as refused:
        rep_consent(manager, child_case, child_views="")
    assert "child_views" in refused.value.message_dict
    consent = rep_consent(manager, child_case)
    assert ConsentChildViews.objects.get(consent=consent).views.startswith("Agrees")
    assert consent_valid(child_case, ConsentPurpose.STATISTICS)
    # A child's own consent still does not count.
    with pytest.raises(ValidationError):
        rep_consent(manager, child_case, given_by=ConsentGiver.PERSON)


def test_an_adult_has_no_temporary_representative(manager, adult_case):
    with pytest.raises(ValidationError):
        record_rep(manager, adult_case)
    with pytest.raises(ValidationError):
        rep_consent(manager, adult_case)


def test_the_representative_is_validated_and_audited(manager, child_case):
    with pytest.raises(ValidationError) as refused:
        record_rep(
            manager,
            child_case,
            name=" ",
            organisation="",
            since=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"name", "organisation", "since"}
    rep = record_rep(manager, child_case)
    assert AuditEvent.objects.filter(action="representative.record", case=child_case).exists()
    second = record_rep(manager, child_case, name="Someone Else")
    rep.refresh_from_db()
    assert rep.ended_at is not None and active_representative(child_case) == second


def test_outsiders_may_not_record_a_representative(make_member, child_case):
    outsider = make_member(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        record_rep(outsider, child_case)


def test_appointing_a_guardian_ends_the_representation(manager, guardian, child_case):
    rep = record_rep(manager, child_case)
    appoint(manager, child_case, guardian)
    rep.refresh_from_db()
    assert rep.ended_at is not None
    assert active_representative(child_case) is None
    with pytest.raises(ValidationError):
        record_rep(manager, child_case)  # the guardian acts now
    with pytest.raises(ValidationError):
        rep_consent(manager, child_case)


def section(client, case):
    url = reverse("cases:section", args=[case.reference, "children"])
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_the_case_page_says_who_acts_for_the_child(client_for, manager, guardian, make_member):
    child_case = make_case(manager.membership.agency, is_child=True)
    put_on_team(child_case, manager, whole_agency=False)
    client = client_for(manager)
    assert "Acting for the child: no one yet. Appoint a guardian." in section(client, child_case)
    form_url = reverse("children:action", args=[child_case.reference, "representative"])
    refused = client.post(form_url, {"name": "", "organisation": "", "since": ""})
    assert refused.status_code == 400
    assert "invalid-feedback" in refused.content.decode()  # each field says what is missing
    done = client.post(
        form_url,
        {
            "name": REP_NAME,
            "organisation": "Child protection services",
            "since": timezone.localdate().isoformat(),
        },
    )
    assert done.status_code in (200, 302)
    shown = section(client, child_case)
    assert REP_NAME in shown and "temporary representative" in shown
    # A reader without identity (T2) sees the organisation, never the name.
    # A colleague of the lead agency, not on the team, reads T1 only.
    officer = make_member(Role.INVESTIGATOR, agency=manager.membership.agency)
    hidden = section(client_for(officer), child_case)
    assert "Child protection services" in hidden and REP_NAME not in hidden
    appoint(manager, child_case, guardian)
    after = section(client, child_case)
    assert REP_NAME not in after and "Acting for the child" not in after


def test_the_api_says_who_acts_and_records_the_representative(
    client_for, manager, guardian, child_case, adult_case
):
    client = client_for(manager)
    url = reverse("api-children-representative", args=[child_case.reference])
    assert client.get(url).json()["acting"] == "no_one"
    bad = client.post(
        url, {"name": "", "organisation": "x", "since": "2020-01-01"}, content_type="application/json"
    )
    api_error(bad, 400, "invalid")
    made = client.post(
        url,
        {"name": REP_NAME, "organisation": "Child protection services", "since": "2026-01-01"},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["acting"] == "temporary_representative"
    assert body["temporary_representative"]["name"] == REP_NAME
    consent = client.post(
        reverse("api-case-consents", args=[child_case.reference]),
        {"purpose": "statistics", "given_by": "temporary", "language": "eng", "child_views": "Agrees."},
        content_type="application/json",
    )
    assert consent.status_code == 201, consent.content
    ended = client.delete(url)
    assert ended.json()["acting"] == "no_one"
    appoint(manager, child_case, guardian)
    assert client.get(url).json()["acting"] == "guardian"
    assert client.get(reverse("api-children-representative", args=[adult_case.reference])).status_code == 404
