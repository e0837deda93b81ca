"""The one reader of whether a case is a child's.

The flag is kept by one writer (palermo.cases.services.child_flag) from the persons' ages and the latest age
assessment, so every reader asks here rather than re-deriving it from the assessments or the ages.
"""

from __future__ import annotations

from palermo.cases.models import Case


def case_is_child(case: Case) -> bool:
    """Whether the case is a child's: the flag as its one writer left it (no query)."""
    return bool(case.is_child)
