"""What both doors of this area share: who reads the statistics, and the filters a view takes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.statistics.catalogue import STAGES

# The rapporteur reads aggregates only (T0): never a row, a reference or a name.
STATISTICS_ROLES = (Role.RAPPORTEUR,)
GROUP_VALUES = ("adult", "child")


@dataclass(frozen=True)
class Filters:
    stage: str = "referred"
    year: int | None = None
    group: str | None = None
    snapshot: datetime.date | None = None

    @classmethod
    def read(cls, data: Any) -> Filters:
        """Filters from a query string; an unknown value is ignored (the default view), never an error."""
        stage = data.get("stage") if data.get("stage") in STAGES else "referred"
        year_text = str(data.get("year") or "")
        year = int(year_text) if year_text.isdigit() and 1900 < int(year_text) < 2200 else None
        group = data.get("group") if data.get("group") in GROUP_VALUES else None
        return cls(stage, year, group)

    @property
    def day(self) -> datetime.date:
        return self.snapshot or timezone.localdate()

    def query(self) -> dict[str, str]:
        found = {"stage": self.stage}
        if self.year is not None:
            found["year"] = str(self.year)
        if self.group:
            found["group"] = self.group
        return found


def home_panel(request: Any, membership: Any) -> dict[str, Any]:
    """The rapporteur's home panel: where the figures are (no figure on it, so no query)."""
    from palermo.core.rulebooks import rulebook

    return {"threshold": rulebook().statistics.minimum_cell}
