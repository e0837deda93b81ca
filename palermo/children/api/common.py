"""What the children API views share: the refusals documented, and two view shapes (the records of one
kind on a case, listed and added; an action on one record of the case), each declared by its docstring."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.request import Request

from palermo.cases.child import case_is_child
from palermo.cases.endpoints import CaseAction, CaseRecordAction, CaseRecords
from palermo.cases.models import Case
from palermo.cases.web import visible_case
from palermo.children.selectors import records_shown
from palermo.core import api_errors
from palermo.core.api_declared import DocumentedByDocstring, OnItsRecord
from palermo.core.api_errors import BAD_REQUEST
from palermo.core.api_refusals import CASE_RECORD_NOT_FOUND as NOT_FOUND

BLOCKED = api_errors.error_response(
    "Held back (`blocked`): on a child's case this decision waits for a best-interest determination; or "
    "(`stale`) the record was changed since the version stated, `current` holding it as it is now."
)
WRITE_RESPONSES = {400: BAD_REQUEST, 404: NOT_FOUND, 409: BLOCKED}
LISTED = "Only a child's case has them; narrative fields are null below T4 (read audited)."


def child_case(request: Request, reference: str) -> tuple[Case, frozenset[int]]:
    """The case (404 when not visible) if it is a child's (404 for an adult's: nothing of this area there)."""
    case, tiers = visible_case(request, reference)
    if not case_is_child(case):
        raise Http404
    return case, tiers


class ChildCaseAction(CaseAction):
    # A write on a child's case (404 for an adult's), documented with the children API's refusals.
    refusals = WRITE_RESPONSES

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        return child_case(request, reference)


class RecordsView(DocumentedByDocstring, ChildCaseAction, CaseRecords):
    # GET: a child's case's records of one kind. POST: record one through the area's service (see
    # palermo.cases.endpoints.CaseRecords). The docstring: the list's title, then what adding one does.

    heading = "title"
    listed = LISTED

    def shown(self, case: Case, membership: Any, tiers: frozenset[int], records: list[Any]) -> list[Any]:
        return records_shown(case, membership, tiers, records)


class RecordActionView(DocumentedByDocstring, OnItsRecord, ChildCaseAction, CaseRecordAction):
    # POST: an action on one record of a child's case (end, result, review, return, follow-up). The
    # docstring: its summary, then its description.
    pass
