"""What the returns services share: the timeline entries' kind, the acting checks, the one-in-progress rule,
and the children area's helpers for texts, days and countries (shared, not copied:
palermo.children.services.common)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models

from palermo.access.tiers import Tier
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry
from palermo.children.services.common import (
    clean_country,
    clean_past_day,
    clean_text,
    day_start,
    require_write,
    today,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The kind of every entry the returns services put on a case's timeline.
RETURNS = EventKind.RETURN
# The type the audit events of the package worker name a package by (palermo.returns.services.delivery).
WORKER_NAMES_IT = "package"


def package_entry(
    summary: str, action: str, *, audit_tier: int | None = None, object_type: str = ""
) -> Entry:
    """What a transnational package's step puts on its case's record: a timeline entry of case metadata, of
    the referral kind, and its audit event (`audit_tier`: the tier of what was written, when higher)."""
    return Entry(summary, action, Tier.METADATA, EventKind.REFERRAL, object_type, audit_tier)


def refuse_if_open(
    model: type[models.Model], case: Case, open_statuses: Iterable[str], refusal: StrOrPromise
) -> None:
    """One in progress a case (a return, a resettlement): refused, under lock, while the case has one whose
    status is one of `open_statuses`."""
    if model._default_manager.select_for_update().filter(case=case, status__in=open_statuses).exists():
        raise ValidationError(refusal, code="open")


__all__ = [
    "RETURNS",
    "clean_country",
    "clean_past_day",
    "clean_text",
    "day_start",
    "refuse_if_open",
    "require_write",
    "today",
]
