"""The indicator combination rule of the ILO / European Commission operational indicators (2009): pure, no
database, no Django. It is advice for the decision maker, never the decision.

Per dimension, counting only "yes" answers, a dimension is positive with
    2 strong, or 1 strong + 1 medium or weak, or 3 medium, or 2 medium + 1 weak.
A dimension that is not positive is "insufficient information" when its "unknown" answers (an indicator
without an answer counts as unknown) could still make it positive if they turned out "yes"; otherwise it is
negative.

Dimensions belong to three groups. Adult victim: a positive recruitment dimension (deceptive, coercive or by
abuse of vulnerability) AND a positive exploitation dimension AND a positive destination dimension (coercion
or abuse of vulnerability at destination). Child victim: recruitment AND exploitation, with the child
weights; an indicator with no child weight is not on the child list and plays no part for a child.

Every condition only asks for "at least so many yes answers", so the rule is monotone: one more "yes" never
turns a positive dimension, or a victim, negative (tests/identification/test_rules_properties.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Weight(StrEnum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Group(StrEnum):
    RECRUITMENT = "recruitment"
    EXPLOITATION = "exploitation"
    DESTINATION = "destination"


class Verdict(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    INSUFFICIENT = "insufficient_information"


# The six dimensions of the 2009 lists, in their order, with the group each belongs to. Every instrument,
# national ones included, is written against these dimensions: the rule is defined over them.
DIMENSION_GROUPS: dict[str, Group] = {
    "deceptive_recruitment": Group.RECRUITMENT,
    "coercive_recruitment": Group.RECRUITMENT,
    "recruitment_abuse_of_vulnerability": Group.RECRUITMENT,
    "exploitation": Group.EXPLOITATION,
    "coercion_at_destination": Group.DESTINATION,
    "abuse_of_vulnerability_at_destination": Group.DESTINATION,
}
DIMENSION_ORDER = {key: position for position, key in enumerate(DIMENSION_GROUPS)}

ADULT_GROUPS = (Group.RECRUITMENT, Group.EXPLOITATION, Group.DESTINATION)
CHILD_GROUPS = (Group.RECRUITMENT, Group.EXPLOITATION)


@dataclass(frozen=True)
class IndicatorSpec:
    text: str
    adult_weight: Weight
    child_weight: Weight | None = None

    def weight_for(self, *, child: bool) -> Weight | None:
        return self.child_weight if child else self.adult_weight


@dataclass(frozen=True)
class DimensionSpec:
    key: str
    group: Group
    indicators: tuple[IndicatorSpec, ...]


# (dimension key, indicator text) -> answer. Indicators missing from the mapping count as unknown.
Answers = Mapping[tuple[str, str], Answer]


@dataclass(frozen=True)
class Hit:
    """One indicator as the rule saw it: its text and the weight that counted."""

    text: str
    weight: Weight

    def as_dict(self) -> dict[str, str]:
        return {"indicator": self.text, "weight": str(self.weight)}


@dataclass(frozen=True)
class DimensionResult:
    key: str
    group: Group
    verdict: Verdict
    # The "yes" answers: for a positive dimension, the indicators that made it positive.
    present: tuple[Hit, ...]
    # Indicators answered "unknown" or not answered: what more information could change.
    unknown: tuple[Hit, ...]

    @property
    def positive(self) -> bool:
        return self.verdict is Verdict.POSITIVE

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": str(self.group),
            "verdict": str(self.verdict),
            "indicators": [hit.as_dict() for hit in self.present],
            "unknown": [hit.as_dict() for hit in self.unknown],
        }


@dataclass(frozen=True)
class Evaluation:
    victim: bool
    child: bool
    dimensions: tuple[DimensionResult, ...]
    groups: dict[Group, Verdict]
    # Not a victim on what is known, but would be if the unknown answers turned out "yes".
    insufficient_information: bool

    @property
    def lacking_information(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions if d.verdict is Verdict.INSUFFICIENT)

    @property
    def required_groups(self) -> tuple[Group, ...]:
        return CHILD_GROUPS if self.child else ADULT_GROUPS

    def dimension(self, key: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.key == key)

    def as_dict(self) -> dict[str, Any]:
        """The explanation as JSON-ready data (the `screen` command and the API print this)."""
        return {
            "victim": self.victim,
            "rule": "child" if self.child else "adult",
            "insufficient_information": self.insufficient_information,
            "required_groups": [str(group) for group in self.required_groups],
            "groups": {str(group): str(verdict) for group, verdict in self.groups.items()},
            "lacking_information": list(self.lacking_information),
            "dimensions": {d.key: d.as_dict() for d in self.dimensions},
        }


def combination_met(*, strong: int, medium: int, weak: int) -> bool:
    """2 strong; 1 strong + 1 medium or weak; 3 medium; 2 medium + 1 weak."""
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


def _combination_met(hits: Iterable[Hit]) -> bool:
    weights = [hit.weight for hit in hits]
    return combination_met(
        strong=weights.count(Weight.STRONG),
        medium=weights.count(Weight.MEDIUM),
        weak=weights.count(Weight.WEAK),
    )


def evaluate_dimension(dimension: DimensionSpec, answers: Answers, *, child: bool) -> DimensionResult:
    present: list[Hit] = []
    unknown: list[Hit] = []
    for indicator in dimension.indicators:
        weight = indicator.weight_for(child=child)
        if weight is None:
            continue  # not on this list (adult-only indicator, for a child)
        answer = answers.get((dimension.key, indicator.text), Answer.UNKNOWN)
        if answer is Answer.YES:
            present.append(Hit(indicator.text, weight))
        elif answer is Answer.UNKNOWN:
            unknown.append(Hit(indicator.text, weight))
    if _combination_met(present):
        verdict = Verdict.POSITIVE
    elif _combination_met(present + unknown):
        verdict = Verdict.INSUFFICIENT
    else:
        verdict = Verdict.NEGATIVE
    return DimensionResult(dimension.key, dimension.group, verdict, tuple(present), tuple(unknown))


def group_verdicts(results: Sequence[DimensionResult]) -> dict[Group, Verdict]:
    """A group is positive when one of its dimensions is; otherwise insufficient when one of them is."""
    verdicts: dict[Group, Verdict] = {}
    for group in Group:
        members = [r.verdict for r in results if r.group is group]
        if Verdict.POSITIVE in members:
            verdicts[group] = Verdict.POSITIVE
        elif Verdict.INSUFFICIENT in members:
            verdicts[group] = Verdict.INSUFFICIENT
        else:
            verdicts[group] = Verdict.NEGATIVE
    return verdicts


def evaluate(dimensions: Sequence[DimensionSpec], answers: Answers, *, child: bool) -> Evaluation:
    """The whole explanation for one person: each dimension's verdict and the overall advice."""
    results = tuple(evaluate_dimension(d, answers, child=child) for d in dimensions)
    groups = group_verdicts(results)
    required = CHILD_GROUPS if child else ADULT_GROUPS
    victim = all(groups[g] is Verdict.POSITIVE for g in required)
    could_be = all(groups[g] in (Verdict.POSITIVE, Verdict.INSUFFICIENT) for g in required)
    return Evaluation(
        victim=victim,
        child=child,
        dimensions=results,
        groups=groups,
        insufficient_information=not victim and could_be,
    )
