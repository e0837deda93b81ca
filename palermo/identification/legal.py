"""The legal definition (Palermo Protocol art. 3) as a checklist: an act, by a means, for the purpose of
exploitation. For a child the means element is not required: act and purpose are enough. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


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
