"""The registry of decisions that may cite country information (decision 0036).

A citation names its decision by a registered kind ("residence.decision", "returns.return", …) and the
decision's id, so this app, which sits below the areas, never imports them: each area registers its kind from
its AppConfig.ready() with three functions — where the decision is (its case, its page, a label) for a
membership that may see it, and whether a membership may cite on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise

from palermo.accounts.models import Membership
from palermo.cases.models import Case

KEY = re.compile(r"^[a-z]+\.[a-z_]+$")


@dataclass(frozen=True)
class CitedDecision:
    """A decision as the citation pages show it: its case, its page, a short label (no personal data)."""

    case: Case
    url: str
    label: str


@dataclass(frozen=True)
class DecisionKind:
    key: str
    label: str | Promise
    # The decision with this id, if it exists and the membership may see its case; None otherwise.
    locate: Callable[[Membership, int], CitedDecision | None]
    # Whether the membership may attach or remove citations on a decision of this case.
    may_cite: Callable[[Membership, Case], bool]
    # The timeline kind a citation's entry takes on the case (palermo.cases.models.EventKind).
    event_kind: str


_KINDS: dict[str, DecisionKind] = {}


def register_decision_kind(kind: DecisionKind) -> DecisionKind:
    if not KEY.match(kind.key):
        raise ValueError(f"a decision kind is named area.noun, not {kind.key!r}")
    _KINDS[kind.key] = kind
    return kind


def decision_kind(key: str) -> DecisionKind:
    """The registered kind, or 404 (an unknown kind is a missing page)."""
    try:
        return _KINDS[key]
    except KeyError:
        raise Http404 from None


def decision_kinds() -> tuple[DecisionKind, ...]:
    return tuple(_KINDS.values())


def located(membership: Membership, key: str, decision_id: int) -> tuple[DecisionKind, CitedDecision]:
    """The decision's kind and where it is, or 404 when it does not exist for this membership."""
    kind = decision_kind(key)
    found = kind.locate(membership, decision_id)
    if found is None:
        raise Http404
    return kind, found
