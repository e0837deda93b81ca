"""Agencies whose name is a proxy for a higher tier (decision 0020): naming the agency that runs a safe house
says where a person is (location, T3); naming a health service says that the person receives care (health,
T4). Fields that name such an agency on a case (a consent's recipient) declare it with
`tiered(by_row=...)` and read at that tier, row by row.

The agency's type says it (a shelter, a health service), and areas add what they know through
`agency_tier_rules` (the directory: an agency offering safe accommodation, or medical or psycho-social care).
Tiers are categories, not a ladder: an agency that is both reads at location, the more dangerous to leak.
"""

from __future__ import annotations

from collections.abc import Callable

from palermo.accounts.roles import AgencyType
from palermo.core.registry import Registry

LOCATION, HEALTH, METADATA = 3, 4, 1

AGENCY_TYPE_TIERS: dict[str, int] = {AgencyType.SHELTER: LOCATION, AgencyType.HEALTH: HEALTH}

# Functions (agency id) -> tier it is a proxy for, or None; registered from the areas' AppConfig.ready().
agency_tier_rules: Registry[Callable[[int], int | None]] = Registry()


def agency_proxy_tier(agency_id: int | None, agency_type: str = "") -> int:
    """The tier of naming this agency on a case: T3 for a provider of safe accommodation, T4 for a health
    service, T1 for any other (and for no agency)."""
    if agency_id is None:
        return METADATA
    found = {AGENCY_TYPE_TIERS.get(agency_type, METADATA)}
    found.update(tier for rule in agency_tier_rules if (tier := rule(agency_id)) is not None)
    if LOCATION in found:
        return LOCATION
    return HEALTH if HEALTH in found else METADATA
