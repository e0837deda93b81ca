"""What every identification API view shares: the acting membership and the refusals it documents."""

from __future__ import annotations

from palermo.core import api_errors

NOT_FOUND = api_errors.error_response(
    "No such case or record, not visible to the caller, or not allowed (the same answer)."
)
BAD_REQUEST = api_errors.BAD_REQUEST
CONFLICT = api_errors.error_response("Stale expected_version: `current` holds the record as it is now.")
MAX_ID = 2**31 - 1
