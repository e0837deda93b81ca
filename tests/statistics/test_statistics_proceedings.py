"""Proceedings, protective measures, compensation, non-punishment and returns on the rapporteur's dashboard:
persons (not events) through the same registry and disclosure control, returns never by place, the page,
downloads and API carrying the tables, and "returns without a risk assessment" measured."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.statistics.compliance import measure
from palermo.statistics.proceedings import TABLES
from palermo.statistics.publication import Parameters, compute
from palermo.statistics.registry import TableSpec, register_table
from tests.queries import Queries, assert_same_queries
from tests.statistics.statistics_data import (
    assessed,
    claim,
    in_proceedings,
    non_punishment,
    populate,
    returned,
)

pytestmark = pytest.mark.django_db
THRESHOLD = 11
KEYS = [key for key, *_ in TABLES]


@pytest.fixture
def rapporteur_client(make_member: Any, client_for: Any) -> Any:
    return client_for(make_member(Role.RAPPORTEUR))


def exact(key: str) -> tuple[dict[str, int | None], int | None]:
    """A table with nothing withheld (threshold 1): its counts by value, and its total."""
    table = compute(Parameters(timezone.localdate(), (key,), 1)).table(key)
    return {row.value: row.count for row in table.rows}, table.total


def test_persons_not_events() -> None:
    first, second, third = populate(3)
    # The first person: two proceedings at two stages, three measures asked at one hearing, two granted.
    in_proceedings(
        first,
        stage="trial",
        measures=("video_link:granted", "closed_hearing:granted", "police_escort"),
        put_off=("interpreter", "accused_absent"),
    )
    in_proceedings(first, stage="appeal", put_off=("interpreter",))
    in_proceedings(second, stage="trial", measures=("video_link",), put_off=("court",))
    claim(first, awarded=True, paid=True)
    claim(first, route="back_wages")
    claim(second, awarded=True)
    non_punishment(second, "not_prosecuted")
    non_punishment(second, "refused")
    returned(third, followups=(True, False))

    stages, total = exact("proceedings-stage")
    assert total == 2 and stages == {"trial": 2, "appeal": 1}
    asked, total = exact("measures-asked-kind")
    assert total == 2 and asked == {"video_link": 2, "closed_hearing": 1, "police_escort": 1}
    granted, total = exact("measures-granted-kind")
    assert total == 1 and granted == {"video_link": 1, "closed_hearing": 1}
    # Put off three times for the first person (twice for want of an interpreter), once for the second.
    reasons, total = exact("hearings-put-off-reason")
    assert total == 2 and reasons == {"interpreter": 1, "accused_absent": 1, "court": 1}
    assert exact("compensation-claimed-route")[1] == 2
    assert exact("compensation-claimed-route")[0] == {"state_fund": 2, "back_wages": 1}
    assert exact("compensation-awarded-route")[1] == 2
    assert exact("compensation-paid-route") == ({"state_fund": 1}, 1)
    outcomes, total = exact("non-punishment-outcome")
    assert total == 1 and outcomes == {"not_prosecuted": 1, "refused": 1}
    assert exact("returns-stage") == ({"returned": 1}, 1)
    assert exact("followups-done-group")[1] == 1 and exact("followups-overdue-group")[1] == 1


def test_the_latest_return_gives_the_stage_and_only_overdue_follow_ups_count() -> None:
    first, second = populate(2)
    returned(first, status="withdrawn")
    returned(first, status="requested")
    returned(second, followups=(True, True))
    stages, total = exact("returns-stage")
    assert total == 2 and sum(n or 0 for n in stages.values()) == 2  # one stage per person: additive
    assert exact("followups-overdue-group")[1] == 0


def test_small_cells_are_withheld_on_every_new_table(rapporteur_client: Any) -> None:
    cases = populate(40)
    for case in cases[:25]:
        in_proceedings(case, measures=("video_link:granted",))
        claim(case)
    for case in cases[25:28]:
        in_proceedings(case, stage="trial", measures=("police_escort",))
        returned(case)
    answer = rapporteur_client.get("/api/v1/statistics/").json()
    tables = {t["key"]: t for t in answer["tables"]}
    assert set(KEYS) <= set(tables)
    for key in KEYS:
        counts = [r["count"] for r in tables[key]["rows"]] + [tables[key]["total"]]
        assert all(n is None or n == 0 or n >= THRESHOLD for n in counts), key
    stages = {r["value"]: r["count"] for r in tables["proceedings-stage"]["rows"]}
    assert stages["investigation"] == 25 and stages["trial"] is None  # three persons: withheld
    assert tables["returns-stage"]["total"] is None
    assert {r["value"]: r["count"] for r in tables["measures-asked-kind"]["rows"]}["police_escort"] is None


def test_returns_are_never_counted_by_place() -> None:
    for population in ("returns", "followups-done", "followups-overdue"):
        for place in ("region", "citizenship"):
            with pytest.raises(ValueError, match="never counted by place"):
                register_table(TableSpec(f"test-{population}-{place}", "", population, place))


def test_the_page_and_the_downloads_carry_the_tables(rapporteur_client: Any) -> None:
    for case in populate(15):
        in_proceedings(case)
        returned(case)
    page = rapporteur_client.get("/statistics/").content.decode()
    for key in KEYS:
        assert f'id="statistics-{key}"' in page, key
        assert f"/statistics/tables/{key}.csv" in page
    assert "Persons in proceedings, by stage" in page and "Voluntary returns, by stage" in page
    csv = rapporteur_client.get("/statistics/tables/returns-stage.csv").content.decode("utf-8-sig")
    assert "Returned" in csv and "15" in csv
    xlsx = rapporteur_client.get("/statistics/tables/proceedings-stage.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert ("Investigation", 15) in [tuple(row[:2]) for row in rows]


def test_the_view_reads_in_as_many_queries_whatever_the_data(rapporteur_client: Any) -> None:
    def more(cases: list[Case]) -> None:
        for case in cases:
            in_proceedings(case, measures=("video_link:granted",))
            claim(case, awarded=True, paid=True)
            non_punishment(case)
            returned(case, followups=(True, False))

    more(populate(3, seed=1))
    with Queries() as few:
        rapporteur_client.get("/api/v1/statistics/?year=2024")
    more(populate(12, seed=2))
    with Queries() as many:
        rapporteur_client.get("/api/v1/statistics/?year=2024")
    assert_same_queries(few, many)


def test_returns_without_a_current_risk_assessment_are_measured(rapporteur_client: Any) -> None:
    cases = populate(5)
    arrival = datetime.date(2026, 3, 10)
    for case in cases:
        returned(case, on=arrival)
    assessed(
        cases[0], completed=arrival - datetime.timedelta(days=5), review=arrival + datetime.timedelta(days=90)
    )
    # High risk; past its review on the day; completed only after the arrival; none at all.
    assessed(cases[1], level="high", completed=arrival, review=arrival + datetime.timedelta(days=90))
    assessed(
        cases[2],
        completed=arrival - datetime.timedelta(days=200),
        review=arrival - datetime.timedelta(days=1),
    )
    assessed(
        cases[3], completed=arrival + datetime.timedelta(days=1), review=arrival + datetime.timedelta(days=90)
    )
    found = next(m for m in measure(timezone.localdate(), 1) if m.indicator.key == "returns-unassessed")
    assert found.measured
    assert [(q.quarter, q.total, q.short) for q in found.quarters] == [("2026-Q1", 5, 4)]
    answer = rapporteur_client.get("/api/v1/statistics/compliance/").json()
    assert next(i for i in answer if i["key"] == "returns-unassessed")["measured"]
