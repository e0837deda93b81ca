"""The account services put their writes on the record: ids only, and only when something changed."""

from __future__ import annotations

import pytest

from palermo.accounts import services
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-sequence").first()


def test_agency_and_user_creation_are_recorded_by_id(system_administrator):
    agency = services.agency_create(name="Agency 7Q", type=AgencyType.SHELTER, actor=system_administrator)
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == ("agency.create", "agency", str(agency.pk))
    assert event.actor == system_administrator
    user = services.user_create(username="staff.x71", password="a long synthetic passphrase 71")
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == ("user.create", "user", str(user.pk))
    assert event.actor is None  # no actor given: the system
    assert "staff.x71" not in event.reason + event.object_id


def test_grant_and_revoke_are_recorded_once_each(make_user, make_agency, system_administrator):
    user, agency = make_user(), make_agency()
    membership = services.membership_grant(
        user=user, agency=agency, role=Role.GUARDIAN, actor=system_administrator
    )
    granted = last_event()
    assert (granted.action, granted.object_id, granted.actor) == (
        "membership.grant",
        str(membership.pk),
        system_administrator,
    )
    services.membership_grant(user=user, agency=agency, role=Role.GUARDIAN)
    assert last_event() == granted  # already granted: nothing new
    services.membership_revoke(membership=membership, actor=system_administrator)
    revoked = last_event()
    assert (revoked.action, revoked.object_id) == ("membership.revoke", str(membership.pk))
    services.membership_revoke(membership=membership)
    assert last_event() == revoked
    services.membership_grant(user=user, agency=agency, role=Role.GUARDIAN)
    assert last_event().action == "membership.grant"  # granted again after a revocation


def test_a_failed_service_leaves_no_event(make_agency):
    agency = make_agency()
    before = last_event()
    with pytest.raises(Exception):  # noqa: B017 - the duplicate name is refused by validation
        services.agency_create(name=agency.name, type=AgencyType.NGO)
    assert last_event() == before
