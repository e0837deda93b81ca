"""Properties of the rule: monotone in "yes" answers, and "unknown" is the only way to stay undecided."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from palermo.identification.rules import (
    Answer,
    DimensionSpec,
    Group,
    IndicatorSpec,
    Verdict,
    Weight,
    combination_met,
    evaluate,
)

from .ilo import all_indicators, ilo_specs

answer_values = st.sampled_from(list(Answer))
ilo_answers = st.fixed_dictionaries(dict.fromkeys(all_indicators(), answer_values))
ilo_indicator = st.sampled_from(all_indicators())
weights = st.sampled_from(list(Weight))


@st.composite
def instruments(draw: st.DrawFn) -> tuple[DimensionSpec, ...]:
    """Random instruments over the six dimensions, with random adult and child weights."""
    from palermo.identification.rules import DIMENSION_GROUPS

    specs = []
    for key, group in DIMENSION_GROUPS.items():
        count = draw(st.integers(min_value=0, max_value=6))
        indicators = tuple(
            IndicatorSpec(f"{key}-{n}", draw(weights), draw(st.none() | weights)) for n in range(count)
        )
        specs.append(DimensionSpec(key, group, indicators))
    return tuple(specs)


@given(strong=st.integers(0, 5), medium=st.integers(0, 5), weak=st.integers(0, 5), which=st.integers(0, 2))
def test_one_more_yes_of_any_weight_never_undoes_a_combination(strong, medium, weak, which):
    if combination_met(strong=strong, medium=medium, weak=weak):
        more = [strong + (which == 0), medium + (which == 1), weak + (which == 2)]
        assert combination_met(strong=more[0], medium=more[1], weak=more[2])


@settings(max_examples=300)
@given(answers=ilo_answers, flipped=ilo_indicator, child=st.booleans())
def test_adding_a_yes_never_turns_a_positive_dimension_or_a_victim_negative(answers, flipped, child):
    before = evaluate(ilo_specs(), answers, child=child)
    after = evaluate(ilo_specs(), {**answers, flipped: Answer.YES}, child=child)
    for was, now in zip(before.dimensions, after.dimensions, strict=True):
        if was.verdict is Verdict.POSITIVE:
            assert now.verdict is Verdict.POSITIVE, was.key
    if before.victim:
        assert after.victim


@settings(max_examples=300)
@given(specs=instruments(), data=st.data(), child=st.booleans())
def test_monotone_on_any_instrument(specs, data, child):
    pairs = [(d.key, i.text) for d in specs for i in d.indicators]
    if not pairs:
        return
    answers = data.draw(st.fixed_dictionaries(dict.fromkeys(pairs, answer_values)))
    flipped = data.draw(st.sampled_from(pairs))
    before = evaluate(specs, answers, child=child)
    after = evaluate(specs, {**answers, flipped: Answer.YES}, child=child)
    assert all(
        now.verdict is Verdict.POSITIVE
        for was, now in zip(before.dimensions, after.dimensions, strict=True)
        if was.verdict is Verdict.POSITIVE
    )
    assert after.victim or not before.victim


@settings(max_examples=300)
@given(
    answers=ilo_answers,
    resolved=ilo_indicator,
    to=st.sampled_from([Answer.YES, Answer.NO]),
    child=st.booleans(),
)
def test_only_an_undecided_dimension_can_change_when_an_unknown_is_resolved(answers, resolved, to, child):
    answers = {**answers, resolved: Answer.UNKNOWN}
    before = evaluate(ilo_specs(), answers, child=child)
    after = evaluate(ilo_specs(), {**answers, resolved: to}, child=child)
    for was, now in zip(before.dimensions, after.dimensions, strict=True):
        if was.verdict is not Verdict.INSUFFICIENT:
            assert now.verdict is was.verdict, was.key
    if not before.victim and not before.insufficient_information:
        assert not after.victim  # a clear "no" stays "no" whatever the unknowns turn out to be


@given(answers=ilo_answers, child=st.booleans())
def test_the_overall_advice_is_consistent_with_the_groups(answers, child):
    result = evaluate(ilo_specs(), answers, child=child)
    assert not (result.victim and result.insufficient_information)
    required = [Group.RECRUITMENT, Group.EXPLOITATION] + ([] if child else [Group.DESTINATION])
    assert result.victim == all(result.groups[g] is Verdict.POSITIVE for g in required)
    everything_known = Answer.UNKNOWN not in answers.values()
    if everything_known:
        assert not result.insufficient_information
