"""How the doors (pages and API) call a service: `service(actor=, membership=, <record>=, **values)`, the
record being what the service acts on (a case, or one record of it) under the service's own keyword for it."""

from __future__ import annotations

import inspect
from typing import Any

WHO = ("actor", "membership")


def record_keyword(service: Any) -> str:
    """The keyword a service takes the record it acts on by: its first after the actor and the membership."""
    return next(name for name in inspect.signature(service).parameters if name not in WHO)


def call_service(service: Any, *, actor: Any, membership: Any, record: Any, values: dict[str, Any]) -> Any:
    """The service called by the acting user on `record` with the values given."""
    return service(actor=actor, membership=membership, **{record_keyword(service): record}, **values)
