"""Reading answers given as text (`{"answers": [{"dimension", "indicator", "answer"}]}`) for an instrument.

Shared by the `screen` command and the stateless evaluate endpoint. Pure: the instrument comes in as the
rule's specs. Every problem is collected, so one refusal lists them all. Matching forgives case, repeated
spaces, and spaces or hyphens for underscores in dimension keys; nothing else is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from palermo.core.api_errors import Refusal
from palermo.identification.rules import Answer, DimensionSpec

ANSWER_VALUES = tuple(str(a) for a in Answer)


@dataclass
class AnswerProblems(Refusal, ValueError):
    """The answers could not be read; `problems` holds one plain sentence per problem."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.problems)


def normalise_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def normalise_key(text: str) -> str:
    return "_".join(text.replace("-", " ").replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class _Index:
    dimensions: dict[str, DimensionSpec]
    indicators: dict[tuple[str, str], str]  # (dimension key, normalised text) -> text as in the instrument

    @classmethod
    def of(cls, dimensions: Sequence[DimensionSpec]) -> _Index:
        return cls(
            {normalise_key(d.key): d for d in dimensions},
            {(d.key, normalise_text(i.text)): i.text for d in dimensions for i in d.indicators},
        )


def _text_field(item: dict[str, object], name: str, where: str, problems: list[str]) -> str | None:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(f'{where}: "{name}" must be a non-empty text')
        return None
    return value


def _read_item(
    item: object, where: str, index: _Index, problems: list[str]
) -> tuple[tuple[str, str], Answer] | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: each answer must be an object with dimension, indicator and answer")
        return None
    dimension_text = _text_field(item, "dimension", where, problems)
    indicator_text = _text_field(item, "indicator", where, problems)
    answer_text = _text_field(item, "answer", where, problems)
    answer = None
    if answer_text is not None:
        answer = next((a for a in Answer if a.value == answer_text.strip().casefold()), None)
        if answer is None:
            problems.append(f'{where}: answer "{answer_text}" is not one of {", ".join(ANSWER_VALUES)}')
    if dimension_text is None:
        return None
    dimension = index.dimensions.get(normalise_key(dimension_text))
    if dimension is None:
        known = ", ".join(d.key for d in index.dimensions.values())
        problems.append(f'{where}: unknown dimension "{dimension_text}" (known: {known})')
        return None
    if indicator_text is None:
        return None
    text = index.indicators.get((dimension.key, normalise_text(indicator_text)))
    if text is None:
        problems.append(f'{where}: unknown indicator "{indicator_text}" in dimension "{dimension.key}"')
        return None
    return ((dimension.key, text), answer) if answer is not None else None


def read_answers(payload: object, dimensions: Sequence[DimensionSpec]) -> dict[tuple[str, str], Answer]:
    """The answers of a `{"answers": [...]}` document, keyed as the rule expects; raises AnswerProblems."""
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), list):
        raise AnswerProblems(['the document must be an object with an "answers" list'])
    index = _Index.of(dimensions)
    problems: list[str] = []
    answers: dict[tuple[str, str], Answer] = {}
    for number, item in enumerate(payload["answers"]):
        where = f"answers[{number}]"
        read = _read_item(item, where, index, problems)
        if read is None:
            continue
        key, answer = read
        if key in answers and answers[key] is not answer:
            problems.append(f'{where}: indicator "{key[1]}" in "{key[0]}" is answered twice, differently')
            continue
        answers[key] = answer
    if problems:
        raise AnswerProblems(problems)
    return answers
