"""Who exchanges what (docs/decisions/0049; the access matrix in docs/access.md names the same roles).

- HTCDS import (opens cases): the referring roles, as for a referral by hand (`INTAKE_ROLES`).
- HTCDS row-level export (personal data, T2): the identification authority and the case manager, only the
  cases they may read at T2; audited. The rapporteur never: aggregates only.
- CTDC and Eurostat exports (disclosure-controlled aggregates): the rapporteur and the identification
  authority.
"""

from __future__ import annotations

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.audit.services import audit_record
from palermo.cases.services.intake import INTAKE_ROLES

ROW_EXPORT_ROLES = frozenset({Role.IDENTIFICATION_AUTHORITY, Role.CASE_MANAGER})
AGGREGATE_EXPORT_ROLES = frozenset({Role.RAPPORTEUR, Role.IDENTIFICATION_AUTHORITY})


def may_import(membership: Membership) -> bool:
    return membership.is_active and membership.role in INTAKE_ROLES


def may_export_rows(membership: Membership) -> bool:
    return membership.is_active and membership.role in ROW_EXPORT_ROLES


def may_export_aggregates(membership: Membership) -> bool:
    return membership.is_active and membership.role in AGGREGATE_EXPORT_ROLES


def export_recorded(actor: User, membership: Membership, kind: str, tier: Tier, reason: str) -> None:
    """An export on the audit record (`exchange.<kind>_export`), with what the software counted."""
    exchange_recorded(actor, membership, f"{kind}_export", tier, f"{kind} {reason}")


def exchange_recorded(actor: User, membership: Membership, what: str, tier: Tier, reason: str) -> None:
    """An import or export on the audit record (`exchange.<what>`), with counts only (never a value)."""
    audit_record(
        actor=actor,
        membership=membership,
        action=f"exchange.{what}",
        tier=tier,
        object_type="import" if what.endswith("import") else "export",
        reason=reason,
    )
