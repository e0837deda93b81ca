"""The period's services: opened by the decision hook (idempotent, failures recorded), on request, for the
rulebook's length never below its minimum; extensions where the rulebook allows them; early end; deadlines,
timeline and audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from freezegun import freeze_time

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent
from palermo.core.concurrency import StaleEdit
from palermo.core.periods import add_months
from palermo.core.rulebooks import Period
from palermo.deadlines.models import Deadline
from palermo.identification.events import PresumedVictimDecided
from palermo.reflection.models import EntitlementKind, OpenedBy, ReflectionExtension, ReflectionPeriod
from palermo.reflection.protection import UNTIL_DECIDED
from palermo.reflection.selectors import protected_until, reflection_protected_until
from palermo.reflection.services import periods
from palermo.reflection.services.periods import (
    open_on_presumed_victim,
    period_end_early,
    period_extend,
    period_open_on_decision,
)
from tests.reflection.conftest import backdate, decide, request_period

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def extend(user, period, days=30, reason="Medical treatment continues.", version=None):
    return period_extend(
        actor=user,
        membership=user.membership,
        period=period,
        days=days,
        reason=reason,
        expected_version=version or period.version,
    )


def end_early(user, period, on=None, reason="The person returned home of her own choice.", version=None):
    return period_end_early(
        actor=user,
        membership=user.membership,
        period=period,
        on=on,
        reason=reason,
        expected_version=version or period.version,
    )


def test_a_positive_presumed_decision_opens_the_period_from_its_day(
    team_case, authority, clock, django_capture_on_commit_callbacks
):
    referred = timezone.now() - datetime.timedelta(days=20)
    case = backdate(team_case, referred)
    decided_at = referred + datetime.timedelta(days=2)
    decision = decide(authority, case, django_capture_on_commit_callbacks, decided_at=decided_at)
    period = ReflectionPeriod.objects.get(case=case)
    start = timezone.localdate(decided_at)
    assert (period.opened_by, period.decision_id, period.agency_id) == (
        OpenedBy.DECISION,
        decision.pk,
        authority.membership.agency_id,
    )
    # osce-2005: three calendar months, minimum three months; the day counts follow from the start.
    ends = add_months(start, 3)
    assert (period.starts_on, period.ends_on, period.length_days, period.minimum_days, period.rulebook) == (
        start,
        ends,
        (ends - start).days,
        (ends - start).days,
        "osce-2005",
    )
    assert reflection_protected_until([case.pk]) == period.ends_on
    # The identified victim decision is pending: protected until it is taken (rulebook [protection]).
    assert protected_until(case) == UNTIL_DECIDED
    # The system opened it: no user on the timeline entry nor on the audit event.
    event = CaseEvent.objects.get(case=case, kind="reflection")
    assert event.actor_id is None and date_format(period.ends_on) in event.summary
    assert AuditEvent.objects.get(case=case, action="reflection.open").actor_id is None
    # Moving the clock past the end: no protection left from the period; the pending decision still protects.
    clock.advance(days=(period.ends_on - timezone.localdate()).days + 1)
    assert reflection_protected_until([case.pk]) is None
    assert protected_until(case) == UNTIL_DECIDED


def test_the_hook_is_idempotent(team_case, authority, django_capture_on_commit_callbacks):
    decision = decide(authority, team_case, django_capture_on_commit_callbacks)
    again = PresumedVictimDecided(decision.pk, team_case.pk, decision.decided_at, on_review=False)
    open_on_presumed_victim(again)
    assert ReflectionPeriod.objects.filter(case=team_case).count() == 1
    assert Deadline.objects.filter(case=team_case, kind="reflection.end").count() == 1
    assert AuditEvent.objects.filter(case=team_case, action="reflection.open").count() == 1


def test_a_failing_opening_is_recorded_and_not_raised(team_case, authority, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(periods, "period_open_on_decision", broken)
    event = PresumedVictimDecided(12345, team_case.pk, timezone.now(), on_review=False)
    open_on_presumed_victim(event)  # does not raise: the decision stands
    failure = AuditEvent.objects.get(action="reflection.open_failed")
    assert (failure.case_id, failure.object_id, failure.actor_id) == (team_case.pk, "12345", None)
    assert not ReflectionPeriod.objects.exists()


def test_a_period_on_request_is_linked_to_the_later_decision(
    team_case, manager, authority, django_capture_on_commit_callbacks
):
    period = request_period(manager, team_case)
    assert (period.opened_by, period.requested_by_id, period.starts_on) == (
        OpenedBy.REQUEST,
        manager.pk,
        timezone.localdate(),
    )
    decision = decide(authority, team_case, django_capture_on_commit_callbacks)
    period.refresh_from_db()
    assert period.decision_id == decision.pk and period.opened_by == OpenedBy.REQUEST
    assert ReflectionPeriod.objects.count() == 1
    with pytest.raises(ValidationError, match="already has"):
        request_period(manager, team_case)


def test_a_negative_or_identified_decision_opens_nothing(team_case, authority):
    from palermo.identification.services.decisions import DecisionInput, decision_take

    negative = DecisionInput("negative", ["elements_not_met"], "The account describes a consensual crossing.")
    decision = decision_take(
        actor=authority, membership=authority.membership, case=team_case, kind="presumed", data=negative
    )
    assert period_open_on_decision(decision_id=decision.pk) is None
    assert not ReflectionPeriod.objects.exists()


def test_the_length_is_never_below_the_minimum(team_case, manager, monkeypatch):
    # A file like this is refused when loaded; the service does not count on it.
    book = periods.rulebook()
    reflection = book.reflection.model_copy(update={"length": Period(days=10), "minimum": Period(days=30)})
    monkeypatch.setattr(periods, "rulebook", lambda: book.model_copy(update={"reflection": reflection}))
    period = request_period(manager, team_case)
    assert (period.length_days, period.ends_on - period.starts_on) == (30, datetime.timedelta(days=30))


@pytest.mark.parametrize(
    ("today", "ends"),
    [
        (datetime.date(2026, 11, 30), datetime.date(2027, 2, 28)),  # no 30 February: the month's last day
        (datetime.date(2027, 11, 30), datetime.date(2028, 2, 29)),  # a leap year
        (datetime.date(2026, 3, 1), datetime.date(2026, 6, 1)),  # 92 days, not 90
    ],
)
def test_under_the_paper_a_period_ends_three_calendar_months_later(team_case, manager, today, ends):
    with freeze_time(datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)):
        period = request_period(manager, team_case)
    assert (period.starts_on, period.ends_on, period.length_days) == (today, ends, (ends - today).days)
    assert period.minimum_days == (ends - today).days


def test_the_active_rulebook_gives_the_length(team_case, manager, settings):
    settings.PALERMO_RULEBOOK = "coe-cets197"
    period = request_period(manager, team_case)
    assert (period.length_days, period.rulebook) == (30, "coe-cets197")
    assert period.ends_on == timezone.localdate() + datetime.timedelta(days=30)


def test_opening_writes_the_end_and_every_entitlement_as_deadlines(team_case, manager):
    period = request_period(manager, team_case)
    deadlines = {d.kind: d for d in Deadline.objects.filter(case=team_case)}
    expected = {"reflection.end"} | {f"reflection.entitlement.{kind}" for kind in EntitlementKind.values}
    assert set(deadlines) == expected
    assert timezone.localtime(deadlines["reflection.end"].due_at).date() == period.ends_on
    # osce-2005: safe accommodation within 1 day, legal assistance within 7.
    accommodation = deadlines["reflection.entitlement.safe_accommodation"]
    assert timezone.localtime(accommodation.due_at).date() == period.starts_on + datetime.timedelta(days=1)
    # The rulebook gives accommodation to the team's NGO (the case manager's agency), not the lead agency.
    assert accommodation.responsible_agency.type == "ngo"
    assert accommodation.responsible_agency_id != team_case.lead_agency_id
    legal = deadlines["reflection.entitlement.legal_assistance"]
    assert timezone.localtime(legal.due_at).date() == period.starts_on + datetime.timedelta(days=7)


def test_the_entitlements_open_in_as_many_queries_whatever_their_owners(
    team_case, manager, django_assert_num_queries
):
    from palermo.reflection.services.entitlements import entitlements_open

    period = request_period(manager, team_case)
    period.entitlements.all().delete()
    Deadline.objects.filter(case=team_case, kind__startswith="reflection.entitlement.").delete()
    # One insert per entitlement (its sealed fields), the owners in one query, the deadlines in one insert.
    with django_assert_num_queries(len(EntitlementKind) + 2):
        entitlements_open(period)
    kinds = set(Deadline.objects.filter(case=team_case).values_list("kind", flat=True))
    assert {f"reflection.entitlement.{kind}" for kind in EntitlementKind.values} <= kinds


def test_only_the_team_s_managers_open_a_period(team_case, make_member, make_case, manager):
    outsider = make_member(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        request_period(outsider, team_case)
    provider = make_member(Role.SERVICE_PROVIDER)
    case = make_case(team=(manager, provider))
    with pytest.raises(PermissionDenied):
        request_period(provider, case)
    assert not ReflectionPeriod.objects.exists()


def test_an_extension_moves_the_end_with_its_reason(running, manager):
    end = running.ends_on
    extended = extend(manager, running, days=30)
    assert extended.ends_on == end + datetime.timedelta(days=30) and extended.version == running.version + 1
    extension = ReflectionExtension.objects.get(period=running)
    assert (extension.previous_end, extension.new_end, extension.reason) == (
        end,
        extended.ends_on,
        "Medical treatment continues.",
    )
    deadline = Deadline.objects.get(case=running.case, kind="reflection.end")
    assert timezone.localtime(deadline.due_at).date() == extended.ends_on
    assert AuditEvent.objects.get(case=running.case, action="reflection.extend").tier == 2  # legal reasons
    assert CaseEvent.objects.filter(case=running.case, kind="reflection").count() == 2


def test_no_extension_where_the_rulebook_allows_none(running, manager, settings):
    settings.PALERMO_RULEBOOK = "nl-b8-3"  # "at most three months"
    with pytest.raises(ValidationError, match="does not allow"):
        extend(manager, running)
    running.refresh_from_db()
    assert running.version == 1 and not ReflectionExtension.objects.exists()


def test_where_the_state_decides_an_extension_is_not_refused(running, manager, settings):
    # CETS No. 197 art. 13 sets a floor of 30 days and leaves any extension to the Party.
    settings.PALERMO_RULEBOOK = "coe-cets197"
    extended = extend(manager, running)
    assert extended.ends_on > running.ends_on and ReflectionExtension.objects.count() == 1


def test_an_extension_needs_a_reason_and_a_fresh_version(running, manager, authority):
    with pytest.raises(ValidationError):
        extend(manager, running, reason="  ")
    with pytest.raises(ValidationError):
        extend(manager, running, days=0)
    extend(authority, running)
    with pytest.raises(StaleEdit):
        extend(manager, running, version=1)
    assert ReflectionExtension.objects.count() == 1


def test_the_migration_officer_opens_extends_and_ends_a_period(make_member, make_case, responder):
    officer = make_member(Role.MIGRATION_OFFICER)  # on the team, writes T1 and T2 (the reasons) but never T4
    period = request_period(officer, make_case(team=(responder, officer)))
    assert period.requested_by_id == officer.pk
    extended = extend(officer, period, days=20)
    ended = end_early(officer, extended)
    assert (ended.ended_early_by_id, ended.early_end_reason) == (
        officer.pk,
        "The person returned home of her own choice.",
    )
    tiers = AuditEvent.objects.filter(
        case=period.case, action__in=["reflection.extend", "reflection.end_early"]
    )
    assert sorted(tiers.values_list("tier", flat=True)) == [2, 2]


def test_reasons_are_written_only_by_period_managers_who_write_t2(make_member, make_case, responder):
    provider = make_member(Role.SERVICE_PROVIDER)  # on the team, records entitlements, never the period
    period = request_period(responder, make_case(team=(responder, provider)))
    with pytest.raises(PermissionDenied):
        extend(provider, period)
    with pytest.raises(PermissionDenied):
        end_early(provider, period)
    outsider = make_member(Role.MIGRATION_OFFICER)  # another agency, not on the team
    with pytest.raises(PermissionDenied):
        extend(outsider, period)
    assert ReflectionExtension.objects.count() == 0


def test_an_early_end_ends_protection_and_the_end_deadline(running, manager, clock):
    ended = end_early(manager, running)
    today = timezone.localdate()
    assert (ended.ends_on, ended.ended_early_on, ended.early_end_reason) == (
        today,
        today,
        "The person returned home of her own choice.",
    )
    assert Deadline.objects.get(case=running.case, kind="reflection.end").done_at is not None
    assert reflection_protected_until([running.case.pk]) == today
    clock.advance(days=1)
    assert reflection_protected_until([running.case.pk]) is None
    # Identification is still in progress: the referral protects until the presumed-victim decision.
    assert protected_until(running.case) == UNTIL_DECIDED
    with pytest.raises(ValidationError):
        extend(manager, ended)


def test_an_early_end_is_never_in_the_past_nor_after_the_end(running, manager):
    with pytest.raises(ValidationError):
        end_early(manager, running, on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        end_early(manager, running, on=running.ends_on + datetime.timedelta(days=1))
    later = end_early(manager, running, on=running.ends_on - datetime.timedelta(days=10))
    assert later.ends_on == running.ends_on - datetime.timedelta(days=10)
    with pytest.raises(ValidationError, match="running"):
        end_early(manager, later)
