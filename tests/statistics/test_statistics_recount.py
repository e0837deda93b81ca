"""The dashboard counts a view at most once in PALERMO_STATISTICS_RECOUNT_MINUTES; filter changes and
downloads answer from those counts; a release is always counted afresh."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palermo.statistics import selectors
from palermo.statistics.web import Filters
from tests.statistics.statistics_data import populate

pytestmark = pytest.mark.django_db
SNAPSHOT = datetime.date(2030, 1, 1)


@pytest.fixture
def recount_every_ten_minutes(settings: Any) -> Any:
    settings.PALERMO_STATISTICS_RECOUNT_MINUTES = 10
    cache.clear()
    yield
    cache.clear()


def _persons_counted(filters: Filters) -> int:
    return selectors.dashboard(filters).publication.cubes["referred-sex"].counts[frozenset()]


def _grouped_queries(filters: Filters) -> int:
    with CaptureQueriesContext(connection) as queries:
        selectors.dashboard(filters)
    return sum("cases_person" in q["sql"] and "GROUP BY" in q["sql"] for q in queries.captured_queries)


@pytest.mark.usefixtures("recount_every_ten_minutes")
def test_a_change_of_year_or_group_answers_from_the_same_counts() -> None:
    populate(12)
    first = Filters(snapshot=SNAPSHOT)
    assert _grouped_queries(first) > 0
    assert _grouped_queries(Filters(year=2021, snapshot=SNAPSHOT)) == 0
    assert _grouped_queries(Filters(group="child", snapshot=SNAPSHOT)) == 0
    assert _grouped_queries(Filters(stage="presumed", snapshot=SNAPSHOT)) > 0  # another view: its own counts


@pytest.mark.usefixtures("recount_every_ten_minutes")
def test_counts_stay_until_recounted_and_the_page_says_when() -> None:
    populate(12)
    filters = Filters(snapshot=SNAPSHOT)
    before = selectors.dashboard(filters)
    populate(5, seed=8)
    counted = before.publication.cubes["referred-sex"].counts[frozenset()]
    assert _persons_counted(filters) == counted
    cache.clear()  # what ten minutes do
    assert _persons_counted(filters) == counted + 5
    assert selectors.dashboard(filters).counted_at >= before.counted_at


def test_with_no_recount_period_every_request_counts_afresh(settings: Any) -> None:
    settings.PALERMO_STATISTICS_RECOUNT_MINUTES = 0
    populate(12)
    filters = Filters(snapshot=SNAPSHOT)
    assert _grouped_queries(filters) > 0
    assert _grouped_queries(filters) > 0
