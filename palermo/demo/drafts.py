"""Demo referral drafts: the labour inspectorate's first responder has two referrals in progress, as "My
drafts" shows a real one: one begun three days ago after an inspection (names, age and what was seen, not yet
the consent), one begun yesterday from a hotline call (the names only). Saved through the intake service at
their moments of the demo's history (palermo.demo.history), with a synthetic person of the demo's generator.
Idempotent: none is added while the responder has a draft.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial

from palermo.accounts.roles import Role
from palermo.cases.models import IntakeDraft
from palermo.cases.services.intake import intake_draft_create
from palermo.demo.common import demo_member
from palermo.demo.history import Step
from palermo.demo.synthetic import SyntheticCase, draw_case

RESPONDER = ("demo.responder", Role.FIRST_RESPONDER)
SEED = 1707
HOUR = datetime.timedelta(hours=1)


def _names(spec: SyntheticCase) -> dict[str, object]:
    person = spec.person
    return {
        "given_names": person.given_names,
        "family_names": person.family_names,
        "given_names_latin": person.given_names_latin,
        "family_names_latin": person.family_names_latin,
    }


def _after_an_inspection(spec: SyntheticCase) -> dict[str, object]:
    person = spec.person
    born = person.birth_date
    return {
        **_names(spec),
        "birth_year": str(born.year) if born else "",
        "gender": person.gender,
        "age_uncertain": person.age_uncertain,
        "contact_channel": "labour_inspection",
        "exploitation_forms": list(spec.exploitation_forms),
    }


def _from_a_hotline_call(spec: SyntheticCase) -> dict[str, object]:
    return {**_names(spec), "contact_channel": "hotline"}


def _save(data: dict[str, object]) -> None:
    membership = demo_member(*RESPONDER)
    if membership is not None:
        intake_draft_create(actor=membership.user, membership=membership, data=data)


def steps(start: datetime.datetime, end: datetime.datetime, years: int, numbers: Iterator[int]) -> list[Step]:
    """The two drafts, at their moments before `end` (the day the demo is loaded)."""
    # The demo's accounts are made as its history begins: whether the responder has a draft is asked of the
    # drafts themselves.
    if IntakeDraft.objects.filter(created_by__username=RESPONDER[0], submitted_case__isnull=True).exists():
        return []
    drafts = (
        (end - 3 * 24 * HOUR + 11 * HOUR, _after_an_inspection),
        (end - 24 * HOUR + 16 * HOUR, _from_a_hotline_call),
    )
    found = []
    for number, (moment, content) in enumerate(drafts):
        spec = draw_case(SEED, number, until=moment.date())
        found.append(Step(moment, next(numbers), partial(_save, content(spec))))
    return found
