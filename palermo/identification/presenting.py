"""Shaping identification data for pages: labels beside the rule's keys, rows in the instrument's order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.core.lists import listed
from palermo.identification.models import (
    DIMENSION_LABELS,
    Dimension,
    GroupChoice,
    Indicator,
    Instrument,
    ScreeningAnswer,
    VerdictChoice,
)
from palermo.identification.rules import DimensionResult, Evaluation, Hit, Verdict, Weight

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


# --- the screening in words: the instrument's name, the indicators' labels, the rule met or missed -------


def instrument_title(instrument: Instrument) -> str:
    return instrument.title


def sentence_case(text: str) -> str:
    """An indicator's words as a label: the first letter capitalised, the rest as the instrument wrote it."""
    text = text.strip()
    return text[:1].upper() + text[1:]


RULE_IN_WORDS = gettext_lazy(
    "A dimension is met with 2 strong indicators, or 1 strong and 1 medium or weak, or 3 medium, or 2 medium "
    "and 1 weak, counting only the answers yes."
)


def _counted(hits: tuple[Hit, ...]) -> str:
    counts = [(Weight.STRONG, _("strong")), (Weight.MEDIUM, _("medium")), (Weight.WEAK, _("weak"))]
    parts = [
        f"{number} {label}"
        for weight, label in counts
        if (number := sum(1 for h in hits if h.weight is weight))
    ]
    return listed(parts) if parts else str(_("none"))


def _dimension_in_words(result: DimensionResult) -> str:
    present = _counted(result.present)
    if result.verdict is Verdict.POSITIVE:
        return _("Met: answered yes, %(present)s.") % {"present": present}
    if result.verdict is Verdict.INSUFFICIENT:
        return _(
            "Not met yet: answered yes, %(present)s; %(unknown)d unknown or unanswered could still meet it."
        ) % {"present": present, "unknown": len(result.unknown)}
    return _("Missed: answered yes, %(present)s; the other answers cannot make up the combination.") % {
        "present": present
    }


@dataclass(frozen=True)
class ElementExplained:
    """One element of the rule (a group of dimensions) in words: met, missed, or open, and why."""

    key: str
    label: str
    required: bool
    state: str  # "met", "missed" or "open"
    text: str
    dimensions: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "element": self.key,
            "label": self.label,
            "required": self.required,
            "state": self.state,
            "text": self.text,
            "dimensions": self.dimensions,
        }


ELEMENT_STATE = {Verdict.POSITIVE: "met", Verdict.NEGATIVE: "missed", Verdict.INSUFFICIENT: "open"}


def rule_explained(evaluation: Evaluation) -> list[ElementExplained]:
    """Which combination each element of the rule met or missed, in words, dimension by dimension."""
    explained = []
    for group, verdict in evaluation.groups.items():
        members = [result for result in evaluation.dimensions if result.group is group]
        met = [str(DIMENSION_LABELS.get(r.key, r.key)) for r in members if r.positive]
        if verdict is Verdict.POSITIVE:
            text = _("Met, by: %(dimensions)s.") % {"dimensions": listed(met, phrases=True)}
        elif verdict is Verdict.INSUFFICIENT:
            text = str(
                _("Not met yet: none of its dimensions met the combination, but unknown answers could.")
            )
        else:
            text = str(_("Missed: none of its dimensions met the combination."))
        required = group in evaluation.required_groups
        if not required:
            not_required = _("The child rule does not require it.")
            text = f"{text} {not_required}"
        explained.append(
            ElementExplained(
                key=group.value,
                label=str(GroupChoice(group.value).label),
                required=required,
                state=ELEMENT_STATE[verdict],
                text=text,
                dimensions=[
                    {
                        "dimension": r.key,
                        "label": str(DIMENSION_LABELS.get(r.key, r.key)),
                        "state": ELEMENT_STATE[r.verdict],
                        "text": str(_dimension_in_words(r)),
                    }
                    for r in members
                ],
            )
        )
    return explained


def rule_summary(evaluation: Evaluation) -> str:
    """What the rule asks of the person's case as a whole, and whether it is met."""
    asks = (
        _("The child rule asks for recruitment and exploitation.")
        if evaluation.child
        else _(
            "The adult rule asks for recruitment, exploitation, and coercion or abuse of vulnerability at "
            "destination."
        )
    )
    if evaluation.victim:
        outcome = _("Every element it asks for is met.")
    elif evaluation.insufficient_information:
        outcome = _("Not every element is met yet; unknown answers could change this.")
    else:
        outcome = _("At least one element it asks for is missed.")
    return f"{asks} {outcome}"
