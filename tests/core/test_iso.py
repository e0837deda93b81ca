"""ISO reference codes: what citizenships, issuing countries and languages accept, named in the reader's
language."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
from django.utils import translation

from palermo.core import iso

REPO = Path(__file__).resolve().parents[2]


def codes(choices: list[tuple[str, str]]) -> set[str]:
    return {code for code, _label in choices}


def test_the_code_sets_do_not_change_size_silently():
    # ISO 3166-1 has 249 countries, plus the stateless code; ISO 639-2 less the codes left out has 469.
    # A new pycountry release that adds or drops codes fails here, to be looked at before it is accepted.
    assert len(iso.country_choices()) == 250
    assert len(iso.language_choices()) == 469
    assert codes(iso.country_choices()) == {country.alpha_3 for country in pycountry.countries} | {"XXA"}


def test_countries_are_alpha3_with_common_names_in_english():
    assert all(len(code) == 3 and code.isupper() for code in codes(iso.country_choices()))
    assert iso.country_name("VNM") == "Vietnam"
    assert iso.country_name("BOL") == "Bolivia"  # the common name, not "Bolivia, Plurinational State of"
    assert iso.country_name(iso.STATELESS) == "Stateless person"
    assert iso.country_name("QQQ") == "QQQ"  # an unknown stored code stays readable


def test_names_follow_the_readers_language():
    with translation.override("ar"):
        assert iso.country_name("VNM") == "الفيتنام"
        assert iso.country_name("SYR") != "Syria"  # the catalogue names it under its full name only
        assert iso.language_name("ara") == "العربية"
        assert iso.country_name(iso.STATELESS) == "عديم الجنسية"
        assert ("ALB", "ألبانيا (ALB)") in iso.country_choices()
    assert iso.country_name("VNM") == "Vietnam"


def test_a_name_iso_codes_leaves_untranslated_comes_from_cldr():
    """iso-codes' Arabic catalogue has no Albanian, Tigrinya or Ukrainian, and no Arabic for Türkiye's present
    name; its Albanian one has no Korean. CLDR (Babel) has them; English stays iso-codes' own."""
    with translation.override("ar"):
        assert [iso.language_name(code) for code in ("sqi", "tir", "ukr")] == [
            "الألبانية",
            "التغرينية",
            "الأوكرانية",
        ]
        assert iso.country_name("TUR") == "تركيا"
    with translation.override("sq"):
        assert iso.language_name("kor") == "koreanisht"
    assert (iso.language_name("sqi"), iso.country_name("TUR")) == ("Albanian", "Türkiye")
    untranslated = {
        code for code, name in iso.language_names("ar").items() if name == iso.language_names("en")[code]
    }
    assert len(untranslated) < 80, (
        "only language groups (ISO 639-5), which neither names in Arabic, stay English"
    )


def test_choices_are_sorted_by_the_name_as_read():
    english = [label for _code, label in iso.country_choices()]
    assert english.index("Åland Islands (ALA)") < english.index("Albania (ALB)")  # accents aside
    with translation.override("ar"):
        arabic = iso.country_choices()
        assert codes(arabic) == codes(iso.country_choices())
    assert [code for code, _label in arabic] != [code for code, _label in iso.country_choices()]


def test_choices_are_built_once_per_language():
    english = iso.language_choices()
    assert iso.language_choices() is english
    with translation.override("ar"):
        assert iso.language_choices() is iso.language_choices()
        assert iso.language_choices() is not english


def test_country_input_is_normalised_or_refused():
    assert iso.normalise_country(" alb ") == "ALB"
    assert iso.normalise_country("xxa") == "XXA"
    assert iso.normalise_country("AL") is None  # alpha-2 is not accepted: one code per country
    assert iso.normalise_country("XYZ") is None
    assert iso.normalise_country("XXX") is None  # ICAO's "unspecified" is not a citizenship
    assert iso.normalise_country("") is None


def test_languages_are_iso_639_2_terminology_codes():
    assert iso.language_name("tir") == "Tigrinya"
    assert iso.language_name("ell") == "Modern Greek (1453-)"  # stays; ancient Greek (grc) does not
    assert iso.language_name("ber") == "Berber languages"  # a collective code, named from ISO 639-5
    assert iso.language_name("him") == "Himachali languages"  # withdrawn from ISO 639-5, kept here
    assert iso.normalise_language("grc") is None
    assert iso.normalise_language("TIR") == "tir"
    assert iso.normalise_language("ger") == "deu"  # bibliographic code read as its terminology code
    assert iso.normalise_language("chi") == "zho"
    assert iso.normalise_language("ro") == "ron"  # a two-letter ISO 639-1 code too, as Django names them
    assert iso.normalise_language("TI") == "tir"
    assert iso.normalise_language("xx") is None
    assert iso.normalise_language("und") is None
    assert iso.normalise_language("qaa") is None


def test_choices_pair_codes_with_names():
    assert ("ALB", "Albania (ALB)") in iso.country_choices()
    assert ("vie", "Vietnamese (vie)") in iso.language_choices()
    assert ("ALB", "Albania") in iso.country_name_choices()


def test_every_code_the_synthetic_people_use_still_validates():
    # Nationality("ALB", 23.8, "albanian", ("sqi",), ...) wherever the demo data lives.
    pattern = re.compile(r'Nationality\("([A-Z]{3})", [^()]*\(([^()]*)\)')
    found = [match for path in REPO.glob("palermo/**/*.py") for match in pattern.findall(path.read_text())]
    assert len(found) > 20
    for country, languages in found:
        assert iso.normalise_country(country) == country
        for language in re.findall(r'"([a-z]{3})"', languages):
            assert iso.normalise_language(language) == language
