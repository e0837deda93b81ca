"""What the returns pages and API share: who works the inbox of received packages, and who registers
partner keys."""

from __future__ import annotations

from palermo.accounts.roles import Role
from palermo.cases.services.intake import INTAKE_ROLES

INBOX_ROLES = tuple(sorted(INTAKE_ROLES))
KEY_ROLES = (Role.SYSTEM_ADMINISTRATOR,)
