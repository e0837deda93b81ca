"""Protection in proceedings in the API: every record of the area of one case, read and written through the
same selectors and services as the pages. Every endpoint starts from `justice_case`: a caller whose duty does
not open the part is answered 404, as for a case it may not see (a residence decider on every endpoint);
answers are read at the caller's tiers and duty (null otherwise), and showing T2-T4 values is a recorded read.
Every change of an editable record states the version read: a stale one answers 409 with it as it is now."""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from palermo.access.matrix import JusticePart
from palermo.access.serializers import TieredFieldsMixin
from palermo.cases.endpoints import CaseAction, CasePagination, CaseRecordAction, Reading
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, BAD_REQUEST
from palermo.core import api_errors
from palermo.justice.api import serializers as s
from palermo.justice.letter import letter_response
from palermo.justice.models import (
    CompensationClaim,
    Detention,
    Offence,
    ProtectionMeasure,
)
from palermo.justice.selectors import (
    JusticeView,
    choices_of,
    claims_of,
    detentions_of,
    hearing_measure_on,
    hearing_on,
    justice_case,
    letter_request,
    offences_of,
    parties_of,
    party_in,
    proceeding_id_of,
    proceeding_numbered,
    protection_measures_of,
    record_on,
    request_of,
    risk_assessments_of,
    shown,
)
from palermo.justice.services import person, proceedings, risk

NOT_FOUND = api_errors.error_response(
    "No such case or record, not visible to the caller, or the caller's duty does not open this part of the "
    "proceedings area (the same answer)."
)
REFUSALS = {400: BAD_REQUEST, 404: NOT_FOUND}
CHANGE_REFUSALS = {
    **REFUSALS,
    409: api_errors.error_response("Stale version: `current` holds the record as it is now."),
}
P = JusticePart


class JusticeAction(CaseAction):
    # One write (and its read) of one part of the area: `part` is the duty it needs; the answer is read
    # through the caller's tiers and duty. `answers` says what is shown after the change.
    # A list is answered a page at a time (the kernel's paging), and only the page shown is a recorded read.
    part: ClassVar[JusticePart]
    refusals = REFUSALS
    view: JusticeView
    pagination_class = CasePagination
    records: Any

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        self.view = justice_case(request, reference, self.part)
        return self.view.case, self.view.tiers

    def context(self) -> dict[str, Any]:
        return {"tiers": self.view.tiers, "parts": self.view.parts}

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        service = type(self).service
        wants_case = "case" in inspect.signature(service).parameters and self.acts_on != "case"
        extra = {"case": self.view.case} if wants_case else {}
        return service(actor=user, membership=membership, **{self.acts_on: target}, **extra, **data)

    def shown_records(self, records: list[Any], serializer: Any) -> None:
        tiers = [t for t in TieredFieldsMixin.field_tiers(serializer).values() if t in self.view.tiers]
        if tiers:
            shown(self.view, records, max(tiers), f"justice_{records[0]._meta.model_name}" if records else "")

    def serialize(self, records: Any, many: bool = False) -> Any:
        if many:
            records = self.page_of(records)
        serializer = self.output(records, many=many, context=self.context())
        items = list(records) if many else [records]
        self.shown_records(items, self.output(context=self.context()))
        return serializer.data

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        """The case's records of the part, a page at a time (`records`: case -> its records, in order)."""
        return self.serialize(type(self).records(case), many=True)

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return self.serialize(self.answered(record))

    def answered(self, result: Any) -> Any:
        """The record the answer shows after the change (by default what the service returned)."""
        return result


# --- risk and protection plan ---


class RiskAssessments(JusticeAction):
    part = P.RISK
    summary = "Record an individual risk assessment"
    description = "Each risk rated with reasons and sources (T3); due for review at the rulebook's period."
    input = s.RiskInput
    output = s.RiskAssessmentSerializer
    created = True
    service = risk.risk_assessment_record
    records = staticmethod(risk_assessments_of)
    reading = Reading("The case's risk assessments, newest first", s.RiskAssessmentSerializer(many=True))


class ProtectionMeasures(JusticeAction):
    part = P.RISK
    summary = "Add a measure to the protection plan"
    input = s.MeasureInput
    output = s.ProtectionMeasureSerializer
    created = True
    service = risk.protection_measure_add
    records = staticmethod(protection_measures_of)
    reading = Reading("The case's protection plan", s.ProtectionMeasureSerializer(many=True))


class ProtectionMeasureUpdate(JusticeAction, CaseRecordAction):
    model = ProtectionMeasure
    part = P.RISK
    summary = "Put a protection measure in place or end it"
    input = s.MeasureUpdateInput
    output = s.ProtectionMeasureSerializer
    refusals = CHANGE_REFUSALS
    service = risk.protection_measure_update
    acts_on = "measure"


# --- proceedings ---


class PartyAnswer(JusticeAction):
    # A change whose answer is this case's part in the proceedings it concerns.
    part = P.PROCEEDINGS
    output = s.PartySerializer

    def answered(self, result: Any) -> Any:
        return party_in(self.view.case, proceeding_id_of(result))


class Proceedings(PartyAnswer):
    summary = "Record proceedings the person takes part in"
    description = "Criminal proceedings, or a civil or labour claim, with the person's role in them."
    input = s.ProceedingInput
    created = True
    service = proceedings.proceeding_open
    records = staticmethod(parties_of)
    reading = Reading(
        "The proceedings the person takes part in",
        s.PartySerializer(many=True),
        "This case's part in each: never another case's person, role or statements.",
    )


class ProceedingJoin(PartyAnswer):
    summary = "Add the person to proceedings recorded on another case"
    description = "Only for a caller who works on the proceedings through another case taking part."
    input = s.JoinInput
    created = True

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        found = proceeding_numbered(data.pop("proceeding"))
        if found is None:
            raise Http404
        return proceedings.proceeding_join(
            actor=user, membership=membership, case=target, proceeding=found, **data
        )


class ProceedingDetail(PartyAnswer):
    refusals = REFUSALS
    reading = Reading("This case's part in the proceedings", s.PartySerializer)

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return self.serialize(party_in(case, ids["pk"]))


class ProceedingStage(PartyAnswer):
    summary = "Change the stage, outcome, sentence or charges"
    input = s.ProceedingUpdateInput
    refusals = CHANGE_REFUSALS
    service = proceedings.proceeding_update
    acts_on = "proceeding"

    def target(self, case: Case, **ids: Any) -> Any:
        return party_in(case, ids["pk"]).proceeding


class PartyUpdate(PartyAnswer):
    summary = "Change the person's role or identity non-disclosure"
    input = s.PartyUpdateInput
    refusals = CHANGE_REFUSALS
    service = proceedings.party_update
    acts_on = "party"

    def target(self, case: Case, **ids: Any) -> Any:
        return party_in(case, ids["pk"])


class OnProceeding(PartyAnswer):
    acts_on = "proceeding"

    def target(self, case: Case, **ids: Any) -> Any:
        return party_in(case, ids["pk"]).proceeding


class Hearings(OnProceeding):
    summary = "Schedule a hearing"
    description = "Every case taking part is called to it, with its deadlines."
    input = s.HearingInput
    created = True
    service = proceedings.hearing_schedule


class Statements(OnProceeding):
    summary = "Record a statement in the log"
    description = "One more interview or testimony (or a recorded testimony reused)."
    input = s.StatementInput
    created = True
    service = proceedings.statement_record


class HearingHeld(PartyAnswer):
    summary = "The hearing took place"
    description = "Its deadlines are done and each person's risk assessment is due for review at once."
    input = s.VersionInput
    refusals = CHANGE_REFUSALS
    service = proceedings.hearing_held
    acts_on = "hearing"

    def target(self, case: Case, **ids: Any) -> Any:
        return hearing_on(case, ids["pk"])


class HearingMeasureAsk(PartyAnswer):
    summary = "Ask for a protective measure at a hearing"
    input = s.AskInput
    created = True
    service = proceedings.hearing_measure_request
    acts_on = "hearing"

    def target(self, case: Case, **ids: Any) -> Any:
        return hearing_on(case, ids["pk"])


class HearingMeasureDecide(PartyAnswer):
    summary = "Record the court's decision on a protective measure"
    description = "Granted or refused; after the hearing, whether a granted measure was honoured."
    input = s.DecideInput
    refusals = CHANGE_REFUSALS
    service = proceedings.hearing_measure_decide
    acts_on = "measure"

    def target(self, case: Case, **ids: Any) -> Any:
        return hearing_measure_on(case, ids["pk"])


# --- the person's side ---


class Choices(JusticeAction):
    part = P.CHOICES
    summary = "Record the person's informed choices"
    description = "In the person's language, with the day. No residence decider reads them."
    input = s.ChoicesInput
    output = s.ChoiceSerializer
    created = True
    service = person.choices_record
    records = staticmethod(choices_of)
    reading = Reading("The person's informed choices, newest first", s.ChoiceSerializer(many=True))


class Claims(JusticeAction):
    part = P.COMPENSATION
    summary = "Record a compensation claim"
    input = s.ClaimInput
    output = s.ClaimSerializer
    created = True
    service = person.claim_record
    records = staticmethod(claims_of)
    reading = Reading(
        "The case's compensation claims", s.ClaimSerializer(many=True), "Claimed, awarded, paid and unpaid."
    )


class OnClaim(JusticeAction, CaseRecordAction):
    model = CompensationClaim
    part = P.COMPENSATION
    output = s.ClaimSerializer
    refusals = CHANGE_REFUSALS
    acts_on = "claim"


class ClaimAward(OnClaim):
    summary = "Record what was awarded"
    input = s.AwardInput
    service = person.claim_award


class ClaimPayment(OnClaim):
    summary = "Record a payment received on an award"
    input = s.PaymentInput
    created = True
    service = person.claim_payment

    def answered(self, result: Any) -> Any:
        return record_on(CompensationClaim, self.view.case, result.claim_id)


class Offences(JusticeAction):
    part = P.NON_PUNISHMENT
    summary = "Record an offence the person is suspected, accused or convicted of"
    input = s.OffenceInput
    output = s.OffenceSerializer
    created = True
    service = person.offence_record
    records = staticmethod(offences_of)
    reading = Reading("Offences and the requests not to prosecute or punish", s.OffenceSerializer(many=True))


class NonPunishmentRequests(JusticeAction, CaseRecordAction):
    model = Offence
    part = P.NON_PUNISHMENT
    summary = "Ask the prosecutor not to prosecute or punish the person"
    description = "Cites the rulebook's legal basis; the letter is at .../requests/{id}/letter/ (PDF)."
    input = s.RequestInput
    output = s.RequestSerializer
    created = True
    service = person.non_punishment_request
    acts_on = "offence"


class NonPunishmentOutcome(JusticeAction):
    part = P.NON_PUNISHMENT
    summary = "Record the prosecutor's answer"
    input = s.OutcomeInput
    output = s.RequestSerializer
    refusals = CHANGE_REFUSALS
    service = person.non_punishment_outcome
    acts_on = "request"

    def target(self, case: Case, **ids: Any) -> Any:
        return request_of(case, ids["pk"])


class Detentions(JusticeAction):
    part = P.NON_PUNISHMENT
    summary = "Record immigration detention"
    input = s.DetentionInput
    output = s.DetentionSerializer
    created = True
    service = person.detention_record
    records = staticmethod(detentions_of)
    reading = Reading("Immigration detention of the person", s.DetentionSerializer(many=True))


class DetentionRelease(JusticeAction, CaseRecordAction):
    model = Detention
    part = P.NON_PUNISHMENT
    summary = "Record the release from detention"
    input = s.ReleaseInput
    output = s.DetentionSerializer
    refusals = CHANGE_REFUSALS
    service = person.detention_end
    acts_on = "detention"


class NonPunishmentLetter(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The letter to the prosecutor (PDF)",
        description="In the prosecutor's language; a pseudonym, never the real name, under identity "
        "non-disclosure. Needs identity (T2) on the case.",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str, pk: int) -> HttpResponse:
        return letter_response(letter_request(justice_case(request, reference, P.NON_PUNISHMENT), pk))
