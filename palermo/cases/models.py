from __future__ import annotations

import datetime
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency
from palermo.core.blind_index import BIRTH_DATE, NAME, BlindIndexField, birth_date_index, name_index
from palermo.core.fields import EncryptedCharField, EncryptedDateField, EncryptedModel, EncryptedTextField

# Crockford's base32 without look-alike letters: readable over the phone, reveals nothing about the person.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_case_reference() -> str:
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"NRM-{body[:4]}-{body[4:]}"


class Phase(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification")
    REFLECTION = "reflection", _("Reflection and recovery")
    ASSISTANCE = "assistance", _("Assistance")
    LONG_TERM = "long_term", _("Long-term solution")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    """A trafficked person's case: the record every agency works on. T1 metadata lives here unencrypted."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_case_reference)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.IDENTIFICATION, db_index=True
    )
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead agency")
    )
    is_child = models.BooleanField(_("child's case"), default=False)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    # Optimistic concurrency: every edit states the version it read; a stale version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")

    def __str__(self) -> str:
        return self.reference


class PersonQuerySet(models.QuerySet["Person"]):
    """Exact look-ups through blind indexes: the query is normalised and hashed, never compared in clear."""

    def matching_name(self, full_name: str) -> PersonQuerySet:
        """Persons whose name, in the original script or in Latin letters, matches in any order or case."""
        index = name_index(full_name)
        if not index:
            return self.none()
        return self.filter(models.Q(name_index=index) | models.Q(latin_name_index=index))

    def matching_birth_date(self, birth_date: datetime.date | str) -> PersonQuerySet:
        return self.filter(birth_date_index=birth_date_index(birth_date))


class Person(EncryptedModel):
    """A person a case is about. Identity (T2), whereabouts (T3) and narrative (T4) are encrypted field by
    field and bound to this row (see palermo.core.fields); blind indexes allow exact matching by name and
    birth date without decrypting. `__str__` names the row, never the person."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="persons", verbose_name=_("case"))
    # Names as the person writes them, in their own script.
    given_names = EncryptedCharField(_("given names"), max_length=200, tier=2)
    family_names = EncryptedCharField(_("family names"), max_length=200, blank=True, tier=2)
    # The same names in Latin letters, as written in documents or by an interpreter.
    given_names_latin = EncryptedCharField(
        _("given names (Latin letters)"), max_length=200, blank=True, tier=2
    )
    family_names_latin = EncryptedCharField(
        _("family names (Latin letters)"), max_length=200, blank=True, tier=2
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True, tier=2)
    current_address = EncryptedTextField(_("current address"), blank=True, tier=3)
    note = EncryptedTextField(_("note"), blank=True, tier=4)

    name_index = BlindIndexField(sources=("given_names", "family_names"), kind=NAME)
    latin_name_index = BlindIndexField(sources=("given_names_latin", "family_names_latin"), kind=NAME)
    birth_date_index = BlindIndexField(sources=("birth_date",), kind=BIRTH_DATE)

    # Optimistic concurrency: every edit states the version it read; a stale version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"person {self.pk}"
