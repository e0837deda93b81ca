"""Protection in proceedings in the API: every record of the area of one case, read and written through the
same selectors and services as the pages. Every endpoint starts from `justice_case`: a caller whose duty does
not open the part is answered 404, as for a case it may not see (a residence decider on every endpoint);
answers are read at the caller's tiers and duty (null otherwise), and showing T2-T4 values is a recorded read.
Every change of an editable record states the version read: a stale one answers 409 with it as it is now."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from palermo.access.matrix import JusticePart
from palermo.access.serializers import TieredFieldsMixin
from palermo.cases.endpoints import CaseAction, CasePagination, Reading
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, BAD_REQUEST
from palermo.core import api_errors
from palermo.justice import actions as A
from palermo.justice.actions import Act
from palermo.justice.api import serializers as s
from palermo.justice.letter import letter_response
from palermo.justice.models import (
    CompensationClaim,
)
from palermo.justice.selectors import (
    JusticeView,
    choices_of,
    claims_of,
    detentions_of,
    justice_case,
    letter_request,
    offences_of,
    parties_of,
    party_in,
    proceeding_id_of,
    proceeding_numbered,
    protection_measures_of,
    record_on,
    risk_assessments_of,
    shown,
)

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
    # One write (and its read) of one part of the area: `act` is the write as both doors declare it (the part
    # whose duty it needs, its service, what it acts on); the answer is read through the caller's tiers and
    # duty: what `answered` says is shown after the change, this case's part in the proceedings for a write
    # on proceedings. An endpoint that lists the part's records declares `records` (case -> its records, in
    # order) and `listed`, the list's summary (and `listed_more`, its description); a list is answered a page
    # at a time (the kernel's paging), and only the page shown is a recorded read. A change that states the
    # version it read documents the 409 of a stale one.
    act: ClassVar[Act]
    part: ClassVar[JusticePart]
    refusals = REFUSALS
    view: JusticeView
    pagination_class = CasePagination
    records: Any
    listed: ClassVar[str]
    listed_more: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "act" in cls.__dict__:
            cls.part, cls.acts_on = cls.act.part, cls.act.acts_on
            if cls.input is not None and "version" in cls.input._declared_fields:
                cls.refusals = CHANGE_REFUSALS
        if "listed" in cls.__dict__:
            cls.reading = Reading(cls.listed, cls.output(many=True), cls.listed_more)
        super().__init_subclass__(**kwargs)

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        self.view = justice_case(request, reference, self.part)
        return self.view.case, self.view.tiers

    def context(self) -> dict[str, Any]:
        return {"tiers": self.view.tiers, "parts": self.view.parts}

    def target(self, case: Case, **ids: Any) -> Any:
        return case if self.act.find is None else self.act.find(case, ids["pk"])

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        case = self.view.case
        return self.act.run(actor=user, membership=membership, case=case, target=target, values=data)

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
        """The case's records of the part, a page at a time."""
        return self.serialize(type(self).records(case), many=True)

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return self.serialize(self.answered(record))

    def answered(self, result: Any) -> Any:
        """The record the answer shows after the change (by default what the service returned)."""
        if self.part is P.PROCEEDINGS:
            return party_in(self.view.case, proceeding_id_of(result))
        return result


# --- risk and protection plan ---


class RiskAssessments(JusticeAction):
    act = A.RISK
    summary = "Record an individual risk assessment"
    description = "Each risk rated with reasons and sources (T3); due for review at the rulebook's period."
    input = s.RiskInput
    output = s.RiskAssessmentSerializer
    created = True
    records = staticmethod(risk_assessments_of)
    listed = "The case's risk assessments, newest first"


class ProtectionMeasures(JusticeAction):
    act = A.PLAN
    summary = "Add a measure to the protection plan"
    input = s.MeasureInput
    output = s.ProtectionMeasureSerializer
    created = True
    records = staticmethod(protection_measures_of)
    listed = "The case's protection plan"


class ProtectionMeasureUpdate(JusticeAction):
    act = A.PLAN_STATUS
    summary = "Put a protection measure in place or end it"
    input = s.MeasureUpdateInput
    output = s.ProtectionMeasureSerializer


# --- proceedings: each change answers this case's part in the proceedings ---


class Proceedings(JusticeAction):
    act = A.PROCEEDING
    summary = "Record proceedings the person takes part in"
    description = "Criminal proceedings, or a civil or labour claim, with the person's role in them."
    input = s.ProceedingInput
    output = s.PartySerializer
    created = True
    records = staticmethod(parties_of)
    listed = "The proceedings the person takes part in"
    listed_more = "This case's part in each: never another case's person, role or statements."


class ProceedingJoin(JusticeAction):
    act = A.JOIN
    summary = "Add the person to proceedings recorded on another case"
    description = "Only for a caller who works on the proceedings through another case taking part."
    input = s.JoinInput
    output = s.PartySerializer
    created = True

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        found = proceeding_numbered(data.pop("proceeding"))
        if found is None:
            raise Http404
        return super().perform(user, membership, target, {**data, "proceeding": found})


class ProceedingDetail(JusticeAction):
    part = P.PROCEEDINGS
    output = s.PartySerializer
    reading = Reading("This case's part in the proceedings", s.PartySerializer)

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return self.serialize(party_in(case, ids["pk"]))


class ProceedingStage(JusticeAction):
    act = A.STAGE
    summary = "Change the stage, outcome, sentence or charges"
    input = s.ProceedingUpdateInput
    output = s.PartySerializer


class PartyUpdate(JusticeAction):
    act = A.PARTY
    summary = "Change the person's role or identity non-disclosure"
    input = s.PartyUpdateInput
    output = s.PartySerializer


class Hearings(JusticeAction):
    act = A.HEARING
    summary = "Schedule a hearing"
    description = "Every case taking part is called to it, with its deadlines."
    input = s.HearingInput
    output = s.PartySerializer
    created = True


class Statements(JusticeAction):
    act = A.STATEMENT
    summary = "Record a statement in the log"
    description = "One more interview or testimony (or a recorded testimony reused)."
    input = s.StatementInput
    output = s.PartySerializer
    created = True


class HearingHeld(JusticeAction):
    act = A.HELD
    summary = "The hearing took place"
    description = "Its deadlines are done and each person's risk assessment is due for review at once."
    input = s.VersionInput
    output = s.PartySerializer


class HearingMeasureAsk(JusticeAction):
    act = A.ASK
    summary = "Ask for a protective measure at a hearing"
    input = s.AskInput
    output = s.PartySerializer
    created = True


class HearingMeasureDecide(JusticeAction):
    act = A.DECIDE
    summary = "Record the court's decision on a protective measure"
    description = "Granted or refused; after the hearing, whether a granted measure was honoured."
    input = s.DecideInput
    output = s.PartySerializer


# --- the person's side ---


class Choices(JusticeAction):
    act = A.CHOICES
    summary = "Record the person's informed choices"
    description = "In the person's language, with the day. No residence decider reads them."
    input = s.ChoicesInput
    output = s.ChoiceSerializer
    created = True
    records = staticmethod(choices_of)
    listed = "The person's informed choices, newest first"


class Claims(JusticeAction):
    act = A.CLAIM
    summary = "Record a compensation claim"
    input = s.ClaimInput
    output = s.ClaimSerializer
    created = True
    records = staticmethod(claims_of)
    listed = "The case's compensation claims"
    listed_more = "Claimed, awarded, paid and unpaid."


class ClaimAward(JusticeAction):
    act = A.AWARD
    summary = "Record what was awarded"
    input = s.AwardInput
    output = s.ClaimSerializer


class ClaimPayment(JusticeAction):
    act = A.PAYMENT
    summary = "Record a payment received on an award"
    input = s.PaymentInput
    output = s.ClaimSerializer
    created = True

    def answered(self, result: Any) -> Any:
        return record_on(CompensationClaim, self.view.case, result.claim_id)


class Offences(JusticeAction):
    act = A.OFFENCE
    summary = "Record an offence the person is suspected, accused or convicted of"
    input = s.OffenceInput
    output = s.OffenceSerializer
    created = True
    records = staticmethod(offences_of)
    listed = "Offences and the requests not to prosecute or punish"


class NonPunishmentRequests(JusticeAction):
    act = A.REQUEST
    summary = "Ask the prosecutor not to prosecute or punish the person"
    description = "Cites the rulebook's legal basis; the letter is at .../requests/{id}/letter/ (PDF)."
    input = s.RequestInput
    output = s.RequestSerializer
    created = True


class NonPunishmentOutcome(JusticeAction):
    act = A.OUTCOME
    summary = "Record the prosecutor's answer"
    input = s.OutcomeInput
    output = s.RequestSerializer


class Detentions(JusticeAction):
    act = A.DETENTION
    summary = "Record immigration detention"
    input = s.DetentionInput
    output = s.DetentionSerializer
    created = True
    records = staticmethod(detentions_of)
    listed = "Immigration detention of the person"


class DetentionRelease(JusticeAction):
    act = A.RELEASE
    summary = "Record the release from detention"
    input = s.ReleaseInput
    output = s.DetentionSerializer


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
