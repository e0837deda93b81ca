"""Who may use the non-removal look-up: its page and its API declare the same."""

from __future__ import annotations

from palermo.accounts.roles import Role

LOOKUP_ROLES = (Role.MIGRATION_OFFICER,)
