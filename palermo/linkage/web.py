"""What the linkage area's page and API share: who may use them and the error responses they declare."""

from __future__ import annotations

from palermo.cases.web import API_ROLES, CASE_ROLES

SEARCH_ROLES = tuple(CASE_ROLES)
SEARCH_API_ROLES = API_ROLES
