"""The statistics' grouped counts get their own memory on PostgreSQL, for their transaction alone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from palermo.statistics.aggregates import statistics_memory

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
