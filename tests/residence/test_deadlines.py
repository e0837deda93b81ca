"""Residence deadlines with a moving clock: the decision due after lodging, the appeal's decision, a permit's
expiry and its renewal window; completed when decided or renewed, dropped when withdrawn. And the protection
from removal that permits and pending asylum give the non-removal look-up."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from palermo.deadlines.models import Deadline
from palermo.reflection.protection import protected_until
from palermo.residence.services.applications import (
    DECISION_DUE_KIND,
    EXPIRY_KIND,
    RENEWAL_KIND,
    application_withdraw,
)
from palermo.residence.services.decisions import APPEAL_DUE_KIND, appeal_lodge
from tests.residence.conftest import days_ago, decide, lodge

pytestmark = pytest.mark.django_db


def deadline(kind, source):
    return Deadline.objects.get(kind=kind, source_id=str(source.pk))


def overdue(kind):
    return Deadline.objects.filter(kind=kind, done_at__isnull=True, due_at__lt=timezone.now())


def test_the_decision_falls_due_with_the_clock_and_closes_when_decided(team_case, manager, clock):
    application = lodge(manager, team_case)
    due = deadline(DECISION_DUE_KIND, application)
    assert timezone.localdate(due.due_at) == timezone.localdate() + datetime.timedelta(days=60)
    assert not overdue(DECISION_DUE_KIND).exists()
    clock.advance(days=61)
    assert list(overdue(DECISION_DUE_KIND)) == [due]
    decide(manager, application)
    assert deadline(DECISION_DUE_KIND, application).done_at is not None


def test_the_rulebook_gives_the_decision_period(team_case, manager, settings, monkeypatch):
    from palermo.core import rulebooks

    real_rule = rulebooks.rule
    monkeypatch.setattr(
        "palermo.residence.services.applications.rule",
        lambda key: 14 if key == "residence.application_decision_days" else real_rule(key),
    )
    application = lodge(manager, team_case, lodged_on=days_ago(4))
    assert timezone.localdate(deadline(DECISION_DUE_KIND, application).due_at) == days_ago(-10)


def test_a_correction_moves_the_deadline_and_a_withdrawal_drops_it(team_case, manager):
    from palermo.residence.services.applications import application_correct

    application = lodge(manager, team_case, lodged_on=days_ago(5))
    application = application_correct(
        actor=manager,
        membership=manager.membership,
        application=application,
        authority="Immigration Office",
        lodged_on=days_ago(50),
        expected_version=1,
    )
    assert timezone.localdate(deadline(DECISION_DUE_KIND, application).due_at) == days_ago(-10)
    application_withdraw(
        actor=manager, membership=manager.membership, application=application, expected_version=2
    )
    assert not Deadline.objects.filter(source_id=str(application.pk), kind=DECISION_DUE_KIND).exists()


def test_permit_expiry_and_renewal_window(team_case, manager, clock):
    permit = decide(manager, lodge(manager, team_case)).permit
    expiry, window = deadline(EXPIRY_KIND, permit), deadline(RENEWAL_KIND, permit)
    assert timezone.localdate(expiry.due_at) == permit.valid_to
    assert timezone.localdate(window.due_at) == permit.valid_to - datetime.timedelta(days=60)
    clock.advance(days=(permit.valid_to - timezone.localdate()).days - 59)
    assert list(overdue(RENEWAL_KIND)) == [window]
    assert not overdue(EXPIRY_KIND).exists()
    renewal = lodge(manager, team_case, "renewal", renews=permit)
    assert deadline(RENEWAL_KIND, permit).done_at is not None  # asked for
    assert deadline(EXPIRY_KIND, permit).done_at is None  # not yet renewed
    decide(manager, renewal)
    assert deadline(EXPIRY_KIND, permit).done_at is not None


def test_an_appeal_s_decision_is_due_too(team_case, manager):
    application = lodge(manager, team_case, "asylum", lodged_on=days_ago(40))
    decide(manager, application, "refused", refusal_ground="not_eligible", decided_on=days_ago(30))
    application.refresh_from_db()
    appeal = appeal_lodge(
        actor=manager,
        membership=manager.membership,
        application=application,
        body="Refugee Appeals Board",
        lodged_on=days_ago(20),
        grounds="",
        expected_version=application.version,
    )
    assert timezone.localdate(deadline(APPEAL_DUE_KIND, appeal).due_at) == days_ago(-40)
    decide(manager, application)
    assert deadline(APPEAL_DUE_KIND, appeal).done_at is not None


def test_permits_and_pending_asylum_protect_from_removal(team_case, manager, clock):
    assert protected_until(team_case) is None
    asylum = lodge(manager, team_case, "asylum", lodged_on=days_ago(10))
    assert protected_until(team_case) == days_ago(-50)
    clock.advance(days=80)  # overdue: protected today, ask again
    assert protected_until(team_case) == timezone.localdate()
    clock.advance(days=-80)
    decide(manager, asylum, "refused", refusal_ground="not_eligible")
    assert protected_until(team_case) is None
    permit = decide(manager, lodge(manager, team_case)).permit
    assert protected_until(team_case) == permit.valid_to
    clock.advance(days=(permit.valid_to - timezone.localdate()).days + 1)
    assert protected_until(team_case) is None
