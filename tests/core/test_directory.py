"""The administrator's directory of agencies and users: paginated, with a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts import services
from palermo.accounts.models import Agency, User
from palermo.accounts.roles import AgencyType, Role
from palermo.accounts.views import DIRECTORY_PAGE_SIZE

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("core:directory")
# Session, user, authenticator, memberships; per list a count and a page, one prefetch for the users'
# memberships (with their agencies). Nothing here depends on how many rows there are.
DIRECTORY_QUERIES = 9


@pytest.fixture
def admin_client(verified_client):
    return verified_client(Role.SYSTEM_ADMINISTRATOR)


def add_staff(count: int, make_user, agency) -> None:
    for number in range(count):
        user = make_user()
        services.membership_grant(user=user, agency=agency, role=Role.CASE_MANAGER)
        if number % 2:
            services.membership_grant(user=user, agency=agency, role=Role.DATA_PROTECTION_OFFICER)


@pytest.mark.parametrize("extra_users", [5, 40])
def test_directory_runs_a_constant_number_of_queries(
    extra_users, admin_client, make_user, make_agency, django_assert_num_queries
):
    add_staff(extra_users, make_user, make_agency(AgencyType.NGO))
    for _ in range(extra_users // 5):
        make_agency(AgencyType.SHELTER)
    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = admin_client.get(DIRECTORY)
    assert response.status_code == 200
    assert len(response.context["users"]) == extra_users + 1


def test_users_are_paginated_fifty_a_page(admin_client, make_user, make_agency):
    assert DIRECTORY_PAGE_SIZE == 50
    add_staff(2 * DIRECTORY_PAGE_SIZE + 3, make_user, make_agency(AgencyType.NGO))
    total = User.objects.count()
    first = admin_client.get(DIRECTORY)
    page = first.context["users"]
    assert len(page) == 50 and page.paginator.num_pages == 3
    assert "?users=2&amp;agencies=1" in first.content.decode()
    last = admin_client.get(DIRECTORY, {"users": 3})
    assert len(last.context["users"]) == total - 100
    names = {
        u.username for p in (1, 2, 3) for u in admin_client.get(DIRECTORY, {"users": p}).context["users"]
    }
    assert len(names) == total  # every user on exactly one page
    # Out-of-range or junk page numbers fall back to a real page, not an error.
    assert admin_client.get(DIRECTORY, {"users": 99}).context["users"].number == 3
    assert admin_client.get(DIRECTORY, {"users": "x"}).context["users"].number == 1


def test_agencies_are_paginated_on_their_own(admin_client, make_agency):
    for _ in range(DIRECTORY_PAGE_SIZE + 1):
        make_agency(AgencyType.HEALTH)
    response = admin_client.get(DIRECTORY, {"agencies": 2, "users": 1})
    agencies = response.context["agencies"]
    assert agencies.number == 2
    assert len(agencies) == Agency.objects.count() - 50
    assert response.context["users"].number == 1


def test_only_active_memberships_are_counted_and_listed(admin_client, make_member):
    member = make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER, two_factor=False)
    services.membership_revoke(membership=member.membership)
    response = admin_client.get(DIRECTORY)
    agency = next(a for a in response.context["agencies"] if a.pk == member.membership.agency_id)
    assert agency.members == 0
    listed = next(u for u in response.context["users"] if u.pk == member.pk)
    assert list(listed.memberships.all()) == []


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMINISTRATOR])
def test_only_administrators_open_the_directory(role, verified_client):
    assert verified_client(role).get(DIRECTORY).status_code == 404
