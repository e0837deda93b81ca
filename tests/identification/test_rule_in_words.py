"""The rule's explanation in words: which combination each element met or missed, dimension by dimension."""

from __future__ import annotations

from palermo.identification.presenting import rule_explained, rule_summary, sentence_case
from palermo.identification.rules import (
    Answer,
    DimensionSpec,
    Group,
    IndicatorSpec,
    Weight,
    evaluate,
)

STRONG = IndicatorSpec("violence on victims", Weight.STRONG, Weight.STRONG)
MEDIUM = IndicatorSpec("debt bondage", Weight.MEDIUM, Weight.STRONG)
WEAK = IndicatorSpec("difficulties in the past", Weight.WEAK, None)
DIMENSIONS = [
    DimensionSpec("coercive_recruitment", Group.RECRUITMENT, (STRONG, MEDIUM, WEAK)),
    DimensionSpec("exploitation", Group.EXPLOITATION, (STRONG, MEDIUM)),
    DimensionSpec("coercion_at_destination", Group.DESTINATION, (STRONG, WEAK)),
]


def answers(**given: dict[str, Answer]) -> dict[tuple[str, str], Answer]:
    return {(key, text): answer for key, texts in given.items() for text, answer in texts.items()}


def test_each_element_says_met_missed_or_open_and_why() -> None:
    result = evaluate(
        DIMENSIONS,
        answers(
            coercive_recruitment={"violence on victims": Answer.YES, "debt bondage": Answer.YES},
            exploitation={"violence on victims": Answer.NO, "debt bondage": Answer.NO},
            coercion_at_destination={"violence on victims": Answer.YES},
        ),
        child=False,
    )
    explained = {element.key: element for element in rule_explained(result)}
    assert explained["recruitment"].state == "met"
    assert explained["recruitment"].text == "Met, by: Coercive recruitment."
    assert explained["recruitment"].dimensions[0]["text"] == "Met: answered yes, 1 strong, 1 medium."
    assert explained["exploitation"].state == "missed"
    assert "none of its dimensions met the combination" in explained["exploitation"].text
    assert explained["destination"].state == "open"  # the weak one unknown could still meet it
    assert "1 unknown or unanswered could still meet it" in explained["destination"].dimensions[0]["text"]
    assert all(element.required for element in explained.values())
    assert "At least one element it asks for is missed." in rule_summary(result)
    assert rule_summary(result).startswith("The adult rule asks for recruitment, exploitation")


def test_the_child_rule_says_what_it_does_not_require() -> None:
    result = evaluate(DIMENSIONS, {}, child=True)
    explained = {element.key: element for element in rule_explained(result)}
    assert not explained["destination"].required
    assert explained["destination"].text.endswith("The child rule does not require it.")
    assert rule_summary(result).startswith("The child rule asks for recruitment and exploitation.")


def test_labels_in_sentence_case() -> None:
    assert sentence_case("deceived about wages or earnings") == "Deceived about wages or earnings"
    assert sentence_case(" ILO list") == "ILO list"
