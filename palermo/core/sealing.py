"""Data migrations that bring free text already stored in clear under field encryption.

A model that gains encrypted fields first gains a `row_key` (the identity its values are bound to): added
nullable, filled row by row, then made unique (`fill_row_keys`). Its columns are then altered to encrypted
fields, which reads nothing, and `encrypt_existing` seals every clear value in place, under the key ring's
current key and the same binding the field uses (model label, field name, row key). A value that already
opens under its binding is left as it is, so a rerun changes nothing. Values are never logged.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from palermo.core import crypto
from palermo.core.fields import Sealed

BATCH = 500

Operation = Callable[[Any, Any], None]


def fill_row_keys(app_label: str, model_name: str) -> Operation:
    def fill(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for pk in model._base_manager.filter(row_key__isnull=True).values_list("pk", flat=True).iterator():
            model._base_manager.filter(pk=pk).update(row_key=uuid.uuid4())

    return fill


def _raw(value: Any) -> str:
    if isinstance(value, Sealed):
        return value.token
    return "" if value is None else str(value)


def _is_sealed(text: str, binding: bytes) -> bool:
    try:
        crypto.decrypt_text(text, associated_data=binding)
    except crypto.DecryptionError:
        return False
    return True


def encrypt_existing(app_label: str, model_name: str, *field_names: str) -> Operation:
    def encrypt(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        label = f"{app_label}.{model_name.lower()}"
        rows = model._base_manager.order_by("pk").values_list("pk", "row_key", *field_names)
        for pk, row_key, *values in rows.iterator(chunk_size=BATCH):
            changes = {}
            for name, value in zip(field_names, values, strict=True):
                text = _raw(value)
                binding = crypto.binding(label, name, row_key)
                if text and not _is_sealed(text, binding):
                    changes[name] = Sealed(crypto.encrypt_text(text, associated_data=binding))
            if changes:
                model._base_manager.filter(pk=pk).update(**changes)

    return encrypt
