"""Statistical disclosure control: an aggregate never shows a cell small enough to point at a person.

A count of fewer than `PALERMO_MINIMUM_CELL` people (default 10), and any average or rate computed from so
few, is withheld: a child in a small region, or the one person who rated a service, would otherwise be
recognisable to whoever knows the context. Zero is shown (it identifies nobody). Every screen or export that
shows aggregates to roles without case access (the rapporteur) passes its cells through here.
"""

from __future__ import annotations

from django.conf import settings


def minimum_cell() -> int:
    return int(settings.PALERMO_MINIMUM_CELL)


def is_small(count: int) -> bool:
    """Whether a count of people, or a figure computed from that many, must be withheld."""
    return 0 < count < minimum_cell()
