"""Each case area's demo loader, in the order `seed_demo` runs them after the demo cases exist.

The order matters: identification's presumed victim decisions open the reflection periods the reflection
loader then completes, the children's loader follows its app, the returns loader (above the areas)
follows them, and the statistics' history of earlier years comes last. A new area adds its loader here.
"""

from __future__ import annotations

from collections.abc import Callable

from palermo.cases.models import Case
from palermo.demo import (
    assistance,
    children,
    identification,
    justice,
    linkage,
    origin,
    portal,
    privacy,
    reflection,
    residence,
    returns,
    statistics,
)

AreaLoader = Callable[[list[Case]], None]

AREA_LOADERS: tuple[tuple[str, AreaLoader], ...] = (
    ("identification", identification.load_demo),
    ("reflection", reflection.load_demo),
    ("residence", residence.load_demo),
    ("assistance", assistance.load_demo),
    ("children", children.load_demo),
    ("linkage", linkage.load_demo),
    # After residence: the sample country information is cited in some of its decisions.
    ("origin", origin.load_demo),
    ("justice", justice.load_demo),
    ("returns", returns.load_demo),
    # The referrals of the years before, for the national statistics (no team: no area loader sees them).
    ("statistics", statistics.load_demo),
    ("portal", portal.load_demo),
    ("privacy", privacy.load_demo),
)
