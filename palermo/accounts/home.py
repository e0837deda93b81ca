"""What a role's home page shows: the worklists the areas register, each a panel of its own.

The home page belongs to accounts, below every area (docs/decisions/0011), so an area adds its panel here
(from its urls module, like its menu entry) rather than accounts importing it. A panel names the roles it
serves, its template, and the function that reads its context for the acting membership; the page shows the
panels of the acting role in their order. A role no area serves (the administrator, the rapporteur) keeps
the page that says what the role is for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from palermo.accounts.models import Membership


@dataclass(frozen=True)
class HomePanel:
    key: str
    roles: frozenset[str]
    template: str
    # The panel's context for the acting membership (read through the area's selectors).
    context: Callable[[HttpRequest, Membership], dict[str, Any]]
    order: int = 50


PANELS: dict[str, HomePanel] = {}


def register_panel(panel: HomePanel) -> None:
    """Areas add their panel at import time of their urls module; registering a key again replaces it."""
    PANELS[panel.key] = panel


def panels_for(role: str) -> list[HomePanel]:
    return sorted((p for p in PANELS.values() if role in p.roles), key=lambda p: (p.order, p.key))


def home_panels(request: HttpRequest, membership: Membership) -> list[dict[str, Any]]:
    """The acting role's panels, each as its template and its context."""
    return [
        {"key": panel.key, "template": panel.template, **panel.context(request, membership)}
        for panel in panels_for(membership.role)
    ]
