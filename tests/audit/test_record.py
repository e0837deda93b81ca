"""audit_record: what an event carries, how it links to the one before, and what it refuses."""

from __future__ import annotations

from datetime import UTC

import pytest

from palermo.accounts.roles import Role
from palermo.audit.chain import GENESIS_HASH, hash_of
from palermo.audit.models import AuditEvent, ChainHead
from palermo.audit.services import audit_record
from palermo.cases.models import Case
from palermo.core import middleware

pytestmark = pytest.mark.any_audit_action


@pytest.fixture
def case(make_agency):
    return Case.objects.create(lead_agency=make_agency())


def test_event_takes_agency_and_role_from_the_membership(make_member, case):
    user = make_member(Role.CASE_MANAGER, two_factor=False)
    event = audit_record(
        actor=user, membership=user.membership, action="case.read", tier=2, case=case, reason="plan review"
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.agency_id, event.role) == (user, user.membership.agency_id, "case_manager")
    assert (event.case, event.tier, event.action, event.reason) == (case, 2, "case.read", "plan review")
    assert event.time.tzinfo is not None
    assert event.hash == hash_of(event)


def test_events_link_into_a_chain(db):
    first = audit_record(actor=None, action="system.start", tier=0)
    second = audit_record(actor=None, action="system.check", tier=0, object_type="job", object_id=7)
    assert second.sequence == first.sequence + 1
    assert second.prev_hash == first.hash
    assert second.object_id == "7"
    assert ChainHead.objects.get().hash == second.hash
    if first.sequence == 1:
        assert first.prev_hash == GENESIS_HASH


def test_request_id_comes_from_the_current_request(db):
    token = middleware._request_id.set("abc123")
    try:
        event = audit_record(actor=None, action="system.check", tier=0)
    finally:
        middleware._request_id.reset(token)
    assert event.request_id == "abc123"


def test_a_rolled_back_transaction_leaves_no_event_and_no_gap(db):
    from django.db import transaction

    before = audit_record(actor=None, action="system.check", tier=0)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="case.read", tier=2)
        raise RuntimeError("the work failed")
    after = audit_record(actor=None, action="system.check", tier=0)
    assert after.sequence == before.sequence + 1
    assert after.prev_hash == before.hash


@pytest.mark.parametrize("tier", [-1, 5])
def test_tier_out_of_range_is_refused(db, tier):
    with pytest.raises(ValueError, match="tier"):
        audit_record(actor=None, action="case.read", tier=tier)


def test_action_must_be_dotted(db):
    with pytest.raises(ValueError, match="dotted"):
        audit_record(actor=None, action="read", tier=0)


def test_another_users_membership_is_refused(make_member):
    one = make_member(Role.CASE_MANAGER, two_factor=False)
    other = make_member(Role.CASE_MANAGER, two_factor=False)
    with pytest.raises(ValueError, match="membership"):
        audit_record(actor=one, membership=other.membership, action="case.read", tier=1)


def test_time_is_hashed_in_utc(db):
    event = audit_record(actor=None, action="system.check", tier=0)
    assert event.time.astimezone(UTC).utcoffset().total_seconds() == 0
    assert hash_of(AuditEvent.objects.get(pk=event.pk)) == event.hash
