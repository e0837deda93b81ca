"""What access's pages and API share (neither imports the other)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from palermo.accounts.roles import CASE_WORKERS

# Roles that work on cases: they see a case's team when they see the case.
TEAM_ROLES = tuple(sorted(CASE_WORKERS))
# The one answer for a reference that opens nothing, whether the case is missing or not for this user.
NOT_AVAILABLE = gettext_lazy("No case with that reference is available to you.")
