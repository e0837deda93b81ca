"""ISO reference codes: what citizenships, issuing countries and languages accept."""

from __future__ import annotations

from palermo.core import iso


def test_countries_are_alpha3_with_english_names():
    assert len(iso.COUNTRIES) == 250  # the 249 of ISO 3166-1 and the stateless code
    assert all(len(code) == 3 and code.isupper() for code in iso.COUNTRIES)
    assert iso.country_name("VNM") == "Vietnam"
    assert iso.country_name(iso.STATELESS) == "Stateless person"


def test_country_input_is_normalised_or_refused():
    assert iso.normalise_country(" alb ") == "ALB"
    assert iso.normalise_country("AL") is None  # alpha-2 is not accepted: one code per country
    assert iso.normalise_country("XYZ") is None
    assert iso.normalise_country("") is None


def test_languages_are_iso_639_2_terminology_codes():
    assert iso.language_name("tir") == "Tigrinya"
    assert iso.language_name("ell") == "Greek"  # modern Greek stays; ancient Greek (grc) does not
    assert iso.normalise_language("grc") is None
    assert iso.normalise_language("TIR") == "tir"
    assert iso.normalise_language("ger") == "deu"  # bibliographic code read as its terminology code
    assert iso.normalise_language("und") is None
    assert iso.normalise_language("qaa") is None


def test_choices_pair_codes_with_names():
    assert ("ALB", "Albania (ALB)") in iso.country_choices()
    assert ("vie", "Vietnamese (vie)") in iso.language_choices()
