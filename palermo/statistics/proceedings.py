"""The populations and tables of proceedings (palermo.justice) and returns (palermo.returns) on the dashboard.

The justice area's statistics feed (`palermo.justice.statistics`) counts events: proceedings, measures asked,
claims and amounts. The dashboard counts persons, so the same records are read here as populations of the
registry, each with its path to the person, and go through the same disclosure control as every other
table (docs/decisions/0040): a person in two proceedings, or asked two measures, counts once in each value
and once in the total (those dimensions are not additive). Only kinds, stages, outcomes and days are read
(T1); never an amount, a court, a file number or a country.

Stages and outcomes are those recorded when the figures are counted; who belongs to a population is decided
by the snapshot day (the day a person joined proceedings, a measure was asked or granted, a claim made,
awarded or paid, a request made, a return asked for, a follow-up due or made).

Returns and their follow-ups are `place_free`: never counted by region or citizenship.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Person
from palermo.justice.models import CompensationClaim as Claim
from palermo.justice.models import (
    CompensationPayment,
    CompensationRoute,
    HearingMeasureKind,
    MeasureDecision,
    RequestOutcome,
    Stage,
)
from palermo.justice.models import HearingMeasure as Measure
from palermo.justice.models import NonPunishmentRequest as NonPunishment
from palermo.justice.models import ProceedingParty as Party
from palermo.returns.models import ReturnFollowUp, ReturnStatus, VoluntaryReturn
from palermo.statistics.catalogue import _choices, _opened
from palermo.statistics.registry import (
    Dimension,
    Population,
    TableSpec,
    register_dimension,
    register_population,
    register_table,
)

MEASURE_CASE = "summons__party__case__"


def day_after(end: datetime.datetime) -> datetime.date:
    """The snapshot's end as a day: a record dated before it falls within the snapshot."""
    return timezone.localtime(end).date()


def _latest_return_status() -> Any:
    """The status of the person's latest return (each member has one: one value per person)."""
    latest = VoluntaryReturn.objects.filter(case=OuterRef("case")).order_by("-requested_on", "-id")
    return Subquery(latest.values("status")[:1])


DIMENSIONS = [
    Dimension(
        "proceeding_stage",
        _("Stage of the proceedings"),
        lambda c, p: F("proceeding__stage"),
        _choices(Stage),
        additive=False,
    ),
    Dimension(
        "hearing_measure",
        _("Protective measure"),
        lambda c, p: F("kind"),
        _choices(HearingMeasureKind),
        additive=False,
    ),
    Dimension(
        "compensation_route",
        _("Route of the claim"),
        lambda c, p: F("route"),
        _choices(CompensationRoute),
        additive=False,
    ),
    Dimension(
        "non_punishment_outcome",
        _("Outcome of the request"),
        lambda c, p: F("outcome"),
        _choices(RequestOutcome),
        additive=False,
    ),
    Dimension(
        "return_stage",
        _("Stage of the latest return"),
        lambda c, p: _latest_return_status(),
        _choices(ReturnStatus),
    ),
]


def _followup_overdue(end: datetime.datetime) -> Q:
    """A follow-up due before the snapshot day and not made by its end."""
    day = day_after(end)
    late = ReturnFollowUp.objects.filter(case=OuterRef("case"), due_on__lt=day - datetime.timedelta(days=1))
    return Q(Exists(late.filter(Q(contacted_on__isnull=True) | Q(contacted_on__gte=day))))


def _paid(end: datetime.datetime) -> Q:
    return Q(Exists(CompensationPayment.objects.filter(claim=OuterRef("pk"), paid_on__lt=day_after(end))))


POPULATIONS = [
    Population(
        "proceedings",
        _("Persons taking part in proceedings"),
        Party,
        lambda end: _opened(end) & Q(joined_on__lt=day_after(end)),
        person_path="case__persons__",
        order=80,
    ),
    Population(
        "measures-asked",
        _("Persons for whom protective measures were asked at hearings"),
        Measure,
        lambda end: _opened(end, MEASURE_CASE) & Q(requested_on__lt=day_after(end)),
        case_path=MEASURE_CASE,
        person_path=MEASURE_CASE + "persons__",
        order=81,
    ),
    Population(
        "measures-granted",
        _("Persons granted protective measures at hearings"),
        Measure,
        lambda end: (
            _opened(end, MEASURE_CASE) & Q(decision=MeasureDecision.GRANTED, decided_on__lt=day_after(end))
        ),
        case_path=MEASURE_CASE,
        person_path=MEASURE_CASE + "persons__",
        order=82,
    ),
    Population(
        "compensation-claimed",
        _("Persons who claimed compensation"),
        Claim,
        lambda end: _opened(end) & Q(claimed_on__lt=day_after(end)),
        person_path="case__persons__",
        order=83,
    ),
    Population(
        "compensation-awarded",
        _("Persons awarded compensation"),
        Claim,
        lambda end: _opened(end) & Q(awarded_amount__isnull=False, awarded_on__lt=day_after(end)),
        person_path="case__persons__",
        order=84,
    ),
    Population(
        "compensation-paid",
        _("Persons paid compensation"),
        Claim,
        lambda end: _opened(end) & _paid(end),
        person_path="case__persons__",
        order=85,
    ),
    Population(
        "non-punishment",
        _("Persons for whom non-punishment was asked"),
        NonPunishment,
        lambda end: _opened(end, "offence__case__") & Q(requested_on__lt=day_after(end)),
        case_path="offence__case__",
        person_path="offence__case__persons__",
        order=86,
    ),
    Population(
        "returns",
        _("Persons who asked for a voluntary return"),
        Person,
        lambda end: (
            _opened(end)
            & Q(
                Exists(VoluntaryReturn.objects.filter(case=OuterRef("case"), requested_on__lt=day_after(end)))
            )
        ),
        place_free=True,
        order=90,
    ),
    Population(
        "followups-done",
        _("Persons contacted after their return"),
        Person,
        lambda end: (
            _opened(end)
            & Q(Exists(ReturnFollowUp.objects.filter(case=OuterRef("case"), contacted_on__lt=day_after(end))))
        ),
        place_free=True,
        order=91,
    ),
    Population(
        "followups-overdue",
        _("Persons with a follow-up after return overdue"),
        Person,
        lambda end: _opened(end) & _followup_overdue(end),
        place_free=True,
        order=92,
    ),
]

# Shown with the outcome tables (every view, every download and the API carry them): key, title, population,
# dimension.
TABLES = [
    ("proceedings-stage", _("Persons in proceedings, by stage"), "proceedings", "proceeding_stage"),
    ("measures-asked-kind", _("Protective measures asked at hearings"), "measures-asked", "hearing_measure"),
    ("measures-granted-kind", _("Protective measures granted"), "measures-granted", "hearing_measure"),
    ("compensation-claimed-route", _("Compensation claimed"), "compensation-claimed", "compensation_route"),
    ("compensation-awarded-route", _("Compensation awarded"), "compensation-awarded", "compensation_route"),
    ("compensation-paid-route", _("Compensation paid"), "compensation-paid", "compensation_route"),
    (
        "non-punishment-outcome",
        _("Requests not to prosecute or punish, by outcome"),
        "non-punishment",
        "non_punishment_outcome",
    ),
    ("returns-stage", _("Voluntary returns, by stage"), "returns", "return_stage"),
    ("followups-done-group", _("Follow-up after return: made"), "followups-done", "group"),
    ("followups-overdue-group", _("Follow-up after return: overdue"), "followups-overdue", "group"),
]


def _register() -> None:
    for dimension in DIMENSIONS:
        register_dimension(dimension)
    for population in POPULATIONS:
        register_population(population)
    for position, (key, title, population_key, dimension_key) in enumerate(TABLES):
        register_table(TableSpec(key, title, population_key, dimension_key, 80 + position, "outcomes"))


_register()
