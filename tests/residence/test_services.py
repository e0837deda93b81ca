"""Residence services: permits never shorter than the rulebook's minimum, a refusal on non-cooperation refused
where the rulebook forbids it (allowed where it does not), asylum in parallel with permits, renewals, appeals,
withdrawals, the humanitarian assessment, the child's views and guards, and the roles allowed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, EventKind
from palermo.core.concurrency import StaleEdit
from palermo.core.decisions import (
    DecisionSubject,
    register_guard,
    register_listener,
    remove_guard,
    remove_listener,
)
from palermo.residence.models import Application, ApplicationStatus, Decision, Finding, Permit, PermitKind
from palermo.residence.services.decisions import add_months, minimum_valid_to
from tests.reading import assert_read_in_each_language, in_arabic_only, migrated_from, said_in
from tests.residence.conftest import appeal_refusal, assess, correct, days_ago, decide, lodge, withdraw

pytestmark = pytest.mark.django_db

COOPERATION_REASONS = "Refused because she refused to cooperate with the police."


def test_a_grant_gives_a_permit_of_at_least_the_rulebook_minimum(team_case, manager):
    application = lodge(manager, team_case, lodged_on=days_ago(20))
    decision = decide(manager, application, decided_on=days_ago(5))
    permit = decision.permit
    assert (permit.kind, permit.valid_from) == (PermitKind.TEMPORARY, days_ago(5))
    assert permit.valid_to == add_months(days_ago(5), 6) - datetime.timedelta(days=1)
    assert (permit.allows_work, permit.allows_study, permit.renewable, permit.rulebook) == (
        True,
        True,
        True,
        "osce-2005",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED and application.version == 2


def test_a_shorter_permit_is_refused_and_nothing_changes(team_case, manager):
    application = lodge(manager, team_case)
    start = days_ago(0)
    with pytest.raises(ValidationError) as refused:
        decide(
            manager, application, valid_from=start, valid_to=add_months(start, 6) - datetime.timedelta(days=2)
        )
    assert refused.value.code == "too_short"
    application.refresh_from_db()
    assert (application.status, application.version) == (ApplicationStatus.PENDING, 1)
    assert not Decision.objects.exists() and not Permit.objects.exists()


def test_the_minimum_follows_the_rulebook(team_case, manager, settings):
    settings.PALERMO_RULEBOOK = "nl-b8-3"  # twelve months
    start = datetime.date(2026, 1, 31)
    assert minimum_valid_to(start) == datetime.date(2027, 1, 30)
    with pytest.raises(ValidationError):
        decide(manager, lodge(manager, team_case), valid_to=add_months(days_ago(0), 8))
    settings.PALERMO_RULEBOOK = "coe-cets197"  # no minimum
    permit = decide(
        manager, lodge(manager, team_case), valid_to=days_ago(0) + datetime.timedelta(days=30)
    ).permit
    assert permit.valid_to == days_ago(0) + datetime.timedelta(days=30)


@pytest.mark.parametrize(
    ("ground", "reasons", "code"),
    [
        ("non_cooperation", "The conditions were assessed.", "cooperation_ground"),
        ("other", COOPERATION_REASONS, "cooperation_condition"),
    ],
)
def test_a_refusal_on_non_cooperation_is_refused_under_the_paper(team_case, manager, ground, reasons, code):
    application = lodge(manager, team_case)
    with pytest.raises(ValidationError) as refused:
        decide(manager, application, "refused", refusal_ground=ground, reasons=reasons)
    assert refused.value.code == code
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_a_refusal_on_non_cooperation_stands_where_the_rulebook_allows_it(team_case, manager, settings):
    settings.PALERMO_RULEBOOK = "coe-cets197"  # art. 14(1)(b)
    decision = decide(
        manager,
        lodge(manager, team_case),
        "refused",
        refusal_ground="non_cooperation",
        reasons=COOPERATION_REASONS,
    )
    assert decision.refusal_ground == "non_cooperation" and decision.application.status == "refused"


def test_reasons_that_mention_the_police_neutrally_pass(team_case, manager):
    reasons = "She did not wish to testify; regardless of this, the conditions of the status are not met."
    decision = decide(
        manager, lodge(manager, team_case), "refused", refusal_ground="not_eligible", reasons=reasons
    )
    assert decision.reasons == reasons


def test_asylum_runs_in_parallel_with_permits(team_case, manager):
    asylum = lodge(manager, team_case, "asylum", lodged_on=days_ago(30))
    permit_application = lodge(manager, team_case, lodged_on=days_ago(10))
    decide(manager, permit_application)
    asylum.refresh_from_db()
    assert asylum.status == ApplicationStatus.PENDING
    another = lodge(manager, team_case, "humanitarian")  # nothing closes another application
    protection = decide(manager, asylum).permit
    assert protection.kind == PermitKind.PROTECTION
    assert Permit.objects.filter(case=team_case).count() == 2
    assert Application.objects.get(pk=another.pk).status == ApplicationStatus.PENDING
    events = CaseEvent.objects.filter(case=team_case)
    assert events.filter(kind=EventKind.ASYLUM).count() == 3  # lodged, permit, decision
    assert events.filter(kind=EventKind.RESIDENCE).exists()


def test_permanent_residence_needs_its_route(team_case, manager):
    with pytest.raises(ValidationError):
        lodge(manager, team_case, "permanent")
    application = lodge(manager, team_case, "permanent", route="judicial_cooperation")
    permit = decide(manager, application).permit
    assert (permit.kind, permit.route) == (PermitKind.PERMANENT, "judicial_cooperation")


def test_a_renewal_follows_the_permit_it_renews(team_case, manager):
    first = decide(
        manager, lodge(manager, team_case, lodged_on=days_ago(100)), decided_on=days_ago(90)
    ).permit
    renewal = lodge(manager, team_case, "renewal", renews=first)
    with pytest.raises(ValidationError) as twice:
        lodge(manager, team_case, "renewal", renews=first)
    assert twice.value.code == "renewal_pending"
    second = decide(manager, renewal).permit
    first.refresh_from_db()
    assert first.renewed_by == second
    assert second.valid_from == first.valid_to + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        lodge(manager, team_case, "renewal", renews=first)  # renewed already


def test_no_renewal_of_another_case_s_permit(team_case, manager, make_case):
    other = make_case(team=(manager,))
    permit = decide(manager, lodge(manager, other)).permit
    with pytest.raises(ValidationError) as refused:
        lodge(manager, team_case, "renewal", renews=permit)
    assert refused.value.code == "renews"


def test_appeal_then_decision_on_appeal(team_case, manager):
    application = lodge(manager, team_case, "humanitarian", lodged_on=days_ago(50))
    refusal = decide(manager, application, "refused", refusal_ground="safe_return", decided_on=days_ago(20))
    appeal = appeal_refusal(
        manager, application, lodged_on=days_ago(10), grounds="The risk of retaliation was not weighed."
    )
    assert appeal.refused_by == refusal
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPEALED
    on_appeal = decide(manager, application)
    assert on_appeal.appeal == appeal and on_appeal.permit.kind == PermitKind.HUMANITARIAN
    with pytest.raises(ValidationError) as closed:
        decide(manager, application)
    assert closed.value.code == "transition"


def test_a_stale_version_is_refused(team_case, manager):
    application = lodge(manager, team_case)
    decide(manager, application)
    with pytest.raises(StaleEdit):
        decide(manager, application, reasons="Again.", expected_version=1)


def test_humanitarian_assessment_criteria(team_case, manager):
    application = lodge(manager, team_case, "humanitarian")
    findings = {"retaliation_risk": Finding.PRESENT, "children_present": Finding.ABSENT}
    assessment = assess(manager, application, findings, "The recruiter lives in the family's village.")
    assert assessment.retaliation_risk == "present" and assessment.refoulement_risk == "unknown"
    with pytest.raises(StaleEdit):
        assess(manager, application)  # as if there were none yet
    updated = assess(manager, application, {"refoulement_risk": Finding.PRESENT}, expected_version=1)
    assert (updated.version, updated.refoulement_risk, updated.retaliation_risk) == (2, "present", "unknown")
    with pytest.raises(ValidationError):
        assess(manager, lodge(manager, team_case, "asylum"))


def test_a_child_s_decision_needs_the_child_s_views(make_case, manager, monkeypatch):
    # The children area's best-interest guard is tested there; here only the child's views are at stake.
    monkeypatch.setattr("palermo.core.decisions._guards", [])
    case = make_case(team=(manager,), is_child=True)
    application = lodge(manager, case)
    with pytest.raises(ValidationError):
        decide(manager, application)
    views = {"child_views": "Wants to stay and go to school.", "child_age_when_heard": 15}
    decision = decide(manager, application, child_views=views)
    assert decision.child_age_when_heard == 15


def test_a_child_s_legal_status_waits_for_the_best_interest_determination(make_case, manager):
    case = make_case(team=(manager,), is_child=True)
    views = {"child_views": "Wants to stay.", "child_age_when_heard": 15}
    with pytest.raises(ValidationError) as blocked:
        decide(manager, lodge(manager, case), child_views=views)
    assert blocked.value.code == "blocked"


def test_guards_apply_with_the_subject(team_case, manager):
    seen = []

    def guard(case, subject):
        seen.append(subject)
        return (
            "Wait for the best-interest determination." if subject == DecisionSubject.RESETTLEMENT else None
        )

    register_guard(guard)
    try:
        with pytest.raises(ValidationError) as blocked:
            decide(manager, lodge(manager, team_case, "resettlement"))
        assert blocked.value.code == "blocked"
        decide(manager, lodge(manager, team_case))
    finally:
        remove_guard(guard)
    assert seen == [DecisionSubject.RESETTLEMENT, DecisionSubject.LEGAL_STATUS]


def test_listeners_hear_of_each_decision_after_commit(team_case, manager, django_capture_on_commit_callbacks):
    heard = []
    register_listener(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decision = decide(manager, lodge(manager, team_case, "asylum"))
    finally:
        remove_listener(heard.append)
    assert [(event.object_id, event.subject) for event in heard] == [
        (decision.pk, DecisionSubject.LEGAL_STATUS)
    ]
    assert "Granted" in heard[0].label


def test_the_migration_officer_decides_with_reasons_at_t2(team_case, officer):
    application = lodge(officer, team_case, "asylum")  # a migration officer records applications (T1)
    decision = decide(officer, application)  # and decides them: the reasons are legal status (T2)
    assert (decision.decided_by, decision.permit.kind) == (officer, PermitKind.PROTECTION)
    refusal = decide(officer, lodge(officer, team_case), "refused", refusal_ground="insufficient_evidence")
    assert refusal.refusal_ground == "insufficient_evidence"
    with pytest.raises(ValidationError) as refused:
        decide(officer, lodge(officer, team_case), "refused", refusal_ground="non_cooperation")
    assert refused.value.code == "cooperation_ground"  # the paper's rule binds the authority itself
    decided = AuditEvent.objects.filter(case=team_case, action="residence.decide", actor=officer)
    assert sorted(decided.values_list("tier", flat=True)) == [2, 2]


def test_the_migration_officer_writes_no_narrative_but_a_child_s_views(
    team_case, manager, officer, make_case, monkeypatch
):
    humanitarian = lodge(manager, team_case, "humanitarian")
    with pytest.raises(PermissionDenied):  # the findings are T4
        assess(officer, humanitarian, {"retaliation_risk": Finding.PRESENT})
    refusal = decide(officer, humanitarian, "refused", refusal_ground="safe_return")
    with pytest.raises(PermissionDenied):  # grounds of appeal are T4
        appeal_refusal(officer, humanitarian, grounds="Risk not weighed.")
    assert appeal_refusal(officer, humanitarian).refused_by == refusal
    with pytest.raises(PermissionDenied):  # narrative on an adult's case is T4
        decide(officer, lodge(officer, team_case), child_views={"child_views": "Wants to stay."})
    monkeypatch.setattr("palermo.core.decisions._guards", [])
    child_case = make_case(team=(manager, officer), is_child=True)
    views = {"child_views": "Wants to stay and go to school.", "child_age_when_heard": 15}
    # Whoever decides on a child's case states the child's views as part of the decision (art. 12 CRC).
    assert decide(officer, lodge(officer, child_case), child_views=views).decided_by == officer
    assert decide(manager, lodge(manager, child_case), child_views=views).decided_by == manager
    tiers = AuditEvent.objects.filter(case=child_case, action="residence.decide").values_list(
        "tier", flat=True
    )
    assert list(tiers) == [4, 4]


def test_who_may_do_what(team_case, manager, make_member, make_case):
    provider = make_member(Role.SERVICE_PROVIDER)
    case = make_case(team=(manager, provider))
    with pytest.raises(PermissionDenied):
        lodge(provider, case)
    outsider = make_member(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        lodge(outsider, team_case)
    other_officer = make_member(Role.MIGRATION_OFFICER)  # of an agency not on the team
    with pytest.raises(PermissionDenied):
        decide(other_officer, lodge(manager, team_case))
    assert not Decision.objects.exists()


def test_withdrawal_and_correction(team_case, manager):
    application = lodge(manager, team_case, lodged_on=days_ago(10))
    corrected = correct(
        manager,
        application,
        authority="Regional Immigration Office",
        lodged_on=days_ago(12),
        expected_version=1,
    )
    assert (corrected.authority, corrected.lodged_on, corrected.version) == (
        "Regional Immigration Office",
        days_ago(12),
        2,
    )
    withdrawn = withdraw(manager, corrected, expected_version=2)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        decide(manager, withdrawn)


def test_every_change_is_audited(team_case, manager):
    decide(manager, lodge(manager, team_case))
    actions = list(AuditEvent.objects.filter(case=team_case).values_list("action", "tier"))
    assert ("residence.lodge", 1) in actions and ("residence.decide", 2) in actions


def test_no_future_days(team_case, manager):
    with pytest.raises(ValidationError):
        lodge(manager, team_case, lodged_on=days_ago(-1))
    with pytest.raises(ValidationError):
        lodge(manager, team_case, lodged_on=days_ago(400))  # before the referral


def decision_entry(team_case, officer):
    decide(officer, lodge(officer, team_case))
    return CaseEvent.objects.filter(case=team_case, message__startswith="Decision on the application").get()


def test_a_decision_reads_in_each_readers_language_on_the_timeline(team_case, officer):
    entry = decision_entry(team_case, officer)
    assert entry.summary == "Decision on the application (Temporary residence permit): Granted"
    assert_read_in_each_language(lambda: entry.summary_for_reader, "Accordée")


def test_the_migration_keeps_an_earlier_outcome_in_its_context(team_case, officer):
    """Migration 0004 of residence: an entry written with "granted" reads the decision's word in Arabic."""
    migration = "palermo.residence.migrations.0004_decision_outcome_words_for_each_reader"
    entry = migrated_from(
        decision_entry(team_case, officer), "outcome", "granted", migration, "outcomes_in_their_context"
    )
    assert entry.message_arguments["outcome"] == "decision outcome\x04Granted"
    assert in_arabic_only(said_in("ar", lambda: entry.summary_for_reader))
