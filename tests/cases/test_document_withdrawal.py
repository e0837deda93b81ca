"""Withdrawing a document: kept and listed as withdrawn, no longer downloaded; who may; audit and timeline;
a concurrent or repeated withdrawal is refused; the screen and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, EventKind
from palermo.cases.services.documents import case_document_download, case_document_withdraw
from palermo.core.concurrency import StaleEdit
from tests.api.errors import api_error
from tests.cases.casework import htmx, make_case, put_on_team
from tests.cases.test_documents import pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(manager):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    return case


@pytest.fixture
def document(manager, case):
    return upload(manager, case, pdf("w"), name="passport-scan.pdf", tier=2)


def withdraw(user, case, document, *, reason="Uploaded to the wrong case.", version=None):
    return case_document_withdraw(
        actor=user,
        membership=user.membership,
        case=case,
        document_id=document.pk,
        reason=reason,
        expected_version=document.version if version is None else version,
    )


def test_the_uploader_withdraws_and_the_file_is_no_longer_handed_out(manager, case, document):
    withdrawn = withdraw(manager, case, document)
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_by == manager
    assert withdrawn.withdrawal_reason == "Uploaded to the wrong case." and withdrawn.version == 2
    with pytest.raises(Http404):
        case_document_download(
            actor=manager, membership=manager.membership, case=case, document_id=document.pk
        )
    audit = AuditEvent.objects.get(action="document.withdraw")
    assert audit.tier == 2 and audit.object_id == str(document.pk) and "wrong case" not in audit.reason
    event = CaseEvent.objects.filter(case=case, kind=EventKind.DOCUMENT).latest("pk")
    assert event.summary == "Document withdrawn" and event.tier == 2


def test_a_reason_is_needed_and_nothing_changes_without_one(manager, case, document):
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(ValidationError):
            withdraw(manager, case, document, reason=reason)
    document.refresh_from_db()
    assert (
        document.withdrawn_at is None and not AuditEvent.objects.filter(action="document.withdraw").exists()
    )


def test_a_team_member_who_may_write_the_tier_may_withdraw_one_who_may_not_may_not(
    make_member, case, document
):
    provider = make_member(Role.SERVICE_PROVIDER)  # on the team: reads T2, writes only T1
    put_on_team(case, provider)
    with pytest.raises(PermissionDenied):
        withdraw(provider, case, document)
    officer = make_member(Role.MIGRATION_OFFICER)  # on the team: writes T2
    put_on_team(case, officer)
    assert withdraw(officer, case, document).withdrawn_by == officer


def test_someone_who_cannot_read_the_document_gets_404(make_member, case, document):
    with pytest.raises(Http404):
        withdraw(make_member(Role.CASE_MANAGER), case, document)


def test_a_second_or_stale_withdrawal_is_refused(manager, make_member, case, document):
    other = make_member(Role.CASE_MANAGER, agency=manager.membership.agency)
    read_version = document.version
    withdraw(manager, case, document)
    with pytest.raises(ValidationError, match="already withdrawn"):
        withdraw(other, case, document, version=read_version)  # both read the same version
    fresh = upload(manager, case, pdf("x"), tier=2)
    with pytest.raises(StaleEdit):
        withdraw(manager, case, fresh, version=fresh.version + 1)
    fresh.refresh_from_db()
    assert fresh.withdrawn_at is None
    assert AuditEvent.objects.filter(action="document.withdraw").count() == 1


def test_the_section_lists_it_as_withdrawn_without_a_download_link(client_for, manager, case, document):
    client = client_for(manager)
    url = reverse("cases:document_withdraw", args=[case.reference, document.pk])
    section = client.get(reverse("cases:documents", args=[case.reference]), **htmx()).content.decode()
    assert f'action="{url}"' in section
    refused = client.post(url, {"reason": "", "version": document.version}, **htmx())
    assert refused.status_code == 200 and "Say why the document is withdrawn." in refused.content.decode()
    response = client.post(url, {"reason": "Wrong person.", "version": document.version}, **htmx())
    html = response.content.decode()
    assert response["HX-Trigger"] == "case-changed"
    assert "withdrawn" in html and "Wrong person." in html and "passport-scan.pdf" in html
    download = reverse("cases:document_download", args=[case.reference, document.pk])
    assert download not in html and f'action="{url}"' not in html
    assert client.get(download).status_code == 404
    again = client.post(url, {"reason": "Again.", "version": 1})
    assert again.status_code == 400 and "already withdrawn" in again.content.decode()


def test_without_script_a_withdrawal_goes_back_to_the_case_page(client_for, manager, case, document):
    client = client_for(manager)
    url = reverse("cases:document_withdraw", args=[case.reference, document.pk])
    response = client.post(url, {"reason": "Wrong file.", "version": document.version})
    assert response.status_code == 302 and response["Location"].endswith("#section-documents")


def test_a_provider_sees_no_withdraw_control_and_gets_404(client_for, make_member, case, document):
    provider = make_member(Role.SERVICE_PROVIDER)
    put_on_team(case, provider)
    client = client_for(provider)
    url = reverse("cases:document_withdraw", args=[case.reference, document.pk])
    assert url not in client.get(reverse("cases:documents", args=[case.reference]), **htmx()).content.decode()
    assert client.post(url, {"reason": "No.", "version": 1}).status_code == 404


def test_the_api_withdraws_and_refuses_alike(client_for, manager, make_member, case, document):
    client = client_for(manager)
    url = reverse("api-case-document-withdraw", args=[case.reference, document.pk])
    blank = client.post(url, {"reason": "", "version": 1}, content_type="application/json")
    assert "reason" in api_error(blank, 400, "invalid")["fields"]
    stale = client.post(url, {"reason": "Wrong.", "version": 9}, content_type="application/json")
    assert api_error(stale, 409, "stale")["current"]["record"]["withdrawn_at"] is None
    done = client.post(url, {"reason": "Wrong.", "version": 1}, content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert body["withdrawn_at"] and body["withdrawal_reason"] == "Wrong." and body["version"] == 2
    again = client.post(url, {"reason": "Wrong.", "version": 2}, content_type="application/json")
    assert again.status_code == 200 and again.json()["version"] == 2  # the same withdrawal: done already
    other_reason = client.post(url, {"reason": "Not theirs.", "version": 2}, content_type="application/json")
    assert other_reason.status_code == 400
    download = reverse("api-case-document-download", args=[case.reference, document.pk])
    assert client.get(download).status_code == 404
    listed = client.get(reverse("api-case-documents", args=[case.reference])).json()["results"]
    assert [row["withdrawn_at"] is not None for row in listed] == [True]
    provider = make_member(Role.SERVICE_PROVIDER)
    put_on_team(case, provider)
    other = upload(manager, case, pdf("p"), tier=2)
    refused = client_for(provider).post(
        reverse("api-case-document-withdraw", args=[case.reference, other.pk]),
        {"reason": "No.", "version": 1},
        content_type="application/json",
    )
    api_error(refused, 404, "not_found")


def test_the_same_withdrawal_sent_twice_is_confirmed_again(client_for, manager, case, document):
    client = client_for(manager)
    url = reverse("cases:document_withdraw", args=[case.reference, document.pk])
    sent = {"reason": "Wrong person.", "version": document.version}
    first = client.post(url, sent, **htmx())
    again = client.post(url, sent, **htmx())  # a double press: the version read is stale now
    for response in (first, again):
        assert response.status_code == 200
        assert "app-notification-banner" in response.content.decode()
        assert "Document withdrawn" in response.content.decode()
    assert AuditEvent.objects.filter(action="document.withdraw").count() == 1


def test_a_refused_withdrawal_shows_the_error_summary_in_its_form_and_keeps_the_reason(
    client_for, manager, case, document
):
    from tests.core.forms_in_place import assert_each_form_refused_in_place

    client = client_for(manager)
    url = reverse("cases:document_withdraw", args=[case.reference, document.pk])
    assert assert_each_form_refused_in_place(client, reverse("cases:detail_full", args=[case.reference])) >= 1
    stale = client.post(url, {"reason": "Scanned the wrong passport.", "version": 9}, **htmx())
    html = stale.content.decode()
    assert "There is a problem" in html and "changed since you opened the page" in html
    assert f'href="#withdraw-document-{document.pk}"' in html and 'aria-invalid="true"' in html
    assert ">Scanned the wrong passport.</textarea>" in html
