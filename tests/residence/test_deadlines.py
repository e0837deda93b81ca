"""Residence deadlines with a moving clock: the decision due after lodging, the appeal's decision (after the
rulebook's appeal period, not the first decision's, on the deadline, the page, the section and the API), a
permit's expiry and its renewal window; completed when decided or renewed, dropped when withdrawn. And the
protection from removal that permits and pending asylum (or asylum under appeal) give the non-removal
look-up."""

from __future__ import annotations

import datetime
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from palermo.access.services import case_team_add
from palermo.deadlines.models import Deadline
from palermo.reflection.protection import (
    UNTIL_DECIDED,
    protected_until,
    register_protection_source,
    remove_protection_source,
)
from palermo.reflection.selectors import identification_protected_until
from palermo.residence.services.applications import DECISION_DUE_KIND, EXPIRY_KIND, RENEWAL_KIND
from palermo.residence.services.decisions import APPEAL_DUE_KIND
from tests.residence.conftest import appeal_refusal, correct, days_ago, decide, lodge, withdraw

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
    from palermo.core.rulebooks import rulebook

    book = rulebook()
    residence = book.residence.model_copy(update={"application_decision_days": 14})
    monkeypatch.setattr(
        "palermo.residence.services.applications.rulebook",
        lambda: book.model_copy(update={"residence": residence}),
    )
    application = lodge(manager, team_case, lodged_on=days_ago(4))
    assert timezone.localdate(deadline(DECISION_DUE_KIND, application).due_at) == days_ago(-10)


def test_a_correction_moves_the_deadline_and_a_withdrawal_drops_it(team_case, manager):
    application = lodge(manager, team_case, lodged_on=days_ago(5))
    application = correct(manager, application, lodged_on=days_ago(50), expected_version=1)
    assert timezone.localdate(deadline(DECISION_DUE_KIND, application).due_at) == days_ago(-10)
    withdraw(manager, application, expected_version=2)
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


def _refused_and_appealed(manager, case, kind="temporary"):
    """Lodged 40 days ago, refused 30 days ago, appealed 20 days ago."""
    application = lodge(manager, case, kind, lodged_on=days_ago(40))
    decide(manager, application, "refused", refusal_ground="not_eligible", decided_on=days_ago(30))
    return application, appeal_refusal(manager, application, lodged_on=days_ago(20))


def test_an_appeal_s_decision_is_due_too(team_case, manager):
    application, appeal = _refused_and_appealed(manager, team_case, "asylum")
    # The paper's rulebook gives the appeal body 90 days (a working default), the first decision 60.
    assert timezone.localdate(deadline(APPEAL_DUE_KIND, appeal).due_at) == days_ago(-70)
    decide(manager, application)
    assert deadline(APPEAL_DUE_KIND, appeal).done_at is not None


@pytest.fixture
def appeal_period(tmp_path, settings):
    """Make the active rulebook (a copy of the paper's) give appeals `days` to be decided."""

    def use(days: int) -> None:
        paper = (Path(settings.RULEBOOK_DIR) / "osce-2005.toml").read_text(encoding="utf-8")
        assert "\nappeal_decision_days = 90\n" in paper
        changed = paper.replace("\nappeal_decision_days = 90\n", f"\nappeal_decision_days = {days}\n")
        (tmp_path / "osce-2005.toml").write_text(changed, encoding="utf-8")
        settings.RULEBOOK_DIR = tmp_path
        settings.PALERMO_RULEBOOK = "osce-2005"

    return use


@pytest.mark.parametrize("days", [21, 45])
def test_the_appeal_s_decision_follows_the_rulebook_s_appeal_period(
    team_case, manager, client_for, appeal_period, days
):
    appeal_period(days)
    application, appeal = _refused_and_appealed(manager, team_case)
    due = days_ago(20 - days)
    assert timezone.localdate(deadline(APPEAL_DUE_KIND, appeal).due_at) == due
    first = deadline(DECISION_DUE_KIND, application)  # the first decision's period is its own
    assert timezone.localdate(first.due_at) == days_ago(-20) and first.done_at is not None
    client = client_for(manager)
    args = [team_case.reference, application.pk]
    page = client.get(reverse("residence:application", args=args)).content.decode()
    assert "Decision on appeal due" in page and due.isoformat() in page
    section = client.get(reverse("residence:section", args=[team_case.reference]), HTTP_HX_REQUEST="true")
    section = section.content.decode()
    assert f'<time datetime="{due.isoformat()}">' in section
    body = client.get(reverse("api-residence-application", args=args)).json()
    assert (body["status"], body["decision_due_on"]) == ("appealed", due.isoformat())


@pytest.fixture
def residence_sources_only():
    """The case is referred and not yet decided, which protects it too: these tests look at residence's own
    sources, so the identification source is set aside while they run."""
    remove_protection_source(identification_protected_until)
    yield
    register_protection_source(identification_protected_until)


def test_asylum_under_appeal_protects_until_the_appeal_is_decided(
    team_case, manager, clock, appeal_period, residence_sources_only
):
    appeal_period(45)
    application, _appeal = _refused_and_appealed(manager, team_case, "asylum")
    assert protected_until(team_case) == UNTIL_DECIDED
    clock.advance(days=26)  # overdue: still protected, with no end date
    assert protected_until(team_case) == UNTIL_DECIDED
    clock.advance(days=-26)
    application.refresh_from_db()
    decide(manager, application, "refused", refusal_ground="not_eligible")
    assert protected_until(team_case) is None


def test_permits_and_pending_asylum_protect_from_removal(team_case, manager, clock, residence_sources_only):
    assert protected_until(team_case) is None
    asylum = lodge(manager, team_case, "asylum", lodged_on=days_ago(10))
    assert protected_until(team_case) == UNTIL_DECIDED
    clock.advance(days=80)  # overdue: still protected until decided
    assert protected_until(team_case) == UNTIL_DECIDED
    clock.advance(days=-80)
    decide(manager, asylum, "refused", refusal_ground="not_eligible")
    assert protected_until(team_case) is None
    permit = decide(manager, lodge(manager, team_case)).permit
    assert protected_until(team_case) == permit.valid_to
    clock.advance(days=(permit.valid_to - timezone.localdate()).days + 1)
    assert protected_until(team_case) is None


def test_the_decision_awaits_the_migration_authority_on_the_team(team_case, manager, officer):
    """Recorded by the NGO's case manager, the decision is the migration authority's to take: its deadline is
    that authority's, and its appeal's too."""
    application = lodge(manager, team_case)
    assert deadline(DECISION_DUE_KIND, application).responsible_agency == officer.membership.agency
    appeal = appeal_refusal(
        manager, decide(officer, application, "refused", refusal_ground="other").application
    )
    assert deadline(APPEAL_DUE_KIND, appeal).responsible_agency == officer.membership.agency


def test_without_a_migration_authority_the_lead_agency_follows_it_up(make_case, manager, officer):
    case = make_case(team=(manager,))
    application = lodge(manager, case)
    assert deadline(DECISION_DUE_KIND, application).responsible_agency == case.lead_agency
    # The migration authority joins the team: the open decision deadline goes to it.
    case_team_add(
        actor=manager,
        membership=manager.membership,
        case=case,
        agency=officer.membership.agency,
        reason="The migration directorate decides the application.",
    )
    assert deadline(DECISION_DUE_KIND, application).responsible_agency == officer.membership.agency


def test_the_migration_officer_finds_the_decision_among_their_own_deadlines(
    team_case, manager, officer, client_for
):
    lodge(manager, team_case)
    page = client_for(officer).get(reverse("deadlines:due"), {"scope": "mine"}).content.decode()
    assert "Residence or asylum application: decision due" in page and team_case.reference in page


def test_the_migration_gives_earlier_decision_deadlines_to_the_migration_authority(
    team_case, manager, officer
):
    """Migration 0005 of residence: an open decision deadline written with the recording agency moves to the
    case team's migration authority; a done one stays."""
    migration = import_module(
        "palermo.residence.migrations.0005_decision_deadlines_with_the_migration_authority"
    )
    pending, decided = lodge(manager, team_case), lodge(manager, team_case, kind="asylum")
    decide(officer, decided)
    for application in (pending, decided):
        Deadline.objects.filter(pk=deadline(DECISION_DUE_KIND, application).pk).update(
            responsible_agency=manager.membership.agency  # as written before
        )
    migration.to_the_deciding_agency(django_apps, None)
    assert deadline(DECISION_DUE_KIND, pending).responsible_agency == officer.membership.agency
    assert deadline(DECISION_DUE_KIND, decided).responsible_agency == manager.membership.agency
