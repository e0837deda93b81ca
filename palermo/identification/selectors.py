"""Reads of identification data. Instruments are reference data (T0): any member may read them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, TextChoices
from django.http import Http404
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from palermo.access.selectors import case_for, cases_on_team_of
from palermo.access.tiered import note_read
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.dates import DateKind, PersonDate
from palermo.cases.facts import has_none, nothing, preloaded
from palermo.cases.models import Case, CaseExploitation, Phase
from palermo.cases.records import record_on_case
from palermo.deadlines.models import Deadline as DeadlineRow
from palermo.identification.coverage import Coverage, coverage, forms_without_instrument
from palermo.identification.deadlines import IDENTIFIED_KIND, PRESUMED_KIND, REVIEW_KIND, decision_deadline
from palermo.identification.models import (
    Advice,
    AgeAssessment,
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    Differentiation,
    Dimension,
    IdentificationDecision,
    Indicator,
    Instrument,
    LegalElements,
    ReviewRequest,
    Screening,
    ScreeningAnswer,
    ScreeningDimensionResult,
)
from palermo.identification.roles import ASSESSMENT_READERS, DECISION_READERS, SCREENING_READERS
from palermo.identification.rules import (
    Answer,
    DimensionSpec,
    Evaluation,
    Group,
    IndicatorSpec,
    Verdict,
    Weight,
    evaluate,
    evaluate_dimension,
    group_verdicts,
)


def instruments_all() -> QuerySet[Instrument]:
    return Instrument.objects.order_by("name", "-imported_at", "-id")


def instrument_with_indicators(queryset: QuerySet[Instrument] | None = None) -> QuerySet[Instrument]:
    """Instruments with their dimensions and indicators in two more queries, whatever their number."""
    dimensions = Dimension.objects.order_by("position").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
    )
    return (queryset if queryset is not None else instruments_all()).prefetch_related(
        Prefetch("dimensions", queryset=dimensions)
    )


def instrument_find(name: str, version: str | None = None) -> Instrument | None:
    """By name, and version when given; without a version, the one imported last."""
    found = instrument_with_indicators().filter(name=name)
    if version is not None:
        found = found.filter(version=version)
    return found.first()


def instrument_specs(instrument: Instrument) -> tuple[DimensionSpec, ...]:
    """The instrument as the pure rule reads it (use an instrument from instrument_with_indicators)."""
    return tuple(
        DimensionSpec(
            key=dimension.key,
            group=Group(dimension.group),
            indicators=tuple(
                IndicatorSpec(
                    text=indicator.text,
                    adult_weight=Weight(indicator.adult_weight),
                    child_weight=Weight(indicator.child_weight) if indicator.child_weight else None,
                )
                for indicator in dimension.indicators.all()
            ),
        )
        for dimension in instrument.dimensions.all()
    )


# ---------------------------------------------------------------------------------------------------------
# Screenings: narrative data (T4). Reads go through the access policy; missing and forbidden are one 404.
# ---------------------------------------------------------------------------------------------------------


def case_at(
    membership: Membership, reference: str, tier: Tier, *, roles: frozenset[Role], reason: str = ""
) -> Case:
    """The case, if the membership's role is among `roles` and the policy lets it read `tier` (else 404)."""
    if membership.role not in roles:
        raise Http404
    return case_for(membership, reference, tier, reason=reason)


def screening_case(membership: Membership, reference: str, *, reason: str = "") -> Case:
    return case_at(membership, reference, Tier.NARRATIVE, roles=SCREENING_READERS, reason=reason)


def screenings_of(case: Case) -> QuerySet[Screening]:
    """A case's screenings, newest first, with what a list row shows (no per-row queries)."""
    return (
        Screening.objects.filter(case=case)
        .select_related("instrument", "created_by", "completed_by", "agency")
        .order_by("-created_at", "-id")
    )


def screening_on(case: Case, pk: int) -> Screening:
    return record_on_case(screenings_of(case), case, pk)


def screening_answer_rows(screening: Screening) -> list[ScreeningAnswer]:
    return list(
        ScreeningAnswer.objects.filter(screening=screening)
        .select_related("indicator__dimension")
        .order_by("indicator__dimension__position", "indicator__position")
    )


def _answer_map(rows: list[ScreeningAnswer]) -> dict[tuple[str, str], Answer]:
    return {(row.indicator.dimension.key, row.indicator.text): Answer(row.answer) for row in rows}


def screening_instrument(screening: Screening) -> Instrument:
    return instrument_with_indicators(Instrument.objects.filter(pk=screening.instrument_id)).get()


def _case_forms(case_id: int) -> list[str]:
    return list(CaseExploitation.objects.filter(case_id=case_id).values_list("form", flat=True))


def screening_coverage(screening: Screening) -> Coverage:
    """Whether the screening's instrument was written for its case's forms of exploitation (T1 case data,
    read for a screening already reached through screening_case)."""
    return coverage(screening.instrument, _case_forms(screening.case_id), instruments_all())


def forms_lacking_instrument(case: Case) -> tuple[str, ...]:
    """The case's forms of exploitation for which no installed instrument was written."""
    return forms_without_instrument(sorted(_case_forms(case.pk)), instruments_all())


def screening_live_evaluation(screening: Screening) -> Evaluation:
    """The rule applied to the answers saved so far (a draft's evaluation)."""
    specs = instrument_specs(screening_instrument(screening))
    return evaluate(specs, _answer_map(screening_answer_rows(screening)), child=screening.child)


def _stored_evaluation(screening: Screening) -> Evaluation:
    """A completed screening's evaluation exactly as stored: verdicts kept then, answers frozen since."""
    specs = {spec.key: spec for spec in instrument_specs(screening_instrument(screening))}
    answers = _answer_map(screening_answer_rows(screening))
    verdicts = {
        row.dimension.key: Verdict(row.verdict)
        for row in ScreeningDimensionResult.objects.filter(screening=screening).select_related("dimension")
    }
    dimensions = []
    for key, spec in specs.items():
        seen = evaluate_dimension(spec, answers, child=screening.child)
        dimensions.append(replace(seen, verdict=verdicts.get(key, seen.verdict)))
    return Evaluation(
        victim=screening.advice == Advice.VICTIM,
        child=screening.child,
        dimensions=tuple(dimensions),
        groups=group_verdicts(dimensions),
        insufficient_information=screening.advice == Advice.INSUFFICIENT,
    )


@dataclass(frozen=True)
class Progress:
    """How far a screening has gone: indicators of its list answered (yes, no or unknown), of all."""

    answered: int
    total: int

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def many_unanswered(self) -> bool:
        """A third or more of the list has no answer: completing now is asked about first."""
        return self.total > 0 and 3 * self.unanswered >= self.total


def on_the_list(indicator: Indicator, *, child: bool) -> bool:
    """Whether the indicator is on the screening's list: for a child, those with a child weight."""
    return not child or indicator.child_weight is not None


def screening_steps(instrument: Instrument, *, child: bool) -> list[tuple[Dimension, list[Indicator]]]:
    """A screening's steps: one per dimension with indicators on its list, and those indicators."""
    steps = []
    for dimension in instrument.dimensions.all():
        listed = [i for i in dimension.indicators.all() if on_the_list(i, child=child)]
        if listed:
            steps.append((dimension, listed))
    return steps


@dataclass(frozen=True)
class StepProgress:
    """One step of a screening (a dimension) and how many of its listed indicators are answered, of all."""

    dimension: Dimension
    answered: int
    total: int


def screening_step_progress(
    screening: Screening, instrument: Instrument, rows: list[ScreeningAnswer]
) -> list[StepProgress]:
    """The screening's steps, each with how far its answers (`rows`) go: the pages and the API show them."""
    answered = {row.indicator_id for row in rows}
    return [
        StepProgress(dimension, sum(1 for indicator in listed if indicator.pk in answered), len(listed))
        for dimension, listed in screening_steps(instrument, child=screening.child)
    ]


def screening_progress(screening: Screening, instrument: Instrument, rows: list[ScreeningAnswer]) -> Progress:
    listed = {
        indicator.pk
        for dimension in instrument.dimensions.all()
        for indicator in dimension.indicators.all()
        if on_the_list(indicator, child=screening.child)
    }
    return Progress(sum(1 for row in rows if row.indicator_id in listed), len(listed))


def screening_evaluation(screening: Screening) -> Evaluation:
    return _stored_evaluation(screening) if screening.is_complete else screening_live_evaluation(screening)


# ---------------------------------------------------------------------------------------------------------
# Legal elements, differentiation, age assessments (T4 pages) and decisions (T1, reasons at T4)
# ---------------------------------------------------------------------------------------------------------


def assessment_case(membership: Membership, reference: str, *, reason: str = "") -> Case:
    return case_at(membership, reference, Tier.NARRATIVE, roles=ASSESSMENT_READERS, reason=reason)


def legal_elements_of(case: Case) -> LegalElements | None:
    if has_none(case, LegalElements):
        return None
    return LegalElements.objects.filter(case=case).select_related("updated_by").first()


def differentiations_of(case: Case) -> QuerySet[Differentiation]:
    return Differentiation.objects.filter(case=case).select_related("recorded_by", "agency")


def age_assessments_of(case: Case) -> QuerySet[AgeAssessment]:
    return AgeAssessment.objects.filter(case=case).select_related("recorded_by", "agency")


def decision_case(membership: Membership, reference: str) -> Case:
    """The case at T1: every role working on it may know where identification stands."""
    return case_at(membership, reference, Tier.METADATA, roles=DECISION_READERS)


DECISIONS_READ = "identification.decisions"  # the case page's sections share the list (palermo.cases.facts)


def decisions_of(case: Case) -> QuerySet[IdentificationDecision]:
    return preloaded(case, "identification.decisions", lambda: _decisions_of(case))


def page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The identification section's decisions, for the case page's one statement (palermo.cases.facts)."""
    return {"identification.decisions": _decisions_of(case)}


def _decisions_of(case: Case) -> QuerySet[IdentificationDecision]:
    if has_none(case, IdentificationDecision):
        return nothing(IdentificationDecision.objects.all())
    return (
        IdentificationDecision.objects.filter(case=case)
        .select_related("decided_by", "agency", "reviews")
        .order_by("-decided_at", "-id")
    )


def decision_on(case: Case, pk: int) -> IdentificationDecision:
    return record_on_case(decisions_of(case), case, pk)


def review_requests_of(case: Case, *, open_only: bool = False) -> QuerySet[ReviewRequest]:
    """Requests for reconsideration or appeal, newest first, with the decision each asks to review. Through
    the case's own manager, each request carries this case (whether it is paused costs no query)."""
    requests = case.identification_review_requests.select_related("decision")
    if has_none(case, ReviewRequest):
        return nothing(requests)
    return requests.filter(review__isnull=True) if open_only else requests


def open_review_request(case: Case, decision: IdentificationDecision) -> ReviewRequest | None:
    """The request waiting for the review of this decision, if any (at most one: a database constraint)."""
    return review_requests_of(case, open_only=True).filter(decision=decision).first()


@dataclass(frozen=True)
class PendingDecision:
    kind: DecisionKind
    due_at: datetime.datetime
    paused: bool = False  # the case is closed: nothing is overdue until it is re-opened
    procedure: str = DecisionProcedure.FIRST  # or a review (reconsideration, appeal) of a decision of `kind`

    @property
    def label(self) -> str:
        decision = str(DecisionKind(self.kind).label)
        if self.procedure == DecisionProcedure.FIRST:
            return decision
        return _("%(procedure)s: %(decision)s") % {
            "procedure": DecisionProcedure(self.procedure).label,
            "decision": decision,
        }

    @property
    def overdue(self) -> bool:
        return not self.paused and self.due_at < timezone.now()


def standing_decisions(decisions: list[IdentificationDecision]) -> dict[str, IdentificationDecision]:
    """Of a case's decisions, the one that stands for each kind: the latest taken, first or on review."""
    standing = {}
    for decision in sorted(decisions, key=lambda d: (d.decided_at, d.pk)):
        standing[decision.kind] = decision
    return standing


def pending_decisions(case: Case, decisions: list[IdentificationDecision]) -> list[PendingDecision]:
    """What the authority still has to decide on this case, and by when (from the case's decisions)."""
    standing = standing_decisions(decisions)
    presumed = standing.get(DecisionKind.PRESUMED)
    paused = case.phase == Phase.CLOSED
    if presumed is None:
        deadline = decision_deadline(DecisionKind.PRESUMED, start=case.opened_at)
        return [PendingDecision(DecisionKind.PRESUMED, deadline.due_at, paused)]
    if presumed.positive and DecisionKind.IDENTIFIED not in standing:
        deadline = decision_deadline(DecisionKind.IDENTIFIED, start=presumed.decided_at)
        return [PendingDecision(DecisionKind.IDENTIFIED, deadline.due_at, paused)]
    return []


class AwaitingOrder(TextChoices):
    DUE = "due", _("Soonest due first")
    NEWEST = "newest", _("Newest referral first")


def cases_awaiting_decision(
    membership: Membership,
    *,
    case_ids: QuerySet[Any] | None = None,
    order: str = AwaitingOrder.DUE,
    new_only: bool = False,
) -> QuerySet[Case]:
    """Open cases on this membership's team (referred to its authority; a case it sees only for leading it
    is not its to decide) with a decision to take: no presumed victim decision yet, a positive one standing
    and no identified victim decision, or a reconsideration or appeal asked for and not yet decided; soonest
    due first (the open decision deadlines of palermo.deadlines, `next_due`; their (case, kind, done) index),
    or newest referral first. `case_ids`: the cases the worklist's facets allow; `new_only`: only the
    referrals awaiting their first decision. One query per page, whatever its size."""
    decisions = IdentificationDecision.objects.filter(case=OuterRef("pk"))
    latest_presumed = decisions.filter(kind=DecisionKind.PRESUMED).order_by("-decided_at", "-id")
    open_deadlines = DeadlineRow.objects.filter(case=OuterRef("pk"), done_at__isnull=True).order_by("due_at")
    first_due = open_deadlines.filter(kind__in=(PRESUMED_KIND, IDENTIFIED_KIND))
    next_due = open_deadlines.filter(kind__in=(PRESUMED_KIND, IDENTIFIED_KIND, REVIEW_KIND))
    # One row for the three columns read of it: the soonest due, the first made on a tie.
    open_review = ReviewRequest.objects.filter(case=OuterRef("pk"), review__isnull=True).order_by(
        "due_at", "pk"
    )
    cases = (
        cases_on_team_of(membership)
        .exclude(phase=Phase.CLOSED)
        .annotate(
            presumed_outcome=Subquery(latest_presumed.values("outcome")[:1]),
            presumed_at=Subquery(latest_presumed.values("decided_at")[:1]),
            has_identified=Exists(decisions.filter(kind=DecisionKind.IDENTIFIED)),
            first_due=Subquery(first_due.values("due_at")[:1]),
            next_due=Subquery(next_due.values("due_at")[:1]),
            review_due=Subquery(open_review.values("due_at")[:1]),
            review_procedure=Subquery(open_review.values("procedure")[:1]),
            review_kind=Subquery(open_review.values("decision__kind")[:1]),
        )
        .select_related("lead_agency")
    )
    if new_only:
        # No presumed victim decision at all, as NOT EXISTS: an anti-join the database estimates well, so the
        # newest few are read down the opened_at index instead of ranking every case.
        cases = cases.filter(~Exists(decisions.filter(kind=DecisionKind.PRESUMED)))
    else:
        cases = cases.filter(
            Q(presumed_outcome__isnull=True)
            | Q(presumed_outcome=DecisionOutcome.POSITIVE, has_identified=False)
            | Q(review_due__isnull=False)
        )
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    if order == AwaitingOrder.NEWEST:
        return cases.order_by("-opened_at", "-pk")
    return cases.order_by(F("next_due").asc(nulls_last=True), "opened_at", "pk")


def awaiting_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """How many of these cases await a decision, and how many of those are overdue: one query."""
    now = timezone.now()
    counted = cases.order_by().values("pk")  # none of the rows' other annotations
    return counted.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(next_due__lt=now)))


def awaiting_due_at(case: Case) -> PendingDecision:
    """The decision a case from `cases_awaiting_decision` awaits soonest (from its annotations, no query):
    its first presumed or identified victim decision, or the review asked for, due when the request says."""
    annotated: Any = case  # the annotations of cases_awaiting_decision
    pending = []
    first = _first_decision_awaited(annotated)
    if first is not None:
        pending.append(PendingDecision(first, _first_due(annotated, first)))
    if getattr(annotated, "review_due", None) is not None:
        review = (annotated.review_kind, annotated.review_due)
        pending.append(PendingDecision(*review, procedure=annotated.review_procedure))
    return min(pending, key=lambda decision: decision.due_at)


def _first_decision_awaited(case: Any) -> DecisionKind | None:
    """The first decision the case waits for (from its annotations): the presumed victim decision, the
    identified one after a positive presumed one, or none."""
    if getattr(case, "presumed_at", None) is None:
        return DecisionKind.PRESUMED
    if case.presumed_outcome == DecisionOutcome.POSITIVE and not case.has_identified:
        return DecisionKind.IDENTIFIED
    return None


def _first_due(case: Any, kind: DecisionKind) -> datetime.datetime:
    """When the first decision of `kind` is due: as its deadline row says, or (a case without one) as the
    rulebook counts from the referral or the presumed victim decision."""
    start = case.opened_at if kind == DecisionKind.PRESUMED else case.presumed_at
    return getattr(case, "first_due", None) or decision_deadline(kind, start=start).due_at


def narrative_shown(case: Case, membership: Membership, *, screening: Any, legal: Any) -> tuple[Any, Any]:
    """The latest screening and the legal elements' summary (T4) as the section shows them; showing either
    is recorded once per request."""
    if screening is not None or legal is not None:
        note_read(
            membership=membership,
            case=case,
            tier=Tier.NARRATIVE,
            action="identification.read",
            object_type="case",
            object_ids=[case.pk],
        )
    return screening, legal


PENDING_DATE_KINDS = {
    DecisionKind.PRESUMED: DateKind.PRESUMED_DECISION_PENDING,
    DecisionKind.IDENTIFIED: DateKind.IDENTIFIED_DECISION_PENDING,
}


def person_dates(case: Case) -> list[PersonDate]:
    """The identification decisions the person waits for, for their summary: the presumed or identified
    victim decision (since the referral or the presumed one; due by the rulebook's day) and any review asked
    for. Nothing once the case is closed. Two queries."""
    if case.phase == Phase.CLOSED:
        return []
    decisions = list(IdentificationDecision.objects.filter(case=case))
    standing = standing_decisions(decisions)
    presumed = standing.get(DecisionKind.PRESUMED)
    since = case.opened_at if presumed is None else presumed.decided_at
    dates = [
        PersonDate(PENDING_DATE_KINDS[DecisionKind(p.kind)], on=localdate(p.due_at), since=localdate(since))
        for p in pending_decisions(case, decisions)
    ]
    reviews = ReviewRequest.objects.filter(case=case, review__isnull=True).order_by("requested_at", "pk")
    dates += [
        PersonDate(DateKind.REVIEW_PENDING, on=localdate(r.due_at), since=localdate(r.requested_at))
        for r in reviews
    ]
    return dates
