"""Who may open assistance's screens that are not a case's section: the pages and the API declare the same."""

from __future__ import annotations

from palermo.accounts.roles import Role
from palermo.cases.web import CASE_ROLES

DIRECTORY_ROLES = (*CASE_ROLES, Role.SYSTEM_ADMINISTRATOR)
PROVIDER_VIEW_ROLES = (Role.SERVICE_PROVIDER,)
QUALITY_ROLES = (Role.RAPPORTEUR, Role.CASE_MANAGER)
