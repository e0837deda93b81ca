"""The administration API (docs/decisions/0032): the same services as the pages, the one error shape, and
another agency missing (404) for an agency administrator."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import User
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from tests.api.errors import api_error
from tests.worker import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db


def post(client, route, *args, **data):
    return client.post(reverse(route, args=args), data, content_type="application/json")


def test_agencies_listed_by_who_administers_them(client_for, admin, agency, system_administrator):
    own = client_for(admin).get(reverse("api-admin-agencies")).json()["results"]
    assert [row["id"] for row in own] == [agency.pk]
    every = client_for(system_administrator).get(reverse("api-admin-agencies")).json()["results"]
    assert {agency.pk, system_administrator.membership.agency_id} <= {row["id"] for row in every}


def test_only_a_system_administrator_adds_an_agency(client_for, admin, system_administrator):
    added = post(client_for(system_administrator), "api-admin-agencies", name="Valley Clinic", type="health")
    assert added.status_code == 201 and added.json()["name"] == "Valley Clinic"
    api_error(post(client_for(admin), "api-admin-agencies", name="Other", type="ngo"), 404, "not_found")
    api_error(post(client_for(system_administrator), "api-admin-agencies", name="", type="x"), 400, "invalid")


def test_invite_through_the_api(client_for, admin, agency, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client_for(admin),
            "api-admin-invite",
            agency.pk,
            first_name="Ivan",
            last_name="Petrov",
            email="i.petrov@example.org",
            role="first_responder",
        )
    assert response.status_code == 201
    assert [message.to for message in mail.outbox] == [["i.petrov@example.org"]]
    assert "token" not in response.json()  # the link goes to the person only
    refused = post(client_for(admin), "api-admin-invite", agency.pk, role="system_administrator")
    assert {"first_name", "last_name", "email"} <= set(api_error(refused, 400, "invalid")["fields"])


def test_staff_and_changes_of_another_agency_are_missing(client_for, admin, make_member):
    outsider = make_member(Role.CASE_MANAGER, AgencyType.SHELTER)
    other = outsider.membership.agency
    client = client_for(admin)
    api_error(client.get(reverse("api-admin-staff", args=[other.pk])), 404, "not_found")
    api_error(post(client, "api-admin-invite", other.pk, first_name="A", last_name="B"), 404, "not_found")
    api_error(post(client, "api-admin-account-change", other.pk, outsider.pk, "deactivate"), 404, "not_found")
    own = admin.membership.agency_id
    api_error(post(client, "api-admin-account-change", own, outsider.pk, "deactivate"), 404, "not_found")
    assert User.objects.get(pk=outsider.pk).is_active


def test_staff_list_and_role_changes(client_for, admin, agency, staff):
    client = client_for(admin)
    rows = client.get(reverse("api-admin-staff", args=[agency.pk])).json()["results"]
    assert {row["id"] for row in rows} == {admin.pk, staff.pk}
    assert "username" not in rows[0]

    granted = post(client, "api-admin-role-grant", agency.pk, staff.pk, role="first_responder")
    assert granted.status_code == 201
    again = post(client, "api-admin-role-grant", agency.pk, staff.pk, role="first_responder")
    assert "role" in api_error(again, 400, "invalid")["fields"]
    ended = post(client, "api-admin-role-end", agency.pk, staff.pk, granted.json()["id"])
    assert ended.status_code == 200
    assert not staff.memberships.get(pk=granted.json()["id"]).is_active


def test_a_second_factor_reset_by_two_administrators(client_for, admin, agency, staff, make_member):
    second = make_member(Role.AGENCY_ADMINISTRATOR, agency=agency)
    asked = post(client_for(admin), "api-admin-account-change", agency.pk, staff.pk, "reset-second-factor")
    assert asked.status_code == 200
    same = post(client_for(admin), "api-admin-account-change", agency.pk, staff.pk, "confirm-reset")
    api_error(same, 400, "invalid")
    assert TOTPDevice.objects.filter(user=staff).exists()
    done = post(client_for(second), "api-admin-account-change", agency.pk, staff.pk, "confirm-reset")
    assert done.status_code == 200
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AuditEvent.objects.filter(action="user.second_factor_reset", actor=second).exists()


def test_an_unknown_change_is_missing(client_for, admin, agency, staff):
    api_error(post(client_for(admin), "api-admin-account-change", agency.pk, staff.pk, "promote"), 404)


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.DATA_PROTECTION_OFFICER])
def test_other_roles_find_no_administration_api(verified_client, role):
    api_error(verified_client(role).get(reverse("api-admin-agencies")), 404, "not_found")
