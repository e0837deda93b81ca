"""The shipped ILO 2009 labour list as the pure rule reads it, and helpers to write answers by name."""

from __future__ import annotations

from functools import cache

from palermo.identification.instrument_files import specs_from_rows
from palermo.identification.loading import shipped_instruments
from palermo.identification.rules import Answer, DimensionSpec

ILO_NAME = "ilo-2009-labour"


@cache
def ilo_specs() -> tuple[DimensionSpec, ...]:
    shipped = next(s for s in shipped_instruments() if s.name == ILO_NAME)
    return specs_from_rows(shipped.rows())


def yes(*pairs: tuple[str, str]) -> dict[tuple[str, str], Answer]:
    return dict.fromkeys(pairs, Answer.YES)


def all_indicators() -> list[tuple[str, str]]:
    return [(d.key, i.text) for d in ilo_specs() for i in d.indicators]


def answer_everything(answer: Answer) -> dict[tuple[str, str], Answer]:
    return dict.fromkeys(all_indicators(), answer)
