"""Declared writes of the API outside a case (palermo.core.api_actions) by the acting member: the service is
called as the signed-in user and the membership they act through (palermo.accounts.active)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from palermo.accounts.active import acting
from palermo.core.api_actions import DeclaredAction


# No docstring: drf-spectacular would show it as the description of every endpoint without one.
class ActingAction(DeclaredAction):
    def acting_as(self, request: Request) -> dict[str, Any]:
        user, membership = acting(request)
        return {"actor": user, "membership": membership}
