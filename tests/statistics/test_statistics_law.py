"""The law against the position paper: each recommendation of the paper, what it asks and what a rulebook
says, in the reader's language; the rapporteur's page, which shows the rulebook in force or another to
compare."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.core.rulebooks import PAPER_RULEBOOK, RECOMMENDATIONS, compared, shortfalls
from palermo.statistics.law import law, rulebook_choices
from tests.api.errors import api_error
from tests.reading import in_arabic_only, said_in


def test_the_paper_meets_itself_point_by_point():
    paper = law(PAPER_RULEBOOK)
    assert paper.is_the_paper and paper.short_of_the_paper == 0
    assert len(paper.points) == len(RECOMMENDATIONS)
    assert all(point.meets for point in paper.points)


def test_the_convention_s_minimums_fall_short_where_the_paper_asks_more():
    convention = law("coe-cets197")
    by_topic = {str(point.topic): point for point in convention.points}
    reflection = by_topic["reflection and recovery period granted"]
    assert (reflection.paper, reflection.rulebook) == ("At least 3 months", "30 days")
    assert not reflection.meets
    assert by_topic["age under which a person is a child"].rulebook == "18"
    assert convention.short_of_the_paper == len(shortfalls("coe-cets197")) > 0
    assert [point.meets for point in convention.points] == [item.meets for item in compared("coe-cets197")]


def test_a_rulebook_s_points_read_in_the_reader_s_language():
    def in_words() -> list[str]:
        return [words for p in law("coe-cets197").points for words in (str(p.topic), p.paper, p.rulebook)]

    for words in said_in("ar", in_words):
        assert in_arabic_only(words), words
    french = said_in("fr", lambda: law("coe-cets197"))
    assert french.points[0].rulebook == "30 jours"


def test_every_rulebook_that_loads_is_offered_the_one_in_force_first():
    choices = rulebook_choices()
    assert choices[0][0] == settings.PALERMO_RULEBOOK
    assert {"coe-cets197", "osce-2005"} <= {name for name, _title in choices}


@pytest.fixture
def rapporteur(make_member: Any, client_for: Any) -> Any:
    return client_for(make_member(Role.RAPPORTEUR))


@pytest.mark.django_db
def test_the_rapporteur_reads_the_law_in_force_and_compares_another(rapporteur: Any) -> None:
    page = rapporteur.get(reverse("statistics:law")).content.decode()
    assert "In force: the cases follow it." in page
    compared_page = rapporteur.get(reverse("statistics:law"), {"rulebook": "coe-cets197"})
    text = compared_page.content.decode()
    assert compared_page.status_code == 200
    assert "Not in force: shown to compare." in text and "Falls short" in text and "30 days" in text
    assert "CETS No. 197, art. 13(1)" in text  # its sources, as the file cites them


@pytest.mark.django_db
def test_a_rulebook_that_is_not_there_is_refused_in_words(rapporteur: Any) -> None:
    response = rapporteur.get(reverse("statistics:law"), {"rulebook": "../settings"})
    text = response.content.decode()
    assert "There is a problem" in text and "Choose “Rulebook” from the list." in text
    assert "In force: the cases follow it." in text  # the rulebook in force is shown meanwhile


@pytest.mark.django_db
def test_only_the_rapporteur_opens_the_page(make_member: Any, client_for: Any) -> None:
    for role in (Role.CASE_MANAGER, Role.SYSTEM_ADMINISTRATOR):
        assert client_for(make_member(role)).get(reverse("statistics:law")).status_code == 404


@pytest.mark.django_db
def test_the_api_gives_the_same_points_in_the_caller_s_language(rapporteur: Any) -> None:
    answer = rapporteur.get(reverse("api-statistics-law"), {"rulebook": "coe-cets197"}).json()
    assert answer["name"] == "coe-cets197" and answer["in_force"] is False
    assert [point["key"] for point in answer["points"]] == [item.key for item in RECOMMENDATIONS]
    reflection = answer["points"][0]
    assert (reflection["paper"], reflection["rulebook"]) == ("At least 3 months", "30 days")
    assert reflection["meets"] is False
    in_force = rapporteur.get(reverse("api-statistics-law"), HTTP_ACCEPT_LANGUAGE="ar").json()
    assert in_force["name"] == settings.PALERMO_RULEBOOK and in_force["in_force"] is True
    refused = api_error(rapporteur.get(reverse("api-statistics-law"), {"rulebook": "nowhere"}), 400)
    assert "rulebook" in refused["fields"]


@pytest.mark.django_db
def test_the_api_refuses_other_roles_as_the_page_does(make_member: Any, client_for: Any) -> None:
    manager = client_for(make_member(Role.CASE_MANAGER))
    assert manager.get(reverse("api-statistics-law")).status_code == 404
