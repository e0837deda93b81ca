"""Tiered records: hidden fields are never decrypted, reads are recorded once per request at the highest tier
shown (never for T1 alone), the one serializer base renders hidden as null and says so in the schema, and no
view or API module records a read itself."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from palermo.access.serializers import TieredModelSerializer
from palermo.access.tiered import HIDDEN, read_ledger, redact, redact_all, summarised_ids
from palermo.access.tiers import Tier
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.verify import verify_chain
from palermo.cases.models import Person
from palermo.core.fields import EncryptedField
from tests.api.openapi import generated_schema
from tests.cases.referrals import open_case
from tests.queries import Queries

T1 = {Tier.METADATA}


@pytest.fixture
def case(first_responder, make_member):
    return open_case(first_responder, make_member(Role.IDENTIFICATION_AUTHORITY).membership.agency)


@pytest.fixture
def person(case):
    person = case.persons.get()
    person.note = "what happened"
    person.save()
    return Person.objects.get(pk=person.pk)  # fresh: every encrypted value still sealed


@pytest.fixture
def decryptions():
    with mock.patch.object(EncryptedField, "open", autospec=True, side_effect=EncryptedField.open) as opened:
        yield opened


def opened_fields(decryptions) -> set[str]:
    return {call.args[0].name for call in decryptions.call_args_list}


def test_a_hidden_field_reads_hidden_and_is_never_decrypted(person, decryptions):
    shown = redact(person, tiers=[1, 2], membership=None, case=None, action="person.read")
    assert shown.given_names == Person.objects.get(pk=person.pk).given_names
    assert shown.current_address is HIDDEN and shown.note is HIDDEN
    assert not shown.note and str(shown.note) == ""
    assert shown.gender == person.gender  # T1 as on the record
    assert opened_fields(decryptions) <= {"given_names"}
    assert "note" not in opened_fields(decryptions) and "current_address" not in opened_fields(decryptions)


def test_a_tiered_record_cannot_be_written_through(person):
    shown = redact(person, tiers=T1, membership=None, case=None, action="person.read")
    with pytest.raises(AttributeError):
        shown.given_names = "someone else"
    shown.birth_date_text = "shown"  # a display value lives on the view of the record
    assert shown.birth_date_text == "shown" and not hasattr(person, "birth_date_text")


def test_reads_are_recorded_once_per_case_at_the_highest_tier(first_responder, case, person):
    membership = first_responder.membership
    before = AuditEvent.objects.count()
    with read_ledger():
        redact_all([person], tiers=[1, 2], membership=membership, case=case, action="person.read")
        redact_all([person], tiers=[1, 2, 3, 4], membership=membership, case=case, action="person.read")
        assert AuditEvent.objects.count() == before  # nothing written before the work ends
    event = AuditEvent.objects.get(sequence__gt=before)
    assert (event.action, event.tier, event.object_id) == ("person.read", 4, str(person.pk))
    assert event.actor == first_responder and event.case == case


def test_the_reads_of_a_request_are_written_in_one_insert_and_chained(first_responder, case, person):
    membership = first_responder.membership
    before = AuditEvent.objects.count()
    with Queries() as written, read_ledger():
        for action in ("person.read", "note.read", "document.read"):
            redact_all([person], tiers=[1, 2], membership=membership, case=case, action=action)
    inserts = [sql for sql in written.sql if sql.startswith('INSERT INTO "audit_auditevent"')]
    assert len(inserts) == 1 and len(written) <= 8  # the transaction, the chain head (ensure, lock, move)
    events = list(AuditEvent.objects.filter(sequence__gt=before).order_by("sequence"))
    assert [event.action for event in events] == ["person.read", "note.read", "document.read"]
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert verify_chain().intact


def test_showing_metadata_alone_records_nothing(first_responder, case, person):
    before = AuditEvent.objects.count()
    with read_ledger():
        redact_all([person], tiers=T1, membership=first_responder.membership, case=case, action="person.read")
    assert AuditEvent.objects.count() == before


def test_a_read_with_no_ledger_open_is_recorded_at_once(first_responder, case, person):
    before = AuditEvent.objects.count()
    redact(person, tiers=[1, 3], membership=first_responder.membership, case=case, action="person.read")
    assert AuditEvent.objects.filter(sequence__gt=before).get().tier == 3


def test_the_ids_of_a_long_page_fit_the_audit_column():
    ids = [str(n) for n in range(100_000, 100_040)]
    text = summarised_ids(ids)
    assert len(text) <= 64
    kept = text.split(",")
    assert kept[:-1] == ids[: len(kept) - 1] and kept[-1] == f"+{len(ids) - len(kept) + 1}"
    assert summarised_ids(["1", "2"]) == "1,2"


def test_an_api_request_records_its_read_once_after_the_view(first_responder, signed_in_client, case, person):
    api = signed_in_client(first_responder)
    before = AuditEvent.objects.filter(action="person.read").count()
    assert api.get(reverse("api-case-persons", args=[case.reference])).status_code == 200
    events = AuditEvent.objects.filter(action="person.read").order_by("sequence")[before:]
    assert [(event.tier, event.object_id) for event in events] == [(4, str(person.pk))]


class PersonOut(TieredModelSerializer):
    class Meta:
        model = Person
        fields = ("id", "gender", "given_names", "current_address", "note")


def test_the_serializer_base_nulls_what_the_caller_may_not_read_without_decrypting(person, decryptions):
    data = PersonOut(person, context={"tiers": frozenset({1, 3})}).data
    assert data["given_names"] is None and data["note"] is None
    assert data["current_address"] == Person.objects.get(pk=person.pk).current_address
    assert data["gender"] == person.gender
    assert opened_fields(decryptions) <= {"current_address"}


def test_a_redacted_record_renders_null_through_the_serializer_base(person):
    shown = redact(person, tiers=T1, membership=None, case=None, action="person.read")
    data = PersonOut(shown, context={"tiers": frozenset(Tier)}).data
    assert data["given_names"] is None and data["gender"] == person.gender


def test_the_schema_says_a_hidden_field_is_null(db):
    fields = PersonOut().fields
    assert (
        fields["note"].allow_null
        and "null when the caller may not read tier 4" in fields["note"].help_text.lower()
    )
    assert "tier 2" in fields["given_names"].help_text
    assert not fields["gender"].allow_null


def test_the_published_schema_says_hidden_is_null_in_every_area(db):
    schema = generated_schema()["components"]["schemas"]
    for component, field, tier in [
        ("Tracing", "details", 4),  # children
        ("Tracing", "result", 3),
        ("Entitlement", "note", 4),  # reflection
        ("Extension", "reason", 2),
        ("Placement", "address", 3),  # assistance
        ("ResidenceDecision", "reasons", 2),  # residence
        ("ResidenceApplication", "destination_country", 3),
    ]:
        described = schema[component]["properties"][field]
        assert described.get("nullable") is True, (component, field)
        assert f"null when the caller may not read tier {tier}" in described["description"].lower()
    assert "nullable" not in schema["Tracing"]["properties"]["requested_on"]


# Reads are recorded by the tiered selectors alone (a search by name by its selector, an export of the audit
# log by the audit app's export): a view or API module never calls the audit service or a read-audit helper.
# The one `audit_` name a door may call is the DPO's selector of the log itself. `make test`'s import
# contracts also forbid the audit service's import (.importlinter, "doors-record-nothing").
RECORDS_A_READ = re.compile(
    r"palermo\.audit\.services|\baudit_(?!events_visible\b)\w+|\bnote_(records_)?read\b|\bread_ledger\b"
)


def web_modules() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    found = [*root.glob("palermo/*/views*.py"), *root.glob("palermo/*/views/*.py")]
    found += [*root.glob("palermo/*/api*.py"), *root.glob("palermo/*/api/*.py")]
    return sorted(path.relative_to(root) for path in found)


def test_no_view_or_api_module_records_a_read_itself():
    offenders = {str(path) for path in web_modules() if RECORDS_A_READ.search(path.read_text())}
    assert web_modules()  # the scan finds the modules it is about
    assert not offenders, sorted(offenders)


def test_the_scan_sees_a_door_that_records_a_read():
    for call in (
        "audit_name_search(actor=user, membership=membership, references=found)",
        "from palermo.audit.services import audit_record",
        "note_read(membership=membership, case=case, tier=2, action='x', object_type='y')",
    ):
        assert RECORDS_A_READ.search(call), call
    assert not RECORDS_A_READ.search("events = audit_events_visible(membership=membership)")
