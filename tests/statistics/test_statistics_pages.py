"""The rapporteur's dashboard, downloads, compliance and releases, in the page and the API: T0 only (no
reference or name ever appears), no published cell below the threshold, the ledger refusing an over-budget
release, every release on the audit record and reproducible, and queries that do not grow with the data."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Person
from palermo.statistics.models import PrivacySpend, Release
from palermo.statistics.registry import Population, TableSpec, register_table
from palermo.statistics.services import release_reproduces
from tests.api.errors import api_error
from tests.module_data import fast_passwords, kept_for_the_module
from tests.queries import Queries, assert_same_queries
from tests.statistics.statistics_data import populate

pytestmark = pytest.mark.django_db
THRESHOLD = 11


@pytest.fixture(scope="module")
def populated(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[int]]:
    """The 70 cases, built once for the module's readers (tests/module_data.py: what a test writes is rolled
    back after it): their primary keys, in the order they were made."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), fast_passwords():
            pks = [case.pk for case in populate(70)]
        yield pks


@pytest.fixture
def population(populated: list[int], db: None) -> list[Case]:
    """The module's 70 cases, read afresh for the test."""
    cases = Case.objects.in_bulk(populated)
    return [cases[pk] for pk in populated]


@pytest.fixture
def rapporteur_client(make_member: Any, client_for: Any) -> Any:
    return client_for(make_member(Role.RAPPORTEUR))


def _counts(tables: list[dict[str, Any]]) -> list[int]:
    return [row["count"] for t in tables for row in t["rows"] if row["count"] is not None] + [
        t["total"] for t in tables if t["total"] is not None
    ]


def test_the_dashboard_shows_counts_and_never_a_case(population: list[Case], rapporteur_client: Any) -> None:
    page = rapporteur_client.get("/statistics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "National statistics" in text and "<svg" in text
    assert 'id="statistics-counted">Counted at ' in text  # when the counts were made
    for case in population:
        assert case.reference not in text
    for person in Person.objects.all()[:10]:
        assert person.given_names not in text
    answer = rapporteur_client.get("/api/v1/statistics/").json()
    assert all(n == 0 or n >= THRESHOLD for n in _counts(answer["tables"]))
    assert sum(t["total"] or 0 for t in answer["tables"] if t["key"] == "referred-group") == 70


@pytest.mark.parametrize(
    "query", ["?stage=presumed", "?year=2024", "?year=2024&group=child", "?group=adult&stage=identified"]
)
def test_every_filtered_view_is_protected(population: list[Case], rapporteur_client: Any, query: str) -> None:
    answer = rapporteur_client.get(f"/api/v1/statistics/{query}").json()
    assert all(n == 0 or n >= THRESHOLD for n in _counts(answer["tables"]))
    assert rapporteur_client.get(f"/statistics/{query}").status_code == 200


@pytest.mark.parametrize("query", ["?stage=identifed", "?year=twenty", "?year=1850", "?group=children"])
def test_the_api_refuses_a_view_it_does_not_know(rapporteur_client: Any, query: str) -> None:
    """A typo in a script's filter gets a 400 naming it, never the figures of the default view."""
    name = query[1:].split("=")[0]
    for path in ("/api/v1/statistics/", "/api/v1/statistics/tables/referred-sex/"):
        assert name in api_error(rapporteur_client.get(f"{path}{query}"), 400)["fields"]
    assert rapporteur_client.get(f"/statistics/{query}").status_code == 200  # the page shows the default view


def test_downloads_hold_the_cells_of_the_page(population: list[Case], rapporteur_client: Any) -> None:
    table = rapporteur_client.get("/api/v1/statistics/tables/referred-sex/?year=2024").json()
    csv = rapporteur_client.get("/statistics/tables/referred-sex.csv?year=2024")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 + len(table["rows"]) + 1
    xlsx = rapporteur_client.get("/statistics/tables/referred-sex.xlsx?year=2024")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    numbers = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if isinstance(row[1], int)]
    assert all(n == 0 or n >= THRESHOLD for n in numbers)
    assert rapporteur_client.get("/statistics/tables/nothing.csv").status_code == 404


def test_only_the_rapporteur_reads_the_statistics(
    population: list[Case], make_member: Any, client_for: Any
) -> None:
    manager = client_for(make_member(Role.CASE_MANAGER))
    assert manager.get("/statistics/").status_code == 404
    assert manager.get("/api/v1/statistics/").status_code == 404


def test_the_view_reads_in_as_many_queries_whatever_the_data(rapporteur_client: Any) -> None:
    populate(12, seed=1)
    with Queries() as few:
        rapporteur_client.get("/api/v1/statistics/?year=2024")
    populate(40, seed=2)
    with Queries() as many:
        rapporteur_client.get("/api/v1/statistics/?year=2024")
    assert_same_queries(few, many)


def test_compliance_indicators_page_and_api(population: list[Case], rapporteur_client: Any) -> None:
    page = rapporteur_client.get("/statistics/compliance/")
    assert page.status_code == 200
    # The standards in words, with the active rulebook's figures (the paper's: 5 working days, 3 days).
    paper = "OSCE Alliance position paper: Taking a Stand (2005)"
    presumed = f"The presumed victim decision within 5 working days of the referral ({paper})."
    guardian = f"A guardian appointed within 3 days of the case&#x27;s opening ({paper})."
    assert presumed in page.content.decode() and guardian in page.content.decode()
    assert "presumed_victim_days" not in page.content.decode()
    answer = rapporteur_client.get("/api/v1/statistics/compliance/").json()
    assert next(i for i in answer if i["key"] == "presumed-late")["standard"] == presumed
    assert {i["key"] for i in answer} >= {
        "reflection-short",
        "presumed-late",
        "guardian-late",
        "returns-unassessed",
    }
    assert next(i for i in answer if i["key"] == "returns-unassessed")["measured"]


def _release(client: Any, **fields: Any) -> Any:
    body = {
        "title": "Annual",
        "snapshot": "2026-01-01",
        "tables": ["referred-sex", "referred-group"],
        **fields,
    }
    return client.post("/api/v1/statistics/releases/", data=json.dumps(body), content_type="application/json")


def test_a_release_is_recorded_audited_and_reproducible(
    population: list[Case], rapporteur_client: Any
) -> None:
    answer = _release(rapporteur_client)
    assert answer.status_code == 201, answer.content
    release = Release.objects.get(pk=answer.json()["id"])
    assert AuditEvent.objects.filter(action="statistics.release", object_id=str(release.pk)).exists()
    assert release_reproduces(release)
    for cells in release.cells.values():
        assert all(c["count"] is None or c["count"] == 0 or c["count"] >= THRESHOLD for c in cells)
    assert rapporteur_client.get(f"/statistics/releases/{release.pk}/").status_code == 200
    Case.objects.filter(pk=population[0].pk).update(
        opened_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert not release_reproduces(release)  # corrected data no longer give the recorded counts


def test_the_ledger_refuses_a_release_past_the_years_budget(
    population: list[Case], rapporteur_client: Any
) -> None:
    dp = {"mechanism": "laplace", "epsilon": 2.0, "years": [2024, 2025]}
    assert _release(rapporteur_client, **dp).status_code == 201
    refused = _release(rapporteur_client, **dp)  # 2.0 + 2.0 > 3.0, the default rulebook's budget
    assert refused.status_code == 400
    assert "privacy budget" in refused.content.decode()
    assert PrivacySpend.objects.filter(year=2024).count() == 1
    assert _release(rapporteur_client, **{**dp, "epsilon": 1.0, "years": [2024]}).status_code == 201
    assert _release(rapporteur_client, **{**dp, "epsilon": 0.5, "years": [2023]}).status_code == 201
    page = rapporteur_client.get("/statistics/releases/")
    assert "3.000" in page.content.decode()


def test_the_release_form_publishes_with_confirmation(population: list[Case], rapporteur_client: Any) -> None:
    form = {"title": "Quarterly", "snapshot": "2026-01-01", "tables": ["referred-age"], "mechanism": "none"}
    assert rapporteur_client.post("/statistics/releases/", form).status_code == 400  # not confirmed
    answer = rapporteur_client.post("/statistics/releases/", {**form, "confirm": "on"})
    assert answer.status_code == 302
    assert Release.objects.count() == 1
    # The list says when it was published and as of which day, in words.
    page = rapporteur_client.get("/statistics/releases/").content.decode()
    published = date_format(timezone.localdate(Release.objects.get().created_at), "DATE_FORMAT")
    assert f"<td>{published}</td><td>1 January 2026</td>" in page


def test_returns_tracing_and_guardianship_are_never_counted_by_place() -> None:
    from palermo.statistics.registry import REGISTRY, register_population

    register_population(Population("test-returns", "returns", Case, lambda end: None, place_free=True))  # type: ignore[arg-type,return-value]
    try:
        with pytest.raises(ValueError, match="never counted by place"):
            register_table(TableSpec("test-returns-region", "", "test-returns", "region"))
        with pytest.raises(ValueError, match="never counted by place"):
            register_table(TableSpec("test-returns-citizenship", "", "test-returns", "citizenship"))
    finally:
        REGISTRY.populations.pop("test-returns")


def test_a_years_quarters_are_that_years(population: list[Case], rapporteur_client: Any) -> None:
    table = rapporteur_client.get("/api/v1/statistics/tables/referred-quarter/?year=2024").json()
    assert table["rows"] and all(row["value"].startswith("2024-Q") for row in table["rows"])


def test_the_releases_are_listed_a_page_at_a_time_the_latest_first(
    population: list[Case], rapporteur_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _release(rapporteur_client, title="Annual 2024").status_code == 201
    assert _release(rapporteur_client, title="Annual 2025").status_code == 201
    listed = rapporteur_client.get("/api/v1/statistics/releases/").json()
    assert listed["count"] == 2
    assert [release["title"] for release in listed["results"]] == ["Annual 2025", "Annual 2024"]
    past_the_last = rapporteur_client.get("/api/v1/statistics/releases/?page=9")
    assert past_the_last.status_code == 404 and past_the_last.json()["error"]["code"] == "not_found"
    monkeypatch.setattr("palermo.statistics.views.RELEASES_PAGE_SIZE", 1)
    second = rapporteur_client.get("/statistics/releases/?page=2").content.decode()
    assert "Annual 2024" in second and "Annual 2025" not in second
    assert "Page 2 of 2" in second
