"""A likelihood as a percentage in the reader's language (palermo.core.templatetags.numbers)."""

from __future__ import annotations

import pytest
from django.utils import translation

from palermo.core.templatetags.numbers import percent


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", 0.996, "99.6%"),
        ("en", 1.0, "100%"),
        ("en", 0.97, "97%"),
        ("en", 0.99996, "100%"),
        ("fr", 0.996, "99,6\u202f%"),
        ("ar", 0.5, "50٪"),
    ],
)
def test_a_likelihood_reads_as_a_percentage(language: str, value: float, shown: str) -> None:
    with translation.override(language):
        assert percent(value) == shown


def test_no_likelihood_reads_as_nothing() -> None:
    assert percent(None) == ""
