"""A list's optional filters (core.narrowing) and a record's child rows replaced (core.child_rows)."""

from __future__ import annotations

import pytest

from palermo.core.child_rows import replace_child_rows
from palermo.core.narrowing import narrowed
from palermo.origin.models import Partner
from palermo.origin.services.partners import PartnerData, partner_create


@pytest.mark.django_db
def test_only_the_filters_given_a_value_narrow_the_list() -> None:
    everyone = Partner.objects.all()
    assert str(narrowed(everyone, country="", services__service=None).query) == str(everyone.query)
    assert str(narrowed(everyone, country="NGA").query) == str(everyone.filter(country="NGA").query)


@pytest.mark.django_db
def test_each_filter_joins_on_its_own() -> None:
    chained = Partner.objects.filter(services__service="housing").filter(languages__language="eng")
    found = narrowed(Partner.objects.all(), services__service="housing", languages__language="eng")
    assert str(found.query) == str(chained.query)


@pytest.mark.django_db
def test_child_rows_are_replaced_by_the_values_given() -> None:
    data = PartnerData(name="Synthetic Partner", kind="ngo", country="NGA", services=[], languages=["eng"])
    partner = partner_create(actor=None, membership=None, data=data)  # type: ignore[arg-type]
    replace_child_rows(partner.languages, "language", ["fra", "hau"])
    assert sorted(partner.languages.values_list("language", flat=True)) == ["fra", "hau"]
    replace_child_rows(partner.languages, "language", [])
    assert not partner.languages.exists()
