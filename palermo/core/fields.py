"""Encrypted model fields for T2-T4 values.

Each value is encrypted on its own (see `palermo.core.crypto`) and bound to its model, field and row. The row
is named by `row_key`, a random UUID that `EncryptedModel` sets when the instance is created in Python, not by
the integer primary key: the pk is unknown until the INSERT has happened, so binding to it would need a second
write (or a window where a row holds values bound to nothing). A UUID is known before the first write, never
changes, is unique (a database constraint) and says nothing about the person. Copying a ciphertext into
another row, another field or another model therefore makes it fail to decrypt.

How values travel:
- On save, `pre_save` encrypts the instance's current plaintext under the first key of the ring. Only
  `Model.save()` (and `bulk_create`, which calls `pre_save`) can encrypt, because only they know the row;
  `QuerySet.update` and `bulk_update` with plaintext raise `EncryptedWriteError` instead of storing plaintext.
- On load, the column's text becomes a `Sealed` token; the field's descriptor decrypts it on first access and
  keeps the plaintext on the instance, so a page decrypts only what it shows, once.
  `values()` / `values_list()` return `Sealed` tokens, never plaintext.
- Only `isnull` look-ups are allowed: equality on randomised ciphertext can never match. Exact searches go
  through blind indexes (`palermo.core.blind_index`).
- NULL stays NULL and an empty text stays empty: absence is not hidden.
- An instance copied into a new row (pk and row_key replaced) opens its loaded values under the row they came
  from and seals them under the new row_key when saved.

The binding uses the model label and field name, so renaming either needs a data migration that re-encrypts.
Each field carries its data tier (`tier=2|3|4`) for the access policy: see `encrypted_fields` and
`field_tier`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any, Self, TypeVar

from django.core import checks
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from palermo.core import crypto
from palermo.core.blind_index import dependent_indexes

TIERS = (2, 3, 4)
LOADED_ROW_KEY = "_row_key_loaded"


F = TypeVar("F", bound=models.Field)


def tiered(
    field: F,
    tier: int,
    *,
    by_row: Callable[[Any], int] | None = None,
    withheld: Mapping[int, Any] | None = None,
) -> F:
    """Declares the tier of a plain (unencrypted) field that holds more than case metadata, on the model,
    where redaction and the API read it: `nationality = tiered(models.CharField(...), 2)`. Encrypted fields
    take `tier=` directly.

    A value that is a proxy for a higher tier reads at that tier row by row: `by_row(instance)` gives the
    tier of this row's value (never below `tier`): a reference to a safe house is location (T3), the kind of
    a health service is health (T4). `withheld` says, by tier, what a reader without it is shown instead
    ("Safe accommodation (location withheld)"); the value itself is never shown."""
    if tier not in (1, *TIERS):
        raise ValueError(f"a field holds tier 1-4 data, not {tier!r}")
    field.tier = tier  # type: ignore[attr-defined]
    if by_row is not None:
        field.tier_by_row = by_row  # type: ignore[attr-defined]
        field.withheld = dict(withheld or {})  # type: ignore[attr-defined]
    return field


def optional_key(to: Any, verbose_name: Any, *, related_name: str = "+", **options: Any) -> models.ForeignKey:
    """A reference a record may leave empty and that never cascades (an agency or a person it names, often
    behind `tiered`): `models.ForeignKey(to, on_delete=PROTECT, null=True, blank=True, ...)`."""
    optional: dict[str, Any] = {"on_delete": models.PROTECT, "null": True, "blank": True}
    return models.ForeignKey(to, verbose_name=verbose_name, related_name=related_name, **optional, **options)


class EncryptedWriteError(TypeError):
    """An encrypted field was written by a path that cannot know the row. Never carries the value."""


class Sealed:
    """A stored ciphertext, not yet opened. Its repr shows nothing of it."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    @property
    def key_id(self) -> str:
        return crypto.text_key_id(self.token)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    def __repr__(self) -> str:
        return "<Sealed value>"


class SealedAttribute(DeferredAttribute):
    """Opens a `Sealed` value on first access and keeps the plaintext on the instance.

    A data descriptor (it defines __set__), so reads pass through it even once the value is in __dict__.
    """

    field: EncryptedField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        attname = self.field.attname
        # Read __dict__ directly (the common case: loaded); a deferred field is fetched as Django does.
        value = data[attname] if attname in data else super().__get__(instance, cls)
        if type(value) is Sealed:
            value = data[attname] = self.field.open(instance, value)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.Field):
    """Mixin for encrypted fields: stored as text, whatever the Python type."""

    descriptor_class = SealedAttribute

    def __init__(self, *args: Any, tier: int, **kwargs: Any) -> None:
        if tier not in TIERS:
            raise ValueError(f"an encrypted field holds tier 2, 3 or 4 data, not {tier!r}")
        self.tier = tier
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["tier"] = self.tier
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    # Subclasses say how a Python value becomes text and back.
    def serialise(self, value: Any) -> str:
        return str(value)

    def deserialise(self, text: str) -> Any:
        return text

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def _binding(self, instance: models.Model, row_key: Any = None) -> bytes:
        row_key = row_key or getattr(instance, "row_key", None)
        if not isinstance(row_key, uuid.UUID):
            raise EncryptedWriteError(f"{self.label}: the row has no row_key to bind its values to")
        prefix = self.__dict__.get("_binding_prefix")
        if prefix is None:
            prefix = self.__dict__["_binding_prefix"] = crypto.binding_prefix(
                self.model._meta.label_lower, self.name
            )
        return prefix + row_key.bytes

    def seal(self, instance: models.Model, value: Any) -> Sealed | str | None:
        """The stored form of a plaintext value for this field of this row."""
        if hasattr(value, "resolve_expression"):
            raise EncryptedWriteError(f"{self.label}: expressions cannot be encrypted")
        value = self.to_python(value)
        if value is None:
            return None
        text = self.serialise(value)
        if text == "":
            return ""
        return Sealed(crypto.encrypt_text(text, associated_data=self._binding(instance)))

    def open(self, instance: models.Model, sealed: Sealed) -> Any:
        try:
            # A stored value opens under the row identity it was loaded with, even if row_key was changed
            # since (copying an instance into a new row); it is sealed again under the current one on save.
            loaded_under = instance.__dict__.get(LOADED_ROW_KEY)
            text = crypto.decrypt_text(sealed.token, associated_data=self._binding(instance, loaded_under))
        except crypto.DecryptionError as error:
            raise crypto.DecryptionError(f"{self.label}: {error}") from None
        return self.deserialise(text)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return self.seal(model_instance, getattr(model_instance, self.attname))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self.to_python(value)
        return Sealed(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, Sealed):
            return value.token
        if value == "":
            return ""
        raise EncryptedWriteError(
            f"{self.label}: encrypted values are written through Model.save(), which knows the row; "
            "QuerySet.update, bulk_update and look-ups cannot encrypt"
        )

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, name: str) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        row_key = next((f for f in self.model._meta.concrete_fields if f.name == "row_key"), None)
        if not isinstance(row_key, models.UUIDField) or not row_key.unique:
            errors.append(
                checks.Error(
                    "Encrypted fields need a unique UUID row_key on their model.",
                    hint="Inherit from palermo.core.fields.EncryptedModel.",
                    obj=self,
                    id="palermo.E001",
                )
            )
        if self.unique or getattr(self, "db_index", False) or self.primary_key:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique, indexed or a primary key; use a blind index.",
                    obj=self,
                    id="palermo.E002",
                )
            )
        return errors


class EncryptedTextField(EncryptedField, models.TextField):
    """Free text of any length (addresses, narratives)."""


class EncryptedCharField(EncryptedField, models.CharField):
    """Short text (names); `max_length` limits the plaintext, the column holds the longer ciphertext."""


class EncryptedDateField(EncryptedField, models.DateField):
    """A date, encrypted as its ISO 8601 text."""

    def serialise(self, value: datetime.date) -> str:
        return value.isoformat()

    def deserialise(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        # Skip DateField's get_next_by_<name> helpers: ordering by ciphertext means nothing.
        models.Field.contribute_to_class(self, cls, name, private_only=private_only)


class EncryptedModel(models.Model):
    """Base for models with encrypted fields: gives each row the identity its values are bound to."""

    row_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Storage bookkeeping, not domain logic: a blind index must be written with the fields it is
        # computed from, or a save with update_fields would leave it stale.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | dependent_indexes(type(self), update_fields)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.__dict__[LOADED_ROW_KEY] = instance.__dict__.get("row_key")
        return instance


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    """The encrypted fields stored in this model's own table."""
    return [field for field in model._meta.local_concrete_fields if isinstance(field, EncryptedField)]


def field_tier(model: type[models.Model], name: str) -> int | None:
    """The tier of an encrypted field, or None for a field that is not encrypted."""
    field = model._meta.get_field(name)
    return field.tier if isinstance(field, EncryptedField) else None
