"""The case timeline's entry for a team change or an emergency access (access registers no import of cases:
cases gives it this writer from CasesConfig.ready(); see palermo.access.timeline)."""

from __future__ import annotations

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import record_case_change


def team_event_write(
    *,
    actor: User | None,
    membership: Membership | None,
    case: Case,
    summary: str,
    action: str,
    object_type: str,
    object_id: int,
    reason: str,
    tier: int = Tier.METADATA,
) -> None:
    record_case_change(
        actor=actor,
        membership=membership,
        case=case,
        kind=EventKind.TEAM,
        tier=tier,
        summary=summary,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
    )
