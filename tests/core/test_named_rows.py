"""Every row that names itself from a template (core.records.NamedRow) can say its name: a misspelt
attribute in a `row_name` would otherwise only fail when a shell, a log line or an error asks for it."""

from __future__ import annotations

import pytest
from django.apps import apps

from palermo.core.records import NamedRow

NAMED = sorted((m for m in apps.get_models() if issubclass(m, NamedRow)), key=lambda m: m._meta.label)


def test_the_rows_that_name_themselves_are_many() -> None:
    assert len(NAMED) > 50


@pytest.mark.parametrize("model", NAMED, ids=lambda m: m._meta.label)
def test_a_row_says_its_name_from_ids_and_codes(model: type[NamedRow]) -> None:
    name = str(model(pk=7))  # a misspelt attribute raises here
    assert "{" not in name
