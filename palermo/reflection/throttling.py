"""A limit on the non-removal look-up, per client system and per signed-in user.

Each answer tells whether some person is protected: asked fast and often, the look-up would let a client
(or a stolen token) test many numbers or names. Real use is one question per person met at a border or in a
check, so a modest rate leaves ordinary work untouched and makes enumeration slow and visible in the audit
log.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from palermo.reflection.models import LookupClient

# 30 a minute: a border post asking about each person it meets stays well below it; a script trying numbers
# does not. Kept here rather than in settings: it is part of what this endpoint promises, reviewed with it.
LOOKUP_RATE = "30/minute"


class LookupThrottle(SimpleRateThrottle):
    """Counts look-ups per client system (by its record, not its token) or per signed-in user."""

    scope = "reflection_lookup"
    rate = LOOKUP_RATE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, LookupClient):
            ident = f"client-{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused before this by authentication and permissions
        return self.cache_format % {"scope": self.scope, "ident": ident}
