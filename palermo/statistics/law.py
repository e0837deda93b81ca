"""The law in force against the position paper, as the rapporteur reads it: each recommendation of the paper,
what the paper asks, what a rulebook says and whether it meets it, in the reader's language
(palermo.core.rulebooks compares them; here they are put in words). No record is read: rulebooks only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

from palermo.cases.reference import ExploitationForm
from palermo.core.days import days_in_words
from palermo.core.lists import listed
from palermo.core.rulebooks import (
    PAPER_RULEBOOK,
    Comparison,
    Expect,
    Period,
    RulebookError,
    available_rulebooks,
    compared,
    missing_forms,
    rulebook,
)


@dataclass(frozen=True)
class Point:
    """One recommendation of the paper, in words: what it is about, the paper's own words (a quotation, in
    English), what the paper asks and what the rulebook says."""

    key: str
    topic: str | Promise
    paper_says: str
    paper: str
    rulebook: str
    meets: bool


@dataclass(frozen=True)
class Law:
    """A rulebook as the page shows it: who wrote it and from when, its sources, and the paper's points."""

    name: str
    title: str
    jurisdiction: str
    valid_from: datetime.date
    sources: tuple[str, ...]
    unverified: int
    points: list[Point]
    is_active: bool
    is_the_paper: bool

    @property
    def short_of_the_paper(self) -> int:
        return sum(not point.meets for point in self.points)


def _count(value: int, unit: str) -> str:
    # An age ("years") reads as the bare number beside its point ("age under which a person is a child").
    if unit == "months":
        return ngettext("%(count)d month", "%(count)d months", value) % {"count": value}
    return str(value)


def _amount(value: Any, unit: str) -> str:
    if not value or (isinstance(value, Period) and not (value.days or value.months)):
        return gettext("None set")
    if isinstance(value, Period):
        if value.months is not None:
            return _count(value.months, "months")
        return days_in_words(value.days or 0)
    return _count(value, unit)


def _forms(forms: Any) -> str:
    return listed(ExploitationForm(form).label for form in forms)


def _words(point: Comparison) -> tuple[str, str]:
    """(what the paper asks, what the rulebook says), in the reader's language."""
    item, paper, book = point.recommendation, point.paper, point.rulebook
    if item.expect is Expect.AT_LEAST:
        asked = gettext("At least %(amount)s") % {"amount": _amount(paper, item.unit)}
        return asked, _amount(book, item.unit)
    if item.expect is Expect.SAME:
        return (gettext("Yes") if paper else gettext("No")), (gettext("Yes") if book else gettext("No"))
    if item.expect is Expect.INCLUDES:
        says = gettext("Recognised") if item.form in book else gettext("Not recognised")
        return gettext("Recognised"), says
    missing = missing_forms(paper, book)
    asked = gettext("All of these: %(forms)s") % {"forms": _forms(paper)}
    return asked, gettext("Missing: %(forms)s") % {"forms": _forms(missing)} if missing else gettext(
        "All of them"
    )


def law(name: str) -> Law:
    """Rulebook `name` against the paper (`name` one of `available_rulebooks()`)."""
    book = rulebook(name)
    points = []
    for point in compared(name):
        paper, says = _words(point)
        points.append(
            Point(
                key=point.recommendation.key,
                topic=point.recommendation.topic,
                paper_says=point.recommendation.paper_says,
                paper=paper,
                rulebook=says,
                meets=point.meets,
            )
        )
    return Law(
        name=name,
        title=book.meta.title,
        jurisdiction=book.meta.jurisdiction,
        valid_from=book.meta.valid_from,
        sources=tuple(book.meta.sources),
        unverified=len(book.meta.unverified),
        points=points,
        is_active=name == settings.PALERMO_RULEBOOK,
        is_the_paper=name == PAPER_RULEBOOK,
    )


def rulebook_choices() -> list[tuple[str, str]]:
    """Every rulebook that loads, by its title, the one in force first (a broken file is left out: the
    rulebook check names it to the operator)."""
    titles = {}
    for name in available_rulebooks():
        try:
            titles[name] = rulebook(name).meta.title
        except RulebookError:
            continue
    active = settings.PALERMO_RULEBOOK
    return sorted(titles.items(), key=lambda item: (item[0] != active, item[1]))
