"""Reasons that make a decision depend on cooperation with the authorities are refused, in six languages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from palermo.identification.cooperation import cooperation_conditions
from palermo.identification.services.decisions import clean_grounds, clean_reasons

REFUSED = [
    "Negative because she refused to cooperate with the police.",
    "Positive on condition that he testifies against the recruiter.",
    "The decision is positive provided the person keeps cooperating with the investigation.",
    "The person is not willing to act as a witness, so the decision is negative.",
    "Décision négative car la personne refuse de coopérer avec la police.",
    "La decisión es positiva siempre que colabore con la fiscalía.",
    "La decisione è positiva solo se collabora con la polizia.",
    "Positiv, sofern sie mit der Polizei kooperiert.",
    "Negativ, weil er die Zusammenarbeit mit den Ermittlungsbehörden verweigert.",
    "قرار سلبي لأنها رفضت التعاون مع الشرطة",
    "Positive. Negative if she does not press charges.",
]
ACCEPTED = [
    "The account is consistent and the indicators of deception and debt bondage are present.",
    "The person gave a statement to the police describing the recruitment.",
    "Her testimony is credible because it is consistent with the documents.",
    "She witnessed violence against colleagues because they asked for their wages.",
    "She did not wish to testify; regardless of this, the indicators are met.",
    "He cooperated with the police, which has no bearing on this decision.",
    "Elle n'a pas souhaité porter plainte, sans incidence sur la décision.",
    "Independientemente de si colabora con la policía, los indicadores se cumplen.",
    "Unabhängig davon, ob sie mit der Polizei kooperiert, sind die Merkmale erfüllt.",
    "القرار إيجابي بغض النظر عن التعاون مع الشرطة",
]


@pytest.mark.parametrize("reasons", REFUSED)
def test_refused(reasons):
    assert cooperation_conditions(reasons)
    with pytest.raises(ValidationError) as refused:
        clean_reasons(reasons)
    assert refused.value.code == "cooperation_condition"


@pytest.mark.parametrize("reasons", ACCEPTED)
def test_accepted(reasons):
    assert cooperation_conditions(reasons) == []
    assert clean_reasons(f"  {reasons} ") == reasons


def test_only_the_offending_sentence_is_named():
    text = "The indicators are met. Positive only if she cooperates with the police. The account is credible."
    assert cooperation_conditions(text) == ["Positive only if she cooperates with the police"]


@pytest.mark.parametrize("ground", ["cooperation", "Cooperation_with_the_authorities"])
def test_cooperation_is_never_a_ground(ground):
    with pytest.raises(ValidationError) as refused:
        clean_grounds(["indicators", ground])
    assert refused.value.code == "cooperation_ground"


def test_grounds_are_from_the_list_and_at_least_one():
    assert clean_grounds(["account", "indicators", "account"]) == ["indicators", "account"]
    with pytest.raises(ValidationError):
        clean_grounds([])
    with pytest.raises(ValidationError):
        clean_grounds(["hunch"])
