"""Whether a case is treated as a child's: the presumption of minority holds until an age assessment
concludes otherwise (CETS 197 art. 10(3); Directive 2011/36/EU art. 13(2))."""

from __future__ import annotations

from palermo.cases.models import Case


def treated_as_child(case: Case) -> bool:
    """The latest conclusive age assessment decides; without one, the case's own child flag (set by the case
    record from the person's age, or from presumed minority when age is uncertain) stands."""
    return bool(case.is_child)
