"""Administration pages per role (docs/decisions/0032): the system administrator sees every agency, an agency
administrator only theirs (another agency and its people are missing, 404), everyone else nothing; the
invitation link and the password reset pages, which never say whether an address is on record."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from palermo.access import limits
from palermo.accounts.models import Invitation, User
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from tests.worker import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def sending(settings, django_capture_on_commit_callbacks):
    """`with sending():` a request whose emails go out as the worker sends them, once it commits."""
    settings.TASKS = IMMEDIATE_TASKS
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_agency_administrator_is_shown_their_agency(client_for, admin, agency, staff):
    client = client_for(admin)
    response = client.get(reverse("accounts:administration"))  # the menu's entry: their agency's staff page
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("accounts:invite", args=[agency.pk]) in page
    assert staff.display_name in page
    assert staff.username not in page  # names, never sign-in names


def test_the_system_administrator_sees_every_agency_and_adds_one(client_for, system_administrator, agency):
    client = client_for(system_administrator)
    assert agency.name in client.get(reverse("accounts:administration")).content.decode()

    response = client.post(reverse("accounts:agency_add"), {"name": "Coastal Shelter", "type": "shelter"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="agency.create").exists()
    refused = client.post(reverse("accounts:agency_add"), {"name": "", "type": "shelter"})
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.DATA_PROTECTION_OFFICER, Role.RAPPORTEUR])
def test_other_roles_find_no_administration(verified_client, role):
    client = verified_client(role)
    assert client.get(reverse("accounts:administration")).status_code == 404


def test_another_agency_and_its_people_are_missing(client_for, admin, make_member):
    outsider = make_member(Role.CASE_MANAGER, AgencyType.SHELTER)
    other = outsider.membership.agency
    client = client_for(admin)
    assert client.get(reverse("accounts:agency_staff", args=[other.pk])).status_code == 404
    assert client.get(reverse("accounts:invite", args=[other.pk])).status_code == 404
    assert client.get(reverse("accounts:person", args=[other.pk, outsider.pk])).status_code == 404
    # Nor through one's own agency's address.
    own = admin.membership.agency
    assert client.get(reverse("accounts:person", args=[own.pk, outsider.pk])).status_code == 404
    response = client.post(reverse("accounts:account_action", args=[own.pk, outsider.pk, "deactivate"]))
    assert response.status_code == 404
    assert User.objects.get(pk=outsider.pk).is_active


def test_an_invitation_from_the_page(client_for, admin, agency, sending):
    client = client_for(admin)
    form = client.get(reverse("accounts:invite", args=[agency.pk])).content.decode()
    assert "System administrator" not in form  # not a role an agency administrator grants

    data = {"first_name": "Leila", "last_name": "Haddad", "email": "l.haddad@example.org", "role": "guardian"}
    with sending():
        response = client.post(reverse("accounts:invite", args=[agency.pk]), data)

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["l.haddad@example.org"]]
    page = client.get(response["Location"]).content.decode()
    assert "The invitation has been sent" in page and "Leila Haddad" in page


def test_an_invitation_with_errors_shows_the_summary(client_for, admin, agency):
    client = client_for(admin)
    response = client.post(reverse("accounts:invite", args=[agency.pk]), {"email": "not an address"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Enter “First name”." in page
    assert not Invitation.objects.exists()


def accept_link() -> str:
    match = re.search(r"http://testserver(/accounts/invitation/[\w-]+/)", mail.outbox[-1].body)
    assert match
    return match[1]


def test_the_link_leads_to_the_password_then_the_second_factor(client, client_for, admin, agency, sending):
    data = {"first_name": "Leila", "last_name": "Haddad", "email": "l.haddad@example.org", "role": "guardian"}
    with sending():
        client_for(admin).post(reverse("accounts:invite", args=[agency.pk]), data)
    link = accept_link()

    response = client.get(link)
    assert response["Location"] == reverse("accounts:invitation_password")  # the token leaves the address
    page = client.get(response["Location"]).content.decode()
    assert "l.haddad@example.org" in page

    mismatch = {"new_password1": "a long and unusual passphrase 42", "new_password2": "something else 42"}
    assert client.post(reverse("accounts:invitation_password"), mismatch).status_code == 400
    chosen = {
        "new_password1": "a long and unusual passphrase 42",
        "new_password2": "a long and unusual passphrase 42",
    }
    response = client.post(reverse("accounts:invitation_password"), chosen)
    assert response["Location"] == reverse("accounts:two_factor")
    assert client.get(response["Location"])["Location"] == reverse("accounts:enrol")

    # Used once: the same link now says so in plain words.
    again = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_a_made_up_link_says_it_does_not_work(client):
    page = client.get(reverse("accounts:invitation", args=["made-up-token"])).content.decode()
    assert "This link no longer works" in page
    assert client.get(reverse("accounts:invitation_password")).content.decode().count("no longer works") >= 1


def test_a_password_reset_answers_alike_for_any_address(client, staff, sending):
    with sending():
        known = client.post(reverse("accounts:password_reset"), {"email": "r.mensah@example.org"})
        unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_sent")
    assert [message.to for message in mail.outbox] == [["r.mensah@example.org"]]

    link = re.search(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = {"new_password1": "another long passphrase 77", "new_password2": "another long passphrase 77"}
    done = client.post(form_page.redirect_chain[-1][0], new)
    assert done["Location"] == reverse("accounts:password_reset_done")
    assert User.objects.get(pk=staff.pk).check_password("another long passphrase 77")
    assert AuditEvent.objects.filter(action="auth.password_reset", object_id=str(staff.pk)).exists()
    # The link worked once.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_password_reset_requests_are_rate_limited(client, settings):
    settings.RATE_LIMITS = "password_reset=2/hour"
    for _ in range(2):
        assert client.post(reverse("accounts:password_reset"), {"email": "x@example.org"}).status_code == 302
    refused = client.post(reverse("accounts:password_reset"), {"email": "x@example.org"})
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert AuditEvent.objects.filter(action="limits.refused").exists()
    assert limits.rates_of("password_reset")[0].count == 2


def test_a_person_page_grants_and_ends_roles(client_for, admin, agency, staff):
    client = client_for(admin)
    person = reverse("accounts:person", args=[agency.pk, staff.pk])
    response = client.post(person, {"role": "first_responder"})
    assert response.status_code == 302
    granted = staff.memberships.get(role=Role.FIRST_RESPONDER)

    end = reverse("accounts:role_end", args=[agency.pk, staff.pk, granted.pk])
    assert "End the role" in client.get(end).content.decode()  # a confirmation first
    assert client.post(end).status_code == 302
    granted.refresh_from_db()
    assert not granted.is_active
    # Another person's role through this person's address is missing.
    other = reverse("accounts:role_end", args=[agency.pk, staff.pk, admin.membership.pk])
    assert client.get(other).status_code == 404


def test_a_refused_change_is_explained_on_the_page(client_for, admin, agency):
    client = client_for(admin)
    response = client.post(reverse("accounts:account_action", args=[agency.pk, admin.pk, "deactivate"]))
    assert response.status_code == 400
    assert "your own account" in response.content.decode()
