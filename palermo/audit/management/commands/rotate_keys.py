"""`palermo rotate_keys`: re-encrypt every encrypted value under the key ring's first key.

Rotation, step by step:
1. put the new key first in FIELD_KEYS, keeping the old ones after it, and restart the web and worker
   processes (new writes now use the new key; old values still decrypt);
2. run `palermo rotate_keys` (interrupt it at will: a rerun skips values already under the new key);
3. run `palermo rotate_keys --check` until it reports no value under an older key;
4. remove the old key from FIELD_KEYS and restart.

Every batch is read under a row lock and rewritten in one transaction, so a value is readable at every moment
and a concurrent edit is never overwritten with an older value. This operator command writes with
`bulk_update` instead of going through services: it is the documented exception to the service rule, because
it changes no value's meaning, only the key it is encrypted under. It prints counts and key ids, never values.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from palermo.audit.services import audit_record
from palermo.core import crypto
from palermo.core.fields import EncryptedField, Sealed, encrypted_fields

DEFAULT_BATCH = 500
UNREADABLE = "(unreadable)"


def models_with_encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedField]]]:
    found = []
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields:
            found.append((model, fields))
    return found


def key_id_of(value: Any) -> str | None:
    """The key id of a stored value, None for an empty one."""
    if not isinstance(value, Sealed):
        return None
    try:
        return value.key_id
    except crypto.DecryptionError:
        return UNREADABLE


def _rows(model: type[models.Model], fields: list[EncryptedField]) -> models.QuerySet[Any, Any]:
    return model._base_manager.order_by("pk").values_list("pk", "row_key", *(f.attname for f in fields))


def rotate_batch(
    model: type[models.Model], fields: list[EncryptedField], *, after: Any, size: int, current: str
) -> tuple[Any, int, int]:
    """Re-encrypt the batch of rows after pk `after` (None: from the first): (last pk, rows read, values
    rewritten); no rows read means the table is done."""
    with transaction.atomic():
        query = _rows(model, fields) if after is None else _rows(model, fields).filter(pk__gt=after)
        rows = list(query.select_for_update()[:size])
        if not rows:
            return after, 0, 0
        changed: list[models.Model] = []
        rewritten = 0
        for pk, row_key, *stored in rows:
            stale = [key_id_of(value) not in (None, current) for value in stored]
            if not any(stale):
                continue
            row = model(pk=pk, row_key=row_key)
            for field, value, is_stale in zip(fields, stored, stale, strict=True):
                if is_stale:
                    value = _reseal(model, field, row, value)
                    rewritten += 1
                # bulk_update writes every listed field of every row, so unchanged values are written back as
                # they are; a Value expression passes the stored form through the field untouched.
                setattr(row, field.attname, models.Value(value, output_field=field))
            changed.append(row)
        if changed:
            model._base_manager.bulk_update(changed, [field.name for field in fields])
    return rows[-1][0], len(rows), rewritten


def _reseal(model: type[models.Model], field: EncryptedField, row: models.Model, value: Sealed) -> Any:
    try:
        return field.seal(row, field.open(row, value))
    except crypto.DecryptionError as error:
        raise CommandError(f"{model._meta.label_lower} row {row.pk}: {error}") from None


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of FIELD_KEYS (--check: count values per key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="rows per transaction")
        parser.add_argument("--check", action="store_true", help="only count values under each key")

    def handle(self, *args: Any, **options: Any) -> None:
        ring = crypto.reload_key_ring()
        self.stdout.write(
            f"Key ring: {ring.current_id} (encrypts), " + ", ".join(ring.key_ids[1:] or ["no other"])
        )
        if options["check"]:
            self.check_keys(ring)
        else:
            self.rotate(ring.current_id, max(1, options["batch_size"]))

    def rotate(self, current: str, batch_size: int) -> None:
        for model, fields in models_with_encrypted_fields():
            label = model._meta.label_lower
            after: Any = None
            read = rewritten = 0
            while True:
                after, batch_read, batch_rewritten = rotate_batch(
                    model, fields, after=after, size=batch_size, current=current
                )
                if not batch_read:
                    break
                read += batch_read
                rewritten += batch_rewritten
                self.stdout.write(f"{label}: {read} rows read, {rewritten} values re-encrypted")
            self.stdout.write(f"{label}: done, {read} rows, {rewritten} values re-encrypted under {current}")
            if rewritten:
                audit_record(
                    actor=None,
                    action="keys.rotate",
                    tier=0,
                    object_type=label,
                    reason=f"{rewritten} values re-encrypted under key {current}",
                )

    def check_keys(self, ring: crypto.KeyRing) -> None:
        totals: Counter[str] = Counter()
        for model, fields in models_with_encrypted_fields():
            per_field: dict[str, Counter[str]] = {field.name: Counter() for field in fields}
            for _pk, _row_key, *stored in _rows(model, fields).iterator(chunk_size=2000):
                for field, value in zip(fields, stored, strict=True):
                    key_id = key_id_of(value)
                    if key_id is not None:
                        per_field[field.name][key_id] += 1
            for name, counts in per_field.items():
                totals.update(counts)
                summary = " ".join(f"{key}={count}" for key, count in sorted(counts.items())) or "no values"
                self.stdout.write(f"{model._meta.label_lower}.{name}: {summary}")
        older = {key: count for key, count in totals.items() if key != ring.current_id}
        self.stdout.write(
            f"Under the current key {ring.current_id}: {totals[ring.current_id]}; "
            + (
                "under older keys: " + ", ".join(f"{k}={n}" for k, n in sorted(older.items()))
                if older
                else "none under older keys"
            )
        )
        unused = [key for key in ring.key_ids[1:] if key not in totals]
        if unused:
            self.stdout.write("No value uses " + ", ".join(unused) + "; it can leave the key ring.")
        missing = sorted(key for key in older if key not in ring.ciphers)
        if missing:
            raise CommandError(
                f"Values under keys missing from the ring cannot be read: {', '.join(missing)}"
            )
