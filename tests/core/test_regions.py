"""Regions (ISO 3166-2) named, chosen and checked: the names in the reader's language, the region field that
lists the regions of the country its form holds, and the list app.js fetches when the reader changes the
country. The browser side is walked in tests/e2e/test_browser_anonymous.py."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from palermo.core import iso
from palermo.core.forms import TYPE_AHEAD_FROM, RegionField, StyledForm, country_field


class PlaceForm(StyledForm):
    country = country_field("Country")
    region = RegionField("Region", country="country")


def codes(choices: list[tuple[str, str]]) -> list[str]:
    return [code for code, _label in choices]


def test_a_country_s_regions_are_named_with_their_code_in_the_order_read():
    nigeria = iso.region_choices("NGA")
    assert len(nigeria) == 37 and ("NG-ED", "Edo (NG-ED)") in nigeria
    labels = [label for _code, label in nigeria]
    assert labels == sorted(labels, key=str.casefold)
    # A region and a province of the same name are told apart by their codes.
    assert {"IT-25", "IT-MI"} <= set(codes(iso.region_choices("ITA")))
    assert iso.region_choices("") == iso.region_choices("QQQ") == iso.region_choices(iso.STATELESS) == []


def test_a_region_s_name_follows_the_reader_s_language_where_iso_codes_has_it():
    assert iso.region_name("IT-25") == "Lombardia"  # the standard's own name, in the country's language
    with translation.override("uk"):
        assert iso.region_name("IT-25") == "Ломбардія"
        assert ("NG-ED", "Едо (NG-ED)") in iso.region_choices("NGA")
    with translation.override("ar"):
        assert iso.region_name("IT-25") == "Lombardia"  # no Arabic catalogue: the standard's name
    assert iso.region_name("ZZ-99") == "ZZ-99"  # an unknown stored code stays readable


def test_a_region_is_checked_against_its_country():
    assert iso.normalise_region("NGA", " ng-ed ") == "NG-ED"
    assert iso.normalise_region("ITA", "NG-ED") is None
    assert iso.normalise_region("", "NG-ED") is None
    assert iso.normalise_region("NGA", "NG-99") is None
    assert iso.region_country("IT-82") == "ITA" and iso.region_country("XX-1") is None


def test_the_region_field_lists_the_regions_of_the_country_the_form_holds():
    assert codes(PlaceForm().fields["region"].choices) == [""]  # type: ignore[attr-defined]
    first_shown = PlaceForm(initial={"country": "NGA"}).fields["region"]
    assert codes(first_shown.choices)[1:] == codes(iso.region_choices("NGA"))  # type: ignore[attr-defined]
    sent = PlaceForm({"country": "ITA", "region": "IT-25"})
    assert sent.is_valid(), sent.errors
    assert sent.cleaned_data == {"country": "ITA", "region": "IT-25"}
    widget = sent.fields["region"].widget
    assert widget.attrs["data-regions-of"] == "country"
    assert widget.attrs["data-regions-url"] == reverse("core:regions")
    # Italy's 126 regions and provinces are typed into the type-ahead; Nigeria's 37 states stay a list.
    assert widget.attrs.get("data-type-ahead") == "single"
    assert "data-type-ahead" not in PlaceForm({"country": "NGA"}).fields["region"].widget.attrs


def test_a_region_of_another_country_is_refused_in_plain_words():
    form = PlaceForm({"country": "ITA", "region": "NG-ED"})
    assert not form.is_valid()
    assert form.errors["region"] == ["Choose a region of the country chosen, or none."]
    assert PlaceForm({"country": "ITA", "region": ""}).is_valid()


def test_a_region_field_follows_a_prefixed_form_s_country():
    form = PlaceForm(prefix="place", initial={"country": "NGA"})
    assert form.fields["region"].widget.attrs["data-regions-of"] == "place-country"
    assert isinstance(form.fields["region"], forms.ChoiceField)


@pytest.mark.django_db
def test_any_member_fetches_a_country_s_regions_in_their_language(client_for, case_manager):
    client = client_for(case_manager)
    answer = client.get(reverse("core:regions"), {"country": "nga"}).json()
    assert answer["type_ahead"] is False and ["NG-ED", "Edo (NG-ED)"] in answer["regions"]
    assert len(answer["regions"]) + 1 < TYPE_AHEAD_FROM
    assert client.get(reverse("core:regions"), {"country": "ITA"}).json()["type_ahead"] is True
    assert client.get(reverse("core:regions"), {"country": "nowhere"}).json() == {
        "regions": [],
        "type_ahead": False,
    }
    client.cookies["django_language"] = "uk"
    answer = client.get(reverse("core:regions"), {"country": "NGA"}, HTTP_ACCEPT_LANGUAGE="uk").json()
    assert ["NG-ED", "Едо (NG-ED)"] in answer["regions"]
    assert client.post(reverse("core:regions"), {"country": "NGA"}).status_code == 405


@pytest.mark.django_db
def test_the_region_list_is_not_served_to_a_stranger(client):
    response = client.get(reverse("core:regions"), {"country": "NGA"})
    assert response.status_code in (302, 404) and b"NG-ED" not in response.content
