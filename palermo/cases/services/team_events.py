"""The case timeline's entry for a team change or an emergency access (access registers no import of cases:
cases gives it this writer from CasesConfig.ready(); see palermo.access.timeline)."""

from __future__ import annotations

from palermo.access.tiers import Tier
from palermo.access.timeline import TeamEvent
from palermo.cases.models import EventKind
from palermo.cases.services.timeline import Entry, record_entry


def team_event_write(event: TeamEvent) -> None:
    entry = Entry(event.summary, event.action, Tier.METADATA, EventKind.TEAM, event.object_type)
    record_entry(
        entry,
        event.record,
        actor=event.actor,
        membership=event.membership,
        case=event.case,
        tier=event.tier,
        values=event.values,
    )
