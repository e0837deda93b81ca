"""The case page's sections as a registry: each area adds its own from its AppConfig.ready().

A section is an area name, a partial template and, optionally, a `context(request, case, tiers)` function
that fills that partial. The page shows them by `order` (lower first). Registering the same area twice keeps
the first registration, so a reloaded app cannot duplicate a section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SectionContext = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Section:
    area: str
    template: str
    context: SectionContext | None = None
    order: int = 100


_sections: dict[str, Section] = {}


def register_section(
    area: str, template: str, context: SectionContext | None = None, *, order: int = 100
) -> None:
    _sections.setdefault(area, Section(area, template, context, order))


def registered_sections() -> tuple[Section, ...]:
    return tuple(sorted(_sections.values(), key=lambda section: (section.order, section.area)))
