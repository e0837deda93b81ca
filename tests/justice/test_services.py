"""Justice services: hearings as deadlines on every case called (and a review of the risk at once once
held), stages through one transition table, the person's side (choices, compensation with unpaid awards,
non-punishment with the rulebook's legal basis, detention), the timeline entries, the person's dates and the
statistics feed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from palermo.access.matrix import JusticePart
from palermo.cases.dates import DateKind, person_dates
from palermo.cases.facts import note_present_kinds
from palermo.cases.models import Case, CaseEvent, EventKind
from palermo.core.concurrency import StaleEdit
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from palermo.justice import statistics
from palermo.justice.models import InformedChoice
from palermo.justice.selectors import Brief, brief_of, current_risk_assessment
from palermo.justice.services import person, proceedings
from palermo.justice.services.common import HEARING_KIND, MEASURES_REQUEST_KIND, RISK_REVIEW_KIND
from tests.justice.conftest import assess, days_ago, hold_hearing, member, open_proceeding, schedule

pytestmark = pytest.mark.django_db


def test_a_hearing_is_a_deadline_and_its_measures_are_asked_before(team_case, prosecutor):
    proceeding = open_proceeding(prosecutor, team_case)
    hearing = schedule(prosecutor, team_case, proceeding, days=30)
    due = {d.kind: d.due_at.date() for d in Deadline.objects.filter(case=team_case)}
    assert due[HEARING_KIND] == hearing.held_on
    assert due[MEASURES_REQUEST_KIND] == hearing.held_on - datetime.timedelta(
        days=rulebook().justice.hearing_measures_days
    )
    proceedings.hearing_measure_request(
        actor=prosecutor, membership=member(prosecutor), case=team_case, hearing=hearing, kind="video_link"
    )
    asked = Deadline.objects.get(case=team_case, kind=MEASURES_REQUEST_KIND)
    assert asked.done_at is not None
    dates = [d for d in person_dates(team_case) if d.kind == DateKind.HEARING]
    assert [d.on for d in dates] == [hearing.held_on]


def test_a_hearing_held_calls_for_a_risk_review_on_every_case_taking_part(
    team_case, make_case, prosecutor, protector, manager
):
    other = make_case(team=(prosecutor, protector))
    proceeding = open_proceeding(prosecutor, team_case)
    proceedings.proceeding_join(
        actor=prosecutor, membership=member(prosecutor), case=other, proceeding=proceeding, role="witness"
    )
    assess(protector, team_case, assessed_on=days_ago(5))
    assess(protector, other, assessed_on=days_ago(5))
    hearing = schedule(prosecutor, team_case, proceeding, days=0)
    assert Deadline.objects.filter(case=other, kind=HEARING_KIND).exists()
    hold_hearing(prosecutor, team_case, hearing)
    for case in (team_case, other):
        review = Deadline.objects.get(case=case, kind=RISK_REVIEW_KIND, done_at__isnull=True)
        assert review.due_at.date() == timezone.localdate()
        assert Deadline.objects.get(case=case, kind=HEARING_KIND).done_at is not None


def test_stages_move_through_the_table_and_stale_edits_are_refused(team_case, prosecutor):
    proceeding = open_proceeding(prosecutor, team_case)
    who = {"actor": prosecutor, "membership": member(prosecutor), "case": team_case}
    with pytest.raises(ValidationError):
        proceedings.proceeding_update(
            **who,
            proceeding=proceeding,
            stage="appeal",
            outcome="pending",
            expected_version=proceeding.version,
        )
    moved = proceedings.proceeding_update(
        **who,
        proceeding=proceeding,
        stage="prosecution",
        outcome="pending",
        expected_version=proceeding.version,
    )
    with pytest.raises(StaleEdit):
        proceedings.proceeding_update(
            **who,
            proceeding=proceeding,
            stage="trial",
            outcome="pending",
            expected_version=proceeding.version,
        )
    assert moved.stage == "prosecution"


def test_identity_non_disclosure_needs_a_pseudonym(team_case, prosecutor):
    with pytest.raises(ValidationError):
        open_proceeding(prosecutor, team_case, identity_withheld=True, pseudonym="")


def test_the_person_side_and_unpaid_awards(team_case, manager, prosecutor):
    who = {"actor": manager, "membership": member(manager)}
    chose = {
        "legal_information_given": True,
        "lawyer_assigned": False,
        "cooperates": "no",
        "claims_compensation": "yes",
        "testifies": "undecided",
    }
    choice = person.choices_record(**who, case=team_case, language="ro", **chose)
    assert choice.cooperates == "no"
    assert choice.language == "ron"  # kept as the person's own languages are (ISO 639-2)
    with pytest.raises(ValidationError) as refused:
        person.choices_record(**who, case=team_case, language="Romanian, mostly", **chose)
    assert "language" in refused.value.message_dict
    claim = person.claim_record(
        **who, case=team_case, route="back_wages", currency="eur", claimed_amount="1200.5"
    )
    claim = person.claim_award(
        actor=prosecutor,
        membership=member(prosecutor),
        claim=claim,
        awarded_amount="1000",
        expected_version=claim.version,
    )
    person.claim_payment(**who, claim=claim, amount="400", expected_version=claim.version)
    claim.refresh_from_db()
    assert (claim.currency, claim.paid_amount, claim.unpaid) == ("EUR", Decimal("400.00"), Decimal("600.00"))
    with pytest.raises(ValidationError):
        person.claim_payment(**who, claim=claim, amount="700", expected_version=claim.version)
    assert brief_of(team_case, frozenset(JusticePart)).unpaid_awards == 1
    offence = person.offence_record(
        **who,
        case=team_case,
        kind="drug_cultivation",
        status="suspected",
        link="Held in the house and made to tend the plants.",
    )
    request = person.non_punishment_request(**who, offence=offence, prosecutor="Prosecutor", language="en")
    assert request.legal_basis == rulebook().justice.non_punishment_basis
    person.detention_record(**who, case=team_case, authority="Border police", starts_on=days_ago(2))
    assert brief_of(team_case, frozenset(JusticePart)).detained
    kinds = list(
        CaseEvent.objects.filter(case=team_case, kind=EventKind.PROCEEDINGS).values_list("summary", flat=True)
    )
    assert len(kinds) == 7


def test_the_brief_asks_only_of_what_the_case_holds(team_case, manager, django_assert_num_queries):
    """On the page that noted the case's kinds, the brief reads nothing of a case without justice records,
    and once it holds some reads in one query what the full read says."""
    noted = Case.objects.get(pk=team_case.pk)
    note_present_kinds(noted)
    with django_assert_num_queries(0):
        assert brief_of(noted, frozenset(JusticePart)) == Brief()
    who = {"actor": manager, "membership": member(manager)}
    person.detention_record(**who, case=team_case, authority="Border police", starts_on=days_ago(2))
    noted = Case.objects.get(pk=team_case.pk)
    note_present_kinds(noted)
    with django_assert_num_queries(1):
        brief = brief_of(noted, frozenset(JusticePart))
    assert brief == brief_of(team_case, frozenset(JusticePart))
    assert brief.detained


@pytest.mark.parametrize("who", ["officer", "protector"])
def test_the_person_side_is_not_theirs_to_write(team_case, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        person.choices_record(
            actor=user,
            membership=member(user),
            case=team_case,
            language="en",
            legal_information_given=True,
            lawyer_assigned=False,
            cooperates="yes",
            claims_compensation="no",
            testifies="yes",
        )


def test_the_statistics_feed_counts_without_naming(team_case, make_case, manager, prosecutor, protector):
    proceeding = open_proceeding(prosecutor, team_case)
    second = make_case(team=(prosecutor,))
    proceedings.proceeding_join(
        actor=prosecutor, membership=member(prosecutor), case=second, proceeding=proceeding, role="witness"
    )
    hearing = schedule(prosecutor, team_case, proceeding, days=10)
    measure = proceedings.hearing_measure_request(
        actor=prosecutor,
        membership=member(prosecutor),
        case=team_case,
        hearing=hearing,
        kind="closed_hearing",
    )
    proceedings.hearing_measure_decide(
        actor=prosecutor,
        membership=member(prosecutor),
        case=team_case,
        measure=measure,
        decision="granted",
        expected_version=1,
    )
    who = {"actor": manager, "membership": member(manager)}
    claim = person.claim_record(
        **who, case=team_case, route="state_fund", currency="EUR", claimed_amount="500"
    )
    person.claim_award(**who, claim=claim, awarded_amount="300", expected_version=claim.version)
    offence = person.offence_record(**who, case=team_case, kind="irregular_entry", status="charged", link="x")
    request = person.non_punishment_request(**who, offence=offence, prosecutor="P", language="en")
    person.non_punishment_outcome(**who, request=request, outcome="not_prosecuted", expected_version=1)
    feed = statistics.feed()
    assert feed["proceedings_by_stage"] == [
        {"kind": "criminal", "stage": "investigation", "proceedings": 1, "cases": 2}
    ]
    assert feed["hearing_measures"] == [
        {"kind": "closed_hearing", "requested": 1, "granted": 1, "refused": 0, "not_honoured": 0}
    ]
    (money,) = feed["compensation"]
    assert (money["claimed"], money["awarded"], money["paid"], money["unpaid"], money["awards_unpaid"]) == (
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("0.00"),
        Decimal("300.00"),
        1,
    )
    assert feed["non_punishment"]["granted"] == 1 and feed["non_punishment"]["pending"] == 0
    assert team_case.reference not in repr(feed)
    assert statistics.feed(since=timezone.localdate() + datetime.timedelta(days=1))["compensation"] == []


def test_current_risk_assessment_reads_in_one_query(team_case, protector, django_assert_num_queries):
    assess(protector, team_case)
    with django_assert_num_queries(1):
        assert current_risk_assessment(team_case) is not None


def test_the_migration_keeps_two_letter_languages_as_iso_639_2(team_case, manager):
    """Migration 0004 of justice: a choice recorded with "ro" before reads "ron"; what is no code stays."""
    migration = import_module("palermo.justice.migrations.0004_informed_choice_language_iso_639_2")
    values = {"legal_information_given": True, "lawyer_assigned": False}
    who = {"actor": manager, "membership": member(manager)}
    answers = {"cooperates": "no", "claims_compensation": "yes", "testifies": "undecided"}
    kept = [
        person.choices_record(**who, case=team_case, language="ron", **values, **answers) for _ in range(3)
    ]
    for choice, old in zip(kept, ("ro", "EN", "Romani"), strict=True):
        InformedChoice.objects.filter(pk=choice.pk).update(language=old)
    migration.to_iso_639_2(django_apps, None)
    assert [InformedChoice.objects.get(pk=c.pk).language for c in kept] == ["ron", "eng", "Romani"]
