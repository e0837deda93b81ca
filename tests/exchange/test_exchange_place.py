"""Where the exploitation happened: the country and the sector (HTCDS vic_ForcedLabourIndustry, read from the
standard's file) recorded with the exploitation period, on the legal page and through the API, versioned."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from palermo.accounts.models import User
from palermo.cases.services.exploitation_period import case_exploitation_period_set, sector_choices
from palermo.core.htcds import htcds_fields
from tests.api.errors import api_error
from tests.cases.referrals import open_case

pytestmark = pytest.mark.django_db
SECTOR = "A_AgricultureForestryAndFishing"


def test_the_sectors_are_the_standards() -> None:
    values = [value for value, _ in sector_choices()]
    assert SECTOR in values
    assert set(values) == htcds_fields()["vic_ForcedLabourIndustry"].values


def test_the_service_checks_and_keeps_the_place(responder: User, authority: User) -> None:
    case = open_case(responder, authority.membership.agency)  # type: ignore[attr-defined]
    membership = responder.membership  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as refused:
        case_exploitation_period_set(
            actor=responder, membership=membership, case=case, began=None, ended=None,
            expected_version=case.version, country="XXX", sector="Mining",
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"exploitation_country", "exploitation_sector"}
    case_exploitation_period_set(
        actor=responder, membership=membership, case=case, began=None, ended=None,
        expected_version=case.version, country="ita", sector=SECTOR,
    )  # fmt: skip
    kept = case_exploitation_period_set(
        actor=responder, membership=membership, case=case, began=None, ended=None,
        expected_version=case.version,
    )  # fmt: skip
    assert (kept.exploitation_country, kept.exploitation_sector) == ("ITA", SECTOR)


def test_the_page_and_the_api_record_the_place(client_for, responder: User, authority: User) -> None:  # type: ignore[no-untyped-def]
    case = open_case(responder, authority.membership.agency)  # type: ignore[attr-defined]
    client = client_for(responder)
    url = reverse("identification:legal", args=[case.reference])
    assert "Sector of exploitation" in client.get(url).content.decode()
    saved = client.post(
        url,
        {"form": "period", "exploitation_began": "2020-01", "exploitation_country": "ITA",
         "exploitation_sector": SECTOR, "version": case.version},
    )  # fmt: skip
    assert saved.status_code == 302
    case.refresh_from_db()
    assert (case.exploitation_country, case.exploitation_sector) == ("ITA", SECTOR)

    period = reverse("api-identification-exploitation-period", args=[case.reference])
    bad = client.put(
        period,
        {"exploitation_began": "2020-01", "exploitation_sector": "Mining", "expected_version": case.version},
        "application/json",
    )
    assert "exploitation_sector" in api_error(bad, 400, "invalid")["fields"]
    done = client.put(
        period,
        {"exploitation_began": "2020-01", "exploitation_country": "GRC", "expected_version": case.version},
        "application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["exploitation_country"] == "GRC" and done.json()["exploitation_sector"] == SECTOR
    how = client.put(
        period,
        {"exploitation_began": "2020-01", "means_of_control": ["FalsePromises", "Nope"],
         "expected_version": done.json()["case_version"]},
        "application/json",
    )  # fmt: skip
    assert "means_of_control" in api_error(how, 400, "invalid")["fields"]
    how = client.put(
        period,
        {"exploitation_began": "2020-01", "means_of_control": ["FalsePromises"],
         "recruiter_relationship": "Acquainted", "expected_version": done.json()["case_version"]},
        "application/json",
    )  # fmt: skip
    assert how.status_code == 200, how.content
    assert (
        how.json()["means_of_control"] == ["FalsePromises"]
        and how.json()["recruiter_relationship"] == "Acquainted"
    )
    # The page says what is recorded in words, beside the form.
    page = client.get(url).content.decode()
    for label, words in (
        ("Country of exploitation", "Greece"),
        ("Sector of exploitation", "Agriculture, forestry and fishing"),
        ("Means of control", "False promises"),
        ("Relationship to the recruiter", "Acquainted"),
    ):
        assert f'{label}</dt><dd class="col-sm-9">{words}</dd>' in page


def test_the_dashboard_counts_persons_by_sector_and_country(make_member, client_for) -> None:  # type: ignore[no-untyped-def]
    from palermo.accounts.roles import Role
    from palermo.cases.models import Case
    from tests.statistics.statistics_data import populate

    cases = populate(50)
    Case.objects.filter(pk__in=[c.pk for c in cases[:25]]).update(
        exploitation_country="ITA", exploitation_sector=SECTOR
    )
    client = client_for(make_member(Role.RAPPORTEUR))

    answer = client.get("/api/v1/statistics/").json()

    tables = {t["key"]: t for t in answer["tables"]}
    sector = {row["value"]: row["count"] for row in tables["referred-sector"]["rows"]}
    country = {row["value"]: row["count"] for row in tables["referred-exploitation_country"]["rows"]}
    assert sector[SECTOR] == sector[""] == country["ITA"] == 25
    page = client.get("/statistics/").content.decode()
    assert "Sector of exploitation" in page and "Country of exploitation" in page


def test_the_demo_history_uses_the_standards_sectors() -> None:
    from palermo.demo.statistics import PLACES

    assert {sector for _, sector in PLACES} <= htcds_fields()["vic_ForcedLabourIndustry"].values
