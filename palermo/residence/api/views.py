"""Residence in the API: a case's applications (with decisions, appeals, permits and the humanitarian
assessment), lodging and correcting an application, deciding it, appealing a refusal, withdrawing, assessing
humanitarian grounds, the permits, and the legal-status picture as rows; the same services as the screens.

A decision's reasons only for callers allowed T2, T4 texts (grounds of appeal, the child's views, the
assessment's findings) only for callers allowed T4 (null otherwise; those reads recorded), save the child's
views of a decision the caller recorded, the country of resettlement only with T3. Every change of an
application states the version read: a stale one answers 409 with it as it is.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from palermo.accounts.active import acting
from palermo.cases.endpoints import CaseAction, CaseRead, Reading
from palermo.cases.models import Case
from palermo.core import api_errors
from palermo.core.api_errors import BAD_REQUEST
from palermo.core.decisions import CHILD_VIEWS_FIELDS
from palermo.core.service_inputs import input_of
from palermo.residence.api.serializers import (
    HumanitarianAssessmentInputSerializer,
    LegalStatusRowSerializer,
    ResidenceAppealInputSerializer,
    ResidenceApplicationSerializer,
    ResidenceCorrectSerializer,
    ResidenceDecideSerializer,
    ResidenceLodgeSerializer,
    ResidencePermitSerializer,
    ResidenceWithdrawSerializer,
)
from palermo.residence.chart import table_rows
from palermo.residence.legal_status import legal_status_chart
from palermo.residence.selectors import (
    application_of,
    applications_in_brief,
    applications_of,
    applications_shown,
    child_views_shown,
    permits_in_brief,
    permits_of,
    renewable_permits,
)
from palermo.residence.services.applications import (
    ApplicationInput,
    application_correct,
    application_lodge,
    application_withdraw,
)
from palermo.residence.services.decisions import DecisionInput, appeal_lodge, decision_record
from palermo.residence.services.humanitarian import CRITERIA, assessment_save

NOT_FOUND = api_errors.error_response(
    "No such case or application, not visible to the caller, or the caller may not make this change."
)
CHANGE_REFUSALS = {
    400: BAD_REQUEST,
    404: NOT_FOUND,
    409: api_errors.error_response("Stale version: `current` holds the application as it is now."),
}


def _applications_data(request: Request, case: Case, tiers: frozenset[int], pk: int | None = None) -> Any:
    """The case's applications (or one) as the caller may see them; showing T2 or T4 text is recorded."""
    applications = applications_of(case, pk)
    _user, membership = acting(request)
    applications_shown(case, membership, tiers, applications)
    context = {"tiers": tiers, "child_views": child_views_shown(applications, membership, tiers)}
    serializer = ResidenceApplicationSerializer(applications, many=True, context=context)
    return serializer.data if pk is None else serializer.data[0]


class ApplicationChange(CaseAction):
    # A change of one application of the case: the answer is the application as the caller may see it,
    # whatever the declared `service` returns (a decision, an appeal).
    output = ResidenceApplicationSerializer
    refusals = CHANGE_REFUSALS
    acts_on = "application"

    def target(self, case: Case, **ids: Any) -> Any:
        return application_of(case, ids["pk"]) if "pk" in ids else case

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        super().perform(user, membership, target, self.arguments(target, data))
        return target

    def arguments(self, target: Any, data: dict[str, Any]) -> dict[str, Any]:
        """The declared `service`'s arguments beside the actor and the application: by default the body."""
        return data

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return _applications_data(self.request, case, tiers, record.pk)


class ApplicationList(ApplicationChange):
    summary = "Record an application lodged with an authority"
    description = (
        "Temporary or permanent residence (with its route), renewal of a permit, asylum, humanitarian "
        "grounds or resettlement. Asylum and permit applications may run at the same time."
    )
    input = ResidenceLodgeSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    created = True

    reading = Reading(
        "The case's residence and asylum applications",
        ResidenceApplicationSerializer(many=True),
        "Each with its decisions, appeals, the permit granted and the humanitarian assessment.",
    )

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return _applications_data(self.request, case, tiers)

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        permits = {permit.pk: permit for permit in renewable_permits(target)}
        renews = permits.get(data.get("renews") or 0)
        return application_lodge(
            actor=user,
            membership=membership,
            case=target,
            data=input_of(ApplicationInput, data, renews=renews),
        )


class ApplicationDetail(ApplicationChange):
    method = "patch"
    summary = "Correct a pending application"
    description = "Its authority and the day it was lodged; the decision deadline moves with the day."
    input = ResidenceCorrectSerializer
    service = application_correct

    reading = Reading("One application", ResidenceApplicationSerializer)

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        application_of(case, ids["pk"])
        return _applications_data(self.request, case, tiers, ids["pk"])


class ApplicationDecision(ApplicationChange):
    summary = "Record the decision on the application or its appeal"
    description = (
        "Granted or refused, with reasons (T2: the legal basis, which the migration officer on the team "
        "records) and, for a refusal, its ground. A grant of a permit kind "
        "gives a permit at least as long as the rulebook's minimum. Where the rulebook says status may "
        "not depend on cooperation, a refusal on that ground is refused (400). On a child's case the "
        "child's views, or why the child was not heard, are required (400 without): whoever decides "
        "states them, the migration officer included; they are stored at T4 and read back by their "
        "author and by callers allowed T4 only."
    )
    input = ResidenceDecideSerializer
    service = decision_record

    def arguments(self, target: Any, data: dict[str, Any]) -> dict[str, Any]:
        child_views = {
            name: data.get(name) if name == "child_age_when_heard" else data.get(name, "")
            for name in CHILD_VIEWS_FIELDS
            if target.case.is_child
        }
        decision = input_of(DecisionInput, data, child_views=child_views)
        return {"data": decision, "expected_version": data["expected_version"]}


class ApplicationAppeal(ApplicationChange):
    summary = "Appeal a refused application"
    description = "Its decision is due after the rulebook's appeal period. Grounds are T4."
    input = ResidenceAppealInputSerializer
    service = appeal_lodge


class ApplicationWithdraw(ApplicationChange):
    summary = "Withdraw an application"
    input = ResidenceWithdrawSerializer
    service = application_withdraw


class ApplicationAssessment(ApplicationChange):
    method = "put"
    summary = "Assess the humanitarian grounds of an application"
    description = "One finding per criterion of the position paper, and notes (all T4)."
    input = HumanitarianAssessmentInputSerializer
    service = assessment_save

    def arguments(self, target: Any, data: dict[str, Any]) -> dict[str, Any]:
        findings = {name: data[name] for name in CRITERIA}
        return {
            "findings": findings,
            "notes": data.get("notes", ""),
            "expected_version": data.get("expected_version"),
        }


class PermitList(CaseRead):
    reading = Reading(
        "The case's residence permits",
        ResidencePermitSerializer(many=True),
        "With validity, rights to work and study, and the permit that renewed each.",
    )
    refusals = {404: NOT_FOUND}

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return ResidencePermitSerializer(permits_of(case), many=True).data


class StatusTimeline(CaseRead):
    reading = Reading(
        "The person's legal status over time",
        LegalStatusRowSerializer(many=True),
        "The rows of the case page's picture: reflection period, applications, asylum, permits and "
        "decisions.",
    )
    refusals = {404: NOT_FOUND}

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        chart = legal_status_chart(
            case, applications_in_brief(case), permits_in_brief(case), acting(self.request).membership
        )
        rows = [
            {
                "lane": str(row.lane),
                "what": str(row.label),
                "start": row.start,
                "end": row.end,
                "status": str(row.status),
            }
            for row in table_rows(chart)
        ]
        return LegalStatusRowSerializer(rows, many=True).data
