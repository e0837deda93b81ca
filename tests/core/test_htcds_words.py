"""The HTCDS picklists the case record offers read in the reader's language: each label the standard's file
gives is marked for translation (palermo.core.htcds_words), as the standard writes it, and each staff
language's catalogues translate it."""

from __future__ import annotations

from django.utils import translation

from palermo.cases.services.exploitation_period import (
    CONTROL_FIELD,
    RELATIONSHIP_FIELD,
    SECTOR_FIELD,
    control_choices,
    sector_choices,
)
from palermo.core.htcds import htcds_fields
from palermo.core.htcds_words import LABELS
from tests.reading import in_arabic_only, said_in


def test_every_label_the_record_offers_is_marked_as_the_standard_writes_it() -> None:
    fields = htcds_fields()
    offered = {
        label
        for name in (SECTOR_FIELD, CONTROL_FIELD, RELATIONSHIP_FIELD)
        for _v, label in fields[name].choices
    }
    assert offered == LABELS


def test_the_choices_read_in_the_readers_language() -> None:
    sectors = dict(sector_choices())
    assert str(sectors["F_Construction"]) == "Construction"
    arabic = said_in("ar", lambda: [str(label) for label in dict(sector_choices()).values()])
    assert all(in_arabic_only(label) for label in arabic), arabic
    with translation.override("fr"):
        assert str(dict(control_choices())["DebtBondage"]) == "Servitude pour dettes"
