"""How the statistics count at scale: their own memory on PostgreSQL, for their transaction alone; no
`SELECT DISTINCT` where the joins cannot repeat a person's values."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test import override_settings

from palermo.statistics.aggregates import Counter, _unique_rows, end_of, statistics_memory
from palermo.statistics.registry import REGISTRY

pytestmark = pytest.mark.django_db


def _work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return str(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem is PostgreSQL's")
@override_settings(PALERMO_STATISTICS_WORK_MEM="96MB")
def test_the_statistics_queries_get_the_configured_memory_and_no_other_query_does() -> None:
    before = _work_mem()
    with statistics_memory():
        assert _work_mem() == "96MB"
    assert _work_mem() == before != "96MB"


def test_elsewhere_the_memory_block_only_opens_a_transaction() -> None:
    with statistics_memory():
        assert connection.in_atomic_block


@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem is PostgreSQL's")
@override_settings(PALERMO_STATISTICS_WORK_MEM="96MB")
def test_a_failing_statistics_query_leaves_the_setting_as_it_was() -> None:
    before = _work_mem()
    with pytest.raises(ZeroDivisionError), statistics_memory():
        1 / 0  # noqa: B018
    assert _work_mem() == before


def _rows(population_key: str, dimension: str, **filters: Any) -> Any:
    population = REGISTRY.populations[population_key]
    persons = population.model._default_manager.filter(population.members(end_of(datetime.date(2030, 1, 1))))
    persons = persons.filter(**filters)
    expression = population.expression(REGISTRY.dimensions[dimension])
    return persons.annotate(d_value=expression, d_person=F(population.person)).values("d_person", "d_value")


@pytest.mark.parametrize("dimension", ["sex", "form", "citizenship"])
def test_persons_joined_to_forms_or_citizenships_need_no_distinct(dimension: str) -> None:
    # One row per form of the case (unique case and form), per citizenship (unique person and country).
    assert _unique_rows(_rows("referred", dimension), REGISTRY.populations["referred"])


def test_a_join_the_filter_uses_keeps_the_distinct() -> None:
    rows = _rows("referred", "sex", case__exploitation_forms__form="SexualExploitation")
    assert not _unique_rows(rows, REGISTRY.populations["referred"])


def test_a_population_of_records_keeps_the_distinct() -> None:
    assert not _unique_rows(_rows("services", "sex"), REGISTRY.populations["services"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="grouping sets are PostgreSQL's path")
def test_grouping_sets_over_finest_cells_count_as_the_plain_distinct_count() -> None:
    from palermo.cases.models import CaseExploitation, PersonCitizenship
    from tests.statistics.statistics_data import populate

    cases = populate(30)
    for case in cases[::3]:  # some persons with a second form and a second citizenship
        CaseExploitation.objects.get_or_create(case=case, form="ForcedCriminality")
        PersonCitizenship.objects.get_or_create(person=case.persons.get(), country="MD")
    snapshot = datetime.date(2030, 1, 1)
    tables = [REGISTRY.tables[f"referred-{name}"] for name in ("sex", "form", "citizenship", "age")]
    grouped = Counter(snapshot)
    grouped.prepare(tables)
    plain = Counter(snapshot)
    referred = REGISTRY.populations["referred"]
    for names in [
        (),
        ("form",),
        ("citizenship",),
        ("form", "year"),
        ("citizenship", "group"),
        ("sex", "year"),
    ]:
        assert grouped.counts(referred, names) == plain._count(referred, tuple(sorted(names))), names
