"""Demo anonymous notifications: persons the demo's first responder and case manager met over the demo's years
who declined to be referred, recorded through the service at the moment each was met (palermo.demo.history),
so the list, a notification's page and the rapporteur's figures show real use. Facts only, as the form asks
(no person: an age band, a nationality, where and when), drawn from a seeded stream; some without the rights
information, some with a region of the country. Adults only: a child is referred at once. Idempotent: none is
added once any exists.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from functools import partial

from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.anonymous.models import AnonymousNotification
from palermo.anonymous.services import anonymous_notification_record
from palermo.cases.exploitation import recognised_forms
from palermo.cases.models import AgeGroup
from palermo.cases.reference import ExploitationForm, Gender
from palermo.demo.history import Step

PER_YEAR = 14
SEED = 1404
RECORDED_BY = ("demo.responder", "demo.casemanager")
ADULT_BANDS = [band for band in AgeGroup.values if band not in ("0-8", "9-17")]
NATIONALITIES = ("NGA", "VNM", "UKR", "ROU", "ALB", "MAR", "ERI", "CHN", "BGR", "PAK")
# (country of exploitation, regions of it often met), and the forms met most.
PLACES = (
    ("ITA", ("IT-82", "IT-72", "IT-25", "")),
    ("DEU", ("DE-BE", "DE-NW", "")),
    ("ESP", ("ES-AN", "ES-CT", "")),
    ("GBR", ("", "GB-ENG")),
)
FORMS = (
    ExploitationForm.FORCED_LABOUR,
    ExploitationForm.FORCED_LABOUR,
    ExploitationForm.SEXUAL_EXPLOITATION,
    ExploitationForm.FORCED_BEGGING,
    ExploitationForm.FORCED_CRIMINALITY,
    ExploitationForm.SERVITUDE,
)
LEAFLETS = (
    ("Rights leaflet A (synthetic)", "eng"),
    ("Rights leaflet A (synthetic)", "ara"),
    ("Rights leaflet B (synthetic)", "ron"),
)


def _facts(rng: random.Random, met: datetime.date) -> dict[str, object]:
    country, regions = rng.choice(PLACES)
    given = rng.random() < 0.8
    leaflet, language = rng.choice(LEAFLETS) if given else ("", "")
    return {
        "met_in": met,
        "gender": rng.choice([Gender.MASCULINE, Gender.FEMININE, Gender.MASCULINE, Gender.UNKNOWN]),
        "age_group": rng.choice(ADULT_BANDS),
        "nationality": rng.choice(NATIONALITIES),
        "exploitation_form": rng.choice([form for form in FORMS if form in recognised_forms()] or [""]),
        "exploitation_country": country,
        "exploitation_region": rng.choice(regions),
        "exploitation_month": met - datetime.timedelta(days=rng.randrange(0, 120)),
        "rights_information_given": given,
        "leaflet": leaflet,
        "leaflet_language": language,
    }


def _record(username: str, facts: dict[str, object]) -> None:
    membership = Membership.objects.select_related("user").filter(user__username=username).first()
    if membership is not None:
        anonymous_notification_record(actor=membership.user, membership=membership, facts=facts)


def steps(start: datetime.datetime, end: datetime.datetime, years: int, numbers: Iterator[int]) -> list[Step]:
    """The notifications of the demo's `years` from `start` to `end`, each a step at its moment."""
    if AnonymousNotification.objects.exists():
        return []
    rng = random.Random(SEED)  # noqa: S311  (synthetic data, reproducible: not a secret)
    first = start + datetime.timedelta(days=1)  # once the demo's people have their accounts
    found = []
    for _ in range(PER_YEAR * years):
        at = first + (end - first) * rng.random()
        facts = _facts(rng, timezone.localtime(at).date())
        found.append(Step(at, next(numbers), partial(_record, rng.choice(RECORDED_BY), facts)))
    return found
