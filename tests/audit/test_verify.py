"""audit_verify names the first broken link however the chain was tampered with.

Tampering goes around both guards, as an attacker with database rights would: the triggers are dropped inside
the test's transaction (rolled back with it) and rows are changed by direct SQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from palermo.audit import guard
from palermo.audit.chain import KEYED_FIELDS, audit_keys, event_hash
from palermo.audit.models import AuditEvent
from palermo.audit.services import audit_record
from palermo.audit.verify import Anchor, verify_chain

pytestmark = pytest.mark.any_audit_action

COLUMNS = (
    "sequence, time, actor_id, agency_id, role, action, object_type, object_id, case_id, tier, reason, "
    "request_id, prev_hash, note, key_id, hash"
)


@pytest.fixture
def chain(db):
    return [audit_record(actor=None, action="system.check", tier=0, object_id=str(n)) for n in range(5)]


@pytest.fixture
def unguarded(chain):
    guard.remove(connection)


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify_fails() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify", batch_size=2)
    assert raised.value.returncode == 1
    return str(raised.value)


def forge(sequence: int, prev_hash: str, *, valid_hash: bool = True) -> None:
    """An event inserted by someone who holds the audit key: only the links and the head can catch it."""
    values = {
        "sequence": sequence,
        "time": timezone.now(),
        "actor_id": None,
        "agency_id": None,
        "role": "",
        "action": "system.check",
        "object_type": "",
        "object_id": "forged",
        "case_id": None,
        "tier": 0,
        "reason": "",
        "request_id": "",
        "prev_hash": prev_hash,
        "note": "",
        "key_id": audit_keys().current_id,
    }
    digest = event_hash(values) if valid_hash else "f" * 64
    row = [*values.values(), digest]
    row[1] = connection.ops.adapt_datetimefield_value(row[1])
    placeholders = ", ".join(["%s"] * len(row))
    sql(f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({placeholders})", row)  # noqa: S608 - constants


def test_an_intact_chain_passes_with_its_count_and_head(chain, capsys):
    call_command("audit_verify", batch_size=2)
    out = capsys.readouterr().out
    assert "intact: 5 events" in out
    assert f"{chain[-1].sequence}:{chain[-1].hash}" in out


def test_an_empty_chain_passes(db, capsys):
    call_command("audit_verify")
    assert "intact: 0 events" in capsys.readouterr().out


def test_a_changed_field_is_a_hash_mismatch(chain, unguarded):
    sql("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE sequence = %s", [chain[2].sequence])
    assert f"event #{chain[2].sequence}: hash mismatch" in verify_fails()


def test_a_changed_time_is_a_hash_mismatch(chain, unguarded):
    earlier = connection.ops.adapt_datetimefield_value(chain[1].time - timedelta(hours=1))
    sql("UPDATE audit_auditevent SET time = %s WHERE sequence = %s", [earlier, chain[1].sequence])
    assert f"event #{chain[1].sequence}: hash mismatch" in verify_fails()


def test_a_rehashed_change_breaks_the_next_link(chain, unguarded):
    target = chain[2]
    values = {name: getattr(target, name) for name in ("sequence", "time", "actor_id", "agency_id", "role")}
    values |= {
        "action": "system.check",
        "object_type": "",
        "object_id": "rewritten",
        "case_id": None,
        "tier": 0,
        "reason": "",
        "request_id": target.request_id,
        "prev_hash": target.prev_hash,
        "note": target.note,
        "key_id": target.key_id,
    }
    sql(
        "UPDATE audit_auditevent SET object_id = 'rewritten', hash = %s WHERE sequence = %s",
        [event_hash(values), target.sequence],
    )
    assert f"event #{chain[3].sequence}: prev_hash mismatch" in verify_fails()


def test_a_removed_event_is_a_gap(chain, unguarded):
    sql("DELETE FROM audit_auditevent WHERE sequence = %s", [chain[2].sequence])
    assert f"event #{chain[2].sequence}: gap in sequence" in verify_fails()


def test_events_removed_from_the_end_disagree_with_the_head(chain, unguarded):
    sql("DELETE FROM audit_auditevent WHERE sequence >= %s", [chain[3].sequence])
    message = verify_fails()
    assert f"event #{chain[3].sequence}: chain head mismatch" in message
    assert "removed from the end" in message


def test_a_forged_event_with_a_valid_link_disagrees_with_the_head(chain):
    forge(chain[-1].sequence + 1, chain[-1].hash)  # INSERT is allowed: the triggers refuse only changes
    message = verify_fails()
    assert f"event #{chain[-1].sequence + 1}: chain head mismatch" in message
    assert "appended outside the audit service" in message


def test_a_forged_event_beyond_the_end_is_a_gap(chain):
    forge(chain[-1].sequence + 3, chain[-1].hash)
    assert f"event #{chain[-1].sequence + 1}: gap in sequence" in verify_fails()


def test_a_forged_event_with_a_made_up_hash_is_a_hash_mismatch(chain):
    forge(chain[-1].sequence + 1, chain[-1].hash, valid_hash=False)
    assert f"event #{chain[-1].sequence + 1}: hash mismatch" in verify_fails()


def test_a_rewritten_chain_is_caught_by_an_anchor_recorded_earlier(chain):
    anchor = Anchor(chain[2].sequence, chain[2].hash)
    assert verify_chain(anchors=(anchor,)).intact
    wrong = Anchor(chain[2].sequence, "0" * 64)
    broken = verify_chain(anchors=(wrong,)).broken
    assert broken is not None
    assert (broken.sequence, broken.kind) == (chain[2].sequence, "anchor mismatch")
    missing = verify_chain(anchors=(Anchor(chain[-1].sequence + 10, "a" * 64),)).broken
    assert missing is not None
    assert missing.kind == "anchor mismatch"


def test_an_anchor_must_be_well_formed(db):
    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        call_command("audit_verify", anchor=["12:abc"])


def test_verification_counts_every_event(chain):
    verdict = verify_chain(batch_size=1)
    assert (verdict.count, verdict.last_sequence) == (5, chain[-1].sequence)
    assert AuditEvent.objects.count() == 5


# --- the keyed chain: the database owner rewrites an event and recomputes the chain after it, without the key


def rewrite_from(target: AuditEvent, *, key_id: str, key: bytes | None) -> None:
    """Change one event's reason and recompute its hash and every later link, as the owner of the database
    can: `key` None hashes with plain SHA-256 (the chain as it was before keying), otherwise HMAC under `key`
    (a key of the attacker's own; the real one is not in the database)."""
    import hashlib
    import hmac

    from palermo.audit.chain import canonical_bytes

    previous = target.prev_hash
    for event in AuditEvent.objects.filter(sequence__gte=target.sequence).order_by("sequence"):
        values = {name: getattr(event, name) for name in KEYED_FIELDS}
        values |= {"prev_hash": previous, "key_id": key_id}
        if event.sequence == target.sequence:
            values["reason"] = "nothing happened"
        data = canonical_bytes(values)
        digest = (
            hashlib.sha256(data).hexdigest() if key is None else hmac.new(key, data, "sha256").hexdigest()
        )
        sql(
            "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, key_id = %s, hash = %s "
            "WHERE sequence = %s",
            [values["reason"], previous, key_id, digest, event.sequence],
        )
        previous = digest
    sql("UPDATE audit_chainhead SET hash = %s", [previous])


def test_events_are_keyed_with_the_current_audit_key(chain):
    assert {event.key_id for event in chain} == {audit_keys().current_id}


def test_a_chain_recomputed_with_plain_hashes_is_refused(chain, unguarded):
    rewrite_from(chain[2], key_id="", key=None)
    message = verify_fails()
    assert f"event #{chain[2].sequence}: unkeyed event" in message


def test_a_chain_recomputed_under_another_key_is_refused(chain, unguarded):
    rewrite_from(chain[2], key_id=audit_keys().current_id, key=b"k" * 32)
    assert f"event #{chain[2].sequence}: hash mismatch" in verify_fails()


def test_a_chain_recomputed_under_a_made_up_key_id_is_refused(chain, unguarded):
    rewrite_from(chain[2], key_id="mine", key=b"k" * 32)
    assert f"event #{chain[2].sequence}: unknown key" in verify_fails()


def test_the_attack_without_keying_would_have_passed(chain, unguarded):
    """What keying closes: a plain SHA-256 chain recomputed from the rewritten event verifies, unless the
    operator has said that no unkeyed event may follow the start."""
    rewrite_from(chain[0], key_id="", key=None)
    assert verify_chain(unkeyed_until=chain[-1].sequence).intact
    assert not verify_chain().intact


def test_events_from_before_keying_pass_up_to_the_stated_sequence(chain, unguarded, settings, capsys):
    rewrite_from(chain[0], key_id="", key=None)  # the whole chain as if written before keying
    settings.AUDIT_UNKEYED_UNTIL = chain[-1].sequence
    more = audit_record(actor=None, action="system.check", tier=0)
    assert more.key_id == audit_keys().current_id
    call_command("audit_verify")
    assert f"intact: {len(chain) + 1} events" in capsys.readouterr().out
    settings.AUDIT_UNKEYED_UNTIL = chain[1].sequence
    assert f"event #{chain[2].sequence}: unkeyed event" in verify_fails()


def test_rotation_keeps_old_events_verifiable_while_their_key_stays(chain, settings):
    import base64
    import os

    old = settings.AUDIT_KEYS
    settings.AUDIT_KEYS = f"a2:{base64.b64encode(os.urandom(32)).decode()}\n{old}"
    newer = audit_record(actor=None, action="system.check", tier=0)
    assert newer.key_id == "a2"
    assert verify_chain().intact
    settings.AUDIT_KEYS = settings.AUDIT_KEYS.splitlines()[0]  # the old key removed too early
    broken = verify_chain().broken
    assert broken is not None
    assert (broken.sequence, broken.kind) == (chain[0].sequence, "unknown key")


def test_the_audit_keys_must_be_well_formed():
    from django.core.exceptions import ImproperlyConfigured

    from palermo.audit.chain import parse_audit_keys

    for text in ("", "a1", "a1:not base64!", "a1:" + "QUJD" * 2, "a1:{k}\na1:{k}"):
        with pytest.raises(ImproperlyConfigured):
            parse_audit_keys(text.format(k="A" * 44))
    assert parse_audit_keys("# comment\nb2:" + "A" * 44).current_id == "b2"


def test_init_secrets_creates_an_audit_key(tmp_path):
    from palermo.audit.chain import parse_audit_keys
    from palermo.core.secrets import create_local_secrets

    created = {path.name for path in create_local_secrets(tmp_path)}
    assert "audit_keys" in created
    assert (tmp_path / "audit_keys").stat().st_mode & 0o777 == 0o600
    assert parse_audit_keys((tmp_path / "audit_keys").read_text()).current_id == "a1"
