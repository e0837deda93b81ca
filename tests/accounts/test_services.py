"""The account services: the only write path for users, agencies and memberships."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from palermo.accounts import services
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import AgencyType, Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "Sh0rt!pw",  # too short
        "password1234",  # common
        "839201746583920",  # numeric only
        "amina.haddad.2024",  # too close to the username
    ],
)
def test_user_create_refuses_weak_passwords(password):
    with pytest.raises(ValidationError):
        services.user_create(username="amina.haddad.2024", password=password, first_name="Amina")
    assert not User.objects.filter(username="amina.haddad.2024").exists()


def test_user_create_accepts_a_strong_password_and_stores_only_a_hash():
    user = services.user_create(username="n.okafor", password="correct horse battery staple 71")
    assert user.check_password("correct horse battery staple 71")
    assert "correct horse" not in user.password


def test_user_create_accepts_names_in_any_script():
    user = services.user_create(
        username="ზურაბ.ბერიძე",
        password="an adequately long passphrase 9",
        first_name="ზურაბ",
        last_name="ბერიძე",
    )
    assert User.objects.get(pk=user.pk).last_name == "ბერიძე"


def test_agency_create_refuses_an_unknown_type():
    with pytest.raises(ValueError):
        services.agency_create(name="Nowhere Office", type="spy_agency")


def test_agency_names_are_unique(make_agency):
    agency = make_agency(AgencyType.NGO)
    with pytest.raises(ValidationError):
        services.agency_create(name=agency.name, type=AgencyType.SHELTER)


def test_membership_grant_is_idempotent_and_reactivates(make_user, make_agency):
    user, agency = make_user(), make_agency(AgencyType.SHELTER)
    first = services.membership_grant(user=user, agency=agency, role=Role.SERVICE_PROVIDER)
    again = services.membership_grant(user=user, agency=agency, role=Role.SERVICE_PROVIDER)
    assert first.pk == again.pk
    services.membership_revoke(membership=first)
    assert Membership.objects.get(pk=first.pk).is_active is False
    user = User.objects.get(pk=user.pk)
    assert user.active_memberships() == []
    services.membership_grant(user=user, agency=agency, role=Role.SERVICE_PROVIDER)
    assert Membership.objects.get(pk=first.pk).is_active is True


def test_membership_grant_refuses_an_unknown_role(make_user, make_agency):
    with pytest.raises(ValueError):
        services.membership_grant(user=make_user(), agency=make_agency(), role="superuser")


def test_a_revoked_membership_no_longer_opens_its_pages(verified_client):
    client = verified_client(Role.CASE_MANAGER)
    services.membership_revoke(membership=client.user.membership)
    assert client.get("/").status_code == 404
