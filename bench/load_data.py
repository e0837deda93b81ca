"""Bench only: the load test's cases (bench/load.py), written with COPY (bench/bulk_copy.py) so 100,000 cases
are ready in minutes rather than hours.

Each case is one of a pool of synthetic cases (palermo.demo.synthetic) with its times moved back by up to 90
days and a reference of its own, and gets the rows the pages under load read, as the services would have left
them: the person (names, birth date, contact details and note sealed with the real field encryption, the
blind indexes), exploitation forms, citizenships, languages, identity documents (sealed, with their blind
index), aliases, the timeline of its lifecycle, the case team (the lead agency and the identification
authority as a whole, as intake opens it), the presumed victim decision deadline (open while the case is in
identification, done once it moved on) and, for a case in assistance, a referral to a provider's service with
its package. Not written: identification decisions, screenings, notes and documents. The application never
writes this way: intake, the case team and the deadlines go through their services (one audited transaction
each); this writes one audit event for the whole load, as synthetic.bulk_load does.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from bench.bulk_copy import copy_rows, next_id, pooled, reset_sequences
from palermo.access.models import CaseTeamMember
from palermo.accounts.models import Agency, User
from palermo.assistance.models import ProviderService, Referral, ReferralLanguage, ReferralStatus
from palermo.audit.services import audit_record
from palermo.cases.models import Case, Person, Phase
from palermo.cases.reference import CaseStatus
from palermo.deadlines.models import Deadline
from palermo.deadlines.services import source_key
from palermo.demo import synthetic
from palermo.identification.deadlines import PRESUMED_KIND, decision_deadline
from palermo.identification.models import DecisionKind

POOL = 10_000
CHUNK = 5_000
TEAM_REASON = "Referral received (synthetic load)."
ASSISTED = (Phase.ASSISTANCE, Phase.LONG_TERM)
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class Cast:
    leads: Sequence[Agency]
    authority: Agency
    services: Sequence[ProviderService]
    referrer: User


def reference(case_id: int) -> str:
    """A reference of the case's own (unique: a bijection of the id), in the format intake gives."""
    number = (case_id * 0x9E3779B1 + 0x5BD1E995) % 32**8
    body = "".join(REFERENCE_ALPHABET[(number >> (5 * i)) & 31] for i in range(8))
    return f"NRM-{body[:4]}-{body[4:]}"


def _team(case: Case, cast: Cast) -> list[CaseTeamMember]:
    return [
        CaseTeamMember(case=case, agency=agency, reason=TEAM_REASON, added_at=case.opened_at)
        for agency in dict.fromkeys((case.lead_agency, cast.authority))
    ]


def _deadline(case: Case, spec: Any) -> Deadline:
    source_type, source_id = source_key(case)
    due = decision_deadline(DecisionKind.PRESUMED, start=case.opened_at).due_at
    moved_on = spec.phase != Phase.IDENTIFICATION or spec.status != CaseStatus.ACTIVE
    done = (spec.moved_at or spec.closed_at or due) if moved_on else None
    return Deadline(
        case=case,
        kind=PRESUMED_KIND,
        due_at=due,
        done_at=done,
        source_type=source_type,
        source_id=source_id,
        responsible_agency=case.lead_agency,
    )


def _referral(case: Case, person: Person, spec: Any, cast: Cast, rng: random.Random, pk: int) -> list[Any]:
    service = cast.services[rng.randrange(len(cast.services))]
    now = timezone.now()
    sent = min((spec.moved_at or case.opened_at) + datetime.timedelta(days=rng.randint(1, 20)), now)
    status = rng.choices(
        (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED), weights=(3, 5, 2)
    )[0]
    answered = min(sent + datetime.timedelta(days=rng.randint(1, 7)), now)
    referral = Referral(
        pk=pk,
        case=case,
        service=service,
        provider_id=service.agency_id,
        status=status,
        sent_at=sent,
        sent_by=cast.referrer,
        referring_agency=case.lead_agency,
        responded_at=answered if status != ReferralStatus.SENT else None,
        closed_at=answered if status == ReferralStatus.COMPLETED else None,
        service_given="Synthetic: the service was given." if status == ReferralStatus.COMPLETED else "",
        age_group=person.age_group,
        gender=person.gender,
        is_child=case.is_child,
        needs_interpreter=any(interpreter for _, interpreter in spec.person.languages),
        specific_needs="Synthetic: needs a quiet room and a female interviewer."
        if rng.random() < 0.3
        else "",
    )
    languages = [
        ReferralLanguage(referral=referral, language=code, needs_interpreter=interpreter)
        for code, interpreter in spec.person.languages
    ]
    return [referral, *languages]


def _chunk(specs: list[Any], cast: Cast, rng: random.Random, ids: dict[str, int]) -> dict[type, list[Any]]:
    rows: dict[type, list[Any]] = {}

    def add(*items: models.Model) -> None:
        for item in items:
            rows.setdefault(type(item), []).append(item)

    for spec in specs:
        case_id = ids["case"] = ids["case"] + 1
        spec = replace(spec, reference=reference(case_id))
        case = synthetic.case_row(spec, cast.leads[int(spec.agency_draw * len(cast.leads))], None)
        case.pk = case_id
        person = synthetic.person_row(spec.person, case)
        person.pk = ids["person"] = ids["person"] + 1
        add(
            case,
            person,
            *synthetic.related_rows(spec, case, person),
            *_team(case, cast),
            _deadline(case, spec),
        )
        if spec.phase in ASSISTED and cast.services:
            ids["referral"] += 1
            add(*_referral(case, person, spec, cast, rng, ids["referral"]))
    return rows


ORDER = (Case, Person, *synthetic.RELATED_MODELS, CaseTeamMember, Deadline, Referral, ReferralLanguage)


def load(count: int, cast: Cast, *, say: Any = print) -> float:
    """Write `count` cases for `cast`; returns the seconds taken."""
    started = time.perf_counter()
    rng = random.Random(count)
    pool = list(synthetic.generate_cases(POOL, seed=21))
    say(f"a pool of {POOL} synthetic cases drawn in {time.perf_counter() - started:.0f} s")
    ids = {"case": next_id(Case) - 1, "person": next_id(Person) - 1, "referral": next_id(Referral) - 1}
    draws = pooled(pool, count, rng, days=-90)
    written = 0
    while written < count:
        specs = [next(draws) for _ in range(min(CHUNK, count - written))]
        with transaction.atomic():
            rows = _chunk(specs, cast, rng, ids)
            for model in ORDER:
                copy_rows(model, rows.get(model, []))
        written += len(specs)
        rate = written / (time.perf_counter() - started)
        say(f"{written} of {count} cases written ({rate:.0f} cases/s)")
    reset_sequences(Case._meta.db_table, Person._meta.db_table, Referral._meta.db_table)
    audit_record(
        actor=None,
        action=synthetic.AUDIT_ACTION,
        tier=0,
        object_type="case",
        reason=f"{count} synthetic cases written in bulk for the load test",
    )
    return time.perf_counter() - started
