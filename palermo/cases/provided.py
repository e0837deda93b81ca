"""A service given to the person on a case (a stay in safe accommodation begun, a referral completed), for the
areas that track what the person is entitled to: the reflection period's entitlements are marked provided.

The area that records the service (assistance) calls `service_provided(...)` inside its transaction; the areas
that care register a handler (from their AppConfig.ready()). Assistance and reflection sit side by side and
import neither the other (docs/decisions/0011), so the case record carries the news between them. Each handler
runs in a savepoint under its own access check: one the acting membership does not pass leaves that record for
the case team to make, and the service stands. A plain registry of functions, not Django signals.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.core.registry import Registry


@dataclass(frozen=True)
class ServiceProvided:
    case: Case
    # What was given, as the service directory names it ("safe_accommodation", "legal_information"...).
    kind: str
    actor: User
    membership: Membership
    when: datetime.date | datetime.datetime | None = None


ProvidedHandler = Callable[[ServiceProvided], object]
_handlers: Registry[ProvidedHandler] = Registry()
on_service_provided = _handlers.add
remove_provided_handler = _handlers.remove


def service_provided(event: ServiceProvided) -> None:
    """Tell every registered area, each in a savepoint: a handler the policy refuses is undone alone."""
    for handler in _handlers:
        try:
            with transaction.atomic():
                handler(event)
        except PermissionDenied:
            continue
