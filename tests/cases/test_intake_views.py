"""The referral form on the web: drafts saved and resumed, the duplicate warning, submission, my drafts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import get_resolver, reverse

from palermo.access.services import case_team_add
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Consent, IntakeDraft, Person
from palermo.cases.services.intake import draft_data, intake_draft_create
from tests.cases.referrals import AN_ANSWER, latin, open_case
from tests.names import fake, synthetic_name
from tests.test_urls import walk

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
REFERENCE = re.compile(r"^NRM-[0-9A-Z]{4}-[0-9A-Z]{4}$")


@pytest.fixture
def authority(make_member, make_user):
    return make_member(Role.IDENTIFICATION_AUTHORITY, user=make_user(email="authority@example.org"))


@pytest.fixture
def ia_agency(authority):
    return authority.membership.agency


@pytest.fixture
def responder_client(first_responder, client_for):
    return client_for(first_responder)


def form_data(ia_agency, **overrides):
    given, family = synthetic_name()
    data = {
        "given_names": given,
        "family_names": family,
        "given_names_latin": latin(given),
        "family_names_latin": latin(family),
        "aliases": fake["en_GB"].first_name(),
        "birth_year": "1994",
        "birth_month": "5",
        "birth_day": "17",
        "gender": "Masculine",
        "citizenships": ["VNM"],
        "primary_language": "vie",
        "primary_needs_interpreter": "on",
        "other_languages": ["eng"],
        "phone": "+44 7700 900123",
        "current_location": fake["en_GB"].address(),
        "contact_channel": "police",
        "contact_details": fake["en_GB"].sentence(),
        "exploitation_forms": ["ForcedCriminality", "ForcedLabour"],
        "identification_agency": str(ia_agency.pk),
        "consent_given": "on",
        "consent_given_by": "person",
        "consent_language": "vie",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_no_personal_data_in(url, data):
    assert "?" not in url
    for key in ("given_names", "family_names", "given_names_latin", "phone"):
        value = data.get(key)
        if value:
            assert value not in url


def test_the_form_is_phone_friendly_and_offers_the_only_authority(responder_client, ia_agency):
    response = responder_client.get(reverse("cases:intake"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert html.count("<fieldset") >= 6
    assert 'autocomplete="off"' in html
    assert "form-control-lg" in html
    form = response.context["form"]
    assert form["identification_agency"].value() == ia_agency.pk  # preselected: the only one


def test_countries_and_languages_are_offered_in_the_readers_language(responder_client, ia_agency, settings):
    english = responder_client.get(reverse("cases:intake")).content.decode()
    responder_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    arabic = responder_client.get(reverse("cases:intake")).content.decode()
    assert '<option value="ALB">Albania (ALB)</option>' in english
    assert '<option value="ALB">ألبانيا (ALB)</option>' in arabic
    assert '<option value="ara">العربية (ara)</option>' in arabic


def test_save_a_draft_resume_it_and_submit(responder_client, first_responder, ia_agency, settings):
    settings.TASKS = IMMEDIATE_TASKS
    data = form_data(ia_agency)
    partial = {key: data[key] for key in ("given_names", "family_names", "birth_year", "citizenships")}
    response = responder_client.post(reverse("cases:intake"), {**partial, "action": "save"})
    assert response.status_code == 302
    draft = IntakeDraft.objects.get(created_by=first_responder)
    assert response["Location"] == reverse("cases:intake_edit", args=[draft.pk])
    assert draft_data(draft)["citizenships"] == ["VNM"]
    assert not Case.objects.exists()

    resumed = responder_client.get(response["Location"])
    assert resumed.status_code == 200
    assert data["given_names"] in resumed.content.decode()
    assert resumed.context["form"]["version"].value() == 1

    response = responder_client.post(
        reverse("cases:intake_edit", args=[draft.pk]), {**data, "version": "1", "action": "submit"}
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    assert_no_personal_data_in(response["Location"], data)
    assert REFERENCE.match(case.reference)
    person = Person.objects.get(case=case)
    assert person.birth_date == datetime.date(1994, 5, 17)
    assert {(lang.language, lang.needs_interpreter) for lang in person.languages.all()} == {
        ("vie", True),
        ("eng", False),
    }
    draft.refresh_from_db()
    assert draft.submitted_case == case


def test_submission_notifies_the_authority_without_names(
    responder_client, authority, ia_agency, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    data = form_data(ia_agency)
    with django_capture_on_commit_callbacks(execute=True):
        response = responder_client.post(reverse("cases:intake"), {**data, "action": "submit"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert [message.to for message in mail.outbox] == [[authority.email]]
    text = mail.outbox[0].subject + mail.outbox[0].body
    assert case.reference in text
    for key in ("given_names", "family_names", "given_names_latin", "family_names_latin", "phone", "aliases"):
        assert data[key] not in text


def test_submitting_without_consent_is_refused_with_a_message(responder_client, ia_agency):
    data = form_data(ia_agency)
    del data["consent_given"]
    response = responder_client.post(reverse("cases:intake"), {**data, "action": "submit"})
    assert response.status_code == 400
    assert "consent_given" in response.context["form"].errors
    assert "referral needs the person" in response.content.decode()
    assert not Case.objects.exists() and not IntakeDraft.objects.exists()


def test_a_child_is_referred_without_consent_and_the_page_says_who_acts(responder_client, ia_agency):
    this_year = datetime.date.today().year  # noqa: DTZ011
    data = form_data(ia_agency, birth_year=str(this_year - 14))
    del data["consent_given"]
    data.pop("consent_given_by", None)
    response = responder_client.post(reverse("cases:intake"), {**data, "action": "submit"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_child
    assert not Consent.objects.filter(case=case).exists()
    section = reverse("cases:section", args=[case.reference, "children"])
    page = responder_client.get(section, HTTP_HX_REQUEST="true").content.decode()
    assert "Acting for the child: no one yet. Appoint a guardian." in page


def test_a_guardians_consent_given_at_once_is_recorded(responder_client, ia_agency):
    this_year = datetime.date.today().year  # noqa: DTZ011
    data = form_data(ia_agency, birth_year=str(this_year - 14))
    response = responder_client.post(
        reverse("cases:intake"), {**data, "consent_given_by": "guardian", "action": "submit"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_child
    assert Consent.objects.get(case=case).given_by == "guardian"


@pytest.mark.parametrize(
    "bad",
    [
        {"given_names": ""},
        {"birth_year": "3000"},
        {"birth_day": "31", "birth_month": "2"},
        {"birth_day": "5", "birth_month": ""},
        {"age_estimate": "16"},  # together with a date
        {"citizenships": ["XYZ"]},
        {"identification_agency": "999999"},
        {"exploitation_forms": ["Gardening"]},
        {"consent_language": ""},
        {"contact_channel": "pigeon"},
    ],
)
def test_bad_input_re_renders_with_errors_and_changes_nothing(responder_client, ia_agency, bad):
    response = responder_client.post(
        reverse("cases:intake"), {**form_data(ia_agency, **bad), "action": "submit"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Case.objects.exists() and not IntakeDraft.objects.exists()


def test_an_age_estimate_is_stored_as_estimated(responder_client, ia_agency):
    data = form_data(ia_agency, birth_year=None, birth_month=None, birth_day=None, age_estimate="30")
    response = responder_client.post(reverse("cases:intake"), {**data, "action": "submit"})
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.birth_date_precision == "estimated"
    assert person.age_group == "30-38"


def test_a_stale_draft_save_shows_both_versions_and_changes_nothing(responder_client, first_responder):
    draft = intake_draft_create(
        actor=first_responder, membership=first_responder.membership, data={"given_names": "Mine"}
    )
    url = reverse("cases:intake_edit", args=[draft.pk])
    assert (
        responder_client.post(url, {"given_names": "Tab one", "version": "1", "action": "save"}).status_code
        == 302
    )
    response = responder_client.post(url, {"given_names": "Tab two", "version": "1", "action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Tab one" in html and "Tab two" in html
    assert draft_data(IntakeDraft.objects.get(pk=draft.pk)) == {"given_names": "Tab one"}
    assert 'name="version" value="2"' in html  # saving again is a knowing overwrite of version 2


def test_someone_elses_draft_is_not_found(make_member, client_for, first_responder):
    draft = intake_draft_create(actor=first_responder, membership=first_responder.membership, data=AN_ANSWER)
    colleague = make_member(Role.FIRST_RESPONDER, agency=first_responder.membership.agency)
    client = client_for(colleague)
    assert client.get(reverse("cases:intake_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("cases:intake_discard", args=[draft.pk])).status_code == 404
    assert IntakeDraft.objects.filter(pk=draft.pk).exists()


def test_roles_that_do_not_refer_cannot_open_the_form(client_for, migration_officer):
    client = client_for(migration_officer)
    assert client.get(reverse("cases:intake")).status_code == 404


# --- the duplicate warning ---------------------------------------------------------------------------------


def existing(responder, ia_agency, **overrides):
    given, family = synthetic_name()
    birth = datetime.date(1990, 3, 4)
    case = open_case(
        responder,
        ia_agency,
        given_names=given,
        family_names=family,
        given_names_latin=latin(given),
        family_names_latin=latin(family),
        birth_date=birth,
        **overrides,
    )
    return case, {
        "given_names": given,
        "family_names": family,
        "birth_year": "1990",
        "birth_month": "3",
        "birth_day": "4",
    }


def test_the_warning_names_a_case_the_user_may_see(responder_client, first_responder, ia_agency):
    case, typed = existing(first_responder, ia_agency)
    response = responder_client.post(reverse("cases:intake_duplicates"), typed, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert case.reference in html
    assert "possible existing record" in html
    audit = AuditEvent.objects.filter(action="intake.duplicate_check").get()
    assert audit.tier == 2 and case.reference in audit.reason
    for value in typed.values():
        assert value not in audit.reason or value.isdigit()


def test_the_warning_matches_in_latin_letters_too(responder_client, first_responder, ia_agency):
    case, typed = existing(first_responder, ia_agency)
    person = case.persons.get()
    typed = {
        **typed,
        "given_names": "",
        "family_names": "",
        "given_names_latin": person.given_names_latin.upper(),
        "family_names_latin": person.family_names_latin,
    }
    response = responder_client.post(reverse("cases:intake_duplicates"), typed)
    assert case.reference in response.content.decode()


def test_the_warning_never_reveals_a_case_the_user_cannot_see(make_member, client_for, ia_agency):
    elsewhere = make_member(Role.FIRST_RESPONDER)
    case, typed = existing(elsewhere, ia_agency)
    stranger = make_member(Role.FIRST_RESPONDER)
    response = client_for(stranger).post(reverse("cases:intake_duplicates"), typed)
    html = response.content.decode()
    assert case.reference not in html
    assert "the identification authority will check" in html
    assert "possible existing record:" not in html


def test_no_warning_without_an_exact_match(responder_client, first_responder, ia_agency):
    case, typed = existing(first_responder, ia_agency)
    response = responder_client.post(reverse("cases:intake_duplicates"), {**typed, "birth_day": "5"})
    assert case.reference not in response.content.decode()
    assert "alert" not in response.content.decode()
    # A name alone is no match.
    response = responder_client.post(
        reverse("cases:intake_duplicates"),
        {"given_names": typed["given_names"], "family_names": typed["family_names"]},
    )
    assert "alert" not in response.content.decode()


def test_a_colleagues_case_on_the_team_is_named(make_member, client_for, first_responder, ia_agency):
    case, typed = existing(first_responder, ia_agency)
    manager = make_member(Role.CASE_MANAGER)
    case_team_add(
        actor=first_responder,
        membership=first_responder.membership,
        case=case,
        agency=manager.membership.agency,
        reason="assistance",
    )
    response = client_for(manager).post(reverse("cases:intake_duplicates"), typed)
    assert case.reference in response.content.decode()


# --- the drafts list ---------------------------------------------------------------------------------------


def test_my_drafts_are_listed_newest_first_and_only_mine(responder_client, first_responder, make_member):
    membership = first_responder.membership
    older = intake_draft_create(actor=first_responder, membership=membership, data={"given_names": "Older"})
    newer = intake_draft_create(actor=first_responder, membership=membership, data={"given_names": "Newer"})
    other = make_member(Role.FIRST_RESPONDER, agency=membership.agency)
    intake_draft_create(actor=other, membership=other.membership, data={"given_names": "Not mine"})
    response = responder_client.get(reverse("cases:intake_drafts"))
    html = response.content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "Not mine" not in html
    assert reverse("cases:intake_edit", args=[newer.pk]) in html
    assert reverse("cases:intake_edit", args=[older.pk]) in html
    assert AuditEvent.objects.filter(action="intake.draft_list").exists()


def test_the_drafts_list_runs_a_constant_number_of_queries(
    responder_client, first_responder, django_assert_max_num_queries
):
    membership = first_responder.membership
    intake_draft_create(actor=first_responder, membership=membership, data={"given_names": "One"})
    with django_assert_max_num_queries(40) as few:
        responder_client.get(reverse("cases:intake_drafts"))
    for number in range(25):
        intake_draft_create(
            actor=first_responder, membership=membership, data={"given_names": f"Draft {number}"}
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = responder_client.get(reverse("cases:intake_drafts"))
    assert len(response.context["rows"]) == 20
    assert response.context["page"].has_next()


def test_a_draft_can_be_deleted(responder_client, first_responder):
    draft = intake_draft_create(actor=first_responder, membership=first_responder.membership, data=AN_ANSWER)
    response = responder_client.post(reverse("cases:intake_discard", args=[draft.pk]))
    assert response.status_code == 302
    assert not IntakeDraft.objects.filter(pk=draft.pk).exists()


# --- no personal data in URLs --------------------------------------------------------------------------

MY_ROUTE = re.compile(
    r"^(cases:(intake|person|consent)"
    r"|api-intake-|api-case-(person|alias|citizenship|language|identity-document|consent))"
)


def test_intake_person_and_consent_urls_hold_only_references_and_numeric_ids():
    routes = [route for route in walk(get_resolver().url_patterns) if MY_ROUTE.match(route.name)]
    assert len(routes) >= 25
    for route in routes:
        for converter, name in re.findall(r"<(\w+):(\w+)>", route.pattern):
            assert (converter, name) == ("str", "reference") or (
                converter == "int" and name.endswith("_id")
            ), route
