"""Shaping identification data for pages: labels beside the rule's keys, rows in the instrument's order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from palermo.identification.models import (
    DIMENSION_LABELS,
    Dimension,
    GroupChoice,
    Indicator,
    Instrument,
    ScreeningAnswer,
    VerdictChoice,
)
from palermo.identification.rules import DimensionResult, Evaluation, Verdict

VERDICT_STYLE = {
    Verdict.POSITIVE: "text-bg-danger",
    Verdict.INSUFFICIENT: "text-bg-warning",
    Verdict.NEGATIVE: "text-bg-secondary",
}


@dataclass(frozen=True)
class DimensionAdvice:
    key: str
    label: str
    group_label: str
    verdict: str
    verdict_label: str
    style: str
    result: DimensionResult


def evaluation_rows(evaluation: Evaluation) -> list[DimensionAdvice]:
    return [
        DimensionAdvice(
            key=result.key,
            label=str(DIMENSION_LABELS.get(result.key, result.key)),
            group_label=str(GroupChoice(result.group.value).label),
            verdict=result.verdict.value,
            verdict_label=str(VerdictChoice(result.verdict.value).label),
            style=VERDICT_STYLE[result.verdict],
            result=result,
        )
        for result in evaluation.dimensions
    ]


def group_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    return [
        {
            "label": GroupChoice(group.value).label,
            "verdict_label": VerdictChoice(verdict.value).label,
            "style": VERDICT_STYLE[verdict],
            "required": group in evaluation.required_groups,
        }
        for group, verdict in evaluation.groups.items()
    ]


def answered_layout(
    instrument: Instrument, rows: list[ScreeningAnswer], *, child: bool
) -> list[tuple[Dimension, list[tuple[Indicator, ScreeningAnswer | None]]]]:
    """Each dimension with its indicators (those of the rule's list) and their saved answers."""
    by_indicator = {row.indicator_id: row for row in rows}
    return [
        (
            dimension,
            [
                (indicator, by_indicator.get(indicator.pk))
                for indicator in dimension.indicators.all()
                if not child or indicator.child_weight
            ],
        )
        for dimension in instrument.dimensions.all()
    ]
