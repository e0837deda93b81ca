"""Refusals documented alike by the areas' API endpoints on a case's records."""

from __future__ import annotations

from palermo.core import api_errors

# A write on a case or one of its records that the caller may not see or may not make: one answer for both.
CASE_RECORD_NOT_FOUND = api_errors.error_response(
    "No such case or record, not visible to the caller, or the caller may not record this (the same answer)."
)
