"""Tiers that depend on the row (decision 0020): a field declared with `tiered(by_row=...)` reads, row by row,
at the tier its rule gives; the one tiered mechanism (Tiered for pages, the tiered serializer for the API,
redacted values) withholds it, and says what stands in its place. Agencies named on a case are proxies by
their type and by what the directory says they offer; the consent check is no oracle for them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from palermo.access.redaction import redacted_values, tier_of_value
from palermo.access.tiered import Tiered, Withheld, is_hidden
from palermo.access.tiers import Tier
from palermo.accounts.proxies import agency_proxy_tier
from palermo.accounts.roles import AgencyType, Role
from palermo.assistance.api.serializers import PlanServiceSerializer
from palermo.assistance.models import PlanService, ServiceKind
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseNote, ConsentPurpose
from palermo.cases.services.documents import case_document_add
from palermo.cases.services.notes import case_note_add
from tests.assistance.conftest import add_service, consent_to
from tests.cases.casework import make_case, put_on_team
from tests.queries import Queries, assert_same_queries


@pytest.mark.parametrize(
    ("kind", "tier"),
    [(ServiceKind.MEDICAL_CARE, 4), (ServiceKind.PSYCHOSOCIAL_CARE, 4), (ServiceKind.EDUCATION, 1)],
)
def test_a_kind_reads_at_its_rows_tier(kind, tier):
    item = PlanService(kind=kind)
    assert tier_of_value(PlanService._meta.get_field("kind"), item) == tier
    shown = Tiered(item, {1})
    if tier == 1:
        assert shown.kind == kind and shown.row_tier_shown == Tier.METADATA
        return
    assert isinstance(shown.kind, Withheld) and is_hidden(shown.kind) and not shown.kind
    assert str(shown.kind) == "A service (kind withheld)"
    assert redacted_values(item, {1})["kind"] is None
    assert Tiered(item, {1, 4}).kind == kind and Tiered(item, {1, 4}).row_tier_shown == Tier.NARRATIVE


def test_the_api_gives_null_and_says_at_which_tier():
    medical = PlanServiceSerializer(PlanService(kind=ServiceKind.MEDICAL_CARE), context={"tiers": {1}}).data
    assert medical["kind"] is None and medical["kind_withheld"] == "T4"
    shown = PlanServiceSerializer(PlanService(kind=ServiceKind.MEDICAL_CARE), context={"tiers": {1, 4}}).data
    assert shown["kind"] == ServiceKind.MEDICAL_CARE and shown["kind_withheld"] is None


@pytest.mark.django_db
def test_an_agency_is_a_proxy_by_its_type_and_by_what_it_offers(make_member, make_agency):
    assert agency_proxy_tier(None) == 1
    shelter = make_agency(AgencyType.SHELTER)
    assert agency_proxy_tier(shelter.pk, shelter.type) == 3
    plain = make_agency(AgencyType.NGO)
    assert agency_proxy_tier(plain.pk, plain.type) == 1
    ngo_worker = make_member(Role.SERVICE_PROVIDER, AgencyType.NGO)
    add_service(ngo_worker, ServiceKind.MEDICAL_CARE)
    ngo = ngo_worker.membership.agency
    assert agency_proxy_tier(ngo.pk, ngo.type) == 4
    add_service(ngo_worker, ServiceKind.SAFE_ACCOMMODATION)
    assert agency_proxy_tier(ngo.pk, ngo.type) == 3  # both: location, the more dangerous, wins


@pytest.mark.django_db
def test_the_consent_check_is_no_oracle_for_a_safe_houses_provider(make_member, client_for, manager):
    shelter_worker = make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER)
    case = make_case(manager.membership.agency)
    put_on_team(case, manager, whole_agency=False)
    consent_to(manager, case, shelter_worker.membership.agency)
    colleague = make_member(Role.CASE_MANAGER, agency=manager.membership.agency)  # T0, T1
    url = reverse("api-case-consent-check", args=[case.reference])
    query = {"purpose": ConsentPurpose.REFERRAL, "recipient_agency": shelter_worker.membership.agency.pk}
    assert client_for(colleague).get(url, query).status_code == 404
    answer = client_for(manager).get(url, query)
    assert answer.status_code == 200 and answer.json() == {"valid": True}
    listed = client_for(colleague).get(reverse("api-case-consents", args=[case.reference])).json()
    assert listed[0]["recipient_agency"] is None and listed[0]["recipient_withheld"] == "T3"


@pytest.mark.django_db
def test_the_team_withholds_a_safe_houses_provider_but_not_the_lead_agency(make_member, client_for):
    lead_worker = make_member(Role.CASE_MANAGER, AgencyType.SHELTER)  # a shelter may lead a case
    house_worker = make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER)
    case = make_case(lead_worker.membership.agency)
    put_on_team(case, lead_worker, whole_agency=False)
    put_on_team(case, house_worker, whole_agency=False)
    colleague = make_member(Role.CASE_MANAGER, agency=lead_worker.membership.agency)  # T0, T1
    entries = client_for(colleague).get(reverse("api-case-team", args=[case.reference])).json()
    by_withheld = {entry["agency_withheld"]: entry for entry in entries}
    assert by_withheld[None]["agency"] == lead_worker.membership.agency.pk
    assert by_withheld["T3"]["agency"] is None and by_withheld["T3"]["username"] is None
    assert by_withheld["T3"]["display_name"] is None
    page = client_for(colleague).get(reverse("access:case_team", args=[case.reference])).content.decode()
    assert "A provider of safe accommodation (withheld)" in page
    assert house_worker.membership.agency.name not in page and escape(house_worker.display_name) not in page
    full = client_for(lead_worker).get(reverse("api-case-team", args=[case.reference])).json()
    assert {entry["agency_withheld"] for entry in full} == {None}


@pytest.fixture
def noted_by_the_house(make_member):
    """A case on whose team a safe house's worker wrote a note (T1), and a colleague of the lead agency."""
    manager = make_member(Role.CASE_MANAGER)
    house_worker = make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER)
    case = make_case(manager.membership.agency)
    put_on_team(case, manager, whole_agency=False)
    put_on_team(case, house_worker, whole_agency=False)
    case_note_add(actor=house_worker, membership=house_worker.membership, case=case, body="arrived", tier=1)
    colleague = make_member(Role.CASE_MANAGER, agency=manager.membership.agency)  # T0, T1
    return case, house_worker, colleague, manager


@pytest.mark.django_db
def test_the_timeline_names_who_wrote_an_entry_only_to_readers_of_its_tier(noted_by_the_house, client_for):
    case, house_worker, colleague, manager = noted_by_the_house
    url = reverse("api-case-timeline", args=[case.reference])
    entries = client_for(colleague).get(url).json()["results"]
    noted = [entry for entry in entries if entry["agency_withheld"] == "T3"]
    assert noted and all(entry["agency"] is None and entry["actor"] is None for entry in noted)
    assert house_worker.username not in str(entries) and house_worker.display_name not in str(entries)
    assert all(entry["actor_display_name"] is None for entry in noted)
    section = client_for(colleague).get(reverse("cases:timeline", args=[case.reference])).content.decode()
    assert escape(house_worker.display_name) not in section
    full = client_for(manager).get(url).json()["results"]
    assert house_worker.membership.agency.pk in {entry["agency"] for entry in full}


@pytest.mark.django_db
def test_the_notes_name_who_wrote_them_only_to_readers_of_its_tier(noted_by_the_house, client_for):
    case, house_worker, colleague, _manager = noted_by_the_house
    notes = client_for(colleague).get(reverse("api-case-notes", args=[case.reference])).content.decode()
    page = client_for(colleague).get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert house_worker.username not in notes and escape(house_worker.display_name) not in page
    agency = house_worker.membership.agency
    assert agency.name not in notes and agency.name not in page
    assert house_worker.get_full_name() and house_worker.get_full_name() not in page
    assert "(agency withheld)" in page
    listed = client_for(colleague).get(reverse("api-case-notes", args=[case.reference])).json()["results"]
    assert [
        (note["author"], note["author_username"], note["agency"], note["agency_name"]) for note in listed
    ] == [(None, None, None, None)]
    assert listed[0]["author_withheld"] == "T3" and listed[0]["agency_withheld"] == "T3"
    assert listed[0]["author_display_name"] is None


@pytest.mark.django_db
def test_naming_who_wrote_a_note_to_a_reader_of_its_tier_is_a_recorded_read(noted_by_the_house, client_for):
    case, house_worker, _colleague, manager = noted_by_the_house
    before = AuditEvent.objects.filter(action="note.read", tier=3, case=case).count()
    listed = client_for(manager).get(reverse("api-case-notes", args=[case.reference])).json()["results"]
    assert listed[0]["author"] == house_worker.pk and listed[0]["author_username"] == house_worker.username
    assert listed[0]["agency_name"] == house_worker.membership.agency.name
    assert listed[0]["author_display_name"] == house_worker.display_name
    assert listed[0]["author_withheld"] is None and listed[0]["agency_withheld"] is None
    assert AuditEvent.objects.filter(action="note.read", tier=3, case=case).count() == before + 1
    page = client_for(manager).get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert house_worker.membership.agency.name in page
    assert AuditEvent.objects.filter(action="note.read", tier=3, case=case).count() == before + 2


@pytest.mark.django_db
def test_the_lead_agencys_own_notes_name_their_writer_to_every_reader(noted_by_the_house, client_for):
    case, _house_worker, colleague, manager = noted_by_the_house
    case_note_add(actor=manager, membership=manager.membership, case=case, body="met", tier=1)
    listed = client_for(colleague).get(reverse("api-case-notes", args=[case.reference])).json()["results"]
    by_author = {note["author_username"]: note for note in listed}
    assert by_author[manager.username]["agency"] == manager.membership.agency.pk
    assert by_author[manager.username]["author_withheld"] is None


@pytest.mark.django_db
def test_the_writer_of_a_withheld_note_may_still_edit_it(noted_by_the_house, client_for):
    """Who may edit is decided on the note's ids, whatever the writer is shown of its author."""
    case, house_worker, _colleague, _manager = noted_by_the_house
    note = CaseNote.objects.get(case=case, author=house_worker)
    page = client_for(house_worker).get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert reverse("cases:note_edit", args=[case.reference, note.pk]) in page
    url = reverse("api-case-note", args=[case.reference, note.pk])
    edited = client_for(house_worker).patch(
        url, {"body": "moved on", "expected_version": note.version}, content_type="application/json"
    )
    assert edited.status_code == 200, edited.content
    note.refresh_from_db()
    assert note.body == "moved on"


@pytest.mark.django_db
def test_the_documents_name_who_uploaded_them_only_to_readers_of_its_tier(
    noted_by_the_house, client_for, document_store
):
    case, house_worker, colleague, manager = noted_by_the_house
    case_document_add(
        actor=house_worker,
        membership=house_worker.membership,
        case=case,
        content=b"%PDF-1.4 x",
        filename="a.pdf",
        kind="legal",
        tier=1,
    )
    agency = house_worker.membership.agency
    url = reverse("api-case-documents", args=[case.reference])
    answer = client_for(colleague).get(url)
    listed = answer.json()["results"]
    assert [(d["uploaded_by"], d["uploaded_by_username"], d["agency"], d["agency_name"]) for d in listed] == [
        (None, None, None, None)
    ]
    assert listed[0]["uploaded_by_withheld"] == "T3" and listed[0]["agency_withheld"] == "T3"
    assert house_worker.username not in answer.content.decode() and agency.name not in answer.content.decode()
    detail = client_for(colleague).get(reverse("api-case-document", args=[case.reference, listed[0]["id"]]))
    assert detail.json()["agency"] is None and detail.json()["agency_withheld"] == "T3"
    page = client_for(colleague).get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert agency.name not in page and "(agency withheld)" in page
    before = AuditEvent.objects.filter(action="document.list", tier=3, case=case).count()
    full = client_for(manager).get(url).json()["results"]
    assert full[0]["uploaded_by_username"] == house_worker.username and full[0]["agency"] == agency.pk
    assert AuditEvent.objects.filter(action="document.list", tier=3, case=case).count() == before + 1
    assert (
        agency.name
        in client_for(manager).get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    )


@pytest.mark.django_db
def test_withholding_the_writers_costs_the_whole_case_page_no_query_per_row(
    noted_by_the_house, client_for, make_member, document_store
):
    """The rule's answers come with the notes' and documents' first pages (read in the page's one batch)."""
    case, house_worker, colleague, manager = noted_by_the_house
    clinic_worker = make_member(Role.SERVICE_PROVIDER, AgencyType.HEALTH)
    put_on_team(case, clinic_worker, whole_agency=False)
    url = reverse("cases:detail_full", args=[case.reference])
    for reader in (colleague, manager):
        client = client_for(reader)
        assert client.get(url).status_code == 200
        with Queries() as few:
            assert client.get(url).status_code == 200
        for worker in (house_worker, clinic_worker, manager):
            case_note_add(actor=worker, membership=worker.membership, case=case, body="seen", tier=1)
            case_document_add(
                actor=worker,
                membership=worker.membership,
                case=case,
                content=b"%PDF-1.4 x",
                filename="b.pdf",
                kind="other",
                tier=1,
            )
        with Queries() as many:
            page = client.get(url).content.decode()
        assert_same_queries(few, many)
        assert (clinic_worker.membership.agency.name in page) == (reader == manager)
