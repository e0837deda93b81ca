"""The one reader of whether a case is a child's, and the reader of whether the child rules apply.

`case_is_child` says whether the case is a child's today: guardianship, the child's views in decisions, the
narrowest team. `child_rules_apply` says whether the legal definition and the indicators take the child rules:
a child today, or a child when the exploitation began (docs/decisions/0018).

The flag is kept by one writer (palermo.cases.services.child_flag) from the persons' ages and the latest age
assessment, so every reader asks here rather than re-deriving it from the assessments or the ages.
"""

from __future__ import annotations

import enum

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from palermo.cases.models import Case
from palermo.core.rulebooks import rulebook


def case_is_child(case: Case) -> bool:
    """Whether the case is a child's: the flag as its one writer left it (no query)."""
    return bool(case.is_child)


# --- the child rules: a child now, or a child when the exploitation began (docs/decisions/0018) ---


class ChildRulesBasis(enum.StrEnum):
    """Which age the child rules (no means element; the child indicator weights) were decided on."""

    CHILD_WHEN_EXPLOITED = "child_when_exploited"  # under the threshold when the exploitation began
    CHILD_NOW = "child_now"  # the case is a child's today (age, presumption, assessment)
    ADULT_WHEN_EXPLOITED = "adult_when_exploited"  # at or over the threshold then, and an adult now
    ADULT_PERIOD_UNKNOWN = "adult_period_unknown"  # an adult now; when the exploitation began is not recorded

    @property
    def child_rules(self) -> bool:
        return self in {ChildRulesBasis.CHILD_WHEN_EXPLOITED, ChildRulesBasis.CHILD_NOW}


def case_was_child_when_exploited(case: Case) -> bool:
    """Whether the person was (or could have been) under the threshold when the exploitation began: the
    stored flag as its writer (palermo.cases.services.child_flag) left it (no query)."""
    return bool(case.child_when_exploited) and case.exploitation_began is not None


def child_rules_basis(case: Case) -> ChildRulesBasis:
    if case_was_child_when_exploited(case):
        return ChildRulesBasis.CHILD_WHEN_EXPLOITED
    if case_is_child(case):
        return ChildRulesBasis.CHILD_NOW
    if case.exploitation_began is not None:
        return ChildRulesBasis.ADULT_WHEN_EXPLOITED
    return ChildRulesBasis.ADULT_PERIOD_UNKNOWN


def child_rules_apply(case: Case) -> bool:
    """Whether the legal definition's and the indicators' child rules apply: a child now, or when the
    exploitation began (CETS 197 art. 4(c)-(d): the age at the time of the act). No query."""
    return child_rules_basis(case).child_rules


def child_rules_explained(case: Case) -> str:
    """One plain sentence: which age the check used ("under 18 when the exploitation began in 2019-03")."""
    threshold = rulebook().children.age_threshold
    began = date_format(case.exploitation_began, "YEAR_MONTH_FORMAT") if case.exploitation_began else ""
    basis = child_rules_basis(case)
    values = {"threshold": threshold, "month": began}
    if basis is ChildRulesBasis.CHILD_WHEN_EXPLOITED:
        text = _(
            "Under %(threshold)d when the exploitation began in %(month)s: the child rules apply (act and "
            "purpose are enough; the child indicator weights)."
        )
    elif basis is ChildRulesBasis.CHILD_NOW:
        text = _("Under %(threshold)d now (the case is a child's): the child rules apply.")
    elif basis is ChildRulesBasis.ADULT_WHEN_EXPLOITED:
        text = _(
            "%(threshold)d or over when the exploitation began in %(month)s, and now: the adult rules apply "
            "(act, means and purpose)."
        )
    else:
        text = _(
            "%(threshold)d or over now, and when the exploitation began is not recorded: the adult rules "
            "apply. Record the exploitation period if the person may have been a child then."
        )
    return str(text) % values
