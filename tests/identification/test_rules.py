"""The combination rule on vignettes written for it, with the shipped ILO 2009 labour list (no database)."""

from __future__ import annotations

import pytest

from palermo.identification.rules import (
    Answer,
    DimensionSpec,
    Group,
    IndicatorSpec,
    Verdict,
    Weight,
    combination_met,
    evaluate,
    evaluate_dimension,
)

from .ilo import all_indicators, answer_everything, ilo_specs, yes

# Vignette 1, a clear adult victim. Promised a job as a cook abroad, the person was put to work in a field
# (deceived about the nature of the job: strong; about wages: medium); works 14-hour days (strong) for no pay
# (medium); the employer keeps the passport (confiscation of documents at destination: strong) and the person
# is watched at all times (strong).
CLEAR_ADULT = {
    **answer_everything(Answer.NO),
    **yes(
        ("deceptive_recruitment", "deceived about the nature of the job, location or employer"),
        ("deceptive_recruitment", "deceived about wages or earnings"),
        ("exploitation", "excessive working days or hours"),
        ("exploitation", "low or no salary"),
        ("coercion_at_destination", "confiscation of documents"),
        ("coercion_at_destination", "isolation, confinement or surveillance"),
    ),
}

# Vignette 2, clearly not trafficking under the rule: a worker underpaid (medium) in bad living conditions
# (medium), who came on accurate information and is free to leave; everything else was asked and is "no".
CLEAR_NEGATIVE = {
    **answer_everything(Answer.NO),
    **yes(("exploitation", "low or no salary"), ("exploitation", "bad living conditions")),
}

# Vignette 3, a child with no means at all: sent by the family with a promise of schooling (deceived about
# access to education: strong for a child, weak for an adult) and of housing (medium), made to work long hours
# (strong) in hazardous work (medium). No coercion or abuse of vulnerability at destination was found.
CHILD_WITHOUT_MEANS = {
    **answer_everything(Answer.NO),
    **yes(
        ("deceptive_recruitment", "deceived about access to education opportunities"),
        ("deceptive_recruitment", "deceived about housing and living conditions"),
        ("exploitation", "excessive working days or hours"),
        ("exploitation", "hazardous work"),
    ),
}

# Vignette 4, a first contact cut short: deceived about the job (strong) and excessive hours (strong), nothing
# else asked yet.
FIRST_CONTACT = yes(
    ("deceptive_recruitment", "deceived about the nature of the job, location or employer"),
    ("exploitation", "excessive working days or hours"),
)


def test_the_shipped_list_has_its_six_dimensions_and_67_indicators():
    assert [d.key for d in ilo_specs()] == [
        "deceptive_recruitment",
        "coercive_recruitment",
        "recruitment_abuse_of_vulnerability",
        "exploitation",
        "coercion_at_destination",
        "abuse_of_vulnerability_at_destination",
    ]
    assert len(all_indicators()) == 67


def test_a_clear_adult_victim():
    result = evaluate(ilo_specs(), CLEAR_ADULT, child=False)
    assert result.victim is True
    assert result.insufficient_information is False
    assert result.dimension("deceptive_recruitment").verdict is Verdict.POSITIVE
    assert [h.text for h in result.dimension("coercion_at_destination").present] == [
        "confiscation of documents",
        "isolation, confinement or surveillance",
    ]
    assert result.dimension("coercive_recruitment").verdict is Verdict.NEGATIVE
    assert result.groups == dict.fromkeys(Group, Verdict.POSITIVE)
    assert result.lacking_information == ()


def test_a_clear_negative():
    result = evaluate(ilo_specs(), CLEAR_NEGATIVE, child=False)
    assert result.victim is False
    assert result.insufficient_information is False
    assert result.dimension("exploitation").verdict is Verdict.NEGATIVE  # 2 medium alone is not enough
    assert {d.verdict for d in result.dimensions} == {Verdict.NEGATIVE}


def test_a_child_needs_no_means_element():
    child = evaluate(ilo_specs(), CHILD_WITHOUT_MEANS, child=True)
    assert child.victim is True
    assert child.groups[Group.DESTINATION] is Verdict.NEGATIVE
    assert child.required_groups == (Group.RECRUITMENT, Group.EXPLOITATION)
    # The same facts for an adult: education is a weak indicator, and destination is required.
    adult = evaluate(ilo_specs(), CHILD_WITHOUT_MEANS, child=False)
    assert adult.victim is False
    # For an adult, education is weak: weak + medium is not a combination.
    assert adult.dimension("deceptive_recruitment").verdict is Verdict.NEGATIVE
    assert adult.groups[Group.DESTINATION] is Verdict.NEGATIVE


def test_insufficient_information_is_reported_and_is_not_a_victim():
    result = evaluate(ilo_specs(), FIRST_CONTACT, child=False)
    assert result.victim is False
    assert result.insufficient_information is True
    assert result.dimension("deceptive_recruitment").verdict is Verdict.INSUFFICIENT
    assert "coercion_at_destination" in result.lacking_information
    document = result.as_dict()
    assert document["victim"] is False
    assert document["dimensions"]["exploitation"]["verdict"] == "insufficient_information"
    assert document["dimensions"]["exploitation"]["indicators"] == [
        {"indicator": "excessive working days or hours", "weight": "strong"}
    ]


def test_an_adult_only_indicator_plays_no_part_for_a_child():
    adult_only = (
        "recruitment_abuse_of_vulnerability",
        "false information about law, attitude of authorities",
    )
    spec = next(d for d in ilo_specs() if d.key == adult_only[0])
    answers = yes(adult_only, (adult_only[0], "abuse of illegal status"), (adult_only[0], "economic reasons"))
    assert evaluate_dimension(spec, answers, child=False).verdict is Verdict.POSITIVE  # 3 medium
    for_child = evaluate_dimension(spec, {**answer_everything(Answer.NO), **answers}, child=True)
    assert for_child.verdict is Verdict.NEGATIVE
    assert adult_only[1] not in [h.text for h in for_child.present + for_child.unknown]


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "met"),
    [
        (2, 0, 0, True),
        (1, 1, 0, True),
        (1, 0, 1, True),
        (0, 3, 0, True),
        (0, 2, 1, True),
        (1, 0, 0, False),
        (0, 2, 0, False),
        (0, 1, 5, False),
        (0, 0, 9, False),
        (0, 0, 0, False),
    ],
)
def test_the_combinations(strong, medium, weak, met):
    assert combination_met(strong=strong, medium=medium, weak=weak) is met


def _dimension(*weights: Weight) -> DimensionSpec:
    return DimensionSpec(
        "exploitation", Group.EXPLOITATION, tuple(IndicatorSpec(f"i{n}", w) for n, w in enumerate(weights))
    )


def test_unanswered_counts_as_unknown_and_no_closes_the_question():
    spec = _dimension(Weight.STRONG, Weight.MEDIUM, Weight.WEAK)
    assert evaluate_dimension(spec, {}, child=False).verdict is Verdict.INSUFFICIENT
    only_weak_left = {("exploitation", "i0"): Answer.NO, ("exploitation", "i1"): Answer.NO}
    assert evaluate_dimension(spec, only_weak_left, child=False).verdict is Verdict.NEGATIVE
