"""The populations, dimensions and tables this area publishes (registered at start-up: see the registry).

Everything read here is T1 case metadata (dates, kinds, statuses, the sex, age band and citizenship codes)
counted in the database; no row, name or reference ever leaves the query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Case as When_
from django.db.models import CharField, Exists, F, Model, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, ExtractQuarter, ExtractYear
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency
from palermo.accounts.roles import AgencyType
from palermo.anonymous.models import AnonymousNotification
from palermo.assistance.models import Referral, ReferralStatus, ServiceKind
from palermo.cases.models import AgeGroup, Person
from palermo.cases.reference import ExploitationForm, Gender
from palermo.cases.services.exploitation_period import SECTOR_FIELD
from palermo.core.htcds import picklist
from palermo.core.iso import country_name
from palermo.identification.models import DecisionKind, DecisionOutcome, IdentificationDecision
from palermo.reflection.models import ReflectionPeriod
from palermo.residence.models import Permit, PermitKind
from palermo.statistics.registry import (
    Dimension,
    Label,
    Population,
    TableSpec,
    register_dimension,
    register_population,
    register_table,
)

NOT_RECORDED = ""
CHILD_BAND = "0-17"
CHILD_BANDS = (AgeGroup.AGE_0_8, AgeGroup.AGE_9_17)


def quarter_of(field: str) -> Any:
    """A moment's quarter as "2025-Q3", in the database."""
    return Concat(
        Cast(ExtractYear(field), CharField()),
        Value("-Q"),
        Cast(ExtractQuarter(field), CharField()),
        output_field=CharField(),
    )


def child_case(case: str) -> Q:
    """A child's case: a child now, or when the exploitation began (docs/decisions/0018)."""
    return Q(**{f"{case}is_child": True}) | Q(**{f"{case}child_when_exploited": True})


def _choices(choices: Any) -> Any:
    return lambda: [(value, label) for value, label in choices.choices]


def _not_recorded(values: Sequence[tuple[Any, Label]]) -> list[tuple[Any, Label]]:
    return [*values, (NOT_RECORDED, _("Not recorded"))]


def _years() -> list[tuple[Any, Label]]:
    return []  # open-ended: the years with persons, in order (a release names its own years)


def _regions() -> list[tuple[Any, Label]]:
    regions = Agency.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    return _not_recorded([(region, region) for region in regions])


def _countries() -> list[tuple[Any, Label]]:
    return []  # open-ended: ISO 3166 codes, labelled by country_name


def _age_bands() -> list[tuple[Any, Label]]:
    adult = [(v, label) for v, label in AgeGroup.choices if v not in CHILD_BANDS and v != AgeGroup.UNKNOWN]
    return [(CHILD_BAND, _("0-17 (children)")), *adult, (AgeGroup.UNKNOWN.value, AgeGroup.UNKNOWN.label)]


def label_of(dimension: str, value: Any, known: Sequence[tuple[Any, Label]] | None = None) -> str:
    """A value's label for display (the registered choices, a country's name, or the value itself). `known`:
    the dimension's values already read (a table reads them once, not once a row: regions are a query)."""
    from palermo.statistics.registry import REGISTRY

    if value == NOT_RECORDED:
        return str(_("Not recorded"))
    if dimension in ("citizenship", "nationality", "exploitation_country"):
        return country_name(str(value)) or str(value)
    for code, label in REGISTRY.dimensions[dimension].values() if known is None else known:
        if code == value:
            return str(label)
    return str(value)


def _of_record(key: str, label: Any, field: str, kinds: Any) -> Dimension:
    """A dimension read from the counted record itself, not from its case or person: a person with records
    of several kinds counts under each (not additive)."""
    return Dimension(key, label, lambda c, p: F(field), _choices(kinds), additive=False)


DIMENSIONS = [
    Dimension("year", _("Year of referral"), lambda c, p: ExtractYear(f"{c}opened_at"), _years),
    Dimension("quarter", _("Quarter of referral"), lambda c, p: quarter_of(f"{c}opened_at"), _years),
    Dimension(
        "group",
        _("Adults and children"),
        lambda c, p: When_(
            When(child_case(c), then=Value("child")), default=Value("adult"), output_field=CharField()
        ),
        lambda: [("adult", _("Adults")), ("child", _("Children"))],
    ),
    Dimension("sex", _("Sex"), lambda c, p: F(f"{p}gender"), _choices(Gender), personal=True),
    Dimension(
        "age",
        _("Age band at the time of exploitation"),
        lambda c, p: When_(
            When(child_case(c) | Q(**{f"{p}age_group__in": CHILD_BANDS}), then=Value(CHILD_BAND)),
            default=F(f"{p}age_group"),
            output_field=CharField(),
        ),
        _age_bands,
        personal=True,
    ),
    Dimension(
        "citizenship",
        _("Citizenship"),
        lambda c, p: Coalesce(f"{p}citizenships__country", Value(NOT_RECORDED)),
        _countries,
        additive=False,
        place=True,
        personal=True,
    ),
    Dimension(
        "form",
        _("Form of exploitation"),
        lambda c, p: Coalesce(f"{c}exploitation_forms__form", Value(NOT_RECORDED)),
        lambda: _not_recorded(ExploitationForm.choices),
        additive=False,
    ),
    Dimension(
        "exploitation_country",
        _("Country of exploitation"),
        lambda c, p: F(f"{c}exploitation_country"),
        _countries,
        place=True,
    ),
    Dimension(
        "sector",
        _("Sector of exploitation"),
        lambda c, p: F(f"{c}exploitation_sector"),
        lambda: _not_recorded(picklist(SECTOR_FIELD)),
    ),
    Dimension(
        "agency_type",
        _("Type of referring agency"),
        lambda c, p: F(f"{c}lead_agency__type"),
        _choices(AgencyType),
    ),
    Dimension("region", _("Region"), lambda c, p: F(f"{c}lead_agency__region"), _regions, place=True),
    _of_record("permit", _("Kind of permit"), "kind", PermitKind),
    _of_record("service", _("Service delivered"), "service__kind", ServiceKind),
    Dimension(
        "notified_form",
        _("Form of exploitation"),
        lambda c, p: F("exploitation_form"),
        lambda: _not_recorded(ExploitationForm.choices),
    ),
    Dimension("nationality", _("Citizenship"), lambda c, p: F("nationality"), _countries, place=True),
]


def _decided(kind: str, end: Any) -> Q:
    return Q(
        Exists(
            IdentificationDecision.objects.filter(
                case=OuterRef("case"), kind=kind, outcome=DecisionOutcome.POSITIVE, decided_at__lt=end
            )
        )
    )


def _opened(end: Any, case: str = "case__") -> Q:
    return Q(**{f"{case}opened_at__lt": end})


def _decided_persons(key: str, label: Any, kind: str, order: int) -> Population:
    """The persons of the cases opened by the end of the day with a positive decision of `kind` by then."""
    return Population(key, label, Person, lambda end: _opened(end) & _decided(kind, end), order=order)


def _persons_with(
    key: str, label: Any, model: type[Model], dated_by: str, order: int, **where: Any
) -> Population:
    """The persons of the cases opened by the end of the day with a record of `model` (`where` it says so)
    dated, by its `dated_by`, before then."""
    return Population(
        key,
        label,
        model,
        lambda end: _opened(end) & Q(**{f"{dated_by}__lt": end}, **where),
        person_path="case__persons__",
        order=order,
    )


POPULATIONS = [
    Population("referred", _("Persons referred"), Person, lambda end: _opened(end), order=10),
    _decided_persons("presumed", _("Persons presumed victims"), DecisionKind.PRESUMED, 20),
    _decided_persons("identified", _("Persons identified as victims"), DecisionKind.IDENTIFIED, 30),
    _persons_with("reflection", _("Persons granted a reflection period"), ReflectionPeriod, "opened_at", 40),
    _persons_with("permits", _("Persons granted a residence permit"), Permit, "decision__recorded_at", 50),
    _persons_with(
        "services", _("Persons given a service"), Referral, "closed_at", 60, status=ReferralStatus.COMPLETED
    ),
]

# Each stage of identification is published by every dimension of a person.
STAGES = ("referred", "presumed", "identified")
PERSON_DIMENSIONS = (
    "group",
    "quarter",
    "form",
    "sector",
    "exploitation_country",
    "sex",
    "age",
    "citizenship",
    "agency_type",
    "region",
)


def _register() -> None:
    for dimension in DIMENSIONS:
        register_dimension(dimension)
    for population in POPULATIONS:
        register_population(population)
    # Anonymous notifications: one person each, never a case; dated by the month the person was met.
    register_population(
        Population(
            "notifications",
            _("Anonymous notifications"),
            AnonymousNotification,
            lambda end: Q(recorded_at__lt=end),
            case_path="",
            order=70,
            overrides={
                "year": lambda: ExtractYear("met_in"),
                "group": lambda: When_(
                    When(age_group__in=CHILD_BANDS, then=Value("child")),
                    default=Value("adult"),
                    output_field=CharField(),
                ),
            },
        )
    )
    for order, stage in enumerate(STAGES):
        for position, name in enumerate(PERSON_DIMENSIONS):
            register_table(TableSpec(f"{stage}-{name}", "", stage, name, order=order * 10 + position))
    register_table(
        TableSpec("reflection-group", _("Reflection periods granted"), "reflection", "group", 40, "outcomes")
    )
    register_table(
        TableSpec("permits-permit", _("Residence permits by kind"), "permits", "permit", 50, "outcomes")
    )
    register_table(
        TableSpec("services-service", _("Services delivered"), "services", "service", 60, "outcomes")
    )
    register_table(
        TableSpec(
            "notifications-form",
            _("Anonymous notifications"),
            "notifications",
            "notified_form",
            70,
            "outcomes",
        )
    )


_register()
