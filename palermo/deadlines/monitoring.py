"""The deadline reminder's gauge for the metrics endpoint (palermo.core.monitoring)."""

from __future__ import annotations

from django.utils import timezone

from palermo.deadlines.models import ReminderRun


def last_reminder_run_age() -> float:
    """Seconds since the latest booked run that was due; 0 when none was due yet."""
    due = ReminderRun.objects.filter(run_after__lte=timezone.now()).order_by("-run_after").first()
    return (timezone.now() - due.run_after).total_seconds() if due else 0.0
