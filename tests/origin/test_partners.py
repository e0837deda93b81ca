"""Partner organisations per country: written by the roles the matrix names, read through
`partners_for_country` (the return process's door) with their services and languages in constant queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.audit.models import AuditEvent
from palermo.origin.selectors import partners_for_country
from palermo.origin.services.partners import partner_update
from tests.origin.conftest import add_partner, partner_data
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db


def test_partners_for_country_lists_active_partners_of_that_country(editor, reader):
    first = add_partner(editor, name="B Network")
    add_partner(editor, name="A Shelter", languages=["ENG"])
    add_partner(editor, name="Elsewhere", country="ALB", languages=["sqi"])
    add_partner(editor, name="Closed", is_active=False)
    found = list(partners_for_country(reader, "nga"))
    assert [partner.name for partner in found] == ["A Shelter", "B Network"]
    assert [service.service for service in found[1].services.all()] == ["housing", "reception"]
    assert [language.language for language in found[1].languages.all()] == ["eng", "yor"]
    assert list(partners_for_country(reader, "XXZ")) == []
    assert first.version == 1
    assert AuditEvent.objects.filter(action="origin.partner_create", tier=0).count() == 4


def test_partners_for_country_reads_in_constant_queries(editor, reader):
    add_partner(editor)
    with Queries() as few:
        list(partners_for_country(reader, "NGA"))
    for number in range(5):
        add_partner(editor, name=f"Partner {number}")
    with Queries() as many:
        list(partners_for_country(reader, "NGA"))
    assert_same_queries(few, many)


def test_only_roles_the_matrix_names_write_partners(editor, reader):
    with pytest.raises(PermissionDenied):
        add_partner(reader)
    partner = add_partner(editor)
    with pytest.raises(PermissionDenied):
        partner_update(
            actor=reader,
            membership=reader.membership,
            partner=partner,
            data=partner_data(),
            expected_version=1,
        )
    changed = partner_update(
        actor=editor,
        membership=editor.membership,
        partner=partner,
        data=partner_data(name="Renamed", services=["legal"]),
        expected_version=1,
    )
    assert changed.version == 2 and [s.service for s in changed.services.all()] == ["legal"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "ZZZ"}, "country"),
        ({"region": "AL-01"}, "region"),
        ({"services": ["teleportation"]}, "services"),
        ({"languages": ["zz9"]}, "languages"),
        ({"email": "not an address"}, "email"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_partner_values_are_refused_by_field(editor, fields, field):
    with pytest.raises(ValidationError) as refused:
        add_partner(editor, **fields)
    assert field in refused.value.message_dict
