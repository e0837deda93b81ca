"""Each case area's demo loader, in the order `seed_demo` runs them after the demo cases exist.

The order matters: identification's presumed victim decisions open the reflection periods the reflection
loader then completes, and the children's loader comes last as its app does. A new area adds its loader here.
"""

from __future__ import annotations

from collections.abc import Callable

from palermo.cases.models import Case
from palermo.demo import assistance, children, identification, privacy, reflection, residence

AreaLoader = Callable[[list[Case]], None]

AREA_LOADERS: tuple[tuple[str, AreaLoader], ...] = (
    ("identification", identification.load_demo),
    ("reflection", reflection.load_demo),
    ("residence", residence.load_demo),
    ("assistance", assistance.load_demo),
    ("children", children.load_demo),
    ("privacy", privacy.load_demo),
)
