"""Persons set up directly on cases (the intake has its own tests), their search keys built by the linkage
service as the intake's hook builds them."""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from palermo.cases.models import Case, Person, PersonAlias
from palermo.linkage.services.keys import person_keys_refresh


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_person(make_case: Callable[..., Case]) -> Callable[..., Person]:
    def make(*names: str, case: Case | None = None, **fields: Any) -> Person:
        """A person (``person_on``'s names and keywords) on ``case``, or on a new case made of the keywords
        ``person_on`` does not take."""
        person_keywords = {key: fields.pop(key) for key in PERSON_KEYWORDS & fields.keys()}
        return person_on(case or make_case(**fields), *names, **person_keywords)

    return make


def person_on(
    case: Case,
    given: str,
    family: str = "",
    *,
    latin: tuple[str, str] = ("", ""),
    born: datetime.date | None = None,
    precision: str = "exact",
    aliases: tuple[str, ...] = (),
) -> Person:
    """A person written directly on ``case``, with their search keys (as ``make_person``, no fixture)."""
    person = Person.objects.create(
        case=case,
        given_names=given,
        family_names=family,
        given_names_latin=latin[0],
        family_names_latin=latin[1],
        birth_date=born,
        birth_date_precision=precision,
    )
    PersonAlias.objects.bulk_create([PersonAlias(person=person, name=name) for name in aliases])
    person_keys_refresh([person.pk])
    return person


# What ``make_person`` hands on to ``person_on``; the rest of its keywords make the case.
PERSON_KEYWORDS = frozenset(
    name
    for name, parameter in inspect.signature(person_on).parameters.items()
    if parameter.kind is parameter.KEYWORD_ONLY
)
