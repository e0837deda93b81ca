"""The demo's history (palermo.demo.history): each case's steps at their own moments, in one time order."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from palermo.access.models import CaseTeamMember
from palermo.access.selectors import break_glass_grants_visible
from palermo.accounts.models import Invitation, Membership
from palermo.accounts.roles import Role
from palermo.anonymous.models import AnonymousNotification
from palermo.audit.models import AuditEvent
from palermo.cases.age import completed_years
from palermo.cases.models import (
    Case,
    CaseControlMeans,
    CaseDocument,
    CaseEvent,
    Consent,
    ConsentGiver,
    DocumentKind,
    LeadTransfer,
    NoteTier,
    Phase,
    TemporaryRepresentative,
)
from palermo.cases.services.intake import draft_data, drafts_of
from palermo.children.models import (
    DurableSolution,
    FamilyAssessment,
    FamilyContact,
    Guardianship,
    LegalStatusDecision,
    TracingRequest,
    TracingStatus,
)
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import Scope, in_scope
from palermo.demo import access, anonymous, areas, exploitation, history, lead, statistics
from palermo.demo import cases as demo
from palermo.demo import privacy as demo_privacy
from palermo.demo.accounts import DEMO_USERS, load_demo_accounts
from palermo.identification.models import (
    Advice,
    AgeAssessment,
    AgeConclusion,
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    Differentiation,
    IdentificationDecision,
    LegalElements,
    ReviewRequest,
    Screening,
    ScreeningStatus,
    Situation,
)
from palermo.justice.models import Detention
from palermo.privacy.models import Anonymisation, LegalHold, RetentionRun
from palermo.privacy.periods import CLOSED_STATES, retention_ends
from palermo.reflection.models import ReflectionExtension
from palermo.residence.models import Appeal, ApplicationStatus, RefusalGround
from palermo.statistics.models import Mechanism, PrivacySpend, Release
from tests.module_data import fast_passwords, kept_for_the_module

DAY = datetime.timedelta(days=1)
OPENED = datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)


def nothing(cases: list[Case], first: int = 0) -> None:
    """A loader that does nothing (the timing is what is tested)."""


def work(phase: str, after: datetime.timedelta, **options: object) -> history.CaseWork:
    return history.CaseWork("an area", nothing, phase, after, **options)  # type: ignore[arg-type]


def moments(**entered_after_days: int) -> history.CaseMoments:
    entered = {Phase.IDENTIFICATION: OPENED}
    entered |= {
        getattr(Phase, name.upper()): OPENED + days * DAY for name, days in entered_after_days.items()
    }
    return history.CaseMoments(entered)


def test_moves_are_spread_from_the_referral_the_first_within_days():
    reached = OPENED + 300 * DAY
    times = history.spread(OPENED, reached, 3, first_within=10 * DAY)
    assert times == sorted(times) and times[0] == OPENED + 10 * DAY and times[-1] == reached
    assert history.spread(OPENED, reached, 0, 10 * DAY) == []
    assert history.spread(OPENED, reached, 1, 10 * DAY) == [reached]


def test_work_comes_after_the_entry_into_its_phase():
    case = moments(reflection=5, assistance=40)
    assert case.work_at(work(Phase.ASSISTANCE, DAY)) == OPENED + 41 * DAY
    # Before the entry when asked, but still after the phase before it.
    assert case.work_at(work(Phase.ASSISTANCE, -3 * DAY)) == OPENED + 37 * DAY
    early = case.work_at(work(Phase.ASSISTANCE, -60 * DAY))
    assert early == OPENED + 5 * DAY + history.AFTER_THE_PHASE_BEFORE


def test_work_of_a_phase_never_reached_is_given_after_the_last_one_or_not_at_all():
    case = moments(reflection=5)
    assert case.work_at(work(Phase.ASSISTANCE, DAY)) == OPENED + 6 * DAY
    assert case.work_at(work(Phase.ASSISTANCE, DAY, only_if_reached=True)) is None
    assert case.work_times(work(Phase.ASSISTANCE, DAY, only_if_reached=True)) == []


def test_work_is_done_before_the_closing_and_before_now():
    closed = OPENED + 20 * DAY
    case = history.CaseMoments({Phase.IDENTIFICATION: OPENED, Phase.REFLECTION: OPENED + 5 * DAY}, closed)
    assert case.work_at(work(Phase.REFLECTION, 90 * DAY)) == closed - history.NOT_AFTER_NOW
    recent = moments(reflection=1)
    assert recent.work_at(work(Phase.REFLECTION, 9000 * DAY)) < timezone.now()


def test_recent_work_on_old_cases_is_spread_over_the_span():
    span = 60 * DAY
    before = timezone.now()
    times = [
        history.CaseMoments({Phase.IDENTIFICATION: OPENED}, draw=draw).work_at(
            work(Phase.IDENTIFICATION, DAY, recent=span)
        )
        for draw in (0.0, 0.5, 0.99)
    ]
    assert times == sorted(times) and len(set(times)) == 3
    assert all(before - span <= at < timezone.now() for at in times)


def test_repeated_work_falls_at_its_interval_until_the_closing():
    closed = OPENED + 100 * DAY
    case = history.CaseMoments({Phase.IDENTIFICATION: OPENED}, closed)
    times = case.work_times(work(Phase.IDENTIFICATION, 10 * DAY, every=30 * DAY))
    assert times == [OPENED + days * DAY for days in (10, 40, 70)]


def test_steps_run_in_time_order_with_the_clock_at_their_moment_and_never_going_back():
    seen: list[tuple[str, datetime.datetime]] = []

    def step(name: str, at: datetime.datetime, number: int) -> history.Step:
        return history.Step(at, number, lambda: seen.append((name, timezone.now())))

    later, earlier = OPENED + DAY, OPENED
    history.replay([step("later", later, 0), step("earlier", earlier, 1), step("same moment", earlier, 2)])
    assert [name for name, _ in seen] == ["earlier", "same moment", "later"]
    assert earlier <= seen[0][1] < seen[1][1] < later <= seen[2][1] < later + datetime.timedelta(seconds=5)


@pytest.fixture(scope="module")
def demo_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """A 40-case demo history with the areas' work, built once for the module's tests (tests/module_data.py:
    each test's changes are rolled back after it)."""
    # Before any test's own document store (tests/conftest.py): the demo's documents go to a store of the
    # module's, never to the checkout's var/.
    store = override_settings(DOCUMENT_STORE=tmp_path_factory.mktemp("demo-documents"))
    with kept_for_the_module(django_db_blocker), store:
        with django_db_blocker.unblock(), fast_passwords():
            load_demo_accounts("demo-password-for-tests")
            demo.load_demo_cases(40, work=areas.CASE_WORK, events=areas.EVENTS)
        yield


@pytest.fixture
def demo_history(demo_world: None, db: None) -> list[Case]:
    """The demo's own cases (on teams), not the statistics' history of referrals."""
    return list(Case.objects.filter(team_members__isnull=False).distinct().order_by("opened_at"))


@pytest.mark.django_db
def test_the_demo_cases_were_opened_over_years_and_each_moved_on_at_its_own_moments(demo_history):
    today = timezone.localdate()
    opened = [timezone.localdate(case.opened_at) for case in demo_history]
    assert len({day.year for day in opened}) >= 3 and max(opened) <= today
    assert (today - min(opened)).days > 2 * 365
    spans = []
    for case in demo_history:
        times = list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("occurred_at", flat=True))
        assert times == sorted(times) and times[0] >= case.opened_at
        spans.append(times[-1] - case.opened_at)
    # Moved on over months, not all on the day of the referral.
    assert sum(span > 30 * DAY for span in spans) >= len(spans) // 4


@pytest.mark.django_db
def test_the_demo_audit_chain_reads_in_time_order_after_the_accounts(demo_history):
    first_case_event = AuditEvent.objects.filter(case__isnull=False).order_by("sequence").first()
    times = list(
        AuditEvent.objects.filter(sequence__gte=first_case_event.sequence)
        .order_by("sequence")
        .values_list("time", flat=True)
    )
    assert times == sorted(times) and times[0] < timezone.now() - 365 * DAY


@pytest.mark.django_db
def test_the_demo_worklists_have_work_overdue_due_soon_and_later_but_old_work_done(demo_history):
    now = timezone.now()
    open_deadlines = Deadline.objects.filter(done_at__isnull=True).exclude(case__phase=Phase.CLOSED)
    overdue = open_deadlines.filter(due_at__lt=now)
    assert overdue.exists() and open_deadlines.filter(due_at__gte=now).exists()
    # The years of work behind the old cases are done: what is overdue is a minority of what is open.
    assert overdue.count() < open_deadlines.count() / 2
    # A referral is not left for months without its first decision, but for a few.
    waiting = overdue.filter(kind="identification.presumed_victim_decision", due_at__lt=now - 60 * DAY)
    still_in_identification = Case.objects.filter(phase=Phase.IDENTIFICATION).count()
    assert waiting.count() <= still_in_identification / 2
    assert Deadline.objects.filter(done_at__isnull=False, done_at__lt=now - 180 * DAY).exists()


def test_work_for_a_case_that_stayed_in_its_phase_only_once_it_stayed_long_enough():
    stayed = work(Phase.IDENTIFICATION, 12 * DAY, stayed=45 * DAY)
    assert moments().work_at(stayed) == OPENED + 12 * DAY  # opened long ago, still in identification
    assert moments(reflection=5).work_at(stayed) is None  # moved on
    fresh = history.CaseMoments({Phase.IDENTIFICATION: timezone.now() - 10 * DAY})
    assert fresh.work_at(stayed) is None  # not waiting long enough yet


@pytest.mark.django_db
def test_each_demo_officer_holds_cases_of_their_own_and_sees_their_due_work(demo_history):
    """On three cases in four that their agency works on, the demo officer alone is on the team: their own
    lists (home, "Due and overdue") show that work, as a real officer's do. The rest have the whole agency."""
    whole_agency = 0
    for role in demo.NAMED_OFFICERS:
        username = next(name for name, demo_role, _ in DEMO_USERS if demo_role == role)
        officer = Membership.objects.select_related("user", "agency").get(user__username=username, role=role)
        entries = CaseTeamMember.objects.filter(agency=officer.agency, removed_at__isnull=True)
        assert entries.filter(user=officer.user).exists(), role
        assert not entries.exclude(user=officer.user).exclude(user__isnull=True).exists(), role
        whole_agency += entries.filter(user__isnull=True).count()
        assert in_scope(officer, Scope.MINE).filter(done_at__isnull=True).exists(), role
    assert whole_agency


@pytest.mark.django_db
def test_the_demo_guardian_is_named_on_each_childs_team_and_sees_the_childrens_due_work(demo_history):
    guardian = Membership.objects.select_related("user").get(user__username="demo.guardian")
    children = Guardianship.objects.filter(guardian=guardian.user, ended_at__isnull=True).values("case")
    assert children.exists()
    named = CaseTeamMember.objects.filter(user=guardian.user, removed_at__isnull=True)
    assert set(children.values_list("case", flat=True)) <= {entry.case_id for entry in named}
    assert in_scope(guardian, Scope.MINE).filter(done_at__isnull=True, case__in=children).exists()


@pytest.mark.django_db
def test_the_demo_s_anonymous_notifications_were_recorded_over_its_years_as_people_were_met(demo_history):
    notifications = list(AnonymousNotification.objects.select_related("agency"))
    assert len(notifications) == anonymous.PER_YEAR * demo.DEMO_YEARS
    assert len({item.met_in.year for item in notifications}) >= 3
    for item in notifications:
        # Recorded the month the person was met, by one of the demo's referring agencies; an adult's facts.
        met = timezone.localtime(item.recorded_at).date()
        assert (item.met_in.year, item.met_in.month) == (met.year, met.month)
        assert item.age_group not in ("0-8", "9-17")
        assert item.exploitation_month is None or item.exploitation_month <= item.met_in
    assert {item.agency.name for item in notifications} == {
        "Demo Labour Inspectorate",
        "Demo Safe Harbour NGO",
    }
    assert any(item.exploitation_region for item in notifications)
    assert any(not item.rights_information_given for item in notifications)
    # A second load adds none.
    assert anonymous.steps(timezone.now() - 30 * DAY, timezone.now(), 1, iter(range(99))) == []


@pytest.mark.django_db
def test_each_demo_decision_was_informed_by_a_completed_screening_and_a_positive_one_by_the_legal_elements(
    demo_history,
):
    decisions = IdentificationDecision.objects.filter(kind=DecisionKind.PRESUMED, case__in=demo_history)
    assert decisions.filter(outcome=DecisionOutcome.POSITIVE).exists()
    assert decisions.filter(outcome=DecisionOutcome.NEGATIVE).exists()
    for decision in decisions:
        screening = Screening.objects.get(case=decision.case)
        assert screening.status == ScreeningStatus.COMPLETE and screening.completed_at < decision.decided_at
        wanted = Advice.VICTIM if decision.outcome == DecisionOutcome.POSITIVE else Advice.NOT_VICTIM
        assert screening.advice == wanted, (decision.case_id, screening.advice)
        elements = LegalElements.objects.filter(case=decision.case).first()
        assert (elements is not None) == (decision.outcome == DecisionOutcome.POSITIVE)
    # The referrals still waiting for a decision have their screening in progress.
    waiting = Case.objects.filter(
        pk__in=[case.pk for case in demo_history],
        phase=Phase.IDENTIFICATION,
        identification_decisions__isnull=True,
    )
    assert waiting.exists()
    assert all(Screening.objects.filter(case=case, status=ScreeningStatus.DRAFT).exists() for case in waiting)


@pytest.mark.django_db
def test_a_demo_child_in_long_term_solutions_has_a_durable_solution_and_a_secured_legal_status(demo_history):
    solutions = DurableSolution.objects.select_related("case")
    assert solutions.exists()
    for solution in solutions:
        assert solution.case.is_child
        assert LegalStatusDecision.objects.filter(case=solution.case).count() == 1
        entered = CaseEvent.objects.filter(case=solution.case).order_by("pk").first()
        assert entered is not None and solution.decided_on >= timezone.localdate(entered.occurred_at)
    # Where the tracing found a relative, the relative was contacted and the family assessed.
    found = TracingRequest.objects.filter(case__in=demo_history, status=TracingStatus.FOUND)
    assert found.exists()
    for tracing in found:
        assert FamilyContact.objects.filter(tracing=tracing).exists()
        assert FamilyAssessment.objects.filter(case=tracing.case).exists()


@pytest.mark.django_db
def test_some_demo_asylum_refusals_were_appealed_on_the_evidence_never_on_cooperation(demo_history):
    appeals = list(Appeal.objects.select_related("application", "refused_by"))
    assert appeals
    for appeal in appeals:
        assert appeal.application.status == ApplicationStatus.APPEALED
        assert appeal.refused_by.refusal_ground == RefusalGround.INSUFFICIENT_EVIDENCE
        assert appeal.lodged_on >= appeal.refused_by.decided_on
        # Its decision is due at the migration authority, as a refusal's appeal is.
        assert Deadline.objects.filter(case=appeal.application.case, done_at__isnull=True).exists()


@pytest.mark.django_db
def test_demo_emergency_accesses_were_reviewed_within_days_and_two_of_today_wait(demo_history):
    dpo = Membership.objects.get(user__username="demo.dpo")
    seen = break_glass_grants_visible(dpo)
    assert seen.exists()
    for grant in seen:
        assert grant.reviewed_by == dpo.user and grant.reviewed_at - grant.granted_at <= 4 * DAY
    access.load_demo(demo_history)
    waiting = list(break_glass_grants_visible(dpo).filter(reviewed_at__isnull=True))
    assert len(waiting) == 2 and all(grant.case.phase == Phase.REFLECTION for grant in waiting)
    access.load_demo(demo_history)  # a second load opens none while those wait
    assert break_glass_grants_visible(dpo).filter(reviewed_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_each_demo_referral_has_its_first_interview_attached_the_day_after(demo_history):
    for case in demo_history:
        statement = CaseDocument.objects.get(case=case, kind=DocumentKind.STATEMENT)
        assert statement.tier == NoteTier.NARRATIVE and statement.content_type.startswith("text/plain")
        assert case.opened_at < statement.created_at <= case.opened_at + 2 * DAY
    assert CaseDocument.objects.filter(kind=DocumentKind.IDENTITY, tier=NoteTier.IDENTITY).exists()


@pytest.mark.django_db
def test_the_demo_cases_say_when_where_and_how_the_exploitation_happened_and_an_adult_was_exploited_as_one(
    demo_history,
):
    recorded = [case for case in demo_history if case.exploitation_began is not None]
    assert len(recorded) >= len(demo_history) * 3 // 4
    for case in recorded:
        assert case.exploitation_ended is None or case.exploitation_began <= case.exploitation_ended
        assert case.exploitation_began <= timezone.localdate(case.opened_at)
        # An adult's case says the person was exploited as a child only when they turned 18 within the period.
        if case.child_when_exploited and not case.is_child:
            born = case.persons.get().birth_date
            assert born is not None and completed_years(born, case.exploitation_began) < 18
        if case.is_child:
            assert case.child_when_exploited
        forms = set(case.exploitation_forms.values_list("form", flat=True))
        if case.exploitation_sector:
            assert forms & set(exploitation.SECTORS)
    controlled = CaseControlMeans.objects.filter(case__in=recorded).values("case").distinct()
    assert controlled.count() >= len(recorded) // 2
    assert {case.recruiter_relationship for case in recorded} > {""}


@pytest.mark.django_db
def test_an_estimated_age_was_assessed_and_the_assessment_kept_each_case_as_it_was(demo_history):
    assessments = list(AgeAssessment.objects.select_related("case"))
    assert assessments
    for assessment in assessments:
        case = assessment.case
        assert case.persons.filter(age_uncertain=True).exists()
        child = {AgeConclusion.CHILD, AgeConclusion.INCONCLUSIVE}
        expected = child if case.is_child else {AgeConclusion.ADULT}
        assert assessment.conclusion in expected and assessment.findings


@pytest.mark.django_db
def test_some_cases_the_inspectorate_led_were_handed_to_the_ngo_a_week_into_reflection(demo_history):
    transfers = list(LeadTransfer.objects.select_related("case", "from_agency", "to_agency"))
    assert transfers
    for transfer in transfers:
        assert (transfer.from_agency.name, transfer.to_agency.name) == (
            "Demo Labour Inspectorate",
            lead.TO,
        )
        assert transfer.case.lead_agency_id == transfer.to_agency_id
        # The inspectorate stays on the team.
        assert CaseTeamMember.objects.filter(case=transfer.case, agency=transfer.from_agency).exists()


@pytest.mark.django_db
def test_some_reflection_periods_were_extended_while_they_ran(demo_history):
    extensions = list(ReflectionExtension.objects.select_related("period"))
    assert extensions
    for extension in extensions:
        assert extension.new_end > extension.previous_end
        assert timezone.localdate(extension.extended_at) <= extension.previous_end
        assert extension.period.ends_on >= extension.new_end and extension.reason


@pytest.mark.django_db
def test_people_referred_from_detention_were_released_days_later(demo_history):
    detentions = list(Detention.objects.select_related("case"))
    assert detentions
    for detention in detentions:
        assert detention.starts_on == timezone.localdate(detention.case.opened_at)
        assert detention.ends_on is not None and (detention.ends_on - detention.starts_on).days <= 7


@pytest.mark.django_db
def test_the_responder_has_two_referrals_in_progress_begun_in_the_last_days(demo_history):
    responder = Membership.objects.get(user__username="demo.responder")
    drafts = list(drafts_of(responder))
    assert len(drafts) == 2
    assert all(timezone.now() - draft.updated_at < 4 * DAY for draft in drafts)
    assert all(draft_data(draft)["given_names"] for draft in drafts)


@pytest.mark.django_db
def test_the_rapporteur_published_each_year_s_figures_and_the_eurostat_release_over_the_years(demo_history):
    releases = list(Release.objects.order_by("created_at"))
    yearly = [release for release in releases if release.title.startswith("National figures")]
    assert len(yearly) >= 2 and len(releases) == 2 * len(yearly)
    for release in yearly:
        year = int(release.title.rsplit(" ", 1)[1])
        assert release.snapshot == datetime.date(year + 1, 1, 31)
        assert timezone.localdate(release.created_at) == datetime.date(year + 1, 2, 20)
    # The latest year's with differential privacy, spending part of that year's budget.
    assert yearly[-1].mechanism == Mechanism.LAPLACE
    assert {release.mechanism for release in yearly[:-1]} == {Mechanism.NONE}
    spent = PrivacySpend.objects.get(release=yearly[-1])
    assert spent.epsilon == statistics.YEARLY_EPSILON
    # The figures counted the statistics' history of referrals, loaded as the demo's years began.
    assert Case.objects.filter(team_members__isnull=True, opened_at__date__lte=yearly[0].snapshot).exists()


@pytest.mark.django_db
def test_a_child_was_referred_at_once_and_a_temporary_representative_consented_until_the_guardian(
    demo_history,
):
    children = [case for case in demo_history if case.is_child]
    assert children
    for case in children:
        representative = TemporaryRepresentative.objects.get(case=case)
        assert representative.since == timezone.localdate(case.opened_at) and representative.name
        consents = Consent.objects.select_related("child_views")
        consent = consents.get(case=case, given_by=ConsentGiver.TEMPORARY)
        assert consent.given_at - case.opened_at <= datetime.timedelta(hours=2)
        assert consent.child_views.views or consent.child_views.not_heard_reason
        # The guardian, once appointed, acts for the child: the representation ended then.
        guardian = Guardianship.objects.filter(case=case).first()
        assert (representative.ended_at is not None) == (guardian is not None)


@pytest.mark.django_db
def test_some_negative_decisions_were_reconsidered_on_new_information_and_stood(demo_history):
    requests = list(ReviewRequest.objects.select_related("decision", "review"))
    assert requests
    for request in requests:
        original = request.decision
        assert (original.kind, original.outcome) == (DecisionKind.PRESUMED, DecisionOutcome.NEGATIVE)
        assert request.requested_at > original.decided_at
        if request.review is not None:
            assert request.review.outcome == DecisionOutcome.NEGATIVE
            assert request.review.procedure == DecisionProcedure.RECONSIDERATION
            assert request.review.decided_at > request.requested_at


@pytest.mark.django_db
def test_each_negative_decision_says_what_the_situation_was_instead(demo_history):
    first = IdentificationDecision.objects.filter(case__in=demo_history, reviews__isnull=True)
    negatives = first.filter(kind=DecisionKind.PRESUMED, outcome=DecisionOutcome.NEGATIVE)
    assert negatives.exists()
    for decision in negatives:
        found = Differentiation.objects.get(case=decision.case)
        assert found.situation != Situation.TRAFFICKING and found.reasons
        assert found.recorded_at < decision.decided_at


@pytest.mark.django_db
def test_the_agency_administrator_invited_a_colleague_yesterday_who_has_not_yet_accepted(demo_history):
    invitation = Invitation.objects.select_related("membership", "invited_by").get()
    assert invitation.invited_by.username == "demo.agencyadmin"
    assert invitation.membership.role == Role.CASE_MANAGER and not invitation.user.has_usable_password()
    assert timezone.now() - invitation.created_at < 2 * DAY


@pytest.mark.django_db
def test_the_retention_run_ran_each_night_and_anonymised_each_case_on_the_day_its_period_ended(demo_history):
    runs = list(RetentionRun.objects.order_by("day"))
    days = [run.day for run in runs]
    assert days == [days[0] + DAY * number for number in range(len(days))]  # every night, none missed
    assert days[-1] == timezone.localdate() - DAY  # today's is today's (palermo.demo.privacy.load_demo)
    assert days[0] <= timezone.localdate() - 365 * DAY  # since cases could first have reached their day
    anonymised = list(Anonymisation.objects.select_related("case"))
    assert sum(run.report["anonymised"] for run in runs) == len(anonymised)
    for done in anonymised:
        assert done.why == Anonymisation.Why.RETENTION
        assert timezone.localdate(done.done_at) == retention_ends(done.case)


@pytest.mark.django_db
def test_today_the_dpo_held_the_case_closest_to_its_day_and_erased_one_at_the_person_s_request(demo_history):
    demo_privacy.load_demo(demo_history)
    hold = LegalHold.objects.select_related("case", "placed_by").get()
    assert hold.placed_by.username == demo_privacy.DEMO_DPO and hold.case.status in CLOSED_STATES
    erased = Anonymisation.objects.select_related("case").get(why=Anonymisation.Why.ERASURE)
    assert erased.case.status in CLOSED_STATES and erased.case != hold.case
    demo_privacy.load_demo(demo_history)  # a second load adds nothing
    assert LegalHold.objects.count() == 1
    assert Anonymisation.objects.filter(why=Anonymisation.Why.ERASURE).count() == 1


@pytest.mark.django_db
def test_a_second_load_runs_no_night_again_and_keeps_what_each_run_reported(demo_history, monkeypatch):
    """A night run again would report nothing anonymised (its cases were), and rewrite what it did."""
    reports = dict(RetentionRun.objects.values_list("day", "report"))
    runs: list[datetime.date] = []
    monkeypatch.setattr(demo_privacy, "run_and_report", runs.append)
    end = datetime.datetime.combine(timezone.localdate(), datetime.time(), tzinfo=datetime.UTC)
    again = demo_privacy.steps(demo.history_start(), end, demo.DEMO_YEARS, itertools.count())
    assert len(again) == len(reports)
    history.replay(again)
    assert runs == []
    assert dict(RetentionRun.objects.values_list("day", "report")) == reports
