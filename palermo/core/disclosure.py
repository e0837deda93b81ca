"""Statistical disclosure control: an aggregate never shows a cell small enough to point at a person.

A count of fewer than `PALERMO_MINIMUM_CELL` people (default 10), and any average or rate computed from so
few, is withheld: a child in a small region, or the one person who rated a service, would otherwise be
recognisable to whoever knows the context. Zero is shown (it identifies nobody). Every screen or export that
shows aggregates to roles without case access (the rapporteur) passes its cells through here: a `Cell` per
figure, withheld as None on the page ("withheld: fewer than N") and as null plus the figure's name in the
row's `withheld` list in the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings

V = TypeVar("V")


def minimum_cell() -> int:
    return int(settings.PALERMO_MINIMUM_CELL)


def is_small(count: int) -> bool:
    """Whether a count of people, or a figure computed from that many, must be withheld."""
    return 0 < count < minimum_cell()


@dataclass(frozen=True)
class Cell(Generic[V]):
    """One figure of an aggregate, and whether it must be withheld."""

    value: V | None
    withheld: bool

    @property
    def shown(self) -> V | None:
        """The figure, or None while it is withheld."""
        return None if self.withheld else self.value


def count_cell(count: int) -> Cell[int]:
    """A count of people or cases: withheld when small."""
    return Cell(count, is_small(count))


def computed_cell(value: V | None, *counts: int) -> Cell[V]:
    """An average or rate computed from these counts: withheld when any of them is small, because a rate
    times its shown denominator gives back its numerator, however small."""
    return Cell(value, any(is_small(count) for count in counts))
