"""Protection in proceedings in the API: every record of the area of one case, read and written through the
same selectors and services as the pages. Every endpoint starts from `justice_case`: a caller whose duty does
not open the part is answered 404, as for a case it may not see (a residence decider on every endpoint);
answers are read at the caller's tiers and duty (null otherwise), and showing T2-T4 values is a recorded read.
Every change of an editable record states the version read: a stale one answers 409 with it as it is now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from palermo.access.matrix import JusticePart
from palermo.access.serializers import TieredFieldsMixin
from palermo.cases.endpoints import CaseAction, CasePagination, Reading
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES
from palermo.core import api_errors
from palermo.core.api_errors import BAD_REQUEST
from palermo.justice import actions as A
from palermo.justice.actions import Act
from palermo.justice.api import serializers as s
from palermo.justice.letter import letter_response
from palermo.justice.selectors import (
    JusticeView,
    justice_case,
    letter_request,
    party_in,
    proceeding_id_of,
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


@dataclass(frozen=True)
class Doc:
    """What the schema says of an endpoint: the write's summary and description, and for a write that adds
    to a list of the case's records, the list's (`listed`, `listed_more`)."""

    summary: str
    description: str | None = None
    listed: str | None = None
    listed_more: str | None = None


class JusticeAction(CaseAction):
    # One write (and its read) of one part of the area: `act` is the write as both doors declare it (the part
    # whose duty it needs, its service, what it acts on); the answer is read through the caller's tiers and
    # duty: what `answered` says is shown after the change, this case's part in the proceedings for a write
    # on proceedings. A write that adds to a list of the case's records answers a GET with that list, a page
    # at a time (the kernel's paging), and only the page shown is a recorded read. A change that states the
    # version it read documents the 409 of a stale one.
    act: ClassVar[Act]
    part: ClassVar[JusticePart]
    refusals = REFUSALS
    view: JusticeView
    pagination_class = CasePagination

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "act" in cls.__dict__:
            cls.part, cls.acts_on, cls.created = cls.act.part, cls.act.acts_on, cls.act.new_record
            if cls.input is not None and "version" in cls.input._declared_fields:
                cls.refusals = CHANGE_REFUSALS
        if "doc" in cls.__dict__:
            doc: Doc = cls.__dict__["doc"]
            cls.summary, cls.description = doc.summary, doc.description
            if doc.listed is not None:
                cls.reading = Reading(doc.listed, cls.output(many=True), doc.listed_more)
        super().__init_subclass__(**kwargs)

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        self.view = justice_case(request, reference, self.part)
        return self.view.case, self.view.tiers

    def context(self) -> dict[str, Any]:
        return {"tiers": self.view.tiers, "parts": self.view.parts}

    def target(self, case: Case, **ids: Any) -> Any:
        return self.act.target(case, ids.get("pk"))

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
        """The case's records of the kind the write adds, a page at a time."""
        assert self.act.records is not None  # noqa: S101  (only a write that adds to a list reads one)
        return self.serialize(self.act.records(case), many=True)

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return self.serialize(self.answered(record))

    def answered(self, result: Any) -> Any:
        """The record the answer shows after the change: this case's part in the proceedings for a write on
        them; otherwise what the service returned, or, when that is not the kind of record the endpoint
        answers (a payment), the record it was added to, as it is now (a claim)."""
        if self.part is P.PROCEEDINGS:
            return party_in(self.view.case, proceeding_id_of(result))
        if isinstance(result, self.output.Meta.model):
            return result
        return self.act.target(self.view.case, self.kwargs.get("pk"))


class ProceedingDetail(JusticeAction):
    part = P.PROCEEDINGS
    output = s.PartySerializer
    reading = Reading("This case's part in the proceedings", s.PartySerializer)

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return self.serialize(party_in(case, ids["pk"]))


def endpoint(name: str, act: Act, body: type[Serializer], answer: type[Serializer]) -> type[JusticeAction]:
    """The view of one write, the class `name`: the action, the body it takes and the record it answers,
    documented as DOCS says."""
    attributes = {"__module__": __name__, "__qualname__": name, "doc": DOCS[name]}
    return type(name, (JusticeAction,), {**attributes, "act": act, "input": body, "output": answer})


DOCS = {
    "RiskAssessments": Doc(
        "Record an individual risk assessment",
        "Each risk rated with reasons and sources (T3); due for review at the rulebook's period.",
        listed="The case's risk assessments, newest first",
    ),
    "ProtectionMeasures": Doc("Add a measure to the protection plan", listed="The case's protection plan"),
    "ProtectionMeasureUpdate": Doc("Put a protection measure in place or end it"),
    "Proceedings": Doc(
        "Record proceedings the person takes part in",
        "Criminal proceedings, or a civil or labour claim, with the person's role in them.",
        listed="The proceedings the person takes part in",
        listed_more="This case's part in each: never another case's person, role or statements.",
    ),
    "ProceedingJoin": Doc(
        "Add the person to proceedings recorded on another case",
        "Only for a caller who works on the proceedings through another case taking part.",
    ),
    "ProceedingStage": Doc("Change the stage, outcome, sentence or charges"),
    "PartyUpdate": Doc("Change the person's role or identity non-disclosure"),
    "Hearings": Doc("Schedule a hearing", "Every case taking part is called to it, with its deadlines."),
    "Statements": Doc(
        "Record a statement in the log", "One more interview or testimony (or a recorded testimony reused)."
    ),
    "HearingHeld": Doc(
        "The hearing took place",
        "Its deadlines are done and each person's risk assessment is due for review at once.",
    ),
    "HearingAdjourn": Doc(
        "The hearing was put off to another day",
        "The hearing moves to the new day with its measures; the deadlines of every case called to it move "
        "with it, and the adjournment is kept with its reason.",
    ),
    "HearingCancel": Doc("The hearing will not take place", "Its deadlines end for every case called to it."),
    "HearingMeasureAsk": Doc("Ask for a protective measure at a hearing"),
    "HearingMeasureDecide": Doc(
        "Record the court's decision on a protective measure",
        "Granted or refused; after the hearing, whether a granted measure was honoured.",
    ),
    "Choices": Doc(
        "Record the person's informed choices",
        "In the person's language, with the day. No residence decider reads them.",
        listed="The person's informed choices, newest first",
    ),
    "Claims": Doc(
        "Record a compensation claim",
        listed="The case's compensation claims",
        listed_more="Claimed, awarded, paid and unpaid.",
    ),
    "ClaimAward": Doc("Record what was awarded"),
    "ClaimPayment": Doc("Record a payment received on an award"),
    "Offences": Doc(
        "Record an offence the person is suspected, accused or convicted of",
        listed="Offences and the requests not to prosecute or punish",
    ),
    "NonPunishmentRequests": Doc(
        "Ask the prosecutor not to prosecute or punish the person",
        "Cites the rulebook's legal basis; the letter is at .../requests/{id}/letter/ (PDF).",
    ),
    "NonPunishmentOutcome": Doc("Record the prosecutor's answer"),
    "Detentions": Doc("Record immigration detention", listed="Immigration detention of the person"),
    "DetentionRelease": Doc("Record the release from detention"),
}

# The endpoints, one a write: its action, the body it takes, the record it answers.
RiskAssessments = endpoint("RiskAssessments", A.RISK, s.RiskInput, s.RiskAssessmentSerializer)
ProtectionMeasures = endpoint("ProtectionMeasures", A.PLAN, s.MeasureInput, s.ProtectionMeasureSerializer)
ProtectionMeasureUpdate = endpoint(
    "ProtectionMeasureUpdate", A.PLAN_STATUS, s.MeasureUpdateInput, s.ProtectionMeasureSerializer
)
Proceedings = endpoint("Proceedings", A.PROCEEDING, s.ProceedingInput, s.PartySerializer)
ProceedingJoin = endpoint("ProceedingJoin", A.JOIN, s.JoinInput, s.PartySerializer)
ProceedingStage = endpoint("ProceedingStage", A.STAGE, s.ProceedingUpdateInput, s.PartySerializer)
PartyUpdate = endpoint("PartyUpdate", A.PARTY, s.PartyUpdateInput, s.PartySerializer)
Hearings = endpoint("Hearings", A.HEARING, s.HearingInput, s.PartySerializer)
Statements = endpoint("Statements", A.STATEMENT, s.StatementInput, s.PartySerializer)
HearingHeld = endpoint("HearingHeld", A.HELD, s.VersionInput, s.PartySerializer)
HearingAdjourn = endpoint("HearingAdjourn", A.ADJOURN, s.AdjournInput, s.PartySerializer)
HearingCancel = endpoint("HearingCancel", A.CANCEL, s.VersionInput, s.PartySerializer)
HearingMeasureAsk = endpoint("HearingMeasureAsk", A.ASK, s.AskInput, s.PartySerializer)
HearingMeasureDecide = endpoint("HearingMeasureDecide", A.DECIDE, s.DecideInput, s.PartySerializer)
Choices = endpoint("Choices", A.CHOICES, s.ChoicesInput, s.ChoiceSerializer)
Claims = endpoint("Claims", A.CLAIM, s.ClaimInput, s.ClaimSerializer)
ClaimAward = endpoint("ClaimAward", A.AWARD, s.AwardInput, s.ClaimSerializer)
ClaimPayment = endpoint("ClaimPayment", A.PAYMENT, s.PaymentInput, s.ClaimSerializer)
Offences = endpoint("Offences", A.OFFENCE, s.OffenceInput, s.OffenceSerializer)
NonPunishmentRequests = endpoint("NonPunishmentRequests", A.REQUEST, s.RequestInput, s.RequestSerializer)
NonPunishmentOutcome = endpoint("NonPunishmentOutcome", A.OUTCOME, s.OutcomeInput, s.RequestSerializer)
Detentions = endpoint("Detentions", A.DETENTION, s.DetentionInput, s.DetentionSerializer)
DetentionRelease = endpoint("DetentionRelease", A.RELEASE, s.ReleaseInput, s.DetentionSerializer)


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
