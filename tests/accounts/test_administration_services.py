"""Administration services (docs/decisions/0032): who may do what to which account, single-use invitation
links, the two-person second-factor reset, deactivation that ends sessions, and an audit event for each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import Invitation, Membership, User
from palermo.accounts.roles import AgencyType, Role
from palermo.accounts.selectors import invitation_for_token
from palermo.accounts.services import administration as services
from palermo.audit.models import AuditEvent
from palermo.core.links import hash_token
from tests.worker import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver/accounts/invitation/(?P<token>[\w-]+)/")


@pytest.fixture
def second_admin(make_member, agency):
    return make_member(Role.AGENCY_ADMINISTRATOR, agency=agency)


@pytest.fixture
def sent(settings, django_capture_on_commit_callbacks):
    """Run a service with its emails sent as the worker sends them (on commit, through the task)."""
    settings.TASKS = IMMEDIATE_TASKS

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-sequence").first()


def invite(admin, agency, sent, **fields):
    values = {
        "first_name": "Leila",
        "last_name": "Haddad",
        "email": "l.haddad@example.org",
        "role": "case_manager",
    }
    return sent(
        lambda: services.invitation_create(actor=admin.membership, agency=agency, **{**values, **fields})
    )


def token_from_outbox() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, "no invitation link in the email"
    return match["token"]


def test_an_invitation_creates_the_account_and_emails_a_full_single_use_link(admin, agency, sent):
    invitation = invite(admin, agency, sent)

    user = invitation.user
    assert user.username == user.email == "l.haddad@example.org"
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.CASE_MANAGER
    assert [message.to for message in mail.outbox] == [["l.haddad@example.org"]]
    token = token_from_outbox()
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    event = last_event("user.invite")
    assert (event.actor_id, event.agency_id, event.object_id) == (admin.pk, agency.pk, str(user.pk))


def test_the_link_sets_the_password_once(admin, agency, sent):
    invite(admin, agency, sent)
    token = token_from_outbox()

    user = services.invitation_accept(token=token, password="a long and unusual passphrase 42")

    assert user.check_password("a long and unusual passphrase 42")
    assert last_event("user.invite_accept").actor_id == user.pk
    assert invitation_for_token(token) is None
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, password="another long passphrase 43")


def test_an_expired_link_opens_nothing(admin, agency, sent):
    invitation = invite(admin, agency, sent)
    token = token_from_outbox()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert invitation_for_token(token) is None
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, password="a long and unusual passphrase 42")


def test_sending_again_replaces_the_link(admin, agency, sent):
    invitation = invite(admin, agency, sent)
    first = token_from_outbox()
    sent(lambda: services.invitation_resend(actor=admin.membership, invitation=invitation))
    second = token_from_outbox()

    assert first != second
    assert invitation_for_token(first) is None
    assert invitation_for_token(second) is not None
    assert last_event("user.invite_resend").object_id == str(invitation.user_id)


def test_a_weak_password_is_refused_and_the_link_still_works(admin, agency, sent):
    invite(admin, agency, sent)
    token = token_from_outbox()
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, password="short")
    assert invitation_for_token(token) is not None


def test_an_agency_administrator_invites_only_to_their_agency(admin, make_agency, sent):
    with pytest.raises(PermissionDenied):
        invite(admin, make_agency(AgencyType.SHELTER), sent)
    assert mail.outbox == []


def test_only_a_system_administrator_grants_the_system_administrators_role(
    admin, agency, system_administrator, sent
):
    with pytest.raises(ValidationError) as refused:
        invite(admin, agency, sent, role=Role.SYSTEM_ADMINISTRATOR)
    assert "role" in refused.value.message_dict
    assert invite(system_administrator, agency, sent, role=Role.SYSTEM_ADMINISTRATOR).membership.role == (
        Role.SYSTEM_ADMINISTRATOR
    )


def test_an_address_already_on_record_is_refused(admin, agency, staff, sent):
    with pytest.raises(ValidationError) as refused:
        invite(admin, agency, sent, email=staff.email.upper())
    assert "email" in refused.value.message_dict


def test_roles_are_granted_and_ended_within_the_agency_and_audited(admin, agency, staff, make_agency):
    granted = services.role_grant(
        actor=admin.membership, user=staff, agency=agency, role=Role.FIRST_RESPONDER
    )
    assert last_event("membership.grant").object_id == str(granted.pk)

    services.role_end(actor=admin.membership, membership=granted)
    granted.refresh_from_db()
    assert not granted.is_active
    assert last_event("membership.revoke").object_id == str(granted.pk)

    with pytest.raises(ValidationError):
        services.role_end(actor=admin.membership, membership=granted)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=admin.membership, user=staff, agency=make_agency(), role=Role.CASE_MANAGER)


def test_no_one_ends_the_role_they_act_in(admin):
    with pytest.raises(ValidationError):
        services.role_end(actor=admin.membership, membership=admin.membership)


def test_a_case_worker_administers_nothing(staff, agency, make_member):
    other = make_member(Role.FIRST_RESPONDER, agency=agency)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=staff.membership, user=other, agency=agency, role=Role.CASE_MANAGER)


def test_deactivation_ends_the_sessions_and_is_audited(admin, staff, client_for):
    client = client_for(staff)
    other = client_for(admin)
    assert client.get("/").status_code == 200

    services.user_deactivate(actor=admin.membership, user=staff)

    staff.refresh_from_db()
    assert not staff.is_active
    assert client.get("/").status_code == 302  # back to the sign-in page
    assert other.get("/").status_code == 200  # other accounts' sessions stay
    assert Session.objects.count() == 1
    assert last_event("user.deactivate").object_id == str(staff.pk)
    services.user_reactivate(actor=admin.membership, user=staff)
    assert User.objects.get(pk=staff.pk).is_active
    assert last_event("user.reactivate").object_id == str(staff.pk)


def test_an_agency_administrator_cannot_deactivate_someone_who_also_works_elsewhere(
    admin, staff, make_agency, make_member, system_administrator
):
    make_member(Role.FIRST_RESPONDER, agency=make_agency(AgencyType.POLICE), user=staff)
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admin.membership, user=staff)
    services.user_deactivate(actor=system_administrator.membership, user=staff)
    assert not User.objects.get(pk=staff.pk).is_active


def test_no_one_deactivates_their_own_account(admin):
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admin.membership, user=admin)


def test_a_second_factor_reset_needs_a_second_administrator(admin, second_admin, staff, client_for, sent):
    client = client_for(staff)
    reset = services.second_factor_reset_request(actor=admin.membership, user=staff)
    assert TOTPDevice.objects.filter(user=staff).exists()  # nothing happens on one administrator's word
    assert last_event("user.second_factor_reset_request").object_id == str(staff.pk)

    with pytest.raises(ValidationError):
        services.second_factor_reset_confirm(actor=admin.membership, reset=reset)
    with pytest.raises(ValidationError):
        services.second_factor_reset_request(actor=second_admin.membership, user=staff)  # one at a time

    sent(lambda: services.second_factor_reset_confirm(actor=second_admin.membership, reset=reset))

    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert client.get("/").status_code == 302
    event = last_event("user.second_factor_reset")
    assert (event.actor_id, event.object_id) == (second_admin.pk, str(staff.pk))
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert "http://testserver/accounts/login/" in mail.outbox[0].body


def test_a_system_administrator_may_confirm_a_reset(admin, staff, system_administrator):
    reset = services.second_factor_reset_request(actor=admin.membership, user=staff)
    services.second_factor_reset_confirm(actor=system_administrator.membership, reset=reset)
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_an_administrator_of_another_agency_cannot_confirm(admin, staff, make_member):
    outsider = make_member(Role.AGENCY_ADMINISTRATOR, AgencyType.SHELTER)
    reset = services.second_factor_reset_request(actor=admin.membership, user=staff)
    with pytest.raises(PermissionDenied):
        services.second_factor_reset_confirm(actor=outsider.membership, reset=reset)
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_a_cancelled_reset_changes_nothing(admin, second_admin, staff):
    reset = services.second_factor_reset_request(actor=admin.membership, user=staff)
    services.second_factor_reset_cancel(actor=second_admin.membership, reset=reset)
    assert TOTPDevice.objects.filter(user=staff).exists()
    assert last_event("user.second_factor_reset_cancel").object_id == str(staff.pk)


def test_a_system_administrator_adds_agencies_and_no_one_else(system_administrator, admin):
    agency = services.agency_add(
        actor=system_administrator.membership, name="Harbour Legal Aid", type="legal_aid"
    )
    assert last_event("agency.create").object_id == str(agency.pk)
    with pytest.raises(ValidationError):
        services.agency_add(actor=system_administrator.membership, name="harbour legal aid", type="ngo")
    with pytest.raises(PermissionDenied):
        services.agency_add(actor=admin.membership, name="Another Office", type="ngo")


def test_a_password_reset_email_goes_only_to_an_address_on_record(staff, sent):
    sent(lambda: services.password_reset_ask(email=staff.email.upper()))
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert "http://testserver/accounts/password-reset/" in mail.outbox[0].body
    assert last_event("auth.password_reset_ask").object_id == str(staff.pk)

    mail.outbox.clear()
    sent(lambda: services.password_reset_ask(email="nobody@example.org"))
    assert mail.outbox == []
    assert last_event("auth.password_reset_ask").object_id == ""


def test_no_reset_email_for_an_invitation_not_yet_accepted_or_a_deactivated_account(
    admin, agency, staff, sent
):
    invite(admin, agency, sent)
    mail.outbox.clear()
    services.user_deactivate(actor=admin.membership, user=staff)
    sent(lambda: services.password_reset_ask(email="l.haddad@example.org"))
    sent(lambda: services.password_reset_ask(email=staff.email))
    assert mail.outbox == []
