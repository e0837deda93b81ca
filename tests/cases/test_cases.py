"""The working screens: My cases, the case page and its sections, navigation, and the cases API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.services.documents import case_document_add
from palermo.cases.services.notes import case_note_add
from palermo.cases.web import CASE_ROLES
from tests.cases.casework import add_person, make_case, put_on_team
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db

MISSING = "NRM-0000-0000"


@pytest.fixture
def case(manager):
    case = make_case(manager.membership.agency, forms=("ForcedLabour",))
    put_on_team(case, manager)
    return case


def references(response) -> list[str]:
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [chunk.split("</code>", 1)[0] for chunk in body.split("<code>")[1:]]


def test_my_cases_lists_team_and_led_cases_only(client_for, make_member, make_agency, manager, case):
    led = make_case(manager.membership.agency)  # led by the agency, nobody on the team yet
    other_agency = make_agency()
    on_team = make_case(other_agency)
    put_on_team(on_team, manager)
    make_case(other_agency)  # neither led nor on the team
    removed = make_case(other_agency)
    entry = put_on_team(removed, manager)
    entry.removed_at = entry.added_at
    entry.save(update_fields=["removed_at"])
    response = client_for(manager).get(reverse("cases:mine"))
    assert response.status_code == 200
    assert sorted(references(response)) == sorted([case.reference, led.reference, on_team.reference])


@pytest.mark.parametrize("count", [5, 60])
def test_my_cases_costs_the_same_queries_for_5_or_60_cases(
    client_for, manager, django_assert_num_queries, count
):
    client = client_for(manager)
    for _ in range(count):
        put_on_team(make_case(manager.membership.agency, forms=("ForcedLabour", "Servitude")), manager)
    # session, user, OTP device, memberships, count, page, their forms, their next deadlines.
    with django_assert_num_queries(8):
        response = client.get(reverse("cases:mine"))
    assert len(references(response)) == min(count, 50)


def test_the_case_page_shows_its_header_at_once_and_fetches_its_sections(client_for, manager, case):
    response = client_for(manager).get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html and "Identification" in html
    assert escape(manager.membership.agency.name) in html  # the team (a Faker name may hold an apostrophe)
    assert f'hx-get="{reverse("cases:sections", args=[case.reference])}"' in html
    assert "Forced labour" not in html  # the lifecycle section's content comes with the sections
    whole_case = reverse("cases:detail_full", args=[case.reference])
    assert f'href="{whole_case}"' in html  # for a browser without script


def test_the_sections_come_in_one_request(client_for, manager, case):
    client = client_for(manager)
    response = client.get(reverse("cases:sections", args=[case.reference]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Forced labour" in html and "<html" not in html
    assert html.startswith('<div id="case-sections"') and "data-section-pending" not in html
    for section in ("lifecycle", "person", "consent", "timeline", "notes", "documents"):
        assert f'id="section-{section}"' in html


def test_one_section_comes_from_its_own_url(client_for, manager, case):
    client = client_for(manager)
    section = client.get(reverse("cases:section", args=[case.reference, "lifecycle"]), HTTP_HX_REQUEST="true")
    html = section.content.decode()
    assert section.status_code == 200 and "Forced labour" in html
    assert html.lstrip().startswith("<section") and "<html" not in html


def test_the_whole_case_page_renders_every_section(client_for, manager, case):
    html = client_for(manager).get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert case.reference in html and "Forced labour" in html
    for section in ("lifecycle", "timeline", "notes", "documents"):
        assert f'id="section-{section}"' in html
    assert "data-section-pending" not in html


def test_sections_opened_without_script_go_to_the_whole_case_page(client_for, manager, case):
    client = client_for(manager)
    whole_case = reverse("cases:detail_full", args=[case.reference])
    response = client.get(reverse("cases:sections", args=[case.reference]))
    assert response.status_code == 302 and response["Location"] == whole_case
    response = client.get(reverse("cases:section", args=[case.reference, "notes"]))
    assert response.status_code == 302 and response["Location"] == whole_case + "#section-notes"


def test_an_unknown_section_is_404(client_for, manager, case):
    client = client_for(manager)
    for area in ("nothing", "all"):
        url = reverse("cases:section", args=[case.reference, area])
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_the_case_page_costs_few_queries_and_no_section_is_computed(client_for, manager, case):
    client = client_for(manager)
    shell = page_queries(client, reverse("cases:detail", args=[case.reference]))
    whole = page_queries(client, reverse("cases:detail_full", args=[case.reference]))
    assert shell <= 6 < whole  # session, user, device, membership, case, team


def test_every_element_id_on_the_case_page_is_unique(client_for, manager, case):
    note = case_note_add(actor=manager, membership=manager.membership, case=case, body="n", tier=2)
    client = client_for(manager)
    html = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    # Every form folded into the page, as it is once opened (fetched into the page by HTMX).
    for url in re.findall(r'hx-get="(/cases/[^"]+/forms/[^"]+)"', html):
        html += client.get(url, HTTP_HX_REQUEST="true").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert f"note-{note.pk}" in ids and "id_note_tier" in ids and "id_document_tier" in ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_another_agency_gets_the_same_404_as_for_a_missing_case(client_for, make_member, manager, case):
    note = case_note_add(actor=manager, membership=manager.membership, case=case, body="n", tier=1)
    outsider = client_for(make_member(Role.CASE_MANAGER))
    urls = [
        ("cases:detail", ()),
        ("cases:detail_full", ()),
        ("cases:sections", ()),
        ("cases:section", ("notes",)),
        ("cases:notes", ()),
        ("cases:note_edit", (note.pk,)),
        ("cases:documents", ()),
        ("cases:document_download", (1,)),
        ("cases:timeline", ()),
        ("cases:lifecycle", ()),
    ]
    for name, extra in urls:
        for reference in (case.reference, MISSING):
            response = outsider.get(reverse(name, args=[reference, *extra]))
            assert response.status_code == 404, (name, reference)
    for name in ("api-case", "api-case-notes", "api-case-documents", "api-case-timeline"):
        for reference in (case.reference, MISSING):
            assert outsider.get(reverse(name, args=[reference])).status_code == 404, name
    posted = outsider.post(reverse("cases:notes", args=[case.reference]), {"body": "x", "tier": "1"})
    assert posted.status_code == 404


def test_a_document_download_from_another_agency_is_404(
    client_for, make_member, manager, case, document_store
):
    document = case_document_add(
        actor=manager,
        membership=manager.membership,
        case=case,
        content=b"%PDF-1.4 x",
        filename="a.pdf",
        kind="legal",
        tier=1,
    )
    outsider = client_for(make_member(Role.IDENTIFICATION_AUTHORITY))
    assert (
        outsider.get(reverse("cases:document_download", args=[case.reference, document.pk])).status_code
        == 404
    )
    assert (
        outsider.get(reverse("api-case-document-download", args=[case.reference, document.pk])).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_navigation_offers_my_cases_and_search_to_case_roles_only(client_for, make_member):
    for role in (Role.CASE_MANAGER, Role.MIGRATION_OFFICER):
        html = client_for(make_member(role)).get(reverse("core:home")).content.decode()
        assert reverse("cases:mine") in html and reverse("cases:search") in html
    for role in (Role.RAPPORTEUR, Role.SYSTEM_ADMINISTRATOR):
        client = client_for(make_member(role))
        html = client.get(reverse("core:home")).content.decode()
        assert reverse("cases:search") not in html
        assert client.get(reverse("cases:mine")).status_code == 404
    assert Role.RAPPORTEUR not in CASE_ROLES


def test_api_case_detail_at_the_callers_tiers(client_for, make_member, manager, case):
    detail = client_for(manager).get(reverse("api-case", args=[case.reference])).json()
    assert detail["reference"] == case.reference and detail["tiers"] == [1, 2, 3, 4]
    assert "start_reflection" in detail["transitions"] and detail["exploitation_forms"] == ["ForcedLabour"]
    assert detail["team"][0]["agency"] == manager.membership.agency_id
    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(case, migration)
    seen = client_for(migration).get(reverse("api-case", args=[case.reference])).json()
    assert seen["tiers"] == [1, 2] and seen["transitions"] == []


def test_api_my_cases(client_for, manager, case):
    response = client_for(manager).get(reverse("api-cases-mine"))
    assert [c["reference"] for c in response.json()["results"]] == [case.reference]


def page_queries(client, url) -> int:
    with Queries() as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_notes_and_documents(manager, case, count: int, *, note_tier: int) -> None:
    """`count` notes (at `note_tier`) and `count` T2 documents, written by the case manager."""
    for number in range(count):
        case_note_add(
            actor=manager, membership=manager.membership, case=case, body=f"n{number}", tier=note_tier
        )
        case_document_add(
            actor=manager,
            membership=manager.membership,
            case=case,
            content=b"%PDF-1.4 x",
            filename=f"d{number}.pdf",
            kind="legal",
            tier=2,
        )


def test_the_case_page_costs_the_same_queries_with_few_or_many_entries(client_for, manager, case):
    client = client_for(manager)
    url = reverse("cases:detail_full", args=[case.reference])

    add_notes_and_documents(manager, case, 5, note_tier=2)
    few = page_queries(client, url)
    add_notes_and_documents(manager, case, 55, note_tier=2)
    assert page_queries(client, url) == few


WHOLE_CASE_QUERIES = 25  # issue 13: the whole case on one page, its recorded reads included


def test_the_whole_case_costs_at_most_25_queries_whatever_its_size(client_for, manager, case):
    """Sign-in, the case and its header, every section, and the reads written once the page has answered;
    a kind of record the case has none of costs no query of its own (one query asks for all of them)."""
    add_person(case)
    client = client_for(manager)
    url = reverse("cases:detail_full", args=[case.reference])

    add_notes_and_documents(manager, case, 1, note_tier=4)
    client.get(url)  # warm: what a first request caches is not the page's cost
    with Queries() as one:
        assert client.get(url).status_code == 200
    add_notes_and_documents(manager, case, 4, note_tier=4)
    with Queries() as five:
        assert client.get(url).status_code == 200
    assert_same_queries(one, five)
    assert len(five) <= WHOLE_CASE_QUERIES, five.listing()
    audit_inserts = [sql for sql in five.sql if sql.startswith('INSERT INTO "audit_auditevent"')]
    assert len(audit_inserts) == 1  # person, notes and documents read: three events, one statement


def test_the_whole_case_reads_no_table_of_a_kind_the_case_has_none_of(client_for, manager, case):
    client = client_for(manager)
    url = reverse("cases:detail_full", args=[case.reference])

    def reads_of(table):
        with Queries() as page:
            assert client.get(url).status_code == 200
        # not the one probe of which kinds the case holds (a SELECT of one EXISTS per kind)
        return [sql for sql in page.sql if f'FROM "{table}"' in sql and not sql.startswith("SELECT EXISTS")]

    assert reads_of("cases_casenote") == [] and reads_of("cases_consent") == []
    case_note_add(actor=manager, membership=manager.membership, case=case, body="n", tier=2)
    assert reads_of("cases_casenote")  # once there is one, the notes are read (and shown) as before
    assert "note-" in client.get(url).content.decode()


def test_the_page_records_no_sensitive_read_and_its_sections_record_what_they_show(client_for, manager, case):
    person = add_person(case)
    client = client_for(manager)
    client.get(reverse("cases:detail", args=[case.reference]))
    assert not AuditEvent.objects.filter(case=case, action="person.read").exists()
    sections = client.get(reverse("cases:sections", args=[case.reference]), HTTP_HX_REQUEST="true")
    html = sections.content.decode()
    assert escape(person.given_names) in html
    assert AuditEvent.objects.filter(case=case, action="person.read", object_id=str(person.pk)).count() == 1


def test_the_team_section_lists_the_team_and_leads_to_its_page(client_for, make_member, manager, case):
    responder = make_member(Role.FIRST_RESPONDER)
    put_on_team(case, responder, whole_agency=False)
    html = section(client_for(manager), case, "team")
    assert escape(manager.membership.agency.name) in html
    assert escape(responder.display_name) in html
    team_page = reverse("access:case_team", args=[case.reference])
    assert f'href="{team_page}">Add to or remove from the team</a>' in html
    assert f'href="{team_page}">The team\'s page</a>' in section(client_for(responder), case, "team")


def section(client, case, area) -> str:
    response = client.get(reverse("cases:section", args=[case.reference, area]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()
