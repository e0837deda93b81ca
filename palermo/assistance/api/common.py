"""What every assistance API view shares: the refusals it documents."""

from __future__ import annotations

from palermo.core.api_errors import BAD_REQUEST, error_response

# Refusals in the one error shape (palermo.core.api_errors): services' refusals propagate to the handler.
NOT_FOUND = error_response(
    "No such record, not visible to the caller, or not allowed on it (the same answer)."
)
CONFLICT = error_response("Stale version: `current` holds the record as it is now; nothing changed.")
REFUSALS = {400: BAD_REQUEST, 404: NOT_FOUND}
# A change of a record that states the version read.
VERSIONED_REFUSALS = {409: CONFLICT, **REFUSALS}
