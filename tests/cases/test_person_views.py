"""The person section on the case page: what each role sees, editing with a version check, sub-records."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape

from palermo.access.services import case_team_add
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import IdentityDocument, Person
from palermo.cases.services.person import identity_document_add, person_update
from tests.cases.referrals import open_case

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(first_responder, ia_agency):
    return open_case(first_responder, ia_agency)


@pytest.fixture
def person(case):
    return case.persons.get()


def join_team(responder, case, member):
    case_team_add(
        actor=responder,
        membership=responder.membership,
        case=case,
        agency=member.membership.agency,
        reason="works on the case",
    )
    return member


def section_html(client, case):
    response = client.get(reverse("cases:person", args=[case.reference]), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def edit_data(person, **changes):
    data = {
        "version": str(person.version),
        "given_names": person.given_names,
        "family_names": person.family_names,
        "given_names_latin": person.given_names_latin,
        "family_names_latin": person.family_names_latin,
        "birth_year": str(person.birth_date.year),
        "birth_month": str(person.birth_date.month),
        "birth_day": str(person.birth_date.day),
        "phone": person.phone,
        "email": person.email,
        "current_address": person.current_address,
        "note": person.note,
        "gender": person.gender,
    }
    data.update(changes)
    return data


def test_the_responder_on_the_team_sees_everything_and_the_read_is_audited(
    first_responder, client_for, case, person
):
    html = section_html(client_for(first_responder), case)
    assert person.given_names in html and person.given_names_latin in html
    assert escape(person.current_address.splitlines()[0]) in html
    assert date_format(person.birth_date) in html
    assert "Albania" in html and "needs an interpreter" in html
    audit = AuditEvent.objects.filter(action="person.read", case=case).latest("sequence")
    assert audit.tier == 4


def test_a_migration_officer_sees_identity_but_no_location(
    first_responder, client_for, case, person, migration_officer
):
    join_team(first_responder, case, migration_officer)
    html = section_html(client_for(migration_officer), case)
    assert person.given_names in html
    assert escape(person.current_address.splitlines()[0]) not in html
    assert "Where the person is now" not in html
    assert AuditEvent.objects.filter(action="person.read", case=case).latest("sequence").tier == 2


def test_the_identification_authority_sees_identity_and_account_but_no_location(
    client_for, case, person, ia_agency, make_member
):
    decider = make_member(Role.IDENTIFICATION_AUTHORITY, agency=ia_agency)  # the agency is on the team
    html = section_html(client_for(decider), case)
    assert person.given_names in html
    assert escape(person.current_address.splitlines()[0]) not in html
    assert AuditEvent.objects.filter(action="person.read", actor=decider).get().tier == 4


def test_a_protection_officer_sees_the_location_but_not_the_note(
    first_responder, client_for, case, person, protection_officer
):
    person = person_update(
        actor=first_responder,
        membership=first_responder.membership,
        person=person,
        changes={"note": "Afraid of the recruiter's brother."},
        expected_version=person.version,
    )
    join_team(first_responder, case, protection_officer)
    html = section_html(client_for(protection_officer), case)
    assert escape(person.current_address.splitlines()[0]) in html
    assert "recruiter" not in html
    assert "recruiter" in section_html(client_for(first_responder), case)


def test_the_rapporteur_and_outsiders_get_404(first_responder, rapporteur, make_member, client_for, case):
    for user in (rapporteur, make_member(Role.CASE_MANAGER)):
        client = client_for(user)
        assert client.get(reverse("cases:person", args=[case.reference])).status_code == 404
        assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_the_case_page_shows_the_person_and_consent_sections(first_responder, client_for, case, person):
    response = client_for(first_responder).get(reverse("cases:detail_full", args=[case.reference]))
    html = response.content.decode()
    assert 'id="section-person"' in html and 'id="section-consent"' in html
    assert person.given_names in html


def test_an_edit_saves_through_htmx(first_responder, client_for, case, person):
    client = client_for(first_responder)
    url = reverse("cases:person_edit", args=[case.reference, person.pk])
    form = client.get(url, **HTMX)
    assert form.status_code == 200 and 'name="version"' in form.content.decode()
    response = client.post(url, edit_data(person, family_names="Оксана-Нова", birth_day=""), **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "case-changed"
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.family_names == "Оксана-Нова"
    assert fresh.birth_date_precision == "year_month"
    assert fresh.version == 2
    assert "?" not in url and person.given_names not in url


def test_a_stale_edit_shows_both_versions_and_changes_nothing(first_responder, client_for, case, person):
    client = client_for(first_responder)
    url = reverse("cases:person_edit", args=[case.reference, person.pk])
    read_at = edit_data(person)
    person_update(
        actor=first_responder,
        membership=first_responder.membership,
        person=person,
        changes={"family_names": "Saved first"},
        expected_version=1,
    )
    response = client.post(url, {**read_at, "family_names": "Saved second"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Saved first" in html and "Saved second" in html
    assert 'name="version" value="2"' in html
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.family_names, fresh.version) == ("Saved first", 2)


def test_saving_over_the_current_version_from_the_conflict_screen(first_responder, client_for, case, person):
    client = client_for(first_responder)
    url = reverse("cases:person_edit", args=[case.reference, person.pk])
    read_at = edit_data(person)
    person_update(
        actor=first_responder,
        membership=first_responder.membership,
        person=person,
        changes={"family_names": "Saved first"},
        expected_version=1,
    )
    conflict = client.post(url, {**read_at, "family_names": "Mine after all"})
    retry = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', conflict.content.decode())
    )
    retry.pop("csrfmiddlewaretoken", None)
    response = client.post(url, retry)
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).family_names == "Mine after all"


def test_bad_edits_re_render_with_errors(first_responder, client_for, case, person):
    client = client_for(first_responder)
    url = reverse("cases:person_edit", args=[case.reference, person.pk])
    for bad in (
        {"given_names": ""},
        {"email": "nope"},
        {"birth_month": "2", "birth_day": "30"},
        {"version": "x"},
    ):
        response = client.post(url, edit_data(person, **bad))
        assert response.status_code == 400
    assert Person.objects.get(pk=person.pk).version == 1


def test_a_migration_officer_cannot_edit_the_location(
    first_responder, client_for, case, person, migration_officer
):
    join_team(first_responder, case, migration_officer)
    client = client_for(migration_officer)
    url = reverse("cases:person_edit", args=[case.reference, person.pk])
    form = client.get(url).content.decode()
    assert "current_address" not in form
    response = client.post(url, {**edit_data(person), "current_address": "Somewhere new"})
    assert response.status_code == 302  # the field is not the officer's to send: ignored, never saved
    assert Person.objects.get(pk=person.pk).current_address == person.current_address


def test_aliases_citizenships_languages_through_the_section(first_responder, client_for, case, person):
    client = client_for(first_responder)
    ref = case.reference
    assert (
        client.post(
            reverse("cases:person_alias_add", args=[ref, person.pk]), {"alias-name": "Didi"}, **HTMX
        ).status_code
        == 200
    )
    assert person.aliases.count() == 2
    refused = client.post(
        reverse("cases:person_citizenship_add", args=[ref, person.pk]), {"citizenship-country": "XYZ"}, **HTMX
    )
    assert refused.status_code == 200 and "invalid-feedback" in refused.content.decode()
    client.post(
        reverse("cases:person_citizenship_add", args=[ref, person.pk]), {"citizenship-country": "MDA"}, **HTMX
    )
    assert set(person.citizenships.values_list("country", flat=True)) == {"ALB", "MDA"}
    duplicate = client.post(
        reverse("cases:person_language_add", args=[ref, person.pk]), {"language-language": "sqi"}
    )
    assert duplicate.status_code == 400
    language = person.languages.get(language="sqi")
    client.post(reverse("cases:person_language_change", args=[ref, language.pk]), {}, **HTMX)
    language.refresh_from_db()
    assert not language.needs_interpreter
    client.post(
        reverse("cases:person_language_change", args=[ref, language.pk]), {"action": "remove"}, **HTMX
    )
    assert not person.languages.filter(language="sqi").exists()


def test_identity_documents_are_added_and_a_stale_edit_is_refused(first_responder, client_for, case, person):
    client = client_for(first_responder)
    ref = case.reference
    response = client.post(
        reverse("cases:person_document_add", args=[ref, person.pk]),
        {
            "document-type": "passport",
            "document-number": "X1234567",
            "document-issuing_country": "ALB",
            "document-held_by": "exploiter",
        },
        **HTMX,
    )
    assert response.status_code == 200
    document = IdentityDocument.objects.get(person=person)
    assert document.held_by == "exploiter"
    url = reverse("cases:person_document_edit", args=[ref, document.pk])
    fields = {"type": "passport", "number": "X1234567", "issuing_country": "ALB", "version": "1"}
    assert client.post(url, {**fields, "held_by": "authorities"}).status_code == 302
    stale = client.post(url, {**fields, "held_by": "person"})
    assert stale.status_code == 409
    assert "The authorities" in stale.content.decode() and "The person" in stale.content.decode()
    assert IdentityDocument.objects.get(pk=document.pk).held_by == "authorities"


def test_another_cases_parts_are_not_found(first_responder, client_for, case, ia_agency):
    other = open_case(first_responder, ia_agency)
    document = identity_document_add(
        actor=first_responder,
        membership=first_responder.membership,
        person=other.persons.get(),
        type="passport",
    )
    client = client_for(first_responder)
    assert (
        client.get(reverse("cases:person_document_edit", args=[case.reference, document.pk])).status_code
        == 404
    )
    alias = other.persons.get().aliases.get()
    assert (
        client.post(reverse("cases:person_alias_remove", args=[case.reference, alias.pk])).status_code == 404
    )
    assert other.persons.get().aliases.filter(pk=alias.pk).exists()
    foreign_person = other.persons.get()
    assert (
        client.get(reverse("cases:person_edit", args=[case.reference, foreign_person.pk])).status_code == 404
    )


def test_a_service_provider_may_not_add_identity_documents(
    first_responder, client_for, case, person, service_provider
):
    join_team(first_responder, case, service_provider)
    client = client_for(service_provider)
    html = section_html(client, case)
    assert "Add an identity document" not in html
    response = client.post(
        reverse("cases:person_document_add", args=[case.reference, person.pk]), {"document-type": "passport"}
    )
    assert response.status_code == 404
    assert not IdentityDocument.objects.filter(person=person).exists()


def person_writes(case):
    return (
        AuditEvent.objects.filter(case=case, action__startswith="person.")
        .exclude(action="person.read")
        .count()
    )


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("cases:person_alias_add", {"alias-name": " "}),
        ("cases:person_citizenship_add", {"citizenship-country": "XYZ"}),
        ("cases:person_language_add", {"language-language": "zz"}),
        ("cases:person_document_add", {"document-type": "diary"}),
    ],
)
def test_a_refused_add_comes_back_open_with_its_errors(
    first_responder, client_for, case, person, url_name, data
):
    client = client_for(first_responder)
    url = reverse(url_name, args=[case.reference, person.pk])
    events = person_writes(case)
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert client.post(url, data).status_code == 400
    assert person_writes(case) == events


def test_a_service_provider_may_not_remove_an_alias_or_edit_a_document(
    first_responder, client_for, case, person, service_provider
):
    document = identity_document_add(
        actor=first_responder, membership=first_responder.membership, person=person, type="passport"
    )
    join_team(first_responder, case, service_provider)
    client = client_for(service_provider)
    alias = person.aliases.get()
    assert (
        client.post(reverse("cases:person_alias_remove", args=[case.reference, alias.pk])).status_code == 404
    )
    edit_url = reverse("cases:person_document_edit", args=[case.reference, document.pk])
    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, {"type": "passport", "number": "P-2", "version": "1"}).status_code == 404
    assert person.aliases.filter(pk=alias.pk).exists()
    assert IdentityDocument.objects.get(pk=document.pk).version == 1


def test_names_already_in_latin_letters_say_so_rather_than_leave_the_line_blank(
    first_responder, client_for, case, person
):
    Person.objects.filter(pk=person.pk).update(given_names_latin="", family_names_latin="")
    html = section_html(client_for(first_responder), case)
    latin = re.search(r"Names in Latin letters</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert latin is not None and "Not recorded" in latin.group(1)
