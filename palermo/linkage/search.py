"""The tolerant person search as the page and the API ask it (docs/decisions/0042): the question's cleaning,
the search within the cases whose identity (T2) the searcher may read, and each result's reasons in words.

A result names the case (T1 reference) and why it matched; the person's details are on the case page, read
there at the reader's tiers. The search itself is a T2 read (it tells that a person is on these cases):
recorded with the references found, never the name; rate-limited per person like the case search by name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.access.selectors import cases_readable_at
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Case, Person
from palermo.cases.selectors import audit_name_search
from palermo.core.forms import StyledForm
from palermo.linkage.keys import CONSONANTS, EXACT, SOUNDS, TYPO, PartialDate
from palermo.linkage.matching import (
    DATE_EXACT,
    DATE_MONTH,
    DATE_NONE,
    DATE_SWAPPED,
    DATE_YEAR,
    Hit,
    find_persons,
)
from palermo.linkage.models import KeySource, PersonMerge

MAX_NAME = 200
EARLIEST_YEAR = 1900


def clean_birth(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    """A partial birth date from its parts: a month needs a year, a day a month, and the date must exist."""
    if year is None:
        if month or day:
            raise ValidationError({"birth_year": _("Give the year of birth with a month or a day.")})
        return None
    if day and not month:
        raise ValidationError({"birth_month": _("Give the month of birth with a day.")})
    if year < EARLIEST_YEAR or year > timezone.localdate().year:
        raise ValidationError({"birth_year": _("Give a year of birth between 1900 and this year.")})
    if month and day:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise ValidationError({"birth_day": _("This day does not exist in that month.")}) from None
    return PartialDate(year, month or None, day or None)


class PersonSearchForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=MAX_NAME,
        help_text=gettext_lazy(
            "Any of the person's names, in any order, in their own script or in Latin letters. "
            "Other spellings and one typo are found too."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_year = forms.IntegerField(label=gettext_lazy("Year of birth"), required=False, min_value=1)
    birth_month = forms.IntegerField(
        label=gettext_lazy("Month of birth"), required=False, min_value=1, max_value=12
    )
    birth_day = forms.IntegerField(
        label=gettext_lazy("Day of birth"), required=False, min_value=1, max_value=31
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                data["born"] = clean_birth(
                    data.get("birth_year"), data.get("birth_month"), data.get("birth_day")
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data


@dataclass(frozen=True)
class Result:
    reference: str
    score: float
    hit: Hit
    reasons: tuple[str, ...]
    also: tuple[str, ...] = ()  # the other cases of a merged person, among those the searcher may read


def _where(source: str) -> str:
    return {
        KeySource.NAME: _("the name in the person's own script"),
        KeySource.LATIN: _("the name in Latin letters"),
        KeySource.ALIAS: _("another name the person is known by"),
    }.get(KeySource(source), "")


def reasons(hit: Hit) -> tuple[str, ...]:
    """Why a result matched, in words: each word of the question, then the birth date."""
    said: list[str] = []
    for match in hit.words:
        values = {"word": match.word, "where": _where(match.source)}
        text = {
            EXACT: _("“%(word)s” is in %(where)s."),
            TYPO: _("“%(word)s” is one letter away from a word in %(where)s."),
            SOUNDS: _("“%(word)s” sounds like a word in %(where)s (another transliteration)."),
            CONSONANTS: _("“%(word)s” has the consonants of a word in %(where)s (written without vowels)."),
        }[match.grade]
        said.append(text % values)
    if hit.birth is not None:
        said.append(
            {
                DATE_EXACT: _("The date of birth is the one recorded."),
                DATE_MONTH: _("The year and month of birth match (no day on one side)."),
                DATE_YEAR: _("The year of birth matches (no month or day on one side, or an estimate)."),
                DATE_SWAPPED: _("The date of birth is recorded with the day and month swapped."),
                DATE_NONE: _("No date of birth is recorded."),
            }[hit.birth]
        )
    return tuple(said)


def _merged_groups(hits: list[Hit], among: QuerySet[Person]) -> dict[int, set[tuple[int, int]]]:
    """For each person hit, its group: the (person, case) of every record merged with it (now, not undone),
    directly or through others, all among `among`. One query per step of a chain, not per hit."""
    case_of = {hit.person_id: hit.case_id for hit in hits}
    parent = {person: person for person in case_of}

    def root(person: int) -> int:
        while parent[person] != person:
            person = parent[person]
        return person

    done: set[int] = set()
    frontier = set(case_of)
    while frontier:
        done |= frontier
        links = PersonMerge.objects.filter(undone_at__isnull=True, kept__in=among, merged__in=among).filter(
            Q(kept_id__in=frontier) | Q(merged_id__in=frontier)
        )
        for kept, kept_case, merged, merged_case in links.values_list(
            "kept_id", "kept__case_id", "merged_id", "merged__case_id"
        ):
            for person, case in ((kept, kept_case), (merged, merged_case)):
                case_of.setdefault(person, case)
                parent.setdefault(person, person)
            parent[root(merged)] = root(kept)
        frontier = set(case_of) - done
    groups: dict[int, set[tuple[int, int]]] = {}
    for person, case in case_of.items():
        groups.setdefault(root(person), set()).add((person, case))
    return {person: groups[root(person)] for person in case_of}


def _once_per_person(hits: list[Hit], among: QuerySet[Person]) -> list[tuple[Hit, list[int]]]:
    """The hits (best first) with a merged person shown once, at its best hit, with the cases of its other
    records."""
    groups = _merged_groups(hits, among)
    shown: list[tuple[Hit, list[int]]] = []
    seen: set[int] = set()
    for hit in hits:
        if hit.person_id in seen:
            continue
        seen |= {person for person, _ in groups[hit.person_id]}
        shown.append((hit, sorted({case for _, case in groups[hit.person_id]} - {hit.case_id})))
    return shown


def person_search(membership: Membership, *, name: str, born: PartialDate | None) -> list[Result]:
    """The persons on cases whose identity the searcher may read, ranked, a merged person once with every
    case of its records the searcher may read; recorded as a T2 read."""
    among = Person.objects.filter(case__in=cases_readable_at(membership, Tier.IDENTITY).values("pk"))
    shown = _once_per_person(find_persons(name, born, among=among), among)
    case_ids = {hit.case_id for hit, _ in shown} | {case for _, others in shown for case in others}
    references = dict(Case.objects.filter(pk__in=sorted(case_ids)).values_list("pk", "reference"))
    results = [
        Result(
            references[hit.case_id],
            hit.score,
            hit,
            reasons(hit),
            also=tuple(sorted(references[case] for case in others)),
        )
        for hit, others in shown
    ]
    audit_name_search(
        actor=membership.user,
        membership=membership,
        references=list(dict.fromkeys(ref for result in results for ref in (result.reference, *result.also))),
    )
    return results
