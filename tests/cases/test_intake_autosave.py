"""The referral's draft saved as it is typed (app.js posts the form with action=autosave) and the refusal of
an empty draft, by the web form, its autosave and the service alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.cases.models import IntakeDraft
from palermo.cases.services.intake import draft_data, intake_draft_create, intake_draft_save
from tests.names import synthetic_name

pytestmark = pytest.mark.django_db

EMPTY = "There is nothing to save yet. Answer at least one question to save a draft."


@pytest.fixture
def ia_agency(make_member):
    return make_member(Role.IDENTIFICATION_AUTHORITY).membership.agency


@pytest.fixture
def client(first_responder, client_for):
    return client_for(first_responder)


def autosave(client, url, **data):
    return client.post(url, {"action": "autosave", **data}, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("data", [{}, {"given_names": "", "citizenships": []}, {"phone": None}])
def test_the_service_refuses_an_empty_draft(first_responder, data):
    membership = first_responder.membership
    with pytest.raises(ValidationError) as refused:
        intake_draft_create(actor=first_responder, membership=membership, data=data)
    assert refused.value.code == "draft_empty"
    draft = intake_draft_create(
        actor=first_responder, membership=membership, data={"phone": "+44 7700 900123"}
    )
    with pytest.raises(ValidationError):
        intake_draft_save(
            actor=first_responder, membership=membership, draft=draft, data=data, expected_version=1
        )
    draft.refresh_from_db()
    assert draft_data(draft) == {"phone": "+44 7700 900123"} and draft.version == 1


def test_saving_the_form_as_it_came_is_refused_with_a_message(client, first_responder, ia_agency):
    """The only identification authority is chosen by the form itself: that alone is nothing to save."""
    page = client.get(reverse("cases:intake")).content.decode()
    assert f'value="{ia_agency.pk}" selected' in page
    response = client.post(
        reverse("cases:intake"), {"action": "save", "identification_agency": str(ia_agency.pk)}
    )
    assert response.status_code == 400
    assert EMPTY in response.content.decode()
    assert 'class="alert alert-danger app-error-summary"' in response.content.decode()
    assert not IntakeDraft.objects.exists()


def test_autosave_makes_the_draft_then_keeps_it(client, first_responder, ia_agency):
    given, _family = synthetic_name()
    response = autosave(client, reverse("cases:intake"), given_names=given)
    assert response.status_code == 200
    draft = IntakeDraft.objects.get()
    answer = response.json()
    saved = timezone.localtime(draft.updated_at).strftime("%H:%M")
    assert answer == {
        "message": f"Draft saved at {saved}",
        "action": reverse("cases:intake_edit", args=[draft.pk]),
        "version": draft.version,
    }
    assert given not in str(answer)  # personal data never travels back in the answer or a URL
    again = autosave(
        client, answer["action"], given_names=given, phone="+44 7700 900123", version=answer["version"]
    )
    assert again.status_code == 200 and again.json()["version"] == draft.version + 1
    assert IntakeDraft.objects.count() == 1
    assert draft_data(IntakeDraft.objects.get()) == {"given_names": given, "phone": "+44 7700 900123"}


def test_autosave_of_an_empty_form_is_refused(client, ia_agency):
    response = autosave(client, reverse("cases:intake"), identification_agency=str(ia_agency.pk))
    assert response.status_code == 400
    assert response.json() == {"message": EMPTY}
    assert not IntakeDraft.objects.exists()


def test_autosave_of_a_draft_saved_elsewhere_is_refused(client, first_responder):
    draft = intake_draft_create(
        actor=first_responder, membership=first_responder.membership, data={"given_names": "A"}
    )
    url = reverse("cases:intake_edit", args=[draft.pk])
    assert autosave(client, url, given_names="B", version="1").status_code == 200
    stale = autosave(client, url, given_names="C", version="1")
    assert stale.status_code == 409
    assert "saved elsewhere" in stale.json()["message"]
    draft.refresh_from_db()
    assert draft_data(draft) == {"given_names": "B"}
