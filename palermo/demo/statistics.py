"""Demo history for the rapporteur's statistics: the demo's own cases (a few hundred over three years,
palermo.demo.history) are too few for national figures by quarter, sector and country. This adds the referrals
of the five years up to the day the demo is loaded (synthetic cases of the generator, led by the demo agencies
that refer cases; ending the day of loading, so the quarters run on to the demo's own without a gap, whatever
day it is loaded), written in bulk as the benchmarks write theirs: persons, forms of exploitation and
citizenships, with no case team, so no demo user works on them and the area loaders never receive them
(seed_demo gives them the cases with a team only). Idempotent: the same references are skipped on a second
load, on any day. How many: PALERMO_DEMO_CASES times HISTORY_PER_DEMO_CASE. Where and in which sector the
exploitation happened is spread over a few countries and HTCDS sectors (one in five left unrecorded, as in
real files), so the dashboard's tables by sector and by country of exploitation have figures.

Each also gets the identification decisions its phase implies, so the presumed and identified views have years
behind them: written in bulk (`bulk_create`, the fields still encrypted), synthetic, taken by the demo's
identification authority, never through the decision services (no timeline entry, notice or deadline: the
history is counted, not worked). A case past identification has a positive presumed-victim decision between
its referral and its move; a case in assistance or long-term solutions (or closed from there) also a positive
identified-victim decision at its move, which ended its reflection period; a case closed in identification a
negative presumed-victim decision; about a quarter of those still in identification a negative one, the rest
none yet. The draws come from each case's own stream, so a load is reproducible.

In the demo's history (`steps`), that history is loaded as the demo's years begin (it is dated, not
replayed), so what the rapporteur published in those years counted it: each February the rapporteur's office
published the figures of the year before (a snapshot of 31 January, cells under the rulebook's smallest cell
withheld; the latest year's with differential privacy, spending part of that year's budget), and in March
the release Eurostat's annual data collection is read from. Through the release service, as the rapporteur
publishes. Idempotent: a release already published under its title is not published again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from django.conf import settings
from django.db.models import F

from palermo.accounts.models import Agency, User
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.models import Case, Phase
from palermo.cases.services.person import today
from palermo.demo.accounts import DEMO_AGENCIES
from palermo.demo.common import PAST_IDENTIFICATION, demo_member
from palermo.demo.history import Step
from palermo.demo.synthetic import SyntheticCase, bulk_load, case_stream, generate_cases, spread_over
from palermo.identification.models import DecisionKind, DecisionOutcome, Ground, IdentificationDecision
from palermo.statistics.eurostat import eurostat_release, eurostat_title
from palermo.statistics.models import Mechanism, Release
from palermo.statistics.publication import Parameters, minimum_cell
from palermo.statistics.services import release_publish

HISTORY_PER_DEMO_CASE = 8
PAST_REFLECTION = (Phase.ASSISTANCE, Phase.LONG_TERM)
HISTORY_SEED = 1919
HISTORY_YEARS = 5
# (country of exploitation, HTCDS vic_ForcedLabourIndustry) for the history's cases, in turn.
PLACES = (
    ("ITA", "A_AgricultureForestryAndFishing"),
    ("DEU", "F_Construction"),
    ("GBR", "I_AccommodationAndFoodServiceActivities"),
    ("ESP", "T_ActivitiesOfHouseholdsAsEmployers"),
)
DECIDED_BY = "demo.identification"
RAPPORTEUR = ("demo.rapporteur", Role.RAPPORTEUR)
# The tables of the yearly release: referrals and decisions, who they were, and what followed.
RELEASED_TABLES = (
    "referred-group",
    "referred-form",
    "referred-sex",
    "referred-citizenship",
    "referred-agency_type",
    "presumed-group",
    "identified-group",
    "identified-form",
    "permits-permit",
    "proceedings-stage",
    "compensation-awarded-route",
)
YEARLY_EPSILON = 1.0
REFERRING = (
    AgencyType.POLICE,
    AgencyType.LABOUR_INSPECTORATE,
    AgencyType.MIGRATION,
    AgencyType.NGO,
    AgencyType.SOCIAL_SERVICES,
)


def load_demo(cases: list[Case]) -> None:
    load_history(today())


def load_history(until: datetime.date) -> None:
    """The referrals of the HISTORY_YEARS up to `until` (see the module's note)."""
    names = [name for name, kind in DEMO_AGENCIES if kind in REFERRING]
    leads = list(Agency.objects.filter(name__in=names).order_by("name"))
    count = int(settings.DEMO_CASES) * HISTORY_PER_DEMO_CASE
    if not leads or count <= 0:
        return
    specs = list(generate_cases(count, seed=HISTORY_SEED, until=until, years=HISTORY_YEARS))
    loaded = bulk_load(specs, lead_agency=spread_over(leads), batch_size=500, keep=True)
    history = Case.objects.filter(reference__in=[spec.reference for spec in specs], exploitation_country="")
    history = history.annotate(turn=F("pk") % (len(PLACES) + 1))
    for turn, (country, sector) in enumerate(PLACES):
        history.filter(turn=turn).update(exploitation_country=country, exploitation_sector=sector)
    decider = User.objects.filter(username=DECIDED_BY).first()
    agency = decider.memberships.values_list("agency", flat=True).first() if decider else None
    if decider is None or agency is None or not loaded.cases:
        return
    by_reference = {spec.reference: spec for spec in specs}
    decisions = [
        decision
        for case in loaded.cases
        for decision in _decisions(case, by_reference[case.reference], decider, agency)
    ]
    IdentificationDecision.objects.bulk_create(decisions, batch_size=500)


def _decisions(case: Case, spec: SyntheticCase, decider: User, agency: int) -> list[IdentificationDecision]:
    """The first decisions a case of this shape would have had (see the module's note)."""
    rng = case_stream(HISTORY_SEED, spec.number + 1_000_000)  # apart from the streams that drew the case
    reached = spec.phase_before_closing or spec.phase
    opened = spec.opened_at
    moved = spec.moved_at or spec.closed_at or opened + datetime.timedelta(days=rng.randint(20, 90))

    def decision(kind: str, outcome: str, at: datetime.datetime) -> IdentificationDecision:
        return IdentificationDecision(
            case=case,
            kind=kind,
            outcome=outcome,
            grounds=[Ground.INDICATORS, Ground.ACCOUNT]
            if outcome == DecisionOutcome.POSITIVE
            else [Ground.ELEMENTS_NOT_MET],
            reasons="",
            decided_by=decider,
            agency_id=agency,
            decided_at=min(at, moved),
        )

    days = datetime.timedelta(days=rng.randint(3, 45), hours=rng.randint(8, 17))
    if reached in PAST_IDENTIFICATION:
        found = [decision(DecisionKind.PRESUMED, DecisionOutcome.POSITIVE, opened + days)]
        if reached in PAST_REFLECTION:  # the reflection period ended with it (as on the demo's own cases)
            found.append(decision(DecisionKind.IDENTIFIED, DecisionOutcome.POSITIVE, moved))
        return found
    if spec.phase == Phase.CLOSED or rng.random() < 0.25:
        return [decision(DecisionKind.PRESUMED, DecisionOutcome.NEGATIVE, opened + days)]
    return []


def steps(start: datetime.datetime, end: datetime.datetime, years: int, numbers: Iterator[int]) -> list[Step]:
    """The history of referrals as the demo's years begin, then each year's releases, at their moments."""
    found = [Step(start + datetime.timedelta(minutes=2), next(numbers), partial(load_history, end.date()))]
    latest = end.year - 1 if end.month > 2 else end.year - 2  # the year whose figures came out last
    for year in range(start.year - 1, end.year):
        yearly = datetime.datetime(year + 1, 2, 20, 10, tzinfo=datetime.UTC)
        eurostat = datetime.datetime(year + 1, 3, 10, 10, tzinfo=datetime.UTC)
        if start < yearly < end:
            found.append(Step(yearly, next(numbers), partial(_publish_year, year, private=year == latest)))
        if start < eurostat < end:
            found.append(Step(eurostat, next(numbers), partial(_publish_eurostat, year)))
    return found


def _snapshot(year: int) -> datetime.date:
    return datetime.date(year + 1, 1, 31)


def _publish_year(year: int, *, private: bool) -> None:
    rapporteur, title = demo_member(*RAPPORTEUR), f"National figures {year}"
    if rapporteur is None or Release.objects.filter(title=title).exists():
        return
    parameters = Parameters(snapshot=_snapshot(year), tables=RELEASED_TABLES, threshold=minimum_cell())
    if private:
        parameters = replace(parameters, mechanism=Mechanism.LAPLACE, epsilon=YEARLY_EPSILON, years=(year,))
    release_publish(actor=rapporteur.user, membership=rapporteur, title=title, parameters=parameters)


def _publish_eurostat(year: int) -> None:
    rapporteur = demo_member(*RAPPORTEUR)
    if rapporteur is None or Release.objects.filter(title=eurostat_title(year)).exists():
        return
    eurostat_release(actor=rapporteur.user, membership=rapporteur, year=year, snapshot=_snapshot(year))
