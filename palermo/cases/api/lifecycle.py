"""Lifecycle in the API: apply a transition, set the forms of exploitation, or hand the lead to another
agency, stating the version read.

A stale version answers 409 with the case as it is now; an illegal transition or a missing reason answers
400 with the reason; a transition the caller's role may not apply answers 404 (palermo.core.api_errors).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from palermo.access.closure import OnClosedCase
from palermo.accounts.models import Agency
from palermo.cases.api.cases import (
    BAD_REQUEST,
    NOT_FOUND,
    CaseDetailSerializer,
    CaseSerializer,
    case_detail_data,
)
from palermo.cases.endpoints import CaseAction
from palermo.cases.exploitation import exploitation_choices
from palermo.cases.lifecycle import TRANSITIONS
from palermo.cases.models import Case
from palermo.cases.reference import ClosureReason, ExploitationForm
from palermo.cases.services.lead import REASON_MAX, case_lead_transfer
from palermo.cases.services.lifecycle import MAX_REASON, case_exploitation_set, case_transition
from palermo.core import api_errors
from palermo.core.api_fields import version


class TransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(TRANSITIONS), source="name")
    expected_version = version()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_REASON)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True, default=""
    )


class ExploitationSerializer(serializers.Serializer):
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices), max_length=20
    )
    expected_version = version()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The forms the active rulebook recognises, and those already on the case (they may be kept).
        case = self.context.get("case")
        recorded = list(case.exploitation_forms.values_list("form", flat=True)) if case is not None else []
        self.fields["forms"].child.choices = exploitation_choices(keep=recorded)  # type: ignore[attr-defined]


def _shown(current: Case) -> dict:
    return CaseSerializer(current).data  # type: ignore[return-value]


CONFLICT_RESPONSES = {
    400: BAD_REQUEST,
    404: NOT_FOUND,
    409: api_errors.error_response("Stale version: `current` holds the case as it is now."),
}


class CaseChange(CaseAction):
    # A change to the case record itself: it answers the case as the caller sees it, and a 409 the case now.
    output = CaseDetailSerializer
    refusals = CONFLICT_RESPONSES

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return case_detail_data(self.request, record, tiers)

    def current(self, case: Case, tiers: frozenset[int], row: Any, **ids: Any) -> Any:
        return _shown(row)


class CaseTransition(CaseChange):
    palermo_on_closed_case = OnClosedCase.REOPEN  # the only transition from closed (the lifecycle table)
    summary = "Apply a lifecycle transition"
    description = (
        "Move the case to another phase, close it (with a closure reason and a reason) or re-open it "
        "(with a reason), stating the version of the case that was read."
    )
    input = TransitionSerializer
    service = case_transition


class LeadTransferSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), help_text="The agency that will lead the case."
    )
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why; kept with the case, encrypted.")
    expected_version = version()


class CaseLeadTransfer(CaseChange):
    summary = "Hand the lead to another agency"
    description = (
        "Hand the case's lead to another active agency, with a reason, stating the version of the case that "
        "was read. Only a member of the lead agency who manages the case team may (its case manager; the "
        "identification authority; the first responder on a case they opened): anyone else gets 404. The "
        "new lead joins the team when not on it, is told by email, and the change is on the case's timeline "
        "and audit record."
    )
    input = LeadTransferSerializer
    service = case_lead_transfer


class CaseExploitation(CaseChange):
    method = "put"
    summary = "Set the forms of exploitation"
    description = "Replace the case's forms of exploitation (HTCDS values), stating the version read."
    input = ExploitationSerializer
    service = case_exploitation_set
