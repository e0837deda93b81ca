"""Reads of identification data. Instruments are reference data (T0): any member may read them."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.identification.models import (
    Advice,
    Dimension,
    Indicator,
    Instrument,
    Screening,
    ScreeningAnswer,
    ScreeningDimensionResult,
)
from palermo.identification.roles import SCREENING_READERS
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
    screening = screenings_of(case).filter(pk=pk).first()
    if screening is None:
        raise Http404
    screening.case = case
    return screening


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


def screening_evaluation(screening: Screening) -> Evaluation:
    return _stored_evaluation(screening) if screening.is_complete else screening_live_evaluation(screening)
