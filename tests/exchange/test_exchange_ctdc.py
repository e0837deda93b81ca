"""The CTDC export: its published variables, k-anonymised (every quasi-identifier combination shared by at
least k rows), for the rapporteur, audited; never a name or a birth date."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.cases.models import Person
from palermo.cases.services.exploitation_period import case_exploitation_period_set
from palermo.core.htcds import htcds_fields
from palermo.exchange.ctdc import (
    COLUMNS,
    CONTROL,
    QUASI_IDENTIFIERS,
    RELATION,
    ctdc_export,
    k_anonymise,
    registered_rows,
)
from tests.cases.referrals import open_case
from tests.statistics.statistics_data import populate

VALUES = {
    "yearOfRegistration": ["2023", "2024"],
    "gender": ["Female", "Male", ""],
    "ageBroad": ["9--17", "18--20", "30--38"],
    "majorityStatus": ["Adult", "Minor"],
    "citizenship": ["NG", "VN", "RO", "AL"],
}


def _rows(seed: int, count: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{name: rng.choice(options) for name, options in VALUES.items()} for _ in range(count)]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(0, 80), k=st.integers(3, 15))
def test_every_combination_is_shared_by_k_rows(seed: int, count: int, k: int) -> None:
    rows = k_anonymise(_rows(seed, count), k)

    sizes = Counter(tuple(row[name] for name in QUASI_IDENTIFIERS) for row in rows)
    assert all(size >= k for size in sizes.values())
    assert len(rows) <= count


def test_generalises_before_leaving_rows_out() -> None:
    rows = [dict(zip(QUASI_IDENTIFIERS, ("2024", "Female", "18--20", "Adult", "NG"), strict=True))] * 6
    rows += [dict(zip(QUASI_IDENTIFIERS, ("2024", "Female", "18--20", "Adult", "VN"), strict=True))] * 6
    lone = dict(zip(QUASI_IDENTIFIERS, ("2023", "Male", "48+", "Adult", "AL"), strict=True))

    published = k_anonymise([*rows, lone], 12)

    assert len(published) == 12  # both citizenships withheld; the lone row left out
    assert {row["citizenship"] for row in published} == {""}
    assert {row["ageBroad"] for row in published} == {"18--20"}


@pytest.mark.django_db
def test_the_rapporteur_exports_the_k_anonymised_dataset(rapporteur: User, manager: User) -> None:
    populate(40)

    text = ctdc_export(actor=rapporteur, membership=rapporteur.membership)  # type: ignore[attr-defined]

    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = list(reader)
    sizes = Counter(tuple(row[name] for name in QUASI_IDENTIFIERS) for row in rows)
    assert all(size >= 11 for size in sizes.values())
    for person in Person.objects.all():
        assert person.given_names not in text
    assert AuditEvent.objects.filter(action="exchange.ctdc_export").count() == 1
    with pytest.raises(PermissionDenied):
        ctdc_export(actor=manager, membership=manager.membership)  # type: ignore[attr-defined]


def test_the_mapped_htcds_values_are_the_standards() -> None:
    fields = htcds_fields()
    assert set(CONTROL) == fields["vic_MethodsOfControl"].values
    assert set(RELATION) == fields["vic_RelationshipToTrafficker"].values
    assert len(set(COLUMNS)) == len(COLUMNS)


@pytest.mark.django_db
def test_means_of_control_and_recruiter_relation_come_from_the_case(
    responder: User, authority: User, django_assert_max_num_queries: Any
) -> None:
    agency = authority.membership.agency  # type: ignore[attr-defined]
    placed, bare = open_case(responder, agency), open_case(responder, agency)
    case_exploitation_period_set(
        actor=responder, membership=responder.membership, case=placed, began=None, ended=None,  # type: ignore[attr-defined]
        expected_version=placed.version, means_of_control=["DebtBondage", "PhysicalThreats",
        "ThreatensChildrenFamily"], recruiter_relationship="Familial",
    )  # fmt: skip

    with django_assert_max_num_queries(4):
        rows = {row["meansOfControlNotSpecified"]: row for row in registered_rows()}

    row = rows["0"]
    assert row["meansOfControlDebtBondage"] == row["meansOfControlThreats"] == "1"
    assert row["meansOfControlFalsePromises"] == "0"
    assert row["meansOfControlConcatenated"] == "DebtBondage;Threats"
    assert row["recruiterRelationFamily"] == "1" and row["recruiterRelationUnknown"] == "0"
    none = rows["1"]
    assert none["meansOfControlConcatenated"] == "" and none["recruiterRelationUnknown"] == "1"
    assert {
        name for name, value in none.items() if name.startswith("recruiterRelation") and value == "1"
    } == {"recruiterRelationUnknown"}
    assert bare.pk != placed.pk
