"""The administration tests' cast (docs/decisions/0032): an agency, its administrator and a case manager of
it with an email address."""

from __future__ import annotations

import pytest

from palermo.accounts.models import User
from palermo.accounts.roles import AgencyType, Role


def with_email(user: User, email: str) -> User:
    User.objects.filter(pk=user.pk).update(email=email)
    user.email = email
    return user


@pytest.fixture
def agency(make_agency):
    return make_agency(AgencyType.NGO)


@pytest.fixture
def admin(make_member, agency):
    return make_member(Role.AGENCY_ADMINISTRATOR, agency=agency)


@pytest.fixture
def staff(make_member, agency):
    return with_email(make_member(Role.CASE_MANAGER, agency=agency), "r.mensah@example.org")
