"""Intake through the API: drafts with versions, submission, the duplicate check; 4xx for bad input."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.cases.models import Case, IntakeDraft
from tests.api.errors import api_error
from tests.cases.referrals import AN_ANSWER, latin, open_case
from tests.names import synthetic_name

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def authority(make_member, make_user):
    return make_member(Role.IDENTIFICATION_AUTHORITY, user=make_user(email="ia@example.org"))


@pytest.fixture
def ia_agency(authority):
    return authority.membership.agency


@pytest.fixture
def api(first_responder, client_for):
    return client_for(first_responder)


def referral_data(ia_agency, **overrides):
    given, family = synthetic_name()
    data = {
        "given_names": given,
        "family_names": family,
        "given_names_latin": latin(given),
        "family_names_latin": latin(family),
        "birth_year": 1999,
        "gender": "Feminine",
        "citizenships": ["NGA"],
        "primary_language": "yor",
        "primary_needs_interpreter": True,
        "contact_channel": "outreach",
        "exploitation_forms": ["SexualExploitation"],
        "identification_agency": ia_agency.pk,
        "consent_given": True,
        "consent_given_by": "person",
        "consent_language": "yor",
    }
    data.update(overrides)
    return data


def test_a_draft_is_created_read_updated_and_submitted(
    api, ia_agency, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    data = referral_data(ia_agency)
    created = api.post(
        reverse("api-intake-drafts"),
        {"form": {"given_names": data["given_names"]}},
        content_type="application/json",
    )
    assert created.status_code == 201
    draft_id, version = created.json()["id"], created.json()["version"]
    assert api.get(reverse("api-intake-drafts")).json()["results"][0]["id"] == draft_id
    assert api.get(reverse("api-intake-draft", args=[draft_id])).json()["form"] == {
        "given_names": data["given_names"]
    }
    updated = api.put(
        reverse("api-intake-draft", args=[draft_id]),
        {"form": data, "expected_version": version},
        content_type="application/json",
    )
    assert updated.status_code == 200
    assert updated.json()["form"]["citizenships"] == ["NGA"]
    assert updated.json()["form"]["consent_given"] == "on"
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(
            reverse("api-intake-draft-submit", args=[draft_id]),
            {"expected_version": updated.json()["version"]},
            content_type="application/json",
        )
    assert submitted.status_code == 201
    case = Case.objects.get(reference=submitted.json()["reference"])
    assert case.persons.get().birth_date_precision == "year"
    assert len(mail.outbox) == 1 and data["given_names"] not in mail.outbox[0].body
    assert (
        api.get(reverse("api-intake-draft", args=[draft_id])).status_code == 404
    )  # submitted: no longer a draft


def test_a_stale_draft_save_answers_409_with_the_current_version(api, first_responder):
    created = api.post(
        reverse("api-intake-drafts"), {"form": {"given_names": "A"}}, content_type="application/json"
    )
    draft_id = created.json()["id"]
    url = reverse("api-intake-draft", args=[draft_id])
    first = api.put(
        url, {"form": {"given_names": "B"}, "expected_version": 1}, content_type="application/json"
    )
    assert first.status_code == 200
    stale = api.put(
        url, {"form": {"given_names": "C"}, "expected_version": 1}, content_type="application/json"
    )
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2
    assert current["record"]["form"] == {"given_names": "B"}
    assert IntakeDraft.objects.get(pk=draft_id).version == 2


def test_submission_without_consent_is_refused(api, ia_agency):
    response = api.post(
        reverse("api-intake-referrals"),
        referral_data(ia_agency, consent_given=False),
        content_type="application/json",
    )
    assert "consent_given" in api_error(response, 400, "invalid")["fields"]
    assert not Case.objects.exists()


def test_a_child_is_referred_without_consent(api, ia_agency):
    data = referral_data(ia_agency, birth_year=2015, consent_given=False)
    data.pop("consent_given_by", None)
    response = api.post(reverse("api-intake-referrals"), data, content_type="application/json")
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.is_child and not case.consents.exists()
    adult = referral_data(ia_agency, consent_given=False)
    assert (
        api.post(reverse("api-intake-referrals"), adult, content_type="application/json").status_code == 400
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"citizenships": ["ZZZ"]},
        {"birth_month": 13},
        {"birth_year": "nineteen"},
        {"identification_agency": 0},
        {"identification_agency": 2**40},
        {"gender": "Other"},
        {"exploitation_forms": "ForcedLabour"},
        {"given_names": "x" * 201},
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(api, ia_agency, bad):
    response = api.post(
        reverse("api-intake-referrals"), referral_data(ia_agency, **bad), content_type="application/json"
    )
    assert response.status_code == 400
    draft = api.post(reverse("api-intake-drafts"), {"form": bad}, content_type="application/json")
    assert draft.status_code == 400
    assert not Case.objects.exists() and not IntakeDraft.objects.exists()


def test_the_duplicate_check_tells_only_what_the_caller_may_see(
    api, first_responder, ia_agency, make_member, client_for
):
    given, family = synthetic_name()
    case = open_case(
        first_responder,
        ia_agency,
        given_names=given,
        family_names=family,
        birth_date=datetime.date(1988, 8, 8),
    )
    query = {
        "given_names": given,
        "family_names": family,
        "birth_year": 1988,
        "birth_month": 8,
        "birth_day": 8,
    }
    mine = api.post(reverse("api-intake-duplicates"), query, content_type="application/json").json()
    assert mine == {"visible": [case.reference], "others_exist": False}
    stranger = client_for(make_member(Role.FIRST_RESPONDER))
    theirs = stranger.post(reverse("api-intake-duplicates"), query, content_type="application/json").json()
    assert theirs == {"visible": [], "others_exist": True}


def test_identification_agencies_are_listed(api, ia_agency):
    names = [
        agency["name"] for agency in api.get(reverse("api-intake-identification-agencies")).json()["results"]
    ]
    assert names == [ia_agency.name]


def test_other_roles_and_other_users_get_404(client_for, migration_officer, make_member, first_responder):
    assert client_for(migration_officer).get(reverse("api-intake-drafts")).status_code == 404
    api = client_for(first_responder)
    created = api.post(reverse("api-intake-drafts"), {"form": AN_ANSWER}, content_type="application/json")
    colleague = make_member(Role.FIRST_RESPONDER, agency=first_responder.membership.agency)
    other = client_for(colleague)
    draft_url = reverse("api-intake-draft", args=[created.json()["id"]])
    assert other.get(draft_url).status_code == 404
    assert other.delete(draft_url).status_code == 404
    assert api.delete(draft_url).status_code == 204


def test_generated_urls_carry_no_personal_data(api, ia_agency):
    data = referral_data(ia_agency)
    response = api.post(reverse("api-intake-referrals"), data, content_type="application/json")
    reference = response.json()["reference"]
    for url in (reverse("api-case-persons", args=[reference]), reverse("cases:detail", args=[reference])):
        for key in ("given_names", "family_names", "given_names_latin"):
            assert data[key] not in url


def test_an_empty_draft_is_refused_in_the_one_error_shape(api):
    response = api.post(
        reverse("api-intake-drafts"), {"form": {"phone": ""}}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "There is nothing to save yet" in json.dumps(response.json())
    assert not IntakeDraft.objects.exists()
