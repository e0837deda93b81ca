"""Entitlements: generated with the period, due by the rulebook, their statuses closing and reopening their
deadlines, notes only with T4, and `entitlement_provided` for the assistance area."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent
from palermo.core.concurrency import StaleEdit
from palermo.deadlines.models import Deadline
from palermo.reflection.models import Entitlement, EntitlementKind, EntitlementStatus
from palermo.reflection.services.entitlements import entitlement_provided, entitlement_update
from tests.reading import assert_read_in_each_language, in_arabic_only, migrated_from, said_in
from tests.reflection.conftest import backdate, request_period

pytestmark = pytest.mark.django_db


def item(period, kind=EntitlementKind.MEDICAL_CARE):
    found = Entitlement.objects.get(period=period, kind=kind)
    found.period = period
    return found


def update(user, entitlement, status, **fields):
    fields.setdefault("expected_version", entitlement.version)
    return entitlement_update(
        actor=user, membership=user.membership, entitlement=entitlement, status=status, **fields
    )


def deadline(entitlement):
    return Deadline.objects.get(source_type="reflection.entitlement", source_id=str(entitlement.pk))


def test_every_entitlement_the_paper_lists_is_due_by_the_rulebook(running, settings):
    due = {e.kind: e.due_on for e in Entitlement.objects.filter(period=running)}
    assert set(due) == set(EntitlementKind.values)
    # osce-2005 [entitlements]
    days = {
        "safe_accommodation": 1,
        "legal_information": 3,
        "legal_assistance": 7,
        "medical_care": 3,
        "psychosocial_care": 7,
        "material_assistance": 3,
        "interpretation": 1,
    }
    assert due == {kind: running.starts_on + datetime.timedelta(days=n) for kind, n in days.items()}
    assert all(e.status == EntitlementStatus.DUE for e in Entitlement.objects.filter(period=running))


def test_provided_closes_the_deadline_and_due_reopens_it(running, manager):
    medical = item(running)
    provided = update(manager, medical, "provided", note="Seen by the clinic's general practitioner.")
    assert (provided.status, provided.status_on, provided.note) == (
        "provided",
        timezone.localdate(),
        "Seen by the clinic's general practitioner.",
    )
    assert deadline(medical).done_at is not None
    again = update(manager, item(running), "due")
    assert (again.status, again.status_on) == ("due", None)
    assert deadline(medical).done_at is None
    entries = CaseEvent.objects.filter(case=running.case, kind="entitlement")
    assert entries.count() == 2 and all(e.tier == 1 for e in entries)
    assert "Medical care" in entries.first().summary
    tiers = list(AuditEvent.objects.filter(action="reflection.entitlement").order_by("sequence"))
    assert [event.tier for event in tiers] == [4, 1]


def test_declined_and_not_needed_are_recorded_with_their_day(running, manager):
    backdate(running.case, timezone.now() - datetime.timedelta(days=5))
    with pytest.raises(ValidationError, match="before the referral"):
        update(manager, item(running), "declined", on=timezone.localdate() - datetime.timedelta(days=6))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    declined = update(manager, item(running, "interpretation"), "declined", on=yesterday)
    assert (declined.status, declined.status_on) == ("declined", yesterday)
    not_needed = update(manager, item(running, "safe_accommodation"), "not_needed")
    assert deadline(not_needed).done_at is not None


def test_bad_input_changes_nothing(running, manager):
    medical = item(running)
    with pytest.raises(ValidationError):
        update(manager, medical, "provided", on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        update(manager, medical, "lost")
    update(manager, medical, "provided")
    with pytest.raises(StaleEdit):
        update(manager, medical, "declined")  # the version read before the first save
    assert item(running).status == "provided"


def test_a_service_provider_records_a_status_but_no_note(make_member, make_case, responder):
    provider = make_member(Role.SERVICE_PROVIDER)
    period = request_period(responder, make_case(team=(responder, provider)))
    noted = update(responder, item(period), "provided", note="Needs a follow-up visit.")
    with pytest.raises(PermissionDenied):
        update(provider, item(period), "declined", note="Declined.")
    changed = update(provider, item(period), "declined")
    assert changed.status == "declined" and item(period).note == noted.note
    outsider = make_member(Role.SERVICE_PROVIDER)
    with pytest.raises(PermissionDenied):
        update(outsider, item(period), "due")


def test_entitlement_provided_for_other_areas(running, manager, team_case, make_case, responder):
    # Earlier than now, yet not before the referral (an hour ago is yesterday just after midnight).
    when = max(timezone.now() - datetime.timedelta(hours=1), team_case.opened_at)
    provided = entitlement_provided(
        team_case, "legal_assistance", actor=manager, membership=manager.membership, when=when
    )
    assert provided is not None
    assert (provided.status, provided.status_on) == ("provided", timezone.localdate(when))
    assert deadline(provided).done_at is not None
    # Already provided: unchanged, no second entry.
    entitlement_provided(team_case, "legal_assistance", actor=manager, membership=manager.membership)
    assert CaseEvent.objects.filter(case=team_case, kind="entitlement").count() == 1
    # No period: nothing to record.
    other = make_case(team=(responder,))
    assert (
        entitlement_provided(other, "medical_care", actor=responder, membership=responder.membership) is None
    )
    with pytest.raises(ValueError):
        entitlement_provided(team_case, "housing", actor=manager, membership=manager.membership)


def entitlement_entry(running, manager):
    update(manager, item(running), "provided")
    return CaseEvent.objects.filter(case=running.case, message__startswith="Entitlement:").latest("pk")


def test_the_timeline_says_an_entitlement_in_each_readers_language(running, manager):
    entry = entitlement_entry(running, manager)
    assert entry.summary == "Entitlement: Medical care, provided"
    assert_read_in_each_language(lambda: entry.summary_for_reader, ", fourni")


def test_the_migration_keeps_an_earlier_status_in_its_context(running, manager):
    """Migration 0004 of reflection: an entry written with the English word reads in Arabic."""
    migration = "palermo.reflection.migrations.0004_entitlement_status_words_for_each_reader"
    entry = migrated_from(
        entitlement_entry(running, manager), "status", "provided", migration, "statuses_in_their_context"
    )
    assert entry.message_arguments["status"] == "entitlement status in a sentence\x04provided"
    assert in_arabic_only(said_in("ar", lambda: entry.summary_for_reader))
