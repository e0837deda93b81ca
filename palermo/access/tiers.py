"""The data tiers (architecture, rule 3): what kind of information a value is, and so who may read it.

Tiers are categories, not a ladder: a migration officer reads identity (T2) but never location (T3), a
protection officer reads location but not narrative (T4). The access matrix therefore names the exact set of
tiers each role may read, never "up to" a tier.
"""

from __future__ import annotations

from enum import IntEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Tier(IntEnum):
    # Counts and indicators with no personal data: statistics, dashboards, the rapporteur's figures.
    AGGREGATE = 0
    # Case metadata: reference, status, phase, deadlines, exploitation form, age group, sex, nationality.
    METADATA = 1
    # Identity: names, aliases, birth date, documents, contact details, photo.
    IDENTITY = 2
    # Location: where the person or their relatives are.
    LOCATION = 3
    # Narrative and health: interviews, indicator answers, medical and psychological records, testimony.
    NARRATIVE = 4

    @property
    def label(self) -> str | Promise:
        return TIER_LABELS[self]

    @property
    def code(self) -> str:
        return f"T{int(self)}"


# What a reader is told, in words: the one place the pages name a tier (the codes are for the API and the
# access matrix file, never shown on a page).
TIER_LABELS: dict[Tier, str | Promise] = {
    Tier.AGGREGATE: _("Figures with no personal data"),
    Tier.METADATA: _("Case facts"),
    Tier.IDENTITY: _("Identity"),
    Tier.LOCATION: _("Where the person is"),
    Tier.NARRATIVE: _("The person's story and health"),
}

# Tiers whose every read is recorded in the audit log (architecture, rule 5).
AUDITED_READ = frozenset({Tier.IDENTITY, Tier.LOCATION, Tier.NARRATIVE})
# The tiers of one case's record (T0 is about many cases at once).
CASE_TIERS = frozenset({Tier.METADATA, Tier.IDENTITY, Tier.LOCATION, Tier.NARRATIVE})
# What a field with no tier of its own is: plain, unencrypted columns hold case metadata at most.
DEFAULT_FIELD_TIER = Tier.METADATA


def parse_tier(value: int | str | Tier) -> Tier:
    """A tier from 2, "2", "T2" or Tier.IDENTITY; ValueError for anything else."""
    if isinstance(value, Tier):
        return value  # most callers hold tiers already: spares the enum's look-up
    if isinstance(value, str):
        text = value.strip().upper()
        value = int(text[1:] if text.startswith("T") else text)
    return Tier(value)
