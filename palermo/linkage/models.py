"""The tolerant search's keyed index (docs/decisions/0042): one row per key of a person's names and birth
date, computed by `palermo.linkage.keys`. A row holds no plaintext: a kind, where on the record the key comes
from (own script, Latin letters, alias, birth date) and a keyed digest. T1 by itself; a match on it tells that
a person is on a case, so every search that uses it is a T2 read, recorded."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Person


class KeySource(models.TextChoices):
    NAME = "n", _("name in own script")
    LATIN = "l", _("name in Latin letters")
    ALIAS = "a", _("another name")
    BIRTH = "b", _("date of birth")


class PersonKey(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="linkage_keys")
    kind = models.CharField(max_length=1)
    source = models.CharField(max_length=1, choices=KeySource.choices)
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [
            models.Index(fields=["digest", "person"], name="linkage_key_digest"),
            models.Index(fields=["person", "kind"], name="linkage_key_person"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "source", "kind", "digest"], name="linkage_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}"
