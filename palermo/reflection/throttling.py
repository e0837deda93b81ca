"""A limit on the non-removal look-up, per client system and per signed-in user.

Each answer tells whether some person is protected: asked fast and often, the look-up would let a client
(or a stolen token) test many numbers or names. Real use is one question per person met at a border or in a
check, so a modest rate leaves ordinary work untouched and makes enumeration slow and visible in the audit
log. The count is the one limiter of every identity-matching door (palermo.access.limits, door "lookup"),
shared by the look-up screen and the API and by every worker process.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from palermo.access import limits

# 30 a minute: a border post asking about each person it meets stays well below it; a script trying numbers
# does not. Kept with the other doors' rates (palermo.access.limits.DOORS), reviewed with this endpoint.
LOOKUP_RATE = limits.DOORS["lookup"][0]


class LookupThrottle(BaseThrottle):
    """Counts look-ups per client system (by its record, not its token) or per signed-in user."""

    def allow_request(self, request: Request, view: Any) -> bool:
        limits.check(request, door="lookup")  # past the rate: RateLimited, 429 with Retry-After
        return True
