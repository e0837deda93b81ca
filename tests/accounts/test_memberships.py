"""Acting for one agency at a time: several memberships mean an explicit choice, which can change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts.active import SESSION_KEY
from palermo.accounts.roles import AgencyType, Role

pytestmark = pytest.mark.django_db

CHOOSE = reverse("accounts:choose_membership")
HOME = reverse("core:home")


@pytest.fixture
def two_hats(make_member):
    """A case manager at an NGO who is also the data protection officer of a shelter."""
    user = make_member(Role.CASE_MANAGER, AgencyType.NGO)
    case_manager = user.membership
    make_member(Role.DATA_PROTECTION_OFFICER, AgencyType.SHELTER, user=user)
    return user, case_manager, user.membership


def test_a_single_membership_is_taken_without_asking(verified_client):
    client = verified_client(Role.INVESTIGATOR)
    assert client.session[SESSION_KEY] == client.user.membership.pk
    assert client.get(HOME).context["role"] == Role.INVESTIGATOR


def test_several_memberships_must_be_chosen_after_the_second_factor(two_hats, totp_code, client):
    user, case_manager, dpo = two_hats
    client.post(reverse("accounts:login"), {"username": user.username, "password": user.raw_password})
    response = client.post(reverse("accounts:two_factor"), {"token": totp_code(user)})
    assert response.status_code == 302
    assert response["Location"] == CHOOSE
    assert SESSION_KEY not in client.session
    page = client.get(CHOOSE)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{case_manager.pk}"' in html and f'value="{dpo.pk}"' in html
    assert "checked" not in html  # nothing pre-selected: the choice is explicit


def test_choosing_and_switching(two_hats, signed_in_client):
    user, case_manager, dpo = two_hats
    client = signed_in_client(user, act_as=case_manager)
    assert client.get(HOME).context["role"] == Role.CASE_MANAGER
    response = client.post(CHOOSE, {"membership": dpo.pk}, follow=True)
    assert response.context["role"] == Role.DATA_PROTECTION_OFFICER
    assert any("You are now acting as" in str(m) for m in response.context["messages"])
    assert client.session[SESSION_KEY] == dpo.pk


def test_someone_elses_membership_cannot_be_chosen(two_hats, signed_in_client, make_member):
    user, case_manager, _ = two_hats
    other = make_member(Role.SYSTEM_ADMINISTRATOR).membership
    client = signed_in_client(user, act_as=case_manager)
    response = client.post(CHOOSE, {"membership": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["membership"]
    assert client.session[SESSION_KEY] == case_manager.pk
    assert client.get(HOME).context["role"] == Role.CASE_MANAGER
    assert client.get(reverse("core:directory")).status_code == 404


def test_a_revoked_membership_cannot_be_chosen(two_hats, signed_in_client):
    from palermo.accounts import services

    user, case_manager, dpo = two_hats
    client = signed_in_client(user, act_as=case_manager)
    services.membership_revoke(membership=dpo)
    response = client.post(CHOOSE, {"membership": dpo.pk})
    assert response.status_code == 200
    assert client.session[SESSION_KEY] == case_manager.pk


def test_the_choose_page_waits_for_the_second_factor(two_hats, client):
    user, _, _ = two_hats
    client.post(reverse("accounts:login"), {"username": user.username, "password": user.raw_password})
    response = client.get(CHOOSE)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


def test_a_page_opened_before_choosing_leads_to_the_choice_then_back(two_hats, totp_code, client):
    user, case_manager, _dpo = two_hats
    client.post(reverse("accounts:login"), {"username": user.username, "password": user.raw_password})
    client.post(reverse("accounts:two_factor"), {"token": totp_code(user)})
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(CHOOSE)
    client.get(response["Location"])
    chosen = client.post(CHOOSE, {"membership": case_manager.pk})
    assert chosen["Location"] == HOME
