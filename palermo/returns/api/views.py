"""The returns API: the same services and selectors as the pages. On a case: voluntary returns (on a child's
case with the children area's rules on top), resettlements, packages sent abroad, each listed and added, and
one endpoint per action on a record. Outside a case: received packages (open one, list, read, accept,
decline) and partner keys (the system administrator's, with this system's own public keys). And the inbox
partners abroad POST packages to (no session: the package's signature by a registered partner key
authenticates it; docs/decisions/0051)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access import limits
from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.cases.endpoints import CaseAction, CaseRecordAction, CaseRecords, Reading
from palermo.cases.models import Case
from palermo.core import api_errors
from palermo.core.api_actions import DeclaredRead
from palermo.core.api_declared import DocumentedByDocstring, OnItsRecord
from palermo.core.api_errors import BAD_REQUEST
from palermo.core.api_lists import CallerList
from palermo.core.api_refusals import CASE_RECORD_NOT_FOUND as NOT_FOUND
from palermo.returns import jose, selectors
from palermo.returns.api import serializers as s
from palermo.returns.models import PartnerKey, Resettlement, TransnationalPackage
from palermo.returns.services import packages, resettlement, returns
from palermo.returns.web import INBOX_ROLES, KEY_ROLES

HELD = api_errors.error_response(
    "Held back: (`stale`) the record was changed since the version stated, `current` holding it as it is "
    "now; or (`blocked`) a decision guard holds it."
)
WRITE_RESPONSES = {400: BAD_REQUEST, 404: NOT_FOUND, 409: HELD}


class ReturnsAction(CaseAction):
    refusals = WRITE_RESPONSES


class RecordsView(DocumentedByDocstring, ReturnsAction, CaseRecords):
    # A case's records of one kind, listed and added (palermo.cases.endpoints.CaseRecords). The docstring:
    # the list's title, then what adding one does.
    heading = "title"
    listed = "Location null below T3, narrative below T4."

    def shown(self, case: Case, membership: Any, tiers: frozenset[int], records: list[Any]) -> list[Any]:
        return selectors.shown(case, membership, tiers, records)


class OnRecordView(DocumentedByDocstring, OnItsRecord, ReturnsAction, CaseRecordAction):
    # An action on one record of the case. The docstring: its summary, then its description.
    pass


class OnReturnView(OnRecordView):
    # An action on a voluntary return, answering the return.
    output = s.ReturnSerializer


class OnResettlementView(OnRecordView):
    # An action on a resettlement.
    model = Resettlement


class ReturnsView(RecordsView):
    """Voluntary returns

    The person's informed, voluntary request to return, in their language. One return in progress at a
    time. On a child's case the children area's rules apply on top (docs/decisions/0050)."""

    output = s.ReturnSerializer
    input = s.ReturnRequestInput
    records = staticmethod(selectors.voluntary_returns)
    service = returns.return_request


class ReturnPartnerView(OnReturnView):
    """Record the receiving partner's assessment

    A partner of the country information directory in the country of return, and its conclusion."""

    input = s.PartnerAssessInput
    service = returns.return_partner_assess


class ReturnPlanView(OnReturnView):
    """Plan travel, reception and reintegration

    Travel date and plan, reception at arrival, housing, income, medical, education, legal; on a child's
    case the accompanying adult (`escort_role`, never `police`: 400; `escort_name`)."""

    input = s.ReturnPlanInput
    service = returns.return_plan


class ReturnViewsView(OnReturnView):
    """Record the child's and the guardian's views on the return

    A child's case only (400 on an adult's): the child's views, or why the child was not heard, with the
    child's age and the interpreter; and the guardian's view."""

    input = s.ReturnViewsInput
    service = returns.return_views_record


class ReturnClearView(OnReturnView):
    """Clear the return to proceed

    Refused (400) unless the person's voluntary request stands, a current risk assessment is not high, and
    a receiving partner found the return safe in an assessment still valid (rulebook
    returns.partner_assessment_valid_days); `fields` names each that is missing (`request`,
    `risk_assessment`, `risk_high`, `partner`, `partner_expired`). On a child's case also the children
    area's rules: `best_interest` (the latest determination recommends the return), `family_assessment`,
    `family_unfavourable`, `child_views`, `guardian_view`, `escort` (named in the travel plan)."""

    input = s.ReturnVersionInput
    service = returns.return_clear


class ReturnArrivedView(OnReturnView):
    """Record the person's arrival

    Checked again as when cleared; the follow-up contacts of returns.followup_days are scheduled."""

    input = s.ReturnArrivedInput
    service = returns.return_arrived


class ReturnWithdrawView(OnReturnView):
    """The person withdraws the request

    The return stops, whatever was planned."""

    input = s.ReturnWithdrawInput
    service = returns.return_withdraw


class ReturnCloseView(OnReturnView):
    """Close the return after its follow-up contacts

    Once the person has arrived and every follow-up contact is recorded; refused (400) while any is still
    to be made, and (409) on a stale version."""

    input = s.ReturnCloseInput
    service = returns.return_close


class FollowUpView(OnRecordView):
    """Record a follow-up contact after the return

    Its deadline is done."""

    output = s.ReturnFollowUpSerializer
    input = s.ReturnFollowUpInput
    service = returns.return_followup_record


class ResettlementsView(RecordsView):
    """Resettlements to a third country

    Grounds, receiving State and programme (UNHCR, IOM, a State's own); an adult's case."""

    output = s.ResettlementSerializer
    input = s.ResettlementInput
    records = staticmethod(selectors.resettlements)
    service = resettlement.resettlement_start


class StepView(OnResettlementView):
    """Record a resettlement step

    Referral, interview, medical check, orientation, documents, with its date."""

    output = s.ResettlementStepSerializer
    input = s.ResettlementStepInput
    service = resettlement.resettlement_step


class MoveView(OnResettlementView):
    """Record the next stage or the outcome of a resettlement

    Submitted, accepted or refused by the receiving State, resettled, or withdrawn; with the date."""

    output = s.ResettlementSerializer
    input = s.ResettlementMoveInput
    service = resettlement.resettlement_move


class SentPackagesView(ReturnsAction):
    reading = Reading(
        "Referral packages sent abroad",
        s.SentPackageSerializer(many=True),
        "Partner, purpose, the HTCDS field names sent, the package (a JWE only the partner opens), and its "
        "delivery: `status` ready (to hand over), queued, sent (with the partner's `receipt`), failed or "
        "stopped (consent withdrawn or keys revoked before sending: `outcome`), with the `attempts` made.",
    )
    summary = "Send a referral package to a partner abroad"
    description = (
        "Needs the person's consent for transfer to the partner's country (not withdrawn: 400 otherwise) and "
        "the partner's registered keys. With the partner's inbox address registered, the package is queued "
        "and the task worker POSTs it there (retried with backoff; `status` follows it); without one, or if "
        "delivery fails, the package (`token`) is handed over."
    )
    output = s.SentPackageSerializer
    input = s.PackageSendInput
    created = True
    service = packages.package_send

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return self.output(selectors.sent_packages(case), many=True).data


class SendAgainView(OnRecordView):
    """Send a package that could not be delivered again

    A package whose delivery failed (`status` failed) is queued for a new round of attempts, as it was
    sealed; refused (400) for any other package, when the consent it was sent under was withdrawn or no
    longer counts, or when the partner's keys or inbox address were withdrawn (send a new package)."""

    output = s.SentPackageSerializer
    input = None
    service = packages.package_send_again


# --- outside a case ----------


class PackageReceive(ActingAction):
    """Open a package from a partner abroad

    Decrypted with this system's key and its signature checked against the registered partner key it
    names; refused (400) when it cannot be opened, is not signed by a registered partner or was altered
    (the refusal is audited). What arrived waits for a person to accept or decline it."""

    input = s.PackageReceiveInput
    output = s.ReceivedPackageSerializer
    refusals = {400: BAD_REQUEST}
    created = True
    service = packages.package_receive

    def answer(self, request: Request, result: Any) -> Any:
        shown = selectors.received_package(acting(request).membership, result.pk)
        return self.output(shown, context={"tiers": selectors.RECEIVED_TIERS}).data


class PartnerKeyRegister(ActingAction):
    """Register a partner's public keys

    The fingerprint the partner read out by another channel must match the keys (400 otherwise); keys
    registered before for the partner are revoked."""

    input = s.PartnerKeyInput
    output = s.PartnerKeySerializer
    refusals = {400: BAD_REQUEST}
    created = True
    service = packages.partner_key_register


class ReceivedList(CallerList):
    """Packages received by the caller's agency, those awaiting a decision first."""

    palermo_roles = frozenset(INBOX_ROLES)
    serializer_class = s.ReceivedPackageSerializer
    model = TransnationalPackage

    def listed(self) -> QuerySet[TransnationalPackage]:
        return selectors.received_packages(acting(self.request).membership)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "tiers": frozenset({1})}

    post = PackageReceive.lent()


class ReceivedDetail(DeclaredRead):
    """A package received from a partner abroad

    With what it carried (HTCDS names and values; the read is audited)."""

    palermo_roles = frozenset(INBOX_ROLES)
    output = s.ReceivedPackageSerializer
    refusals = {404: NOT_FOUND}

    def read(self, request: Request, **ids: Any) -> Any:
        shown = selectors.received_package(acting(request).membership, ids["pk"])
        return self.output(shown, context={"tiers": selectors.RECEIVED_TIERS}).data


class OnReceivedPackage(ActingAction):
    # A decision on a package received by the caller's agency.
    palermo_roles = frozenset(INBOX_ROLES)
    output = s.ReceivedPackageSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    answer_context = {"tiers": frozenset({1})}

    def target(self, request: Request, **ids: Any) -> Any:
        return selectors.received_package_row(acting(request).membership, ids["pk"])


class ReceivedAccept(OnReceivedPackage):
    """Accept a received package: open a referral from it

    A case opens through the intake service, referred to the identification authority."""

    input = s.PackageAcceptInput
    service = packages.package_accept


class ReceivedDecline(OnReceivedPackage):
    """Decline a received package

    No referral is opened; the package stays on the record."""

    service = packages.package_decline


class PartnerKeys(ListAPIView):
    """Registered keys of partners abroad, those in use first (system administrator)."""

    palermo_roles = frozenset(KEY_ROLES)
    serializer_class = s.PartnerKeySerializer

    def get_queryset(self) -> QuerySet[PartnerKey]:
        return selectors.partner_keys()

    post = PartnerKeyRegister.lent()


class PartnerKeyRevoke(ActingAction):
    """Revoke a partner's keys

    Nothing more is sent to, or accepted from, them."""

    palermo_roles = frozenset(KEY_ROLES)
    output = s.PartnerKeySerializer
    refusals = {404: NOT_FOUND}
    service = packages.partner_key_revoke

    def target(self, request: Request, **ids: Any) -> Any:
        return get_object_or_404(PartnerKey, pk=ids["pk"])


class OwnKeys(DeclaredRead):
    """This system's public keys and fingerprint

    To give partners (404 when no key pair is configured)."""

    palermo_roles = frozenset(KEY_ROLES)
    output = s.OwnKeysSerializer
    refusals = {404: NOT_FOUND}

    def read(self, request: Request, **ids: Any) -> Any:
        try:
            own = jose.own_keys()
        except jose.KeyProblem:
            raise Http404 from None
        return {"public_keys": own.public_set(), "fingerprint": own.fingerprint}


# The largest package the inbox reads: a minimal package is a few kilobytes; the staff form takes 200,000.
MAX_INBOX_BYTES = 200_000


# A compact JWE is text; a body sent with no media type is read as one. A form or JSON is not a package.
INBOX_MEDIA_TYPES = ("application/jose", "text/plain", "")


class PackageInbox(APIView):
    """Where partners abroad POST packages (public: the package's signature is the authentication)."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(
        summary="Deliver a package from a partner abroad (the partner's side)",
        description=(
            "No session or token: the body is the package itself, a compact JWE (`Content-Type: "
            "application/jose`) encrypted to this system's key and holding a JWS signed with the partner's "
            "registered key, which is what authenticates the request. Kept in the inbox of the agency the "
            "partner's registration names, awaiting a person's decision; nothing is kept when it cannot be "
            "opened, is not signed by a registered partner, or was altered (400, audited). The answer's "
            "`receipt` is the SHA-256 of the package as received; the same package again answers 200 with "
            "the same receipt. At most 200,000 bytes (413); rate-limited per network address (429 with "
            "Retry-After)."
        ),
        request={"application/jose": OpenApiTypes.STR, "text/plain": OpenApiTypes.STR},
        responses={
            200: s.InboxReceiptSerializer,
            201: s.InboxReceiptSerializer,
            400: BAD_REQUEST,
            413: api_errors.error_response("The package is larger than the limit."),
            415: api_errors.error_response("The body is not a package (application/jose or text/plain)."),
            429: api_errors.error_response("Too many packages from this address; Retry-After says when."),
        },
    )
    def post(self, request: Request) -> Response:
        limits.check(request, door="package_inbox")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_INBOX_BYTES:
            raise api_errors.TooLarge()
        body = request.body
        if len(body) > MAX_INBOX_BYTES:
            raise api_errors.TooLarge()
        if request.content_type not in INBOX_MEDIA_TYPES:
            raise exceptions.UnsupportedMediaType(request.content_type)
        arrival = packages.package_arrive(token=body.decode("ascii", "replace"))
        answer = {
            "package_id": str(arrival.package.package_id),
            "received_at": arrival.package.at,
            "receipt": arrival.receipt,
        }
        code = status.HTTP_201_CREATED if arrival.new else status.HTTP_200_OK
        return Response(s.InboxReceiptSerializer(answer).data, status=code)
