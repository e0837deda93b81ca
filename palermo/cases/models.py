from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency

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
