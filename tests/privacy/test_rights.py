"""The person's rights through the data protection officer: a subject access export in the person's language
(JSON and PDF), a legal hold and an erasure from one screen, each on the audit log; nobody else reaches it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Person, PersonLanguage
from palermo.privacy.models import Anonymisation, LegalHold
from tests.cases.casework import make_case, put_on_team
from tests.factories import PersonFactory
from tests.privacy.test_retention import closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_person(manager, data_protection_officer):
    case = closed_case(manager, years_ago=0)
    put_on_team(case, data_protection_officer)
    person = PersonFactory(case=case, note="a synthetic story")
    PersonLanguage.objects.create(person=person, language="ara")
    return case, person


def test_the_export_holds_the_person_s_data_in_their_language(
    client_for, data_protection_officer, case_with_person
):
    case, person = case_with_person
    client = client_for(data_protection_officer)
    answer = client.get(reverse("privacy:export_json", args=[case.reference]))
    assert answer.status_code == 200 and "data-" in answer["Content-Disposition"]
    data = json.loads(answer.content)
    values = [value for record in data["records"] for value in record["fields"].values()]
    assert person.given_names in values and "a synthetic story" in values
    assert answer["Content-Disposition"].endswith('-ar.json"')
    event = AuditEvent.objects.get(case=case, action="privacy.export")
    assert event.tier == 4 and event.actor == data_protection_officer
    pdf = client.get(reverse("privacy:export_pdf", args=[case.reference]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_hold_and_erasure_from_the_dpo_screen(client_for, data_protection_officer, case_with_person):
    case, person = case_with_person
    client = client_for(data_protection_officer)
    page = reverse("privacy:case", args=[case.reference])
    shown = client.get(page)
    assert shown.status_code == 200
    # The heading's reference is an isolate of its own that never breaks at its hyphens (app.css).
    assert f'<bdi dir="ltr" class="app-reference">{case.reference}</bdi>' in shown.content.decode()
    refused = client.post(reverse("privacy:hold", args=[case.reference]), {"hold-reason": ""})
    assert refused.status_code == 400 and b"There is a problem" in refused.content
    client.post(reverse("privacy:hold", args=[case.reference]), {"hold-reason": "complaint open"})
    assert LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists()
    client.post(reverse("privacy:lift", args=[case.reference]))
    erase = reverse("privacy:erase", args=[case.reference])
    version = Case.objects.get(pk=case.pk).version
    assert f'name="erase-version" value="{version}"' in client.get(page).content.decode()
    wrong = client.post(erase, {"erase-reference": "nope", "erase-version": version})
    assert wrong.status_code == 400 and not Anonymisation.objects.exists()
    Case.objects.filter(pk=case.pk).update(version=version + 1)  # changed by someone else meanwhile
    stale = client.post(erase, {"erase-reference": case.reference, "erase-version": version})
    assert stale.status_code == 400 and not Anonymisation.objects.exists()
    assert "Nothing was erased: look again." in stale.content.decode()
    assert f'name="erase-version" value="{version}"' in stale.content.decode()  # as sent: look again first
    client.post(erase, {"erase-reference": case.reference, "erase-version": version + 1})
    assert Anonymisation.objects.get(case=case).why == Anonymisation.Why.ERASURE
    assert Person.objects.get(pk=person.pk).given_names == ""


def test_no_one_else_reaches_it_and_an_agency_dpo_only_their_cases(
    client_for, manager, data_protection_officer, make_member
):
    case = make_case(manager.membership.agency)
    for url in (
        reverse("privacy:case", args=[case.reference]),
        reverse("privacy:export_json", args=[case.reference]),
    ):
        assert client_for(manager).get(url).status_code in (403, 404)
        assert client_for(data_protection_officer).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.export").exists()


def test_a_hold_without_its_reason_says_which_answer_is_missing(
    client_for, data_protection_officer, case_with_person
):
    case, _person = case_with_person
    refused = client_for(data_protection_officer).post(
        reverse("privacy:hold", args=[case.reference]), {"hold-reason": ""}
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and "Enter “Why must the data be kept?”." in page
    assert "This field is required." not in page
