"""Compliance indicators: how often practice falls short of the rulebook and the position paper, by quarter.

Each indicator counts persons in two groups per quarter, those whose case met the standard and those whose
case fell short, and shows the share that fell short. The counts go through the same disclosure control as
every other table (each indicator is a cube quarter x outcome, the lines quarter total = met + short), and a
share is shown only when both of its counts are published. A registry (`register_indicator`). "Returns
without a risk assessment" reads the returns and the justice areas (below this one): an adult's return whose
arrival was recorded without a current risk assessment that does not find the risk high on that day (a
return cleared and not yet taken place is counted once it arrives: clearing records no day).

Beside `palermo rulebook_check`, which compares the rulebook's text with the paper, these measure the cases.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as When_
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palermo.children.models import Guardianship
from palermo.core.days import days_in_words
from palermo.core.rulebooks import PAPER_RULEBOOK, rulebook
from palermo.identification.models import DecisionKind, DecisionProcedure, IdentificationDecision
from palermo.reflection.models import ReflectionPeriod
from palermo.residence.models import Decision, Outcome, RefusalGround
from palermo.statistics.aggregates import end_of
from palermo.statistics.catalogue import child_case, quarter_of
from palermo.statistics.disclosure import Cube, protect

SHORT = "short"
MET = "met"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str | Promise
    # The standard in words; a callable states the active rulebook's figures in the reader's language.
    standard: str | Promise | Callable[[], str]
    # The rows measured as of the end of a snapshot day, the moment each is dated by, and which fell short.
    rows: Callable[[datetime.datetime], QuerySet[Any]] | None
    dated: str = ""
    short: Callable[[], Q] = lambda: Q()
    person: str = "case__persons"
    order: int = 50

    @property
    def standard_words(self) -> str:
        return self.standard() if callable(self.standard) else str(self.standard)


INDICATORS: dict[str, Indicator] = {}


def register_indicator(indicator: Indicator) -> None:
    INDICATORS[indicator.key] = indicator


def _paper_minimum_days() -> int:
    """The paper's minimum reflection period in days, at its shortest over the year (three months from
    1 February is 89 days): a period is counted short only when it is short whatever day it began."""
    minimum = rulebook(PAPER_RULEBOOK).reflection.minimum
    return min(minimum.days_from(datetime.date(2025, month, 1)) for month in range(1, 13))


def _presumed_standard() -> str:
    book = rulebook()
    period = days_in_words(book.decisions.presumed_victim_days, book.decisions.presumed_victim_day_kind)
    return gettext("The presumed victim decision within %(period)s of the referral (%(rulebook)s).") % {
        "period": period,
        "rulebook": book.meta.title,
    }


def _guardian_standard() -> str:
    book = rulebook()
    return gettext("A guardian appointed within %(period)s of the case's opening (%(rulebook)s).") % {
        "period": days_in_words(book.children.guardian_appointment_days),
        "rulebook": book.meta.title,
    }


def _guardian_late() -> Q:
    days = datetime.timedelta(days=rulebook().children.guardian_appointment_days)
    in_time = Guardianship.objects.filter(
        case=OuterRef("case"), appointed_at__lte=OuterRef("case__opened_at") + days
    )
    return ~Q(Exists(in_time))


def _children_due(end: datetime.datetime) -> QuerySet[Any]:
    """Children's cases whose guardian was due before the snapshot's end, one row per case (its person)."""
    days = datetime.timedelta(days=rulebook().children.guardian_appointment_days)
    from palermo.cases.models import Person

    return Person.objects.filter(child_case("case__"), case__opened_at__lt=end - days)


register_indicator(
    Indicator(
        "reflection-short",
        _("Reflection periods shorter than the paper's minimum"),
        _("At least three months (position paper; CETS No. 197 art. 13: at least 30 days)"),
        lambda end: ReflectionPeriod.objects.filter(opened_at__lt=end),
        "opened_at",
        lambda: Q(length_days__lt=_paper_minimum_days()),
        order=10,
    )
)
register_indicator(
    Indicator(
        "presumed-late",
        _("Presumed-victim decisions later than the rulebook's deadline"),
        _presumed_standard,
        lambda end: IdentificationDecision.objects.filter(
            kind=DecisionKind.PRESUMED,
            procedure=DecisionProcedure.FIRST,
            decided_at__lt=end,
            due_at__isnull=False,
        ),
        "decided_at",
        lambda: Q(decided_at__gt=F("due_at")),
        order=20,
    )
)
register_indicator(
    Indicator(
        "guardian-late",
        _("Children without a guardian within the deadline"),
        _guardian_standard,
        _children_due,
        "case__opened_at",
        _guardian_late,
        person="pk",
        order=30,
    )
)


def _returns_arrived(end: datetime.datetime) -> QuerySet[Any]:
    """Adults' returns that took place (arrival recorded) by the snapshot day, each with the level and review
    day of the latest risk assessment completed by its arrival day (justice)."""
    from palermo.justice.models import RiskAssessment
    from palermo.returns.models import VoluntaryReturn

    latest = RiskAssessment.objects.filter(
        case=OuterRef("case"), completed_on__isnull=False, completed_on__lte=OuterRef("returned_on")
    ).order_by("-completed_on", "-id")
    return VoluntaryReturn.objects.filter(returned_on__lt=timezone.localtime(end).date()).annotate(
        _risk_level=Subquery(latest.values("overall_level")[:1]),
        _risk_review=Subquery(latest.values("review_on")[:1]),
    )


def _unassessed() -> Q:
    """No current assessment on the arrival day (none completed, or past its review day), or a high one."""
    from palermo.justice.models import RiskLevel

    return (
        Q(_risk_level__isnull=True)
        | Q(_risk_level=RiskLevel.HIGH)
        | Q(_risk_review__isnull=True)
        | Q(_risk_review__lt=F("returned_on"))
    )


register_indicator(
    Indicator(
        "returns-unassessed",
        _("Returns without a risk assessment"),
        _(
            "A current risk assessment, not finding the risk high, on the day of every return (position "
            "paper; the returns area's own check)"
        ),
        _returns_arrived,
        "returned_on",
        _unassessed,
        order=40,
    )
)
register_indicator(
    Indicator(
        "refusal-cooperation",
        _("Residence refusals citing non-cooperation"),
        _("No condition of cooperation (position paper)"),
        lambda end: Decision.objects.filter(outcome=Outcome.REFUSED, recorded_at__lt=end),
        "recorded_at",
        lambda: Q(refusal_ground=RefusalGround.NON_COOPERATION),
        person="application__case__persons",
        order=50,
    )
)


@dataclass(frozen=True)
class QuarterFigure:
    quarter: str
    total: int | None
    short: int | None

    @property
    def share(self) -> float | None:
        if self.total is None or self.short is None or not self.total:
            return None
        return self.short / self.total


@dataclass(frozen=True)
class Measured:
    indicator: Indicator
    quarters: list[QuarterFigure]
    measured: bool


def measure(snapshot: datetime.date, threshold: int) -> list[Measured]:
    """Every indicator by quarter, protected together (one release)."""
    end = end_of(snapshot)
    cubes: list[Cube] = []
    found: list[tuple[Indicator, list[str]]] = []
    for indicator in sorted(INDICATORS.values(), key=lambda i: (i.order, i.key)):
        if indicator.rows is None:
            found.append((indicator, []))
            continue
        rows = indicator.rows(end).annotate(
            _quarter=quarter_of(indicator.dated),
            _outcome=When_(
                When(indicator.short(), then=Value(SHORT)), default=Value(MET), output_field=CharField()
            ),
        )
        counts: dict[frozenset[tuple[str, Any]], int] = {}
        for row in (
            rows.values("_quarter", "_outcome").annotate(n=Count(indicator.person, distinct=True)).order_by()
        ):
            counts[frozenset({("quarter", row["_quarter"]), ("outcome", row["_outcome"])})] = int(row["n"])
        for row in rows.values("_quarter").annotate(n=Count(indicator.person, distinct=True)).order_by():
            counts[frozenset({("quarter", row["_quarter"])})] = int(row["n"])
        for row in rows.values("_outcome").annotate(n=Count(indicator.person, distinct=True)).order_by():
            counts[frozenset({("outcome", row["_outcome"])})] = int(row["n"])
        counts[frozenset()] = int(rows.aggregate(n=Count(indicator.person, distinct=True))["n"] or 0)
        quarters = sorted({v for c in counts for d, v in c if d == "quarter"})
        population = f"compliance:{indicator.key}"
        # Persons are counted once per line; a person with two cases could count in both outcomes, so only
        # the quarter lines are additive when each row is one person's (the common case: one case each).
        cubes.append(
            Cube(
                population,
                ("quarter", "outcome"),
                {"quarter": quarters, "outcome": [MET, SHORT]},
                counts,
                frozenset({"quarter", "outcome"}),
            )
        )
        found.append((indicator, quarters))
    protected = protect(cubes, threshold)
    result = []
    for indicator, quarters in found:
        population = f"compliance:{indicator.key}"
        figures = [
            QuarterFigure(
                quarter,
                protected.shown((population, frozenset({("quarter", quarter)}))),
                protected.shown((population, frozenset({("quarter", quarter), ("outcome", SHORT)}))),
            )
            for quarter in quarters
        ]
        result.append(Measured(indicator, figures, indicator.rows is not None))
    return result
