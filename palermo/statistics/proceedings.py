"""The populations and tables of proceedings (palermo.justice) and returns (palermo.returns) on the dashboard.

The justice area's statistics feed (`palermo.justice.statistics`) counts events: proceedings, measures asked,
claims and amounts. The dashboard counts persons, so the same records are read here as populations of the
registry, each with its path to the person, and go through the same disclosure control as every other
table (docs/decisions/0040): a person in two proceedings, or asked two measures, counts once in each value
and once in the total (those dimensions are not additive). Only kinds, stages, outcomes and days are read
(T1); never an amount, a court, a file number or a country. A hearing put off counts every person called to
it: repeated adjournments weigh on victim witnesses.

Stages and outcomes are those recorded when the figures are counted; who belongs to a population is decided
by the snapshot day (the day a person joined proceedings, a measure was asked or granted, a claim made,
awarded or paid, a request made, a return asked for, a follow-up due or made).

Returns and their follow-ups are `place_free`: never counted by region or citizenship.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Person
from palermo.justice.models import (
    Adjournment,
    AdjournmentReason,
    CompensationPayment,
    CompensationRoute,
    HearingMeasureKind,
    MeasureDecision,
    RequestOutcome,
    Stage,
)
from palermo.justice.models import CompensationClaim as Claim
from palermo.justice.models import HearingMeasure as Measure
from palermo.justice.models import NonPunishmentRequest as NonPunishment
from palermo.justice.models import ProceedingParty as Party
from palermo.returns.models import ReturnFollowUp, ReturnStatus, VoluntaryReturn
from palermo.statistics import registry
from palermo.statistics.catalogue import _choices, _opened
from palermo.statistics.registry import Dimension, Label, Population, TableSpec

MEASURE_CASE = "summons__party__case__"
ADJOURNMENT_CASE = "hearing__summonses__party__case__"  # every person called to the hearing put off


def day_after(end: datetime.datetime) -> datetime.date:
    """The snapshot's end as a day: a record dated before it falls within the snapshot."""
    return timezone.localtime(end).date()


def _latest_return_status() -> Any:
    """The status of the person's latest return (each member has one: one value per person)."""
    latest = VoluntaryReturn.objects.filter(case=OuterRef("case")).order_by("-requested_on", "-id")
    return Subquery(latest.values("status")[:1])


def _recorded(key: str, label: Label, field: str, choices: Any) -> Dimension:
    """A kind, stage or outcome as recorded on the population's rows: a person may have several rows, so the
    values do not add up to the total."""
    return Dimension(key, label, lambda c, p: F(field), _choices(choices), additive=False)


DIMENSIONS = [
    _recorded("proceeding_stage", _("Stage of the proceedings"), "proceeding__stage", Stage),
    _recorded("hearing_measure", _("Protective measure"), "kind", HearingMeasureKind),
    _recorded("adjournment_reason", _("Why the hearing was put off"), "reason", AdjournmentReason),
    _recorded("compensation_route", _("Route of the claim"), "route", CompensationRoute),
    _recorded("non_punishment_outcome", _("Outcome of the request"), "outcome", RequestOutcome),
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


def _paid(day: datetime.date) -> Q:
    return Q(Exists(CompensationPayment.objects.filter(claim=OuterRef("pk"), paid_on__lt=day)))


def _records(
    key: str, label: Label, model: Any, dated: Callable[[datetime.date], Q], case: str = "case__"
) -> Population:
    """Persons with a record of `model` dated (`dated`, given the day after the snapshot) by the snapshot, on
    cases referred by then; `case` is the path from the record to its case."""
    return Population(
        key,
        label,
        model,
        lambda end: _opened(end, case) & dated(day_after(end)),
        case_path=case,
        person_path=case + "persons__",
        order=80,
    )


POPULATIONS = [
    _records("proceedings", _("Persons taking part in proceedings"), Party, lambda d: Q(joined_on__lt=d)),
    _records(
        "measures-asked",
        _("Persons for whom protective measures were asked at hearings"),
        Measure,
        lambda d: Q(requested_on__lt=d),
        MEASURE_CASE,
    ),
    _records(
        "measures-granted",
        _("Persons granted protective measures at hearings"),
        Measure,
        lambda d: Q(decision=MeasureDecision.GRANTED, decided_on__lt=d),
        MEASURE_CASE,
    ),
    _records(
        "hearings-put-off",
        _("Persons called to a hearing that was put off"),
        Adjournment,
        lambda d: Q(from_day__lt=d),
        ADJOURNMENT_CASE,
    ),
    _records(
        "compensation-claimed", _("Persons who claimed compensation"), Claim, lambda d: Q(claimed_on__lt=d)
    ),
    _records(
        "compensation-awarded",
        _("Persons awarded compensation"),
        Claim,
        lambda d: Q(awarded_amount__isnull=False, awarded_on__lt=d),
    ),
    _records("compensation-paid", _("Persons paid compensation"), Claim, _paid),
    _records(
        "non-punishment",
        _("Persons for whom non-punishment was asked"),
        NonPunishment,
        lambda d: Q(requested_on__lt=d),
        "offence__case__",
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
    ("hearings-put-off-reason", _("Hearings put off, by reason"), "hearings-put-off", "adjournment_reason"),
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
    for each in DIMENSIONS:
        registry.register_dimension(each)
    for group in POPULATIONS:
        registry.register_population(group)
    for position, (key, title, population, dimension) in enumerate(TABLES):
        registry.register_table(TableSpec(key, title, population, dimension, 80 + position, "outcomes"))


_register()
