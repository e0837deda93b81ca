"""The DPO's actions in the API: the same services as the pages, the one error shape, 404 for anyone else,
each action on the audit log, erasure at the version read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Person
from palermo.privacy.models import Anonymisation, LegalHold
from tests.cases.casework import make_case
from tests.privacy.test_rights import case_with_person  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def url(name: str, case: Case, **kwargs: str) -> str:
    return reverse(name, kwargs={"reference": case.reference, **kwargs})


def test_the_export_as_json_and_pdf_is_audited(client_for, data_protection_officer, case_with_person):  # noqa: F811
    case, person = case_with_person
    client = client_for(data_protection_officer)
    answer = client.get(url("api-privacy-export", case, kind="json"))
    assert answer.status_code == 200 and answer["Cache-Control"].startswith("no-store")
    assert person.given_names in answer.content.decode()
    pdf = client.get(url("api-privacy-export", case, kind="pdf"), {"language": "en"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(case=case, action="privacy.export", tier=4).count() == 2
    assert client.get(url("api-privacy-export", case, kind="xml")).status_code == 404


def test_hold_lift_and_erase_at_the_version_read(client_for, data_protection_officer, case_with_person):  # noqa: F811
    case, person = case_with_person
    client = client_for(data_protection_officer)
    standing = client.get(url("api-privacy-case", case)).json()
    assert standing["held"] is False and standing["erasure_allowed"] is True and standing["holds"] == []

    empty = client.post(url("api-privacy-hold", case), {"reason": ""}, content_type="application/json")
    assert empty.status_code == 400 and "reason" in empty.json()["error"]["fields"]
    held = client.post(
        url("api-privacy-hold", case), {"reason": "complaint open"}, content_type="application/json"
    )
    assert held.status_code == 200 and held.json()["held"] is True and held.json()["erasure_allowed"] is False
    again = client.post(url("api-privacy-hold", case), {"reason": "again"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid"
    erase = {"expected_version": standing["version"]}
    refused = client.post(url("api-privacy-erase", case), erase, content_type="application/json")
    assert refused.status_code == 400 and not Anonymisation.objects.exists()

    lifted = client.post(url("api-privacy-hold-lift", case))
    assert lifted.status_code == 200 and lifted.json()["held"] is False
    assert client.post(url("api-privacy-hold-lift", case)).status_code == 400
    assert LegalHold.objects.get(case=case).lifted_by == data_protection_officer

    Case.objects.filter(pk=case.pk).update(version=standing["version"] + 1)  # someone changed it meanwhile
    stale = client.post(url("api-privacy-erase", case), erase, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["error"]["current"]["record"]["version"] == standing["version"] + 1
    assert not Anonymisation.objects.exists()

    erase = {"expected_version": standing["version"] + 1}
    done = client.post(url("api-privacy-erase", case), erase, content_type="application/json")
    assert done.status_code == 200 and done.json()["anonymisation"]["why"] == "erasure"
    assert done.json()["version"] == standing["version"] + 2
    assert Person.objects.get(pk=person.pk).given_names == ""
    actions = set(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert {"legal_hold.place", "legal_hold.lift"} <= actions


def test_other_roles_and_other_agencies_dpos_get_404(client_for, manager, data_protection_officer):
    case = make_case(manager.membership.agency)
    for name, kwargs in (("api-privacy-case", {}), ("api-privacy-export", {"kind": "json"})):
        for who in (manager, data_protection_officer):
            answer = client_for(who).get(url(name, case, **kwargs))
            assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    hold = client_for(manager).post(
        url("api-privacy-hold", case), {"reason": "x"}, content_type="application/json"
    )
    assert hold.status_code == 404 and not LegalHold.objects.exists()
    assert not AuditEvent.objects.filter(action="privacy.export").exists()
