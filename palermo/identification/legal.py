"""The legal definition (Palermo Protocol art. 3) as a checklist: an act, by a means, for the purpose of
exploitation. For a child the means element is not required: act and purpose are enough. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ElementsCheck:
    act: bool
    means: bool
    means_required: bool
    purpose: bool

    @property
    def met(self) -> bool:
        return self.act and self.purpose and (self.means or not self.means_required)

    @property
    def missing(self) -> tuple[str, ...]:
        absent = [
            ("act", self.act),
            ("means", self.means or not self.means_required),
            ("purpose", self.purpose),
        ]
        return tuple(name for name, present in absent if not present)


def elements_check(
    *, acts: Collection[str], means: Collection[str], purposes: Collection[str], child: bool
) -> ElementsCheck:
    return ElementsCheck(act=bool(acts), means=bool(means), means_required=not child, purpose=bool(purposes))


# The case's account of the exploitation (palermo.cases.services.exploitation_period) beside the checklist.
PERIOD_TEXTS = ("exploitation_country", "exploitation_sector", "means_of_control", "recruiter_relationship")


def exploitation_period(case: Any, *, no_month: str | None) -> dict[str, Any]:
    """The exploitation period as both doors show it: the months as YYYY-MM (`no_month` where not given)."""

    def month(day: Any) -> str | None:
        return day.strftime("%Y-%m") if day else no_month

    texts = {name: getattr(case, name) for name in PERIOD_TEXTS}
    return {
        "exploitation_began": month(case.exploitation_began),
        "exploitation_ended": month(case.exploitation_ended),
        **texts,
    }
