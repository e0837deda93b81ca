"""What the returns services share: the timeline entries' kind, the acting checks, and the children area's
helpers for texts, days and countries (shared, not copied: palermo.children.services.common)."""

from __future__ import annotations

from palermo.cases.models import EventKind
from palermo.children.services.common import (
    clean_country,
    clean_past_day,
    clean_text,
    day_start,
    require_write,
    today,
)

# The kind of every entry the returns services put on a case's timeline.
RETURNS = EventKind.RETURN

__all__ = ["RETURNS", "clean_country", "clean_past_day", "clean_text", "day_start", "require_write", "today"]
